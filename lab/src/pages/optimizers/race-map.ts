/**
 * The race map: the surface's filled contours (src/viz/contour-plot.ts), drawn once per surface, under
 * an overlay redrawn every frame — each optimizer's trail and current point — and the start point, a
 * handle moved by dragging (or clicking the map) and by the arrow keys when focused.
 */
import { scaleLinear } from 'd3-scale';
import { axes, contourLayer, endMarker, frameFor, star, type MapFrame } from '../../../../src/viz/contour-plot.js';
import type { Trajectory } from '../../../../src/viz/race.js';
import type { Point, Surface } from '../../../../src/viz/surfaces/index.js';

const SVG = 'http://www.w3.org/2000/svg';
/** The map panel's width in SVG units; the height follows the surface's window (contour-plot's rule). */
const MAP_WIDTH = 560;
const MARGIN = { top: 12, right: 14, bottom: 46, left: 58 };
/** With trails off, how many recent steps still show behind each optimizer. */
const SHORT_TRAIL = 12;

export interface MapRacer {
  name: string;
  trajectory: Trajectory;
}

export interface RaceMap {
  element: SVGSVGElement;
  /** Draws the contours, axes and minima of a surface (once per surface). */
  setSurface(surface: Surface): void;
  setStart(p: Point): void;
  /** Redraws trails and current points (appending to the trails where they only grew). */
  update(racers: MapRacer[], trails: boolean): void;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const fmt = (v: number) => String(Number(v.toFixed(2)));

let maps = 0;

export function raceMap(onStartMove: (p: Point) => void): RaceMap {
  const clipId = `optimizers-map-clip-${++maps}`;
  const element = svg('svg', { class: 'optimizers-map', role: 'img' });
  const panel = svg('g', { transform: `translate(${MARGIN.left},${MARGIN.top})` });
  const clip = svg('clipPath', { id: clipId });
  const clipRect = svg('rect');
  clip.append(clipRect);
  const clipped = svg('g', { 'clip-path': `url(#${clipId})` });
  const contours = svg('g', { class: 'optimizers-contours' });
  const hit = svg('rect', { class: 'optimizers-map-hit', fill: 'transparent' });
  const minima = svg('g', { class: 'optimizers-minima' });
  const trailLayer = svg('g', { class: 'optimizers-trails' });
  const headLayer = svg('g', { class: 'optimizers-heads' });
  const axisLayer = svg('g', { class: 'optimizers-axes' });
  const handle = svg('circle', {
    class: 'optimizers-start',
    r: 7,
    tabindex: 0,
    role: 'button',
    'aria-roledescription': 'draggable start point',
  });
  // The minima's stars go over the trails and heads (half transparent), so an optimizer sitting on one does not hide it.
  clipped.append(contours, hit, trailLayer, headLayer, minima);
  panel.append(clip, clipped, axisLayer, handle);
  element.append(panel);

  let surface: Surface | null = null;
  let frame: MapFrame | null = null;
  let toData: ((px: number, py: number) => Point) | null = null;
  let start: Point = [0, 0];
  /** Per optimizer, its trail's path element and how many points its d already holds. */
  const trailCache = new Map<string, { path: SVGPathElement; trajectory: Trajectory; count: number; d: string; trails: boolean }>();

  function placeHandle(): void {
    if (!frame || !surface) return;
    const [x, y] = frame.project(start);
    handle.setAttribute('cx', String(r1(x)));
    handle.setAttribute('cy', String(r1(y)));
    handle.setAttribute('aria-label', `Start point (${fmt(start[0])}, ${fmt(start[1])}): drag it, or use the arrow keys (Shift for larger moves)`);
  }

  function clampToWindow([x, y]: Point): Point {
    const { x: [x0, x1], y: [y0, y1] } = surface!.domain;
    return [Math.min(x1, Math.max(x0, x)), Math.min(y1, Math.max(y0, y))];
  }

  function pointerToData(e: PointerEvent): Point {
    const ctm = panel.getScreenCTM();
    if (!ctm) return start;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    return clampToWindow(toData!(p.x, p.y));
  }

  let dragging: number | null = null;
  function down(e: PointerEvent): void {
    if (!surface || e.button !== 0) return;
    e.preventDefault();
    dragging = e.pointerId;
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    handle.focus();
    onStartMove(pointerToData(e));
  }
  function move(e: PointerEvent): void {
    if (dragging === e.pointerId) onStartMove(pointerToData(e));
  }
  function up(e: PointerEvent): void {
    if (dragging === e.pointerId) dragging = null;
  }
  for (const target of [handle, hit] as SVGElement[]) {
    target.addEventListener('pointerdown', down);
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  }

  handle.addEventListener('keydown', (e) => {
    if (!surface) return;
    const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
    if (!d) return;
    e.preventDefault();
    const { x: [x0, x1], y: [y0, y1] } = surface.domain;
    const k = e.shiftKey ? 0.1 : 0.02;
    onStartMove(clampToWindow([start[0] + d[0] * k * (x1 - x0), start[1] + d[1] * k * (y1 - y0)]));
  });

  return {
    element,
    setSurface(s) {
      surface = s;
      frame = frameFor(s, MAP_WIDTH);
      const { width, height } = frame;
      const sx = scaleLinear().domain(s.domain.x).range([0, width]);
      const sy = scaleLinear().domain(s.domain.y).range([height, 0]);
      toData = (px, py) => [sx.invert(px), sy.invert(py)];
      element.setAttribute('viewBox', `0 0 ${MARGIN.left + width + MARGIN.right} ${MARGIN.top + height + MARGIN.bottom}`);
      element.setAttribute('aria-label', `Contour map of ${s.title}, ${s.formula}, with the optimizers' trajectories`);
      for (const r of [clipRect, hit]) {
        r.setAttribute('width', String(width));
        r.setAttribute('height', String(height));
      }
      contours.innerHTML = contourLayer(s, frame, 160, 18);
      minima.innerHTML = s.minima
        .map((m) => star(frame!.project(m), m[0] === s.minimum[0] && m[1] === s.minimum[1] ? 10 : 7))
        .join('');
      axisLayer.innerHTML = axes(s, frame);
      trailLayer.replaceChildren();
      headLayer.replaceChildren();
      trailCache.clear();
      placeHandle();
    },
    setStart(p) {
      start = p;
      placeHandle();
    },
    update(racers, trails) {
      if (!frame) return;
      const f = frame;
      const seen = new Set<string>();
      const heads: string[] = [];
      for (const { name, trajectory: t } of racers) {
        seen.add(name);
        let entry = trailCache.get(name);
        if (!entry) {
          const path = svg('path', { class: 'optimizers-trail', 'data-optimizer': name, stroke: t.color });
          trailLayer.append(path);
          entry = { path, trajectory: t, count: 0, d: '', trails };
          trailCache.set(name, entry);
        }
        const n = t.points.length;
        if (trails) {
          // A trajectory only grows; a new one means the race restarted.
          if (entry.trajectory !== t || n < entry.count || !entry.trails) {
            entry.count = 0;
            entry.d = '';
          }
          for (let k = entry.count; k < n; k++) {
            const [x, y] = f.project(t.points[k]);
            entry.d += `${k === 0 ? 'M' : 'L'}${r1(x)},${r1(y)}`;
          }
        } else {
          const from = Math.max(0, n - SHORT_TRAIL);
          entry.d = t.points.slice(from).map((p, k) => `${k === 0 ? 'M' : 'L'}${f.project(p).map(r1).join(',')}`).join('');
        }
        entry.count = n;
        entry.trajectory = t;
        entry.trails = trails;
        entry.path.setAttribute('d', entry.d);
        entry.path.setAttribute('data-points', String(n));
        entry.path.classList.toggle('optimizers-trail-diverged', t.diverged !== null);
        if (n > 1 || t.diverged) heads.push(endMarker(t, f));
      }
      for (const [name, entry] of trailCache) {
        if (!seen.has(name)) {
          entry.path.remove();
          trailCache.delete(name);
        }
      }
      headLayer.innerHTML = heads.join('');
    },
  };
}
