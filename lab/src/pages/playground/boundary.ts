/**
 * The decision map, TensorFlow Playground's way: a canvas painted from the network's class
 * probabilities on a grid (each pixel the winning class's colour, faded to white where the
 * network is unsure, so the boundary shows as a light band), and the data points as an SVG layer
 * on top (training points with a white rim, test points with a dark one).
 */
import { scaleLinear } from 'd3-scale';
import type { Domain } from './trainer.js';

/** Class colours: orange and blue as in TensorFlow Playground, then the rest of Tableau 10. */
export const CLASS_COLORS = ['#f28e2b', '#4e79a7', '#59a14f', '#e15759', '#b07aa1'];
export const GRID = 64;

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
const CLASS_RGB = CLASS_COLORS.map(rgb);
const UNSURE: [number, number, number] = [200, 204, 210];

/** Paints `probs` ([GRID·GRID·classes], row 0 at the top) into the canvas (GRID × GRID pixels). */
export function paintProbabilities(canvas: HTMLCanvasElement, probs: Float32Array, classes: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(GRID, GRID);
  for (let k = 0; k < GRID * GRID; k++) {
    let best = 0;
    let p = -1;
    for (let c = 0; c < classes; c++) {
      const v = probs[k * classes + c];
      if (Number.isNaN(v)) {
        p = NaN;
        break;
      }
      if (v > p) {
        p = v;
        best = c;
      }
    }
    let color = CLASS_RGB[best % CLASS_RGB.length];
    let strength: number;
    if (!Number.isFinite(p)) {
      // NaN predictions (a diverged network) are grey, not a colour.
      color = UNSURE;
      strength = 1;
    } else {
      strength = 0.6 * Math.min(1, Math.max(0, (p - 1 / classes) / (1 - 1 / classes)));
    }
    image.data[4 * k] = Math.round(255 + (color[0] - 255) * strength);
    image.data[4 * k + 1] = Math.round(255 + (color[1] - 255) * strength);
    image.data[4 * k + 2] = Math.round(255 + (color[2] - 255) * strength);
    image.data[4 * k + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

export function clearCanvas(canvas: HTMLCanvasElement): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, GRID, GRID);
}

const SIZE = 400;

/** The points (and axis ticks) as SVG markup over a SIZE × SIZE view of `domain`. */
export function pointsSvg(xy: Float32Array, labels: Int32Array, isTest: Uint8Array, domain: Domain, showTest: boolean): string {
  const sx = scaleLinear().domain([domain.x0, domain.x1]).range([0, SIZE]);
  const sy = scaleLinear().domain([domain.y0, domain.y1]).range([SIZE, 0]);
  const parts = [`<svg viewBox="0 0 ${SIZE} ${SIZE}" class="playground-points" role="img" aria-label="Data points: ${labels.length} points, training and test">`];
  for (const t of sx.ticks(6)) parts.push(`<text x="${sx(t)}" y="${SIZE - 4}" text-anchor="middle" class="playground-tick">${t}</text>`);
  for (const t of sy.ticks(6)) parts.push(`<text x="4" y="${sy(t)}" dy="0.32em" class="playground-tick">${t}</text>`);
  for (let i = 0; i < labels.length; i++) {
    const test = isTest[i] === 1;
    if (test && !showTest) continue;
    const cls = `playground-point ${test ? 'test' : 'train'}`;
    parts.push(`<circle cx="${sx(xy[2 * i]).toFixed(1)}" cy="${sy(xy[2 * i + 1]).toFixed(1)}" r="3.6" fill="${CLASS_COLORS[labels[i] % CLASS_COLORS.length]}" class="${cls}" data-class="${labels[i]}"/>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
