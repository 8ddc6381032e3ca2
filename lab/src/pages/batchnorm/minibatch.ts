/**
 * One mini-batch through one BatchNorm unit, step by step as on the lecture's slide: the batch's
 * values x, their mean μ and variance σ², the normalized x̂ = (x − μ)/√(σ² + ε), and the scaled
 * and shifted y = γ·x̂ + β, with γ and β read from the network's BatchNorm1d. The library's own
 * batchNorm op is run on the same batch with those γ, β, and its output is compared with y.
 */
import { batchNorm, noGrad, type Tensor, type nn } from 'nabla';
import { scaleLinear } from 'd3-scale';

export interface MiniBatchStep {
  x: Float32Array;
  mu: number;
  variance: number;
  eps: number;
  gamma: number;
  beta: number;
  xhat: Float64Array;
  y: Float64Array;
  /** The library's BatchNorm output for this unit. */
  library: Float32Array;
  /** max |y − library|. */
  maxDiff: number;
}

/** Unit `unit` of `input` ([B, C], the BatchNorm's input) through `norm`, computed by hand and by the library. */
export function miniBatchStep(input: Tensor, norm: nn.BatchNorm1d, unit: number): MiniBatchStep {
  const [b, c] = input.shape;
  const x = new Float32Array(b);
  for (let i = 0; i < b; i++) x[i] = input.data[i * c + unit];
  const gamma = norm.weight ? norm.weight.data[unit] : 1;
  const beta = norm.bias ? norm.bias.data[unit] : 0;
  const eps = norm.eps;
  let mu = 0;
  for (const v of x) mu += v;
  mu /= b;
  let variance = 0;
  for (const v of x) variance += (v - mu) ** 2;
  variance /= b; // the biased (1/m) batch variance, as in the lecture and in training-mode BatchNorm
  const xhat = new Float64Array(b);
  const y = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    xhat[i] = (x[i] - mu) / Math.sqrt(variance + eps);
    y[i] = gamma * xhat[i] + beta;
  }
  // The library's op with the layer's γ and β, on batch statistics, without touching its running statistics.
  const out = noGrad(() => batchNorm(input, null, null, norm.weight, norm.bias, { training: true, eps }));
  const library = new Float32Array(b);
  let maxDiff = 0;
  for (let i = 0; i < b; i++) {
    library[i] = out.data[i * c + unit];
    maxDiff = Math.max(maxDiff, Math.abs(library[i] - y[i]));
  }
  return { x, mu, variance, eps, gamma, beta, xhat, y, library, maxDiff };
}

export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) return v.toExponential(2);
  return v.toFixed(digits);
}

interface StripOptions {
  label: string;
  values: ArrayLike<number>;
  domain: [number, number];
  /** Vertical reference lines with a label (μ, 0, β …). */
  marks: { at: number; text: string; kind?: 'mean' | 'band' }[];
  /** A shaded interval (μ ± σ). */
  band?: [number, number];
  highlight: number;
}

const W = 560;
const H = 58;
const PAD = 16;

/** A dot strip: one dot per sample, the highlighted sample ringed. */
export function strip(o: StripOptions): string {
  const [d0, d1] = o.domain[0] === o.domain[1] ? [o.domain[0] - 1, o.domain[1] + 1] : o.domain;
  const xs = scaleLinear().domain([d0, d1]).range([PAD, W - PAD]).nice();
  const axisY = 40;
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="100%" class="batchnorm-strip" role="img" aria-label="${o.label}">`];
  if (o.band) parts.push(`<rect x="${xs(o.band[0])}" y="8" width="${Math.max(0, xs(o.band[1]) - xs(o.band[0]))}" height="${axisY - 8}" class="batchnorm-band"/>`);
  parts.push(`<line x1="${PAD}" x2="${W - PAD}" y1="${axisY}" y2="${axisY}" class="batchnorm-axis"/>`);
  for (const t of xs.ticks(7)) {
    parts.push(`<line x1="${xs(t)}" x2="${xs(t)}" y1="${axisY}" y2="${axisY + 4}" class="batchnorm-axis"/>`);
    parts.push(`<text x="${xs(t)}" y="${axisY + 15}" text-anchor="middle" class="batchnorm-tick">${Number(t.toPrecision(3))}</text>`);
  }
  for (const m of o.marks) {
    parts.push(`<line x1="${xs(m.at)}" x2="${xs(m.at)}" y1="4" y2="${axisY}" class="batchnorm-mark"/>`);
    parts.push(`<text x="${xs(m.at) + 4}" y="11" class="batchnorm-mark-text">${m.text}</text>`);
  }
  // Dots jittered vertically by index so ties stay visible (deterministic, no randomness).
  for (let i = 0; i < o.values.length; i++) {
    const v = o.values[i];
    if (!Number.isFinite(v)) continue;
    const cy = 20 + ((i * 7) % 15);
    parts.push(`<circle cx="${xs(v).toFixed(1)}" cy="${cy}" r="3.2" class="batchnorm-dot"><title>${fmt(v)}</title></circle>`);
  }
  const hv = o.values[o.highlight];
  if (Number.isFinite(hv)) parts.push(`<circle cx="${xs(hv)}" cy="${20 + ((o.highlight * 7) % 15)}" r="6" class="batchnorm-dot-ring"/>`);
  parts.push('</svg>');
  return parts.join('');
}
