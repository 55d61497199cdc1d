// An image file as the model's input: decoded and resized by the browser (createImageBitmap, high-quality
// resampling) on an OffscreenCanvas, to [B, C, H, W] floats in [0, 1], optionally normalised with ImageNet's
// or MNIST's mean and std. Problems (wrong rank, channel count) are thrown as sentences the panel shows.
import type { TensorMessage } from '../protocol';
import type { Normalize } from './store';

const NORMS: Record<Exclude<Normalize, 'none'>, { channels: number; mean: number[]; std: number[]; label: string }> = {
  imagenet: { channels: 3, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], label: 'ImageNet mean/std' },
  mnist: { channels: 1, mean: [0.1307], std: [0.3081], label: 'MNIST mean/std' },
};

export function normalizeLabel(n: Normalize): string { return n === 'none' ? 'none (0…1)' : NORMS[n].label; }

export async function imageTensor(bytes: Uint8Array, name: string, shape: number[], normalize: Normalize): Promise<TensorMessage> {
  if (shape.length !== 4) throw new Error(`an image needs a [B, C, H, W] input; this model takes [${shape.join(', ')}]`);
  const [batch, c, h, w] = shape;
  if (c !== 1 && c !== 3) throw new Error(`an image gives 1 (grey) or 3 (RGB) channels; this model takes ${c}`);
  const norm = normalize === 'none' ? undefined : NORMS[normalize];
  if (norm && norm.channels !== c) throw new Error(`${norm.label} is for ${norm.channels}-channel input; this model takes ${c}`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
  } catch {
    throw new Error(`${name} is not an image this browser can decode`);
  }
  const canvas = new OffscreenCanvas(w, h);
  const g = canvas.getContext('2d')!;
  g.drawImage(bitmap, 0, 0);
  bitmap.close();
  const px = g.getImageData(0, 0, w, h).data;
  const plane = w * h;
  const one = new Float32Array(c * plane);
  for (let i = 0; i < plane; i++) {
    const r = px[4 * i] / 255, gr = px[4 * i + 1] / 255, b = px[4 * i + 2] / 255;
    if (c === 1) one[i] = 0.299 * r + 0.587 * gr + 0.114 * b;
    else { one[i] = r; one[plane + i] = gr; one[2 * plane + i] = b; }
  }
  if (norm) for (let ch = 0; ch < c; ch++) for (let i = 0; i < plane; i++) one[ch * plane + i] = (one[ch * plane + i] - norm.mean[ch]) / norm.std[ch];
  const data = new Float32Array(batch * one.length);
  for (let s = 0; s < batch; s++) data.set(one, s * one.length);
  return { shape, data };
}
