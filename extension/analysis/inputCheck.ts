// Checks an input shape the user is typing (Set Input Shape) against what the last analysis knows of the
// model: how many inputs its forward takes, and what its first layer needs (a Conv2d needs 4-D with
// in_channels at dim 1, a Linear in_features in the last dim). Pure (no vscode): unit-tested directly.
import type { Report } from '../../engine';

/** A problem with `shapes` for the model of `r`, in words; undefined when none is known. */
export function checkInputShapes(shapes: number[][], r: Report | undefined): string | undefined {
  if (!r) return undefined;
  const fa = r.forwardArgs;
  if (fa && (shapes.length < fa.required || shapes.length > fa.names.length)) {
    const want = fa.required === fa.names.length ? `${fa.required}` : `${fa.required} to ${fa.names.length}`;
    return `forward takes ${want} input${fa.names.length === 1 ? '' : 's'} (${fa.names.join(', ')}); ${shapes.length} shape${shapes.length === 1 ? '' : 's'} given`;
  }
  const first = r.rows[0];
  const fed = first && r.inputs[0] && sameShape(first.inputs[0], r.inputs[0]);
  if (!first || !fed) return undefined; // the model reshapes its input first: nothing to say about its layer
  const shape = shapes[0];
  const name = first.name || first.type;
  const conv = /^Conv(?:Transpose)?(\d)d$/.exec(first.type);
  if (conv) {
    const nd = Number(conv[1]);
    if (shape.length !== nd + 2 && shape.length !== nd + 1) {
      const dims = [['L'], ['H', 'W'], ['D', 'H', 'W']][nd - 1] ?? ['…'];
      return `the first layer ${name} is a ${first.type}: it needs a ${nd + 2}-D input [N, C, ${dims.join(', ')}] (or ${nd + 1}-D unbatched), not ${shape.length}-D`;
    }
    const cin = first.config.in_channels;
    const c = shape[shape.length - nd - 1];
    if (typeof cin === 'number' && c !== cin) return `the first layer ${name} (${first.type}) expects ${cin} input channels at dim ${shape.length - nd - 1}, not ${c}`;
    return undefined;
  }
  if (first.type === 'Linear') {
    const inF = first.config.in_features;
    const last = shape[shape.length - 1];
    if (typeof inF === 'number' && last !== inF) return `the first layer ${name} (Linear) expects ${inF} input features in the last dim, not ${last}`;
  }
  return undefined;
}

function sameShape(a: ReadonlyArray<number | null> | undefined, b: readonly number[]): boolean {
  return !!a && a.length === b.length && a.every((d, i) => d === b[i]);
}
