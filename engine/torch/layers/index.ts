// The layer catalogue: every nn layer class LayerLens models, listed explicitly.
import type { LayerSpec } from './spec';
import { convSpecs } from './conv';
import { linearSpecs } from './linear';
import { normSpecs } from './norm';
import { activationSpecs } from './activation';
import { poolingSpecs } from './pooling';
import { shapeSpecs } from './shape';
import { attentionSpecs } from './attention';
import { recurrentSpecs } from './recurrent';

export const allLayerSpecs: LayerSpec[] = [
  ...convSpecs, ...linearSpecs, ...normSpecs, ...activationSpecs, ...poolingSpecs, ...shapeSpecs, ...attentionSpecs, ...recurrentSpecs,
];

export const layerSpecByName = new Map(allLayerSpecs.map((s) => [s.name, s]));
