/** A line chart as an SVG group: d3 scales and line generators, axes with ticks, labels and a legend. */
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { extent } from 'd3-array';
import { escapeXml, PALETTE } from './svg.js';

export interface Series {
  name: string;
  points: [number, number][];
  color?: string;
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Position and size of the panel inside the document. */
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  logY?: boolean;
  /** A fixed y range (e.g. [0, 1] for fractions) instead of the data's extent. */
  yDomain?: [number, number];
  /** A fixed x range (e.g. all the steps of a run still being drawn) instead of the data's extent. */
  xDomain?: [number, number];
  /** Draw the series legend in the panel's corner (default true; off when a legend sits beside the chart). */
  legend?: boolean;
}

const MARGIN = { top: 34, right: 16, bottom: 44, left: 62 };

function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

/** Renders one panel; non-finite points are left out (a diverged run shows where it stopped). */
export function lineChart(o: LineChartOptions): string {
  const { x: left = 0, y: top = 0, width = 480, height = 320 } = o;
  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const finite = o.series.map((s) => s.points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && (!o.logY || b > 0)));
  const all = finite.flat();
  const [x0 = 0, x1 = 1] = o.xDomain ?? extent(all, (p) => p[0]);
  let [y0 = 0, y1 = 1] = extent(all, (p) => p[1]);
  if (o.yDomain) [y0, y1] = o.yDomain;
  else if (y0 === y1) [y0, y1] = o.logY ? [y0 / 10, y1 * 10] : [y0 - 1, y1 + 1];
  const xs = scaleLinear().domain(x0 === x1 ? [x0 - 1, x1 + 1] : [x0, x1]).range([0, innerW]).nice();
  const ys = (o.logY ? scaleLog().domain([y0, y1]) : scaleLinear().domain([y0, y1])).range([innerH, 0]).nice();
  const path = line<[number, number]>().x((p) => xs(p[0])).y((p) => ys(p[1]));

  const parts: string[] = [];
  parts.push(`<g transform="translate(${left + MARGIN.left},${top + MARGIN.top})">`);
  parts.push(`<text x="${innerW / 2}" y="-14" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(o.title)}</text>`);
  // On a log axis, label the powers of ten only (d3 proposes every 1–9 multiple).
  const yTicks = o.logY ? ys.ticks(6).filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9) : ys.ticks(6);
  for (const t of yTicks) {
    const y = ys(t);
    parts.push(`<line x1="0" x2="${innerW}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="-8" y="${y}" dy="0.32em" text-anchor="end" font-size="11" fill="#444">${formatTick(t)}</text>`);
  }
  for (const t of xs.ticks(Math.min(8, Math.max(2, Math.floor(innerW / 60))))) {
    const x = xs(t);
    parts.push(`<line x1="${x}" x2="${x}" y1="${innerH}" y2="${innerH + 5}" stroke="#444"/>`);
    parts.push(`<text x="${x}" y="${innerH + 18}" text-anchor="middle" font-size="11" fill="#444">${formatTick(t)}</text>`);
  }
  parts.push(`<rect width="${innerW}" height="${innerH}" fill="none" stroke="#444"/>`);
  parts.push(`<text x="${innerW / 2}" y="${innerH + 36}" text-anchor="middle" font-size="12">${escapeXml(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(${-48},${innerH / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(o.yLabel)}</text>`);
  o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const pts = finite[i];
    const d = path(pts);
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    if (pts.length <= 40) for (const [a, b] of pts) parts.push(`<circle cx="${xs(a)}" cy="${ys(b)}" r="2.5" fill="${color}"/>`);
  });
  const showLegend = o.legend ?? true;
  if (showLegend && o.series.length > 0) {
    const legendWidth = 34 + 6.5 * Math.max(...o.series.map((s) => s.name.length));
    parts.push(`<rect x="${innerW - legendWidth - 6}" y="0" width="${legendWidth + 4}" height="${o.series.length * 16 + 2}" fill="white" fill-opacity="0.85" stroke="#ddd"/>`);
  }
  if (showLegend) o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const legendWidth = 34 + 6.5 * Math.max(...o.series.map((x) => x.name.length));
    const lx = innerW - legendWidth;
    const ly = 9 + i * 16;
    parts.push(`<line x1="${lx}" x2="${lx + 20}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<text x="${lx + 26}" y="${ly}" dy="0.32em" font-size="11">${escapeXml(s.name)}</text>`);
  });
  parts.push('</g>');
  return parts.join('\n');
}
