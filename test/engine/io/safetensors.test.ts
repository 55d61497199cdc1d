import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, parseSafetensors, parseSafetensorsHeader, writeSafetensors, type Dtype } from '../../../engine/io/safetensors';
import { loadStateDict } from '../../../engine/io/stateDict';
import { rawSafetensors } from '../support/weightsWriter';

const fixture = (c: string, f: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/cases/${c}/${f}.safetensors`, import.meta.url)));

const rawFile = rawSafetensors;

const f32 = (name: string, shape: number[], off: [number, number], dtype = 'F32') =>
  `"${name}":{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(off)}}`;

describe('safetensors fixtures', () => {
  it('simple_cnn weights: 14 keys, shapes, values, I64 num_batches_tracked, metadata', () => {
    const bytes = fixture('simple_cnn', 'weights');
    const t = parseSafetensors(bytes);
    expect([...t.keys()].sort()).toEqual([
      'bn1.bias', 'bn1.num_batches_tracked', 'bn1.running_mean', 'bn1.running_var', 'bn1.weight',
      'bn2.bias', 'bn2.num_batches_tracked', 'bn2.running_mean', 'bn2.running_var', 'bn2.weight',
      'conv1.weight', 'conv2.weight', 'fc.bias', 'fc.weight',
    ]);
    expect(t.get('conv1.weight')!.shape).toEqual([8, 3, 3, 3]);
    expect(t.get('conv2.weight')!.shape).toEqual([16, 8, 3, 3]);
    expect(t.get('fc.weight')!.shape).toEqual([10, 256]);
    expect(t.get('conv1.weight')!.data[0]).toBe(Math.fround(-0.13102909922599792));
    expect(t.get('fc.weight')!.data[2559]).toBe(Math.fround(-0.02845720946788788));
    expect(t.get('bn1.running_var')!.data[1]).toBe(Math.fround(1.477500081062317));
    const nbt = t.get('bn1.num_batches_tracked')!;
    expect(nbt).toMatchObject({ dtype: 'I64', shape: [] });
    expect(nbt.int64).toEqual(new BigInt64Array([0n]));
    expect(nbt.data).toEqual(new Float32Array([0]));
    expect(parseSafetensorsHeader(bytes).metadata.model).toBe('SimpleCNN()');
  });
  it('mlp_tanh weights and input', () => {
    const t = parseSafetensors(fixture('mlp_tanh', 'weights'));
    expect(Object.fromEntries([...t].map(([k, v]) => [k, v.shape]))).toEqual({
      'layers.0.bias': [32], 'layers.0.weight': [32, 64], 'layers.2.bias': [32], 'layers.2.weight': [32, 32],
      'layers.4.bias': [5], 'layers.4.weight': [5, 32],
    });
    expect(t.get('layers.4.bias')!.data[4]).toBe(Math.fround(-0.15652912855148315));
    const x = parseSafetensors(fixture('mlp_tanh', 'input')).get('input')!;
    expect(x.shape).toEqual([3, 64]);
    expect(x.data[1]).toBe(Math.fround(1.0280252695083618));
  });
  it('tiny_resnet weights: 33 keys incl. the 1x1 projection and 5 BatchNorm counters', () => {
    const t = parseSafetensors(fixture('tiny_resnet', 'weights'));
    expect(t.size).toBe(33);
    expect(t.get('block2.proj.weight')!.shape).toEqual([16, 8, 1, 1]);
    expect(t.get('stem.weight')!.shape).toEqual([8, 3, 3, 3]);
    expect([...t.keys()].filter((k) => k.endsWith('num_batches_tracked')).length).toBe(5);
    const x = parseSafetensors(fixture('tiny_resnet', 'input')).get('input')!;
    expect(x.shape).toEqual([2, 3, 16, 16]);
    expect(x.data[0]).toBe(Math.fround(-0.3603906035423279));
    expect(x.data[x.data.length - 1]).toBe(Math.fround(-0.8477731347084045));
  });
  it('a written file reads back identically, byte for byte for the fixture', () => {
    const bytes = fixture('simple_cnn', 'weights'), h = parseSafetensorsHeader(bytes), t = parseSafetensors(bytes);
    const again = writeSafetensors(new Map([...t].map(([k, v]) => [k, { dtype: v.dtype, shape: v.shape, data: v.int64 ?? v.data }])), h.metadata);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('safetensors dtypes', () => {
  it('converts F64, F16, BF16, I64, I32, I16, I8, U8 and BOOL to float32 and back', () => {
    const vals = [0, 1, -2, 0.5, 3];
    const dtypes: Dtype[] = ['F64', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL'];
    const file = writeSafetensors(Object.fromEntries(dtypes.map((d) => [d, { dtype: d, shape: [5], data: d === 'U8' ? [0, 1, 2, 255, 3] : vals }])));
    const t = parseSafetensors(file);
    expect(Array.from(t.get('F64')!.data)).toEqual(vals);
    expect(Array.from(t.get('F16')!.data)).toEqual(vals);
    expect(Array.from(t.get('BF16')!.data)).toEqual(vals);
    expect(Array.from(t.get('I64')!.data)).toEqual([0, 1, -2, 0, 3]);
    expect(Array.from(t.get('I32')!.data)).toEqual([0, 1, -2, 0, 3]);
    expect(Array.from(t.get('I16')!.data)).toEqual([0, 1, -2, 0, 3]);
    expect(Array.from(t.get('I8')!.data)).toEqual([0, 1, -2, 0, 3]);
    expect(Array.from(t.get('U8')!.data)).toEqual([0, 1, 2, 255, 3]);
    expect(Array.from(t.get('BOOL')!.data)).toEqual([0, 1, 1, 1, 1]);
  });
  it('F16 and BF16 round to nearest and cover subnormals, infinities and NaN', () => {
    const vals = [1 / 3, 65504, 70000, 2 ** -24, -(2 ** -20), Infinity, NaN];
    const t = parseSafetensors(writeSafetensors({ h: { dtype: 'F16', shape: [7], data: vals }, b: { dtype: 'BF16', shape: [7], data: vals } }));
    const h = Array.from(t.get('h')!.data);
    expect(h.slice(0, 6)).toEqual([0.333251953125, 65504, Infinity, 2 ** -24, -(2 ** -20), Infinity]);
    expect(h[6]).toBeNaN();
    const b = Array.from(t.get('b')!.data);
    expect(b[0]).toBe(0.333984375);
    expect(b[6]).toBeNaN();
  });
  it('keeps I64 values beyond 2^53 exactly in int64', () => {
    const big = new BigInt64Array([2n ** 60n + 1n, -5n]);
    const t = parseSafetensors(writeSafetensors({ n: { dtype: 'I64', shape: [2], data: big } })).get('n')!;
    expect(t.int64).toEqual(big);
  });
  it('pads the header with spaces so the data section starts at a multiple of 8', () => {
    const file = writeSafetensors({ a: { shape: [1], data: [1] } }, { k: 'v' });
    const h = parseSafetensorsHeader(file);
    expect(h.dataStart % 8).toBe(0);
    expect(new TextDecoder().decode(file.subarray(8, h.dataStart)).endsWith(' ')).toBe(true);
  });
});

describe('safetensors malformed files', () => {
  it('rejects a file shorter than 8 bytes', () => {
    expect(() => parseSafetensors(new Uint8Array(5))).toThrow(/too short/);
  });
  it('rejects a header length beyond the end of the file', () => {
    expect(() => parseSafetensors(rawFile('{}', 0, 1000n))).toThrow(/runs past the end of the file/);
  });
  it('rejects an absurd header length before allocating anything', () => {
    expect(() => parseSafetensors(rawFile('{}', 0, 2n ** 63n))).toThrow(/exceeds the 100000000-byte limit/);
    expect(() => parseSafetensors(rawFile('{}', 0, BigInt(MAX_HEADER_BYTES + 1)))).toThrow(/limit/);
  });
  it('rejects a header that is not UTF-8', () => {
    const f = rawFile('{"a":1}   ');
    f[9] = 0xff;
    expect(() => parseSafetensors(f)).toThrow(/not valid UTF-8/);
  });
  it('rejects a header that is not JSON', () => {
    expect(() => parseSafetensors(rawFile('{"a": '))).toThrow(/not valid JSON/);
  });
  it('rejects a header that is not an object', () => {
    expect(() => parseSafetensors(rawFile('[1, 2]'))).toThrow(/must be a JSON object/);
    expect(() => parseSafetensors(rawFile('null'))).toThrow(/must be a JSON object/);
  });
  it('rejects an unknown dtype', () => {
    expect(() => parseSafetensors(rawFile(`{${f32('w', [1], [0, 4], 'F8_E4M3')}}`, 4))).toThrow(/unknown dtype "F8_E4M3" for tensor 'w'/);
  });
  it('rejects shapes that are not lists of non-negative integers', () => {
    expect(() => parseSafetensors(rawFile(`{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, 4))).toThrow(/shape of 'w'/);
    expect(() => parseSafetensors(rawFile(`{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}`, 4))).toThrow(/shape of 'w'/);
    expect(() => parseSafetensors(rawFile(`{"w":{"dtype":"F32","shape":"4","data_offsets":[0,4]}}`, 4))).toThrow(/shape of 'w'/);
  });
  it('rejects data_offsets that are not [begin, end] within the data section', () => {
    expect(() => parseSafetensors(rawFile(`{${f32('w', [2], [0, 8])}}`, 4))).toThrow(/lie outside the data section \(4 bytes\)/);
    expect(() => parseSafetensors(rawFile(`{${f32('w', [0], [4, 0])}}`, 4))).toThrow(/lie outside/);
    expect(() => parseSafetensors(rawFile(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}`, 4))).toThrow(/must be \[begin, end\]/);
  });
  it('rejects overlapping tensors', () => {
    expect(() => parseSafetensors(rawFile(`{${f32('a', [2], [0, 8])},${f32('b', [2], [4, 12])}}`, 12))).toThrow(/'a' and 'b' overlap/);
  });
  it('rejects a byte length that does not equal shape x dtype size', () => {
    expect(() => parseSafetensors(rawFile(`{${f32('w', [3], [0, 8])}}`, 8))).toThrow(/shape \[3\] of F32 = 12 bytes, but data_offsets cover 8/);
  });
  it('rejects a malformed __metadata__', () => {
    expect(() => parseSafetensors(rawFile('{"__metadata__":{"a":1}}'))).toThrow(/__metadata__/);
  });
});

describe('safetensors: the reference implementation\'s rules', () => {
  it('rejects a tensor name, an entry field or a metadata key given twice (JSON.parse would keep the last)', () => {
    expect(() => parseSafetensors(rawFile(`{${f32('w', [1], [0, 4])},${f32('w', [1], [4, 8])}}`, 8))).toThrow(/tensor "w" appears twice/);
    expect(() => parseSafetensors(rawFile('{"w":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}}', 4))).toThrow(/field "dtype" twice/);
    expect(() => parseSafetensors(rawFile('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"d\\u0074ype":"F16"}}', 4))).toThrow(/field "dtype" twice/);
    expect(() => parseSafetensors(rawFile('{"__metadata__":{"a":"1","a":"2"}}'))).toThrow(/__metadata__ key "a" appears twice/);
  });
  it('rejects data no tensor indexes: a hole between tensors, bytes after the last one', () => {
    expect(() => parseSafetensors(rawFile(`{${f32('a', [1], [0, 4])},${f32('b', [1], [8, 12])}}`, 12))).toThrow(/bytes \[4, 8\) of the data section belong to no tensor \(a hole before 'b'\)/);
    expect(() => parseSafetensors(rawFile(`{${f32('a', [1], [4, 8])}}`, 8))).toThrow(/bytes \[0, 4\)/);
    expect(() => parseSafetensors(rawFile(`{${f32('a', [1], [0, 4])}}`, 12))).toThrow(/8 bytes after the last tensor's data/);
  });
  it('accepts empty tensors anywhere, ignores unknown entry fields and a null __metadata__', () => {
    const t = parseSafetensors(rawFile(`{${f32('e', [0], [0, 0])},${f32('a', [1], [0, 4])},"z":{"dtype":"F32","shape":[0],"data_offsets":[4,4],"extra":{"k":[1,{"x":null}]}},"__metadata__":null}`, 4));
    expect([...t.keys()]).toEqual(['e', 'a', 'z']);
  });
  it('a 100,000-deep shape and a 100,000-deep unknown field give a clear error, not a stack overflow', () => {
    const deep = (v: string) => rawFile(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":${v}}}`, 4);
    expect(() => parseSafetensors(rawFile(`{"w":{"dtype":"F32","shape":${'['.repeat(100_000)}${']'.repeat(100_000)},"data_offsets":[0,4]}}`, 4))).toThrow(/shape of 'w' must be a list of non-negative integers/);
    expect(() => parseSafetensors(deep(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))).toThrow(/nests deeper than 64 levels/);
    expect(() => parseSafetensors(deep(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`))).toThrow(/nests deeper than 64 levels/);
  });
  it('a shape of more than 64 dimensions is refused before it is stored', () => {
    expect(() => parseSafetensors(rawFile(`{${f32('w', Array(1_000_000).fill(1), [0, 4])}}`, 4))).toThrow(/more than 64 dimensions/);
  });
  it('a 95 MB header of a million tiny entries is refused after the tensor limit instead of parsed at length', () => {
    const one = (i: number) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`;
    const parts: string[] = [];
    for (let i = 0, len = 0; len < 95_000_000; i++) { const e = one(i); parts.push(e); len += e.length + 1; }
    const f = rawFile(`{${parts.join(',')}}`);
    expect(f.length).toBeGreaterThan(95_000_000);
    const heap0 = process.memoryUsage().heapUsed;
    expect(() => parseSafetensorsHeader(f)).toThrow(/more than 262144 tensors in one header/);
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(400e6);
  });
  it('the header is JSON: strings with escapes and non-ASCII names, whitespace anywhere', () => {
    const t = parseSafetensors(rawFile(` { "caf\\u00e9" : { "dtype" : "F32" , "shape" : [ 1 ] , "data_offsets" : [ 0 , 4 ] } , "ünï\\"x" :{"dtype":"F32","shape":[],"data_offsets":[4,8]} }  `, 8));
    expect([...t.keys()]).toEqual(['café', 'ünï"x']);
    expect(() => parseSafetensors(rawFile(`{${f32('w', [1], [0, 4])}} x`, 4))).toThrow(/not valid JSON/);
    expect(() => parseSafetensors(rawFile('{"w":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}}', 4))).toThrow(/shape of 'w'/);
    expect(() => parseSafetensors(rawFile('{"w":{"dtype":"F32","shape":[1e0],"data_offsets":[0,4]}}', 4))).toThrow(/shape of 'w'/);
  });
});

describe('loadStateDict', () => {
  it('reports missing, unexpected and size-mismatched keys in PyTorch wording', () => {
    const file = writeSafetensors({
      'fc.weight': { shape: [10, 256], data: new Float32Array(2560) },
      'fc.bias': { shape: [10], data: new Float32Array(10) },
      'extra.weight': { shape: [1], data: [0] },
    });
    const r = loadStateDict(new Map([['fc.weight', [10, 128]], ['fc.bias', [10]], ['conv.weight', [4, 3, 3, 3]], ['bn.bias', [4]]]), parseSafetensors(file));
    expect(r.missing).toEqual(['conv.weight', 'bn.bias']);
    expect(r.unexpected).toEqual(['extra.weight']);
    expect(r.mismatched).toEqual([{ key: 'fc.weight', checkpoint: [10, 256], model: [10, 128] }]);
    expect([...r.loaded.keys()]).toEqual(['fc.bias']);
    expect(r.messages).toEqual([
      'Missing key(s) in state_dict: "conv.weight", "bn.bias".',
      'Unexpected key(s) in state_dict: "extra.weight".',
      'size mismatch for fc.weight: copying a param with shape [10, 256] from checkpoint, the shape in current model is [10, 128].',
    ]);
  });
  it('loads the whole simple_cnn checkpoint with no messages when every shape matches', () => {
    const t = parseSafetensors(fixture('simple_cnn', 'weights'));
    const r = loadStateDict(new Map([...t].map(([k, v]) => [k, v.shape])), t);
    expect(r.messages).toEqual([]);
    expect(r.loaded.size).toBe(14);
  });
});
