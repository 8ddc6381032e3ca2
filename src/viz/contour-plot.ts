/**
 * The race as a map: filled contours of the surface (d3-contour on a grid), each optimizer's path
 * as a coloured polyline from the common start to its end marker, the minima, axes and a legend
 * with each optimizer's final loss. Returns an SVG document (text; no DOM needed).
 */
import { contours } from 'd3-contour';
import { scaleLinear } from 'd3-scale';
import type { Point, Surface } from './surfaces/index.js';
import type { RaceResult, Trajectory } from './race.js';
import { escapeXml, svgDocument } from './svg.js';

/** Maps surface coordinates to pixels of the map panel. */
export interface MapFrame {
  /** The panel's position and size in the document. */
  left: number;
  top: number;
  width: number;
  height: number;
  project(p: Point): [number, number];
}

export interface ContourPlotOptions {
  /** Width of the map panel in pixels (default 640); its height follows the window's aspect, within limits. */
  mapWidth?: number;
  /** Samples along each axis of the contour grid (default 180). */
  gridSize?: number;
  /** Number of contour levels (default 18). */
  levels?: number;
  title?: string;
  /**
   * Draws one trajectory into the map (the map is clipped to the panel). Default: a static
   * polyline with a dot per step (when there are few) and an end marker.
   */
  drawTrajectory?: (t: Trajectory, frame: MapFrame, result: RaceResult) => string;
  /** Extra SVG drawn last, in document coordinates (the animation's progress bar). */
  decorate?: (frame: MapFrame, result: RaceResult) => string;
}

const MARGIN = { top: 74, left: 72, bottom: 58, right: 24 };
const LEGEND_WIDTH = 250;

function formatNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

