// Convolution layers: Conv1d/2d/3d and ConvTranspose1d/2d/3d. Constructor attributes are stored as
// PyTorch stores them (tuples), parameters weight [Cout, Cin/groups, *k] (transposed: [Cin, Cout/groups, *k]).
// Shape rule and MACs: functional.conv / convTranspose.
import { PyException, PyTuple, type Value } from '../../interp/values';
import { conv, convTranspose } from '../functional';
import { toBool, toInt, toTensor } from '../sig';
import { ntuple, reportConvGeometry, type SizeRule } from './validate';
import type { LayerSpec } from './spec';

const CONV_SIG = "in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None";
const CONV_SIZES: Record<string, SizeRule> = { in_channels: 'int', out_channels: 'int', kernel_size: 'ints', stride: 'ints', padding: 'ints', dilation: 'ints', groups: 'int' };
const TCONV_SIZES: Record<string, SizeRule> = { ...CONV_SIZES, output_padding: 'ints' };
const TCONV_SIG = "in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None, dtype=None";

function convSpec(nd: number): LayerSpec {
  return {
    name: `Conv${nd}d`, base: '_ConvNd', kind: 'conv', sig: CONV_SIG, sizes: CONV_SIZES,
    config: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'padding_mode'],
    init(m) {
      const cin = toInt(m.a.get('in_channels')!, 'in_channels');
      const cout = toInt(m.a.get('out_channels')!, 'out_channels');
      const groups = toInt(m.a.get('groups')!, 'groups');
      if (groups <= 0) throw new PyException('ValueError', 'groups must be a positive integer');
      if (cin % groups !== 0) throw new PyException('ValueError', 'in_channels must be divisible by groups');
      if (cout % groups !== 0) throw new PyException('ValueError', 'out_channels must be divisible by groups');
      const k = ntuple(m.a.get('kernel_size')!, nd, 'kernel_size');
      const padding = m.a.get('padding')!;
      const stride = ntuple(m.a.get('stride')!, nd, 'stride'), dilation = ntuple(m.a.get('dilation')!, nd, 'dilation');
      const pads = typeof padding === 'string' ? undefined : ntuple(padding, nd, 'padding');
      m.set('in_channels', cin); m.set('out_channels', cout);
      m.set('kernel_size', new PyTuple(k));
      m.set('stride', new PyTuple(stride));
      m.set('padding', pads === undefined ? padding : new PyTuple(pads));
      m.set('dilation', new PyTuple(dilation));
      m.set('groups', groups);
      m.set('transposed', false);
      m.set('output_padding', new PyTuple(Array(nd).fill(0)));
      m.set('padding_mode', m.a.get('padding_mode')!);
      m.param('weight', [cout, cin / groups, ...k]);
      m.param('bias', [cout], toBool(m.a.get('bias')!));
      reportConvGeometry(m.rt.it, nd, { kernel: k, stride, padding: pads, dilation, transposed: false }, m.sig, m.ctx);
    },
    forward(m) {
      return conv(m.rt, toTensor(m.a.get('input')!, 'input'), toTensor(m.get('weight'), 'weight'), m.get('bias'), {
        stride: m.get('stride'), padding: m.get('padding'), dilation: m.get('dilation'), groups: toInt(m.get('groups'), 'groups'),
      }, nd, m.ctx);
    },
  };
}

function convTransposeSpec(nd: number): LayerSpec {
  return {
    name: `ConvTranspose${nd}d`, base: '_ConvNd', kind: 'conv', sig: TCONV_SIG, sizes: TCONV_SIZES, forwardSig: 'input, output_size=None',
    config: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'dilation', 'groups'],
    init(m) {
      const cin = toInt(m.a.get('in_channels')!, 'in_channels');
      const cout = toInt(m.a.get('out_channels')!, 'out_channels');
      const groups = toInt(m.a.get('groups')!, 'groups');
      if (groups <= 0) throw new PyException('ValueError', 'groups must be a positive integer');
      if (cin % groups !== 0) throw new PyException('ValueError', 'in_channels must be divisible by groups');
      if (cout % groups !== 0) throw new PyException('ValueError', 'out_channels must be divisible by groups');
      const k = ntuple(m.a.get('kernel_size')!, nd, 'kernel_size');
      const stride = ntuple(m.a.get('stride')!, nd, 'stride'), padding = ntuple(m.a.get('padding')!, nd, 'padding');
      const outputPadding = ntuple(m.a.get('output_padding')!, nd, 'output_padding'), dilation = ntuple(m.a.get('dilation')!, nd, 'dilation');
      m.set('in_channels', cin); m.set('out_channels', cout);
      m.set('kernel_size', new PyTuple(k));
      m.set('stride', new PyTuple(stride));
      m.set('padding', new PyTuple(padding));
      m.set('output_padding', new PyTuple(outputPadding));
      m.set('dilation', new PyTuple(dilation));
      m.set('groups', groups);
      m.set('transposed', true);
      m.set('padding_mode', m.a.get('padding_mode')!);
      m.param('weight', [cin, cout / groups, ...k]);
      m.param('bias', [cout], toBool(m.a.get('bias')!));
      reportConvGeometry(m.rt.it, nd, { kernel: k, stride, padding, dilation, outputPadding, transposed: true }, m.sig, m.ctx);
    },
    forward(m) {
      return convTranspose(m.rt, toTensor(m.a.get('input')!, 'input'), toTensor(m.get('weight'), 'weight'), m.get('bias'), {
        stride: m.get('stride'), padding: m.get('padding'), dilation: m.get('dilation'), groups: toInt(m.get('groups'), 'groups'),
        outputPadding: m.get('output_padding') as Value,
      }, nd, m.ctx);
    },
  };
}

export const convSpecs: LayerSpec[] = [1, 2, 3].flatMap((nd) => [convSpec(nd), convTransposeSpec(nd)]);
