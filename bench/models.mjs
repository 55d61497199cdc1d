// The benchmark's models, written once and run by every contender: the conv 3×3 64→64 @56×56 and a
// ResNet-18 (torchvision's layout, BatchNorm folded into conv bias, seeded random weights). Each model is a
// small graph (nodes over named tensors) that bench/ops.mjs runs on LayerLens' kernels and toOnnx() turns
// into ONNX protobuf bytes for onnxruntime-web — a hand-written encoder, so no Python at bench time.

/** Seeded normal numbers (xorshift32 + Box–Muller): the same weights in every process. */
export function normals(n, seed, std = 1) {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  const u = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u())), t = 2 * Math.PI * u();
    out[i] = r * Math.cos(t) * std;
    if (i + 1 < n) out[i + 1] = r * Math.sin(t) * std;
  }
  return out;
}

let seedNo = 1;
function conv(name, input, output, cin, cout, k, stride, pad, relu) {
  // He-style scale keeps activations O(1) through the residual stack.
  const w = normals(cout * cin * k * k, seedNo++, Math.sqrt(1 / (cin * k * k)));
  const b = normals(cout, seedNo++, 0.05);
  return { op: 'conv', name, input, output, w, wShape: [cout, cin, k, k], b, stride, pad, relu };
}

/** conv 3×3 64→64, stride 1, padding 1, with bias, on [1, 64, 56, 56]. */
export function convModel() {
  seedNo = 1;
  return { input: 'x', inputShape: [1, 64, 56, 56], output: 'y', outputShape: [1, 64, 56, 56], nodes: [conv('conv', 'x', 'y', 64, 64, 3, 1, 1, false)] };
}

/** torchvision resnet18 (BasicBlock ×[2, 2, 2, 2]) @ [1, 3, 224, 224], BatchNorm folded into the convs. */
export function resnet18Model() {
  seedNo = 1;
  const nodes = [conv('conv1', 'x', 'c1', 3, 64, 7, 2, 3, true), { op: 'maxpool', input: 'c1', output: 'p1', k: 3, stride: 2, pad: 1 }];
  let cur = 'p1', cin = 64;
  [[64, 1], [128, 2], [256, 2], [512, 2]].forEach(([cout, stride], li) => {
    for (let bi = 0; bi < 2; bi++) {
      const s = bi === 0 ? stride : 1, pre = `layer${li + 1}.${bi}`;
      nodes.push(conv(`${pre}.conv1`, cur, `${pre}.a`, cin, cout, 3, s, 1, true));
      nodes.push(conv(`${pre}.conv2`, `${pre}.a`, `${pre}.b`, cout, cout, 3, 1, 1, false));
      let skip = cur;
      if (s !== 1 || cin !== cout) {
        nodes.push(conv(`${pre}.downsample`, cur, `${pre}.d`, cin, cout, 1, s, 0, false));
        skip = `${pre}.d`;
      }
      nodes.push({ op: 'add', inputs: [`${pre}.b`, skip], output: `${pre}.sum`, relu: true });
      cur = `${pre}.sum`; cin = cout;
    }
  });
  nodes.push({ op: 'gap', input: cur, output: 'pooled' });
  nodes.push({ op: 'fc', input: 'pooled', output: 'logits', w: normals(1000 * 512, seedNo++, Math.sqrt(1 / 512)), wShape: [1000, 512], b: normals(1000, seedNo++, 0.05) });
  return { input: 'x', inputShape: [1, 3, 224, 224], output: 'logits', outputShape: [1, 1000], nodes };
}

// ---- ONNX protobuf (onnx.proto3 field numbers), written as a list of byte chunks ----

const te = new TextEncoder();
function varint(n) {
  const out = [];
  while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
  out.push(n);
  return Uint8Array.from(out);
}
const len = (chunks) => chunks.reduce((a, c) => a + c.length, 0);
const key = (no, wire) => varint(no * 8 + wire);
const int = (no, v) => [key(no, 0), varint(v)];
const bytes = (no, b) => [key(no, 2), varint(b.length), b];
const str = (no, s) => bytes(no, te.encode(s));
const msg = (no, chunks) => [key(no, 2), varint(len(chunks)), ...chunks];

function tensorProto(name, dims, data) {
  return [...dims.flatMap((d) => int(1, d)), ...int(2, 1), ...str(8, name), ...bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))];
}
const attrInts = (name, ints) => [...str(1, name), ...int(20, 7), ...ints.flatMap((i) => int(8, i))];
function nodeProto(op, inputs, outputs, attrs = []) {
  return [...inputs.flatMap((i) => str(1, i)), ...outputs.flatMap((o) => str(2, o)), ...str(4, op), ...attrs.flatMap((a) => msg(5, a))];
}
const valueInfo = (name, shape) => [...str(1, name), ...msg(2, msg(1, [...int(1, 1), ...msg(2, shape.flatMap((d) => msg(1, int(1, d))))]))];