function round(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Grid samples f(x_i, y_j), row-major with x fastest (d3-contour's layout); row 0 is the window's bottom. */
function sampleGrid(surface: Surface, nx: number, ny: number): number[] {
  const { x: [x0, x1], y: [y0, y1] } = surface.domain;
  const values = new Array<number>(nx * ny);
  for (let j = 0; j < ny; j++) {
    const y = y0 + ((y1 - y0) * j) / (ny - 1);
    for (let i = 0; i < nx; i++) values[j * nx + i] = surface.fNumber(x0 + ((x1 - x0) * i) / (nx - 1), y);
  }
  return values;
}

/**
 * Contour thresholds: log-spaced above the minimum when the range is wide (most of the window
 * lies far below the maximum, as in a steep bowl or Beale's walls), evenly spaced otherwise.
 */
export function contourLevels(values: number[], count: number): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo;
  if (!(range > 0)) return [lo];
  const sorted = values.slice().sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  const wide = range > 3 * (median - lo);
  if (!wide) return Array.from({ length: count }, (_, k) => lo + (range * (k + 0.5)) / count);
  const first = range * 1e-6;
  return Array.from({ length: count }, (_, k) => lo + first * (range / first) ** (k / (count - 1)));
}

export function frameFor(surface: Surface, mapWidth: number): MapFrame {
  const { x: [x0, x1], y: [y0, y1] } = surface.domain;
  const height = Math.round(Math.min(Math.max((mapWidth * (y1 - y0)) / (x1 - x0), 0.56 * mapWidth), 0.85 * mapWidth));
  const sx = scaleLinear().domain([x0, x1]).range([0, mapWidth]);
  const sy = scaleLinear().domain([y0, y1]).range([height, 0]);
  return { left: MARGIN.left, top: MARGIN.top, width: mapWidth, height, project: ([x, y]) => [sx(x), sy(y)] };
}

export function contourLayer(surface: Surface, frame: MapFrame, gridSize: number, levelCount: number): string {
  const nx = gridSize;
  const ny = Math.max(2, Math.round((gridSize * frame.height) / frame.width));
  const values = sampleGrid(surface, nx, ny);
  const levels = contourLevels(values, levelCount);
  const { x: [x0, x1], y: [y0, y1] } = surface.domain;
  // d3-contour puts sample i at grid coordinate i + 0.5.
  const toPoint = ([u, v]: number[]): Point => [x0 + ((u - 0.5) * (x1 - x0)) / (nx - 1), y0 + ((v - 0.5) * (y1 - y0)) / (ny - 1)];
  const fill = scaleLinear<string>().domain([0, levels.length]).range(['#a9c8e6', '#fbfdff']);
  const parts = [`<rect width="${frame.width}" height="${frame.height}" fill="${fill(0)}"/>`];
  contours().size([nx, ny]).thresholds(levels)(values).forEach((band, k) => {
    const d = band.coordinates
      .flatMap((polygon) => polygon.map((ring) => 'M' + ring.map((c) => frame.project(toPoint(c)).map(round).join(',')).join('L') + 'Z'))
      .join('');
    if (d) parts.push(`<path d="${d}" fill="${fill(k + 1)}" stroke="#7f9cbb" stroke-width="0.6" stroke-opacity="0.7"/>`);
  });
  return parts.join('\n');
}

export function axes(surface: Surface, frame: MapFrame): string {
  const { x: [x0, x1], y: [y0, y1] } = surface.domain;
  const sx = scaleLinear().domain([x0, x1]).range([0, frame.width]);
  const sy = scaleLinear().domain([y0, y1]).range([frame.height, 0]);
  const parts = [`<rect width="${frame.width}" height="${frame.height}" fill="none" stroke="#333"/>`];
  for (const t of sx.ticks(8)) {
    const x = round(sx(t));
    parts.push(`<line x1="${x}" x2="${x}" y1="${frame.height}" y2="${frame.height + 5}" stroke="#333"/>`);
    parts.push(`<text x="${x}" y="${frame.height + 20}" text-anchor="middle" font-size="12" fill="#333">${formatNumber(t)}</text>`);
  }
  for (const t of sy.ticks(7)) {
    const y = round(sy(t));
    parts.push(`<line x1="-5" x2="0" y1="${y}" y2="${y}" stroke="#333"/>`);
    parts.push(`<text x="-9" y="${y}" dy="0.32em" text-anchor="end" font-size="12" fill="#333">${formatNumber(t)}</text>`);
  }
  parts.push(`<text x="${frame.width / 2}" y="${frame.height + 42}" text-anchor="middle" font-size="14">x</text>`);
  parts.push(`<text x="${-50}" y="${frame.height / 2}" dy="0.32em" text-anchor="middle" font-size="14">y</text>`);
  return parts.join('\n');
}

export function star([cx, cy]: [number, number], r: number): string {
  const pts: string[] = [];
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    const rr = k % 2 === 0 ? r : r * 0.45;
    pts.push(`${round(cx + rr * Math.cos(a))},${round(cy + rr * Math.sin(a))}`);
  }
  return `<polygon points="${pts.join(' ')}" fill="#ffd43b" fill-opacity="0.55" stroke="#111" stroke-width="1.3"/>`;
}

/** Pixel points of a trajectory, as an SVG path's d. */
export function trajectoryPath(t: Trajectory, frame: MapFrame): string {
  return 'M' + t.points.map((p) => frame.project(p).map(round).join(',')).join('L');
}

/** The end of a run: a dot, or a cross where it diverged. */
export function endMarker(t: Trajectory, frame: MapFrame): string {
  const [x, y] = frame.project(t.points[t.points.length - 1]).map(round).map(Number);
  if (t.diverged) {
    return `<path d="M${x - 6},${y - 6}L${x + 6},${y + 6}M${x - 6},${y + 6}L${x + 6},${y - 6}" stroke="${t.color}" stroke-width="3"/>`;
  }
  return `<circle cx="${x}" cy="${y}" r="5" fill="${t.color}" stroke="white" stroke-width="1.5"/>`;
}

function staticTrajectory(t: Trajectory, frame: MapFrame, result: RaceResult): string {
  const parts = [`<path class="trajectory" d="${trajectoryPath(t, frame)}" fill="none" stroke="${t.color}" stroke-width="2" stroke-linejoin="round" stroke-opacity="0.9"/>`];
  if (result.steps <= 150) {
    const dots = t.points.slice(1, -1).map((p) => {
      const [x, y] = frame.project(p).map(round);
      return `<circle cx="${x}" cy="${y}" r="1.8"/>`;
    });
    parts.push(`<g fill="${t.color}">${dots.join('')}</g>`);
  }
  parts.push(endMarker(t, frame));
  return parts.join('\n');
}

