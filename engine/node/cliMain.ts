// Node entry of the `layerlens` CLI (dist/cliMain.js, which dist/cli.js loads through a V8 code cache: cliLoader.ts):
// binds the pure CLI to the process and the disk. The bundle for the extension never includes it.
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { totalmem } from 'node:os';
import { runCli } from '../cli/cli';
import { setParseCache } from '../analysis/analyze';
import { DiskParseCache } from './diskCache';
import { findPythonEnv, type EnvFs } from '../env/pythonEnv';

const stat = (p: string) => { try { return statSync(p); } catch { return undefined; } };
const envFs: EnvFs = {
  isFile: (p) => stat(p)?.isFile() ?? false,
  isDir: (p) => stat(p)?.isDirectory() ?? false,
  read: (p) => { try { return stat(p)?.isFile() && stat(p)!.size < 1 << 20 ? readFileSync(p, 'utf8') : undefined; } catch { return undefined; } },
  list: (p) => { try { return readdirSync(p); } catch { return []; } },
  realpath: (p) => { try { return realpathSync(p); } catch { return p; } },
};

const cache = new Map<string, string | undefined>();
const host = {
  readFile(path: string): string | undefined {
    if (cache.has(path)) return cache.get(path);
    let text: string | undefined;
    try { text = readFileSync(path, 'utf8'); } catch { text = undefined; }
    cache.set(path, text);
    return text;
  },
};

if (!process.env.LAYERLENS_NO_CACHE) setParseCache(new DiskParseCache());

const result = runCli(process.argv.slice(2), {
  // NOTE: required on demand: node:worker_threads costs a cold `summary` several ms to load, and only `run` needs it
  pool: () => (require('./nodePool') as typeof import('./nodePool')).createNodePool({ script: join(__dirname, 'opsWorker.js'), prestart: true }),
  host, cwd: process.cwd(), totalMemory: totalmem(),
  realpath: (p) => { try { return realpathSync(p); } catch { return undefined; } },
  isFile: (p) => stat(p)?.isFile() ?? false,
  pythonEnv: (python) => findPythonEnv({ python, pathEnv: process.env.PATH ?? '', env: process.env, cwd: process.cwd() }, envFs),
  readBytes: (path) => { try { return readFileSync(path); } catch { return undefined; } }, // a Buffer is a Uint8Array: no copy
  cpuClock: () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; },
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
});
void Promise.resolve(result).then((code) => { process.exitCode = code; });
