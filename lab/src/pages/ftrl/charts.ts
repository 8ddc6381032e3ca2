/**
 * The #/ftrl page's charts, as SVG text drawn with d3 scales and line generators:
 *  - nonzero weights (log scale) against test accuracy: each optimizer's path through training
 *    (one point per epoch) and, once measured, the trade-off across L1 strengths (final points);
 *  - the weights near zero: a histogram of w in [−R, R] with exact zeros as their own bar.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import type { Snapshot } from './sparse-logreg.js';

export const COLORS = { ftrl: '#4e79a7', adagrad: '#f28e2b' };
export const NAMES = { ftrl: 'FTRL', adagrad: 'Adagrad + L1 subgradient' };

export interface SweepPoint {
  l1: number;
  nonzero: number;
  accuracy: number;
}

const W = 640;
const H = 330;
const M = { top: 16, right: 20, bottom: 48, left: 56 };

const fmtL1 = (v: number) => (v === 0 ? '0' : v.toExponential(0).replace('e-', 'e−'));

export function tradeoffChart(o: {
  buckets: number;
  paths: Record<'ftrl' | 'adagrad', Snapshot[]>;
  sweep: Record<'ftrl' | 'adagrad', SweepPoint[]>;
  l1: number;
}): string {
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const accs = [...o.paths.ftrl, ...o.paths.adagrad].filter((s) => s.step > 0).map((s) => s.testAccuracy)
    .concat([...o.sweep.ftrl, ...o.sweep.adagrad].map((s) => s.accuracy));
  const lo = Math.min(0.8, ...accs.filter(Number.isFinite).map((a) => Math.floor(a * 20) / 20));
  const x = scaleLog().domain([10, o.buckets]).range([0, iw]).clamp(true);
  const y = scaleLinear().domain([lo, 1]).range([ih, 0]).clamp(true);
  const px = (n: number) => x(Math.max(10, n));
  const parts: string[] = [`<g transform="translate(${M.left},${M.top})">`];
  // Axes.
  for (const t of [10, 30, 100, 300, 1000].filter((t) => t < o.buckets / 2).concat([o.buckets])) {
    parts.push(`<line class="ftrl-grid" x1="${px(t)}" x2="${px(t)}" y1="0" y2="${ih}"/>`,
      `<text class="ftrl-tick" x="${px(t)}" y="${ih + 16}" text-anchor="middle">${t}</text>`);
  }
  for (const t of y.ticks(5)) {
    parts.push(`<line class="ftrl-grid" x1="0" x2="${iw}" y1="${y(t)}" y2="${y(t)}"/>`,
      `<text class="ftrl-tick" x="-6" y="${y(t) + 4}" text-anchor="end">${Math.round(t * 100)}%</text>`);
  }
  parts.push(`<text class="ftrl-axis-label" x="${iw / 2}" y="${ih + 38}" text-anchor="middle">nonzero weights (of ${o.buckets}, log scale)</text>`,
    `<text class="ftrl-axis-label" transform="translate(-42,${ih / 2}) rotate(-90)" text-anchor="middle">test accuracy</text>`);
  // The trade-off across L1 strengths (dashed), each point labelled with its λ.
  for (const k of ['ftrl', 'adagrad'] as const) {
    const pts = o.sweep[k];
    if (pts.length === 0) continue;
    const d = line<SweepPoint>().x((p) => px(p.nonzero)).y((p) => y(p.accuracy))(pts) ?? '';
    parts.push(`<path class="ftrl-sweep" data-kind="${k}" d="${d}" stroke="${COLORS[k]}"/>`);
    let lastLabel = -Infinity;
    for (const p of pts) {
      parts.push(`<circle class="ftrl-sweep-dot" cx="${px(p.nonzero)}" cy="${y(p.accuracy)}" r="3.5" stroke="${COLORS[k]}"/>`);
      // λ grows leftwards along FTRL's curve; a label too close to the previous one is left out.
      const far = Math.abs(px(p.nonzero) - lastLabel) > 34;
      if (k === 'ftrl' && far) lastLabel = px(p.nonzero);
      if (k === 'ftrl' && far) parts.push(`<text class="ftrl-sweep-label" x="${px(p.nonzero)}" y="${y(p.accuracy) - 7}" text-anchor="middle">${fmtL1(p.l1)}</text>`);
    }
  }
  // This run's paths (solid), one point per epoch, the latest one large.
  for (const k of ['ftrl', 'adagrad'] as const) {
    const pts = o.paths[k].filter((s) => s.step > 0);
    if (pts.length === 0) continue;
    const d = line<Snapshot>().x((p) => px(p.nonzero)).y((p) => y(p.testAccuracy))(pts) ?? '';
    parts.push(`<path class="ftrl-path" data-kind="${k}" d="${d}" stroke="${COLORS[k]}"/>`);
    const last = pts[pts.length - 1];
    parts.push(`<circle class="ftrl-now" data-kind="${k}" cx="${px(last.nonzero)}" cy="${y(last.testAccuracy)}" r="6" fill="${COLORS[k]}"/>`);
  }
  parts.push('</g>');
  const data = JSON.stringify(o.sweep).replace(/"/g, '&quot;');
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" data-sweep="${data}" role="img" aria-label="Nonzero weights against test accuracy, L1 strength ${fmtL1(o.l1)}">${parts.join('')}</svg>`;
}

const HW = 300;
const HH = 150;
const HM = { top: 10, right: 10, bottom: 30, left: 10 };
export const HIST_RANGE = 0.01;
const BINS = 40;

/** Histogram of the weights in [−R, R]; exact zeros get a bar of their own (dark), drawn over the middle. */
export function nearZeroHistogram(w: Float32Array, color: string, kind: string): string {
  const counts = new Array<number>(BINS).fill(0);
  let zeros = 0;
  for (let i = 0; i < w.length; i++) {
    const v = w[i];
    if (v === 0) zeros++;
    else if (Math.abs(v) <= HIST_RANGE) counts[Math.min(BINS - 1, Math.floor(((v + HIST_RANGE) / (2 * HIST_RANGE)) * BINS))]++;
  }
  const iw = HW - HM.left - HM.right;
  const ih = HH - HM.top - HM.bottom;
  const x = scaleLinear().domain([-HIST_RANGE, HIST_RANGE]).range([0, iw]);
  const top = Math.max(1, zeros, ...counts);
  // Square root scale: a few hundred near-zero weights and a few thousand exact zeros both stay readable.
  const y = scaleLinear().domain([0, Math.sqrt(top)]).range([ih, 0]);
  const bw = iw / BINS;
  const parts = [`<g transform="translate(${HM.left},${HM.top})">`, `<line class="ftrl-hist-axis" x1="0" x2="${iw}" y1="${ih}" y2="${ih}"/>`];
  counts.forEach((c, i) => {
    if (c > 0) parts.push(`<rect x="${i * bw + 0.5}" y="${y(Math.sqrt(c))}" width="${bw - 1}" height="${ih - y(Math.sqrt(c))}" fill="${color}" fill-opacity="0.75"/>`);
  });
  if (zeros > 0) parts.push(`<rect class="ftrl-hist-zero" x="${x(0) - 2}" y="${y(Math.sqrt(zeros))}" width="4" height="${ih - y(Math.sqrt(zeros))}"/>`);
  parts.push(`<text class="ftrl-tick" x="0" y="${ih + 14}">−${HIST_RANGE}</text>`,
    `<text class="ftrl-tick" x="${x(0)}" y="${ih + 14}" text-anchor="middle">0</text>`,
    `<text class="ftrl-tick" x="${iw}" y="${ih + 14}" text-anchor="end">${HIST_RANGE}</text>`,
    zeros > 0
      ? `<text class="ftrl-hist-note" x="${x(0) + 6}" y="${Math.max(12, y(Math.sqrt(zeros)) + 10)}">exactly 0: ${zeros}</text>`
      : `<text class="ftrl-hist-note" x="0" y="4">no exact zeros</text>`,
    '</g>');
  return `<svg viewBox="0 0 ${HW} ${HH}" width="100%" role="img" aria-label="${kind}: weights within ${HIST_RANGE} of zero, square-root count scale" data-zeros="${zeros}">${parts.join('')}</svg>`;
}
