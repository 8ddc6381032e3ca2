/**
 * Per-layer activation histograms of both networks as one SVG: a row per network, a column per
 * hidden layer (CS231n's picture of tanh activations collapsing to 0 or saturating at ±1), each
 * cell labelled with the activations' standard deviation, the share saturated (tanh/sigmoid) or
 * dead (ReLU), and the layer's weight-gradient norm.
 */
import type { Activation, LayerSnapshot } from './experiment.js';

export interface HistogramRow {
  name: string;
  color: string;
  layers: LayerSnapshot[];
  /** Shown instead of the cells (e.g. after a NaN). */
  note?: string;
}

const BINS = 30;
const CELL_H = 92;
const LABEL_W = 92;
const GAP = 10;
const BAR_H = 52;

function range(act: Activation, rows: HistogramRow[]): [number, number] {
  if (act === 'tanh') return [-1, 1];
  if (act === 'sigmoid') return [0, 1];
  // ReLU: from 0 to the 99th percentile of the positive values seen (shared by all cells so they compare;
  // the few values beyond it land in the last bin).
  const positive: number[] = [];
  for (const r of rows) for (const l of r.layers) for (const v of l.activations) if (Number.isFinite(v) && v > 0) positive.push(v);
  if (positive.length === 0) return [0, 1];
  positive.sort((a, b) => a - b);
  return [0, positive[Math.floor(0.99 * (positive.length - 1))]];
}

function stats(v: Float32Array, act: Activation): { std: number; extreme: number } {
  let s = 0;
  let s2 = 0;
  let extreme = 0;
  for (const x of v) {
    s += x;
    s2 += x * x;
    if (act === 'relu' ? x <= 0 : act === 'tanh' ? Math.abs(x) > 0.99 : x < 0.01 || x > 0.99) extreme++;
  }
  const mean = s / v.length;
  return { std: Math.sqrt(Math.max(0, s2 / v.length - mean * mean)), extreme: extreme / v.length };
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 || a < 0.01 ? v.toExponential(1) : v.toPrecision(2);
}

export function histogramGrid(rows: HistogramRow[], act: Activation, depth: number, width = 900): string {
  const cellW = (width - LABEL_W - GAP * (depth - 1)) / depth;
  const [lo, hi] = range(act, rows);
  const height = 22 + rows.length * (CELL_H + 14);
  const extremeName = act === 'relu' ? 'dead' : 'sat.';
  const parts: string[] = [`<svg class="batchnorm-hist" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Activation histograms per layer">`];
  for (let j = 0; j < depth; j++) {
    const x = LABEL_W + j * (cellW + GAP);
    parts.push(`<text x="${x + cellW / 2}" y="12" text-anchor="middle" class="batchnorm-hist-head">layer ${j + 1}</text>`);
  }
  rows.forEach((row, r) => {
    const top = 22 + r * (CELL_H + 14);
    parts.push(`<text x="0" y="${top + BAR_H / 2}" dy="0.32em" class="batchnorm-hist-row" fill="${row.color}">${row.name}</text>`);
    if (row.note || row.layers.length === 0) {
      parts.push(`<text x="${LABEL_W}" y="${top + BAR_H / 2}" dy="0.32em" class="batchnorm-hist-note">${row.note ?? 'waiting for the first step…'}</text>`);
      return;
    }
    row.layers.forEach((layer, j) => {
      const x = LABEL_W + j * (cellW + GAP);
      const counts = new Array<number>(BINS).fill(0);
      for (const v of layer.activations) {
        if (!Number.isFinite(v)) continue;
        const b = Math.min(BINS - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * BINS)));
        counts[b]++;
      }
      const peak = Math.max(1, ...counts);
      const bw = cellW / BINS;
      parts.push(`<rect x="${x}" y="${top}" width="${cellW}" height="${BAR_H}" class="batchnorm-hist-bg"/>`);
      counts.forEach((c, b) => {
        if (c === 0) return;
        const h = (c / peak) * (BAR_H - 2);
        parts.push(`<rect x="${(x + b * bw).toFixed(1)}" y="${(top + BAR_H - h).toFixed(1)}" width="${Math.max(0.5, bw - 0.6).toFixed(1)}" height="${h.toFixed(1)}" fill="${row.color}"/>`);
      });
      parts.push(`<text x="${x}" y="${top + BAR_H + 11}" class="batchnorm-hist-tick">${fmt(lo)}</text>`);
      parts.push(`<text x="${x + cellW}" y="${top + BAR_H + 11}" text-anchor="end" class="batchnorm-hist-tick">${fmt(hi)}</text>`);
      const s = stats(layer.activations, act);
      parts.push(`<text x="${x}" y="${top + BAR_H + 24}" class="batchnorm-hist-stat">σ ${fmt(s.std)} · ${extremeName} ${Math.round(s.extreme * 100)}%</text>`);
      parts.push(`<text x="${x}" y="${top + BAR_H + 36}" class="batchnorm-hist-grad">‖∂L/∂W‖ ${fmt(layer.gradNorm)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
