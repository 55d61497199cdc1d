// The trained example (examples/digits, scripts/train_digits.py): `layerlens run` with the trained weights,
// as .pth and as .safetensors, reproduces PyTorch's logits on the sample digits within the run fixtures'
// tolerance (fixtures/README.md: rtol 1e-4, atol 1e-5 x max |value|), and the sample PNGs are the input tensor.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readWeights } from '../../engine/io/weights';
import { runModel } from '../../engine/run/run';
import { diskHost } from './support/nodeHost';

const dir = join(__dirname, '../../examples/digits');
const expected = JSON.parse(readFileSync(join(dir, 'expected_logits.json'), 'utf8')) as {
  logits: number[][]; labels: number[]; predictions: number[]; testAccuracy: number; normalisation: { mean: number; std: number };
};
const bytes = (f: string) => new Uint8Array(readFileSync(join(dir, f)));

/** 8-bit grayscale PNG → pixels (the five PNG row filters; what PIL writes). */
function decodeGrayPng(png: Uint8Array): { w: number; h: number; px: Uint8Array } {
  const v = new DataView(png.buffer, png.byteOffset);
  let at = 8, w = 0, h = 0;
  const idat: Uint8Array[] = [];
  while (at < png.length) {
    const len = v.getUint32(at), type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    if (type === 'IHDR') { w = v.getUint32(at + 8); h = v.getUint32(at + 12); expect([png[at + 16], png[at + 17]]).toEqual([8, 0]); }
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = unzlibSync(Uint8Array.from(idat.flatMap((c) => [...c]))), px = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (w + 1)];
    for (let x = 0; x < w; x++) {
      const a = x ? px[y * w + x - 1] : 0, b = y ? px[(y - 1) * w + x] : 0, c = x && y ? px[(y - 1) * w + x - 1] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
      px[y * w + x] = (raw[y * (w + 1) + 1 + x] + pred) & 0xff;
    }
  }
  return { w, h, px };
}

describe('examples/digits: the trained digits CNN', () => {
  for (const weights of ['digits.pth', 'digits.safetensors']) {
    it(`layerlens run with ${weights} reproduces PyTorch's logits and predictions`, () => {
      const r = runModel({
        file: join(dir, 'model.py'), host: diskHost(), mode: 'eval', keepTensors: true,
        weights: bytes(weights), weightsName: weights, inputFile: bytes('samples.safetensors'),
      });
      expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
      const last = r.rows.length - 1;
      expect(r.rows[last].name).toBe('fc');
      const out = r.tensors![last].output, want = expected.logits.flat();
      expect(out.shape).toEqual([expected.logits.length, 10]);
      const scale = Math.max(...want.map(Math.abs));
      const bad = want.flatMap((w, i) => (Math.abs(out.data[i] - w) <= 1e-5 * scale + 1e-4 * Math.abs(w) ? [] : [`logit ${i}: ${out.data[i]} vs ${w}`]));
      expect(bad).toEqual([]);
      const argmax = expected.logits.map((_, n) => { const row = Array.from(out.data.subarray(n * 10, n * 10 + 10)); return row.indexOf(Math.max(...row)); });
      expect(argmax).toEqual(expected.predictions);
      expect(argmax).toEqual(expected.labels);
    });
  }
  it('both weights files hold the same tensors, with real BatchNorm running statistics', () => {
    const a = readWeights(bytes('digits.pth')).tensors, b = readWeights(bytes('digits.safetensors')).tensors;
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [k, t] of a) expect(Array.from(b.get(k)!.data), k).toEqual(Array.from(t.data));
    const rv = Array.from(a.get('bn2.running_var')!.data);
    expect(rv.some((v) => Math.abs(v - 1) > 0.05)).toBe(true);
    expect(a.get('bn1.num_batches_tracked')!.int64![0]).toBeGreaterThan(100n);
    for (const f of ['digits.pth', 'digits.safetensors']) expect(bytes(f).length).toBeLessThan(300_000);
  });
  it('the sample PNGs are the input tensor before normalisation, and the README states the test accuracy', () => {
    const input = readWeights(bytes('samples.safetensors')).tensors.get('input')!;
    const pngs = readdirSync(dir).filter((f) => /^sample_\d+_label\d\.png$/.test(f)).sort();
    expect(pngs.length).toBe(input.shape[0]);
    const { mean, std } = expected.normalisation;
    pngs.forEach((f, n) => {
      expect(Number(/label(\d)/.exec(f)![1])).toBe(expected.labels[n]);
      const { w, h, px } = decodeGrayPng(bytes(f));
      expect([h, w]).toEqual(input.shape.slice(2));
      px.forEach((p, i) => expect(Math.abs(p / 255 - (input.data[n * w * h + i] * std + mean))).toBeLessThan(0.5 / 255 + 1e-5));
    });
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(`${(expected.testAccuracy * 100).toFixed(1)} %`);
  });
});