/** ONNX ModelProto bytes (IR 8, opset 13) of a bench model: Conv(+Relu), MaxPool, Add(+Relu), GlobalAveragePool, Flatten, Gemm. */
export function toOnnx(model) {
  const nodes = [], inits = [];
  for (const n of model.nodes) {
    if (n.op === 'conv') {
      const k = n.wShape[2], out = n.relu ? `${n.output}.pre` : n.output;
      inits.push(tensorProto(`${n.name}.w`, n.wShape, n.w), tensorProto(`${n.name}.b`, [n.wShape[0]], n.b));
      nodes.push(nodeProto('Conv', [n.input, `${n.name}.w`, `${n.name}.b`], [out], [
        attrInts('kernel_shape', [k, k]), attrInts('strides', [n.stride, n.stride]), attrInts('pads', [n.pad, n.pad, n.pad, n.pad])]));
      if (n.relu) nodes.push(nodeProto('Relu', [out], [n.output]));
    } else if (n.op === 'maxpool') {
      nodes.push(nodeProto('MaxPool', [n.input], [n.output], [attrInts('kernel_shape', [n.k, n.k]), attrInts('strides', [n.stride, n.stride]), attrInts('pads', [n.pad, n.pad, n.pad, n.pad])]));
    } else if (n.op === 'add') {
      const out = n.relu ? `${n.output}.pre` : n.output;
      nodes.push(nodeProto('Add', n.inputs, [out]));
      if (n.relu) nodes.push(nodeProto('Relu', [out], [n.output]));
    } else if (n.op === 'gap') {
      nodes.push(nodeProto('GlobalAveragePool', [n.input], [`${n.output}.4d`]), nodeProto('Flatten', [`${n.output}.4d`], [n.output]));
    } else if (n.op === 'fc') {
      inits.push(tensorProto('fc.w', n.wShape, n.w), tensorProto('fc.b', [n.wShape[0]], n.b));
      nodes.push(nodeProto('Gemm', [n.input, 'fc.w', 'fc.b'], [n.output], [[...str(1, 'transB'), ...int(20, 2), ...int(3, 1)]]));
    } else throw new Error(`toOnnx: unknown node ${n.op}`);
  }
  const graph = [...nodes.flatMap((n) => msg(1, n)), ...str(2, 'bench'), ...inits.flatMap((t) => msg(5, t)),
    ...msg(11, valueInfo(model.input, model.inputShape)), ...msg(12, valueInfo(model.output, model.outputShape))];
  const chunks = [...int(1, 8), ...msg(8, [...str(1, ''), ...int(2, 13)]), ...msg(7, graph)];
  const out = new Uint8Array(len(chunks));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** Runs a bench model on LayerLens' kernels; convs on the pool's threads when given one. */
export async function runOnKernels(ops, model, input, pool) {
  const t = new Map([[model.input, { shape: model.inputShape, data: input }]]);
  for (const n of model.nodes) {
    let y;
    if (n.op === 'conv') {
      const args = { input: t.get(n.input), weight: { shape: n.wShape, data: n.w }, bias: { shape: [n.wShape[0]], data: n.b } };
      const attrs = { stride: n.stride, padding: n.pad };
      // conv + nn.ReLU(inplace=True) as one kernel call: the ReLU runs on each band in the kernel's memory
      const epilogue = { relu: !!n.relu };
      y = pool ? await ops.conv2dAsync(args, attrs, pool, epilogue) : ops.conv2d(args, attrs, epilogue);
    } else if (n.op === 'maxpool') {
      y = ops.maxPool2d({ input: t.get(n.input) }, { kernel_size: n.k, stride: n.stride, padding: n.pad });
    } else if (n.op === 'add') {
      y = ops.add_({ input: t.get(n.inputs[0]), other: t.get(n.inputs[1]) }); // out += identity
      if (n.relu) y = ops.relu_({ input: y });
    } else if (n.op === 'gap') {
      const p = ops.adaptiveAvgPool2d({ input: t.get(n.input) }, { output_size: 1 });
      y = { shape: [p.shape[0], p.shape[1]], data: p.data };
    } else if (n.op === 'fc') {
      y = ops.linear({ input: t.get(n.input), weight: { shape: n.wShape, data: n.w }, bias: { shape: [n.wShape[0]], data: n.b } });
    }
    t.set(n.output, y);
  }
  return t.get(model.output).data;
}

/** The model with its parameters in SharedArrayBuffers: workers read them in place (as ORT's live in its heap). */
export function sharedParams(model) {
  const share = (a) => { const s = new Float32Array(new SharedArrayBuffer(a.byteLength)); s.set(a); return s; };
  return { ...model, nodes: model.nodes.map((n) => (n.w ? { ...n, w: share(n.w), b: share(n.b) } : n)) };
}
