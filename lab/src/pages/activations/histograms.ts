/**
 * Each hidden layer's activations as a small histogram (d3-array's bin), the distribution at
 * initialization drawn as an outline behind the current one, with the layer's mean, spread and
 * dead or saturated units underneath.
 */
import { bin, quantile } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import type { Activation } from './functions.js';
import type { LayerStats } from './deep-net.js';

const W = 170;
const H = 64;
const BINS = 30;

/** The x range shared by every layer's histogram: the activation's range, or the data's up to its 99.5th percentile. */
function domainFor(activation: Activation, layers: LayerStats[]): [number, number] {
  if (activation === 'sigmoid') return [0, 1];
  if (activation === 'tanh') return [-1, 1];
  // A strided sample of every layer is plenty for a percentile, and keeps this cheap at 20 layers.
  const sample: number[] = [];
  let lo = 0;
  for (const l of layers) {
    const stride = Math.max(1, Math.floor(l.values.length / 2000));
    for (let i = 0; i < l.values.length; i += stride) if (Number.isFinite(l.values[i])) sample.push(l.values[i]);
    for (let i = 0; i < l.values.length; i++) if (l.values[i] < lo) lo = l.values[i];
  }
  const hi = Math.max(0, quantile(sample, 0.995) ?? 1);
  return hi - lo < 1e-6 ? [lo - 1, hi + 1] : [lo, hi];
}

/** Fractions of the values per bin, over a fixed domain (values outside go to the end bins). */
function fractions(values: Float32Array, domain: [number, number]): number[] {
  const [lo, hi] = domain;
  const clamped = Float64Array.from(values, (v) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo));
  const thresholds = Array.from({ length: BINS - 1 }, (_, k) => lo + ((k + 1) * (hi - lo)) / BINS);
  const bins = bin<number, number>().domain(domain).thresholds(thresholds)(Array.from(clamped));
  return bins.map((b) => b.length / Math.max(1, values.length));
}

const fmt = (v: number) => (Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : v.toFixed(2)).replace('-', '−');

export function renderHistograms(container: HTMLElement, activation: Activation, layers: LayerStats[], initial: LayerStats[]): void {
  const domain = domainFor(activation, [...layers, ...initial]);
  const x = scaleLinear().domain(domain).range([0, W]);
  const cells = layers.map((layer, k) => {
    const now = fractions(layer.values, domain);
    const init = initial[k] ? fractions(initial[k].values, domain) : null;
    // One bin holding most of the values (ReLU's zeros, a collapsed layer) would flatten the
    // others: it is cut at 2.5× the next tallest and labelled with its share instead.
    const sorted = [...now].sort((a, b) => b - a);
    const clipped = sorted[0] > 3 * sorted[1] && sorted[1] > 0;
    const top = clipped ? 2.5 * sorted[1] : Math.max(sorted[0], ...(init ?? [0]), 1e-9);
    const y = scaleLinear().domain([0, top]).range([H, 0]).clamp(true);
    const bw = W / now.length;
    const bars = now
      .map((f, i) => {
        const bar = `<rect x="${i * bw + 0.5}" y="${y(f)}" width="${Math.max(0, bw - 1)}" height="${H - y(f)}"${f > top ? ' class="is-clipped"' : ''}/>`;
        const share = f > top ? `<text class="activations-share" x="${Math.min(W - 24, i * bw + bw + 2)}" y="9">${(100 * f).toFixed(0)}%</text>` : '';
        return bar + share;
      })
      .join('');
    const outline = init
      ? `<path class="activations-init" d="M0,${H}${init.map((f, i) => `L${i * bw},${y(f)}L${(i + 1) * bw},${y(f)}`).join('')}L${W},${H}"/>`
      : '';
    const ticks = `<text x="0" y="${H + 11}">${fmt(domain[0])}</text><text x="${W}" y="${H + 11}" text-anchor="end">${fmt(domain[1])}</text>` +
      (domain[0] < 0 && domain[1] > 0 ? `<line class="activations-zero" x1="${x(0)}" x2="${x(0)}" y1="0" y2="${H}"/>` : '');
    const notes: string[] = [`mean ${fmt(layer.mean)}`, `std ${fmt(layer.std)}`];
    const flags: string[] = [];
    if (layer.dead !== null) flags.push(`<span class="${layer.dead > 0 ? 'activations-dead' : ''}">dead ${layer.dead}/${layer.units}</span>`);
    if (layer.saturated !== null) flags.push(`<span class="${layer.saturated > 0.5 ? 'activations-dead' : ''}">saturated ${(100 * layer.saturated).toFixed(0)}%</span>`);
    const cell = document.createElement('figure');
    cell.className = 'activations-hist';
    cell.dataset.layer = String(k + 1);
    cell.dataset.std = String(layer.std);
    cell.dataset.mean = String(layer.mean);
    if (layer.dead !== null) cell.dataset.dead = String(layer.dead);
    cell.innerHTML =
      `<figcaption><b>Layer ${k + 1}</b> <span class="muted">${notes.join(' · ')}</span></figcaption>` +
      `<svg viewBox="-2 -2 ${W + 4} ${H + 16}" role="img" aria-label="Histogram of layer ${k + 1}'s activations">${bars}${outline}${ticks}</svg>` +
      `<div class="activations-flags">${flags.join(' ')}</div>`;
    return cell;
  });
  container.replaceChildren(...cells);
}
