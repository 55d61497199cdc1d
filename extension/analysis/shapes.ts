// Input shapes as people type them and as settings hold them: parsing and printing. Pure (no vscode
// import) so that unit tests run it directly.

/** Accepts `[1, 3, 224, 224]`, `[[1, 3, 224, 224], [1, 10]]` or the text `"1,3,224,224"`. */
export function normalizeShapeSetting(v: unknown): number[][] | undefined {
  if (typeof v === 'string') return parseShapes(v);
  if (!Array.isArray(v) || v.length === 0) return undefined;
  if (v.every(isDim)) return [v as number[]];
  if (v.every((s) => Array.isArray(s) && s.length > 0 && s.every(isDim))) return v as number[][];
  return undefined;
}

/** Parses what a person types: `1,3,224,224`, `(1, 3, 224, 224)`, `1x3x224x224`, several shapes as `(1,3,32,32), (1,10)`. */
export function parseShapes(text: string): number[][] | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const groups = /[()[\]]/.test(t) ? [...t.matchAll(/[([]([^()[\]]*)[)\]]/g)].map((m) => m[1]) : [t];
  const shapes: number[][] = [];
  for (const g of groups) {
    const parts = g.split(/[\s,x×*]+/).filter((p) => p.length > 0);
    if (parts.length === 0) return undefined;
    const dims = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
    if (!dims.every(isDim)) return undefined;
    shapes.push(dims);
  }
  return shapes.length > 0 ? shapes : undefined;
}

export function formatShapes(shapes: number[][]): string {
  return shapes.length === 1 ? shapes[0].join(', ') : shapes.map((s) => `(${s.join(', ')})`).join(', ');
}

function isDim(d: unknown): d is number {
  return typeof d === 'number' && Number.isInteger(d) && d > 0;
}