const LEGEND_ROW = 38;

/** Where the legend column is, and where free space starts below its entries: [x, y, width]. */
export function belowLegend(frame: MapFrame, result: RaceResult): [number, number, number] {
  return [frame.left + frame.width + MARGIN.right + 8, frame.top + 4 + 40 + result.trajectories.length * LEGEND_ROW, LEGEND_WIDTH - 40];
}

function legend(result: RaceResult, x: number, y: number): string {
  const parts = [`<g transform="translate(${x},${y})">`];
  parts.push(`<text x="0" y="0" font-size="13" font-weight="bold">after ${result.steps} steps</text>`);
  parts.push(`<text x="0" y="17" font-size="11" fill="#555">final f · distance to the ★ minimum</text>`);
  result.trajectories.forEach((t, i) => {
    const ly = 44 + i * LEGEND_ROW;
    parts.push(`<line x1="0" x2="22" y1="${ly}" y2="${ly}" stroke="${t.color}" stroke-width="3"/>`);
    parts.push(`<circle cx="22" cy="${ly}" r="4" fill="${t.color}" stroke="white" stroke-width="1"/>`);
    parts.push(`<text x="32" y="${ly}" dy="0.32em" font-size="13" font-weight="bold">${escapeXml(t.label)}</text>`);
    const detail = t.diverged
      ? `diverged at step ${t.diverged.step}: ${t.diverged.reason === 'non-finite' ? 'NaN/Inf' : 'escaped'}`
      : `f = ${formatNumber(t.finalLoss)} · d = ${formatNumber(t.distance)}`;
    parts.push(`<text x="32" y="${ly + 16}" dy="0.32em" font-size="11.5" fill="#333">${escapeXml(detail)}</text>`);
  });
  parts.push('</g>');
  return parts.join('\n');
}

export function contourPlot(result: RaceResult, options: ContourPlotOptions = {}): string {
  const { mapWidth = 640, gridSize = 180, levels = 18, drawTrajectory = staticTrajectory } = options;
  const { surface } = result;
  const frame = frameFor(surface, mapWidth);
  const width = MARGIN.left + frame.width + MARGIN.right + LEGEND_WIDTH;
  const legendHeight = 80 + result.trajectories.length * LEGEND_ROW;
  const height = MARGIN.top + Math.max(frame.height, legendHeight) + MARGIN.bottom;
  const title = options.title ?? `Optimizer race: ${surface.title}`;
  const [sx, sy] = result.start;

  const map: string[] = [];
  map.push(`<clipPath id="map-clip"><rect width="${frame.width}" height="${frame.height}"/></clipPath>`);
  map.push(`<g clip-path="url(#map-clip)">`);
  map.push(contourLayer(surface, frame, gridSize, levels));
  for (const t of result.trajectories) map.push(drawTrajectory(t, frame, result));
  for (const m of surface.minima) {
    const global = m[0] === surface.minimum[0] && m[1] === surface.minimum[1];
    map.push(star(frame.project(m), global ? 10 : 7));
  }
  const [px, py] = frame.project(result.start).map(round);
  map.push(`<circle cx="${px}" cy="${py}" r="6" fill="white" stroke="#111" stroke-width="2"/>`);
  map.push('</g>');
  map.push(axes(surface, frame));

  const body = [
    `<text x="${MARGIN.left}" y="28" font-size="19" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${MARGIN.left}" y="50" font-size="13" fill="#444">${escapeXml(`${surface.formula}   ·   start (${formatNumber(sx)}, ${formatNumber(sy)}) ○   ·   ★ minimum`)}</text>`,
    `<g transform="translate(${frame.left},${frame.top})">`,
    ...map,
    '</g>',
    legend(result, frame.left + frame.width + MARGIN.right + 8, frame.top + 4),
    options.decorate?.(frame, result) ?? '',
  ];
  return svgDocument(width, height, body.join('\n'));
}
