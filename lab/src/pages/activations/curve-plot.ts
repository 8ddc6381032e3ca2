/**
 * One activation function and its derivative (from autograd) as an SVG chart, with the lecture's
 * points marked: where the gradient is (nearly) zero — saturation, or ReLU's dead side — and the
 * largest gradient (σ′ ≤ 1/4).
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { Activation, Curve } from './functions.js';

const W = 380;
const H = 210;
const M = { top: 10, right: 12, bottom: 30, left: 36 };
const X_RANGE: [number, number] = [-5, 5];

/** Below this |f′| a region is shaded as saturated (gradient ≈ 0). */
const SATURATION: Partial<Record<Activation, { below: number; label: string }>> = {
  sigmoid: { below: 0.02, label: 'saturated' },
  tanh: { below: 0.02, label: 'saturated' },
  relu: { below: 1e-9, label: 'gradient 0' },
  elu: { below: 0.02, label: 'saturated' },
};

const f3 = (v: number) => (Math.abs(v) < 5e-4 ? '0' : v.toFixed(3)).replace('-', '−');

/** Intervals of x (grid points) where |dy| < limit, within the plotted range. */
function regions(c: Curve, limit: number): [number, number][] {
  const out: [number, number][] = [];
  let start: number | null = null;
  for (let i = 0; i < c.x.length; i++) {
    const inside = Math.abs(c.dy[i]) < limit && c.x[i] >= X_RANGE[0] && c.x[i] <= X_RANGE[1];
    if (inside && start === null) start = c.x[i];
    if (!inside && start !== null) {
      out.push([start, c.x[i - 1]]);
      start = null;
    }
  }
  if (start !== null) out.push([start, Math.min(X_RANGE[1], c.x[c.x.length - 1])]);
  return out.filter(([a, b]) => b - a > 0.2);
}

export interface CurveFacts {
  maxGrad: number;
  atX: number;
}

/** The chart as SVG markup, and the numbers it marks. */
export function curvePlot(activation: Activation, c: Curve): { svg: string; facts: CurveFacts } {
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const idx = [...c.x.keys()].filter((i) => c.x[i] >= X_RANGE[0] - 1e-6 && c.x[i] <= X_RANGE[1] + 1e-6);
  const ys = idx.flatMap((i) => [c.y[i], c.dy[i]]);
  const lo = Math.max(-1.2, Math.min(-0.2, ...ys) - 0.1);
  const hi = Math.min(2.6, Math.max(1.1, ...ys) + 0.1);
  const x = scaleLinear().domain(X_RANGE).range([0, iw]);
  const y = scaleLinear().domain([lo, hi]).range([ih, 0]).nice();
  const path = (values: Float32Array) => line<number>().x((i) => x(c.x[i])).y((i) => y(values[i]))(idx) ?? '';

  let best = idx[0];
  for (const i of idx) if (c.dy[i] > c.dy[best]) best = i;
  const facts = { maxGrad: c.dy[best], atX: c.x[best] };

  const parts: string[] = [];
  const clip = `act-clip-${activation}`;
  parts.push(`<defs><clipPath id="${clip}"><rect width="${iw}" height="${ih}"/></clipPath></defs>`);
  parts.push(`<g transform="translate(${M.left},${M.top})">`);
  const sat = SATURATION[activation];
  if (sat) {
    for (const [a, b] of regions(c, sat.below)) {
      parts.push(`<rect class="activations-saturated" x="${x(a)}" y="0" width="${x(b) - x(a)}" height="${ih}"/>`);
      parts.push(`<text class="activations-annot" x="${(x(a) + x(b)) / 2}" y="14" text-anchor="middle">${sat.label}</text>`);
    }
  }
  for (const t of y.ticks(5)) {
    parts.push(`<line class="activations-grid" x1="0" x2="${iw}" y1="${y(t)}" y2="${y(t)}"/>`);
    parts.push(`<text class="activations-tick" x="-6" y="${y(t)}" dy="0.32em" text-anchor="end">${String(t).replace('-', '−')}</text>`);
  }
  for (const t of x.ticks(10)) {
    parts.push(`<text class="activations-tick" x="${x(t)}" y="${ih + 14}" text-anchor="middle">${String(t).replace('-', '−')}</text>`);
  }
  parts.push(`<line class="activations-axis" x1="0" x2="${iw}" y1="${y(0)}" y2="${y(0)}"/>`);
  parts.push(`<line class="activations-axis" x1="${x(0)}" x2="${x(0)}" y1="0" y2="${ih}"/>`);
  parts.push(`<text class="activations-tick" x="${iw}" y="${ih + 26}" text-anchor="end">x</text>`);
  parts.push(`<g clip-path="url(#${clip})">`);
  parts.push(`<path class="activations-dy" d="${path(c.dy)}"/>`);
  parts.push(`<path class="activations-fx" d="${path(c.y)}"/>`);
  parts.push('</g>');
  // The largest gradient, labelled on the side with more room.
  const bx = x(facts.atX);
  const by = y(facts.maxGrad);
  const right = bx < iw * 0.6;
  parts.push(`<circle class="activations-max" cx="${bx}" cy="${by}" r="4"/>`);
  if (facts.atX < X_RANGE[1] - 0.5) {
    parts.push(
      `<text class="activations-annot strong" x="${bx + (right ? 8 : -8)}" y="${by - 8}" text-anchor="${right ? 'start' : 'end'}">max f′ = ${f3(facts.maxGrad)}</text>`,
    );
  }
  parts.push('</g>');
  const svg = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${activation} and its derivative" data-max-grad="${facts.maxGrad}">${parts.join('')}</svg>`;
  return { svg, facts };
}

/** f′ at a point of the grid (nearest grid point). */
export function gradAt(c: Curve, at: number): number {
  let best = 0;
  for (let i = 0; i < c.x.length; i++) if (Math.abs(c.x[i] - at) < Math.abs(c.x[best] - at)) best = i;
  return c.dy[best];
}

export { f3 };
