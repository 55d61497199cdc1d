// The words for each activation: f and f′ as formulas (with the layer's own parameters). Text only; the
// curves themselves are the engine's kernels evaluated in the worker. Correct where the article slips:
// sigmoid is 1/(1 + e⁻ˣ) (tanh is another function), ELU is α(eˣ − 1) for x ≤ 0. The words around the formulas
// go through l10n.t (formulas with no words stay literal).

import { l10n } from '../../app/l10n';

export interface Formula { name: string; f: string; df: string }

const n = (v: number | string | undefined, d: number): string => String(v ?? d);

export function formulaOf(op: string, a: Record<string, number | string>): Formula {
  switch (op) {
    case 'relu': return { name: 'ReLU', f: 'f(x) = max(0, x)', df: l10n.t('f′(x) = 1 for x > 0, 0 for x < 0 (PyTorch takes 0 at x = 0)') };
    case 'relu6': return { name: 'ReLU6', f: 'f(x) = min(max(0, x), 6)', df: l10n.t('f′(x) = 1 for 0 < x < 6, else 0') };
    case 'leaky_relu': return { name: 'Leaky ReLU', f: l10n.t('f(x) = x for x > 0, {0}·x otherwise', n(a.negative_slope, 0.01)), df: l10n.t('f′(x) = 1 for x > 0, {0} otherwise', n(a.negative_slope, 0.01)) };
    case 'elu': return { name: 'ELU', f: l10n.t('f(x) = x for x > 0, α(eˣ − 1) for x ≤ 0 (α = {0})', n(a.alpha, 1)), df: l10n.t('f′(x) = 1 for x > 0, α·eˣ for x ≤ 0') };
    case 'celu': return { name: 'CELU', f: `f(x) = max(0, x) + min(0, α(e^(x/α) − 1)) (α = ${n(a.alpha, 1)})`, df: l10n.t('f′(x) = 1 for x > 0, e^(x/α) for x ≤ 0') };
    case 'selu': return { name: 'SELU', f: l10n.t('f(x) = λ·x for x > 0, λα(eˣ − 1) otherwise (λ ≈ 1.0507, α ≈ 1.6733)'), df: l10n.t('f′(x) = λ for x > 0, λα·eˣ otherwise') };
    case 'sigmoid': return { name: 'Sigmoid', f: 'f(x) = σ(x) = 1/(1 + e⁻ˣ)', df: l10n.t('f′(x) = σ(x)(1 − σ(x)), at most 0.25 (at x = 0)') };
    case 'tanh': return { name: 'Tanh', f: 'f(x) = tanh x = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ)', df: l10n.t('f′(x) = 1 − tanh² x, at most 1 (at x = 0)') };
    case 'gelu': return a.approximate === 'tanh'
      ? { name: 'GELU (tanh)', f: 'f(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))', df: l10n.t('f′(x): the derivative of that expression') }
      : { name: 'GELU', f: l10n.t('f(x) = x·Φ(x), Φ the standard normal CDF'), df: 'f′(x) = Φ(x) + x·φ(x)' };
    case 'silu': return { name: 'SiLU', f: 'f(x) = x·σ(x)', df: 'f′(x) = σ(x)(1 + x(1 − σ(x)))' };
    case 'mish': return { name: 'Mish', f: 'f(x) = x·tanh(softplus(x))', df: "f′(x): tanh(sp) + x·σ(x)(1 − tanh²(sp)), sp = softplus(x)" };
    case 'softplus': return { name: 'Softplus', f: l10n.t('f(x) = (1/β)·log(1 + e^(βx)) (β = {0}; linear above {1}/β)', n(a.beta, 1), n(a.threshold, 20)), df: 'f′(x) = σ(βx)' };
    case 'hardswish': return { name: 'Hardswish', f: 'f(x) = x·ReLU6(x + 3)/6', df: l10n.t('f′(x) = 0 for x < −3, (2x + 3)/6 for −3 ≤ x ≤ 3, 1 above') };
    case 'hardsigmoid': return { name: 'Hardsigmoid', f: 'f(x) = ReLU6(x + 3)/6', df: l10n.t('f′(x) = 1/6 for −3 < x < 3, else 0') };
    default: return { name: op, f: `f = ${op}`, df: l10n.t("f′: the kernel's backward") };
  }
}
