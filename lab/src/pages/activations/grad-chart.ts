/**
 * ‖∂L/∂W‖ per layer on a log scale, at initialization and now: a sigmoid network's gradients
 * shrink by orders of magnitude from the output back to the first layer; a ReLU network's stay
 * level. Every point carries its number (data-norm) so what the chart shows can be read back.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';

const W = 820;
const H = 260;
const M = { top: 14, right: 16, bottom: 52, left: 58 };

export interface GradSeries {
  name: string;
  key: string;
  norms: number[];
  className: string;
}

const exp10 = (v: number) => {
  const e = Math.round(Math.log10(v));
  const sup = String(e).replace('-', '⁻').replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]);
  return `10${sup}`;
};

/** The chart's SVG; `dead` (ReLU) adds a row of dead-unit counts under the hidden layers. */
export function gradChart(series: GradSeries[], dead: (number | null)[] | null): string {
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const layers = series[0]?.norms.length ?? 0;
  const positive = series.flatMap((s) => s.norms.filter((v) => Number.isFinite(v) && v > 0));
  let lo = positive.length ? Math.min(...positive) : 1e-3;
  let hi = positive.length ? Math.max(...positive) : 1;
  lo = 10 ** Math.floor(Math.log10(lo));
  hi = 10 ** Math.ceil(Math.log10(hi));
  if (hi <= lo) hi = lo * 10;
  const x = scaleLinear().domain([1, Math.max(2, layers)]).range([14, iw - 14]);
  const y = scaleLog().domain([lo, hi]).range([ih, 0]).clamp(true);
  const place = (v: number) => (Number.isFinite(v) && v > 0 ? y(v) : ih);

  const parts: string[] = [`<g transform="translate(${M.left},${M.top})">`];
  const decades = Math.round(Math.log10(hi / lo));
  const every = Math.max(1, Math.ceil(decades / 6));
  for (let e = Math.log10(lo); e <= Math.log10(hi) + 1e-9; e += every) {
    const t = 10 ** e;
    parts.push(`<line class="activations-grid" x1="0" x2="${iw}" y1="${y(t)}" y2="${y(t)}"/>`);
    parts.push(`<text class="activations-tick" x="-8" y="${y(t)}" dy="0.32em" text-anchor="end">${exp10(t)}</text>`);
  }
  for (let l = 1; l <= layers; l++) {
    const label = l === layers ? 'out' : String(l);
    if (layers <= 12 || l % 2 === 1 || l === layers) parts.push(`<text class="activations-tick" x="${x(l)}" y="${ih + 14}" text-anchor="middle">${label}</text>`);
  }
  parts.push(`<rect class="activations-frame" width="${iw}" height="${ih}"/>`);
  parts.push(`<text class="activations-label" x="${iw / 2}" y="${ih + 28}" text-anchor="middle">layer (first hidden → output)</text>`);
  parts.push(`<text class="activations-label" transform="translate(-46,${ih / 2}) rotate(-90)" text-anchor="middle">‖∂L/∂W‖ (log)</text>`);
  if (dead) {
    parts.push(`<text class="activations-tick" x="-8" y="${ih + 44}" text-anchor="end">dead</text>`);
    dead.forEach((d, k) => {
      if (d === null) return;
      parts.push(`<text class="activations-tick${d > 0 ? ' activations-dead' : ''}" x="${x(k + 1)}" y="${ih + 44}" text-anchor="middle" data-dead-layer="${k + 1}">${d}</text>`);
    });
  }
  for (const s of series) {
    const path = line<number>().x((_, i) => x(i + 1)).y((v) => place(v))(s.norms);
    parts.push(`<path class="activations-series ${s.className}" d="${path ?? ''}"/>`);
    s.norms.forEach((v, i) => {
      const zero = !(Number.isFinite(v) && v > 0);
      parts.push(
        `<circle class="activations-point ${s.className}${zero ? ' is-zero' : ''}" cx="${x(i + 1)}" cy="${place(v)}" r="3.5" data-series="${s.key}" data-layer="${i + 1}" data-norm="${v}"><title>${s.name}, layer ${i === s.norms.length - 1 ? 'out' : i + 1}: ${v.toExponential(2)}</title></circle>`,
      );
    });
  }
  parts.push('</g>');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Gradient norm per layer, log scale">${parts.join('')}</svg>`;
}
