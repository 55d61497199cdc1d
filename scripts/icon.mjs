// Draws LayerLens's 128×128 marketplace icon (media/icon.png): three stacked feature-map slabs, shrinking
// as a CNN's do, under a magnifying lens. Pure Node (node:zlib for the PNG's deflate), no image libraries;
// every pixel is 4×4 supersampled. Run: node scripts/icon.mjs [out.png]. Deterministic output.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const N = 128, SS = 4;

/** Point-in-convex-polygon (vertices counter-clockwise or clockwise, consistently). */
function inPoly(pts, x, y) {
  let sign = 0;
  for (let i = 0; i < pts.length; i++) {
    const [ax, ay] = pts[i], [bx, by] = pts[(i + 1) % pts.length];
    const c = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    if (c !== 0) { if (sign === 0) sign = Math.sign(c); else if (Math.sign(c) !== sign) return false; }
  }
  return true;
}
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r), cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
/** Distance from (x, y) to the segment a–b. */
function segDist(x, y, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

/** A slab: a parallelogram seen from above-left (a feature map), with a lighter top edge. */
function slab(cx, cy, w, h, skew) {
  return [[cx - w / 2 + skew, cy - h / 2], [cx + w / 2 + skew, cy - h / 2], [cx + w / 2 - skew, cy + h / 2], [cx - w / 2 - skew, cy + h / 2]];
}
const slabs = [
  { pts: slab(50, 84, 72, 26, 10), color: [0x2b, 0x8c, 0xbe] },
  { pts: slab(50, 64, 56, 22, 8), color: [0x3f, 0xb6, 0x9c] },
  { pts: slab(50, 46, 40, 18, 6), color: [0xf2, 0xa3, 0x3a] },
];
const lens = { cx: 84, cy: 50, r: 24, ring: 6 };

/** The colour (RGBA, 0–255) at a sample point. */
function sample(x, y) {
  if (!inRoundRect(x, y, 4, 4, 124, 124, 22)) return [0, 0, 0, 0];
  // background: a deep blue-grey gradient, top-left lighter
  let c = mix([0x24, 0x2b, 0x3d], [0x12, 0x16, 0x22], (x + y) / 256);
  const d = Math.hypot(x - lens.cx, y - lens.cy);
  const inGlass = d < lens.r - lens.ring / 2;
  for (const s of slabs) {
    if (!inPoly(s.pts, x, y)) continue;
    // seen through the lens: brighter (magnified) slabs
    c = inGlass ? mix(s.color, [255, 255, 255], 0.35) : s.color;
    // a thin darker outline keeps the stacked slabs apart
    const edge = Math.min(...s.pts.map((p, i) => segDist(x, y, ...p, ...s.pts[(i + 1) % 4])));
    if (edge < 1.6) c = mix(c, [0x10, 0x14, 0x1e], 0.7);
  }
  if (inGlass) c = mix(c, [0xdd, 0xf0, 0xff], 0.12);
  // the lens ring and handle
  if (Math.abs(d - lens.r) < lens.ring / 2 || segDist(x, y, lens.cx + 18, lens.cy + 18, 114, 84) < 5) c = [0xec, 0xef, 0xf4];
  return [...c, 255];
}

function render() {
  const px = Buffer.alloc(N * (N * 4 + 1));
  for (let y = 0; y < N; y++) {
    px[y * (N * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < N; x++) {
      const acc = [0, 0, 0, 0];
      for (let j = 0; j < SS; j++) for (let i = 0; i < SS; i++) {
        const s = sample(x + (i + 0.5) / SS, y + (j + 0.5) / SS);
        // premultiplied accumulation, so transparent samples do not darken the edge
        for (let k = 0; k < 3; k++) acc[k] += s[k] * s[3] / 255;
        acc[3] += s[3];
      }
      const a = acc[3] / (SS * SS);
      const o = y * (N * 4 + 1) + 1 + x * 4;
      for (let k = 0; k < 3; k++) px[o + k] = a > 0 ? Math.round((acc[k] / (SS * SS)) * 255 / a) : 0;
      px[o + 3] = Math.round(a);
    }
  }
  return px;
}

const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function iconPng() {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(N, 0); ihdr.writeUInt32BE(N, 4);
  ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(render(), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? 'media/icon.png';
  writeFileSync(out, iconPng());
  console.log(`${out}: ${N}×${N}`);
}
