/**
 * The #/sequences page's charts, as SVG text drawn with d3 scales and line generators:
 *  - the training loss of both models (bits per character, smoothed) against the step;
 *  - the gradient reaching each time step of the probe window (log scale), one line per model;
 *  - a model's hidden state over the probe window: one cell per (unit, character), tanh's range in colour.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';

export interface Series {
  kind: string;
  label: string;
  color: string;
  values: number[];
  /** Drawn dashed, without dots (the state at initialization). */
  dashed?: boolean;
}

const W = 640;
const H = 260;
const M = { top: 14, right: 16, bottom: 40, left: 56 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** How a character is shown on an axis: blanks and line breaks made visible. */
export const showChar = (c: string) => (c === ' ' ? '␣' : c === '\n' ? '↵' : c);

/** Exponential moving average (α = 0.1), so a noisy mini-batch loss reads as a curve. */
function smooth(v: number[]): number[] {
  let m = v[0] ?? 0;
  return v.map((x) => (m = 0.9 * m + 0.1 * x));
}

export function lossChart(series: Series[], uniformBits: number): string {
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const steps = Math.max(10, ...series.map((s) => s.values.length));
  const x = scaleLinear().domain([0, steps]).range([0, iw]);
  const y = scaleLinear().domain([0, Math.ceil(uniformBits)]).range([ih, 0]).clamp(true);
  const parts = [`<g transform="translate(${M.left},${M.top})">`];
  for (const t of y.ticks(5)) parts.push(`<line class="seq-grid" x1="0" x2="${iw}" y1="${y(t)}" y2="${y(t)}"/>`, `<text class="seq-tick" x="-6" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
  for (const t of x.ticks(6)) parts.push(`<text class="seq-tick" x="${x(t)}" y="${ih + 16}" text-anchor="middle">${t}</text>`);
  parts.push(`<line class="seq-uniform" x1="0" x2="${iw}" y1="${y(uniformBits)}" y2="${y(uniformBits)}"/>`,
    `<text class="seq-tick" x="${iw}" y="${y(uniformBits) - 4}" text-anchor="end">guessing uniformly: ${uniformBits.toFixed(2)} bits</text>`,
    `<text class="seq-axis-label" x="${iw / 2}" y="${ih + 34}" text-anchor="middle">training step</text>`,
    `<text class="seq-axis-label" transform="translate(-40,${ih / 2}) rotate(-90)" text-anchor="middle">bits per character</text>`);
  for (const s of series) {
    if (s.values.length === 0) continue;
    const d = line<number>().x((_, i) => x(i + 1)).y((v) => y(v))(smooth(s.values)) ?? '';
    parts.push(`<path class="seq-line" data-kind="${s.kind}" d="${d}" stroke="${s.color}"/>`);
  }
  parts.push('</g>');
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Training loss in bits per character">${parts.join('')}</svg>`;
}

/** ‖∂loss_T/∂x_t‖ over t (log scale), the probe's characters along the bottom. */
export function gradientChart(series: Series[], chars: string[]): string {
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const T = chars.length;
  const all = series.flatMap((s) => s.values).filter((v) => v > 0 && Number.isFinite(v));
  const hi = Math.max(1e-8, ...all);
  const lo = Math.max(1e-12, Math.min(hi / 10, ...all));
  const y = scaleLog().domain([10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))]).range([ih, 0]).clamp(true);
  const x = scaleLinear().domain([0, T - 1]).range([8, iw - 8]);
  const parts = [`<g transform="translate(${M.left},${M.top})">`];
  const [d0, d1] = y.domain();
  for (let e = Math.round(Math.log10(d0)); e <= Math.round(Math.log10(d1)); e += Math.max(1, Math.ceil((Math.log10(d1) - Math.log10(d0)) / 6))) {
    parts.push(`<line class="seq-grid" x1="0" x2="${iw}" y1="${y(10 ** e)}" y2="${y(10 ** e)}"/>`,
      `<text class="seq-tick" x="-6" y="${y(10 ** e) + 4}" text-anchor="end">1e${e < 0 ? '−' : ''}${Math.abs(e)}</text>`);
  }
  chars.forEach((c, t) => parts.push(`<text class="seq-char" x="${x(t)}" y="${ih + 16}" text-anchor="middle">${esc(showChar(c))}</text>`));
  parts.push(`<text class="seq-axis-label" x="${iw / 2}" y="${ih + 34}" text-anchor="middle">input time step t (the loss is at the last one, on the right)</text>`,
    `<text class="seq-axis-label" transform="translate(-44,${ih / 2}) rotate(-90)" text-anchor="middle">‖∂loss / ∂xₜ‖ (log)</text>`);
  for (const s of series) {
    const d = line<number>().x((_, t) => x(t)).y((v) => y(Math.max(v, d0)))(s.values) ?? '';
    parts.push(`<path class="seq-line${s.dashed ? ' seq-initial' : ''}" data-kind="${s.kind}" d="${d}" stroke="${s.color}"/>`);
    if (!s.dashed) s.values.forEach((v, t) => parts.push(`<circle cx="${x(t)}" cy="${y(Math.max(v, d0))}" r="2.5" fill="${s.color}"/>`));
  }
  parts.push('</g>');
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Gradient reaching each time step, log scale">${parts.join('')}</svg>`;
}

const color = scaleLinear<string>().domain([-1, 0, 1]).range(['#b2182b', '#f7f7f7', '#2166ac']).clamp(true);

/** The hidden state h_t: a column per character of the probe, a row per unit. */
export function hiddenHeatmap(hidden: Float32Array[], chars: string[], label: string): string {
  const T = hidden.length;
  const units = hidden[0]?.length ?? 0;
  const cell = 9;
  const left = 6;
  const top = 4;
  const w = left + T * cell + 6;
  const h = top + units * cell + 18;
  const parts: string[] = [];
  for (let t = 0; t < T; t++) {
    for (let u = 0; u < units; u++) {
      parts.push(`<rect x="${left + t * cell}" y="${top + u * cell}" width="${cell}" height="${cell}" fill="${color(hidden[t][u])}"/>`);
    }
    parts.push(`<text class="seq-char" x="${left + t * cell + cell / 2}" y="${top + units * cell + 12}" text-anchor="middle">${esc(showChar(chars[t]))}</text>`);
  }
  return `<svg class="seq-heatmap" viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="${esc(label)}: hidden state over the characters" data-cells="${T * units}">${parts.join('')}</svg>`;
}
