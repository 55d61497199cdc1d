// vitest global setup: the generated WebAssembly kernels (engine/ops/wasm/kernels.generated.js, which
// `npm run build` also makes) and the compute pool's worker bundle for the pool tests, before any test.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { buildWasm } from '../../../scripts/buildWasm.mjs';

export const POOL_WORKER = fileURLToPath(new URL('../../../out/test/opsWorker.js', import.meta.url));

export default async function setup(): Promise<void> {
  await buildWasm();
  await build({ entryPoints: ['engine/node/opsWorker.ts'], outfile: POOL_WORKER, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
}
