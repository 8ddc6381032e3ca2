/**
 * The race as an animated SVG (SMIL, so any browser plays it without script): every trajectory
 * draws itself step by step on a shared step clock, a dot marks each optimizer's current point,
 * a bar under the map shows the step, and the whole thing loops after a pause. The static
 * attributes hold the final picture, so a viewer without SMIL shows the finished race.
 */
import { belowLegend, contourPlot, endMarker, trajectoryPath, type ContourPlotOptions, type MapFrame } from './contour-plot.js';
import type { RaceResult, Trajectory } from './race.js';

export interface RaceAnimationOptions extends Omit<ContourPlotOptions, 'drawTrajectory' | 'decorate'> {
  /** Seconds to draw all steps (default 8). */
  seconds?: number;
  /** Seconds to hold the finished picture before looping (default 2). */
  hold?: number;
}

/** At most this many key frames per trajectory: long races are sampled evenly. */
const MAX_FRAMES = 300;

function fixed(v: number): string {
  return String(Math.round(v * 10000) / 10000);
}

interface Timing {
  steps: number;
  seconds: number;
  hold: number;
}

function animatedTrajectory(t: Trajectory, frame: MapFrame, { steps, seconds, hold }: Timing): string {
  const pixels = t.points.map((p) => frame.project(p).map((v) => Math.round(v * 100) / 100));
  const cumulative = [0];
  for (let k = 1; k < pixels.length; k++) {
    cumulative.push(cumulative[k - 1] + Math.hypot(pixels[k][0] - pixels[k - 1][0], pixels[k][1] - pixels[k - 1][1]));
  }
  const total = cumulative[cumulative.length - 1];
  const d = trajectoryPath(t, frame);
  const stroke = `fill="none" stroke="${t.color}" stroke-width="2" stroke-linejoin="round" stroke-opacity="0.9"`;
  const marker = endMarker(t, frame);
  if (total === 0) return `<path d="${d}" ${stroke}/>\n${marker}`;

  const dur = seconds + hold;
  const stride = Math.max(1, Math.ceil(steps / MAX_FRAMES));
  const frames: number[] = [];
  for (let k = 0; k < pixels.length; k += stride) frames.push(k);
  if (frames[frames.length - 1] !== pixels.length - 1) frames.push(pixels.length - 1);
  // Point k is reached at step k of the shared clock; a run that stopped early (diverged) stops there.
  const times = frames.map((k) => (k / steps) * (seconds / dur));
  const lastTime = times[times.length - 1];
  const keyTimes = [...times, 1].map(fixed).join(';');
  const offsets = [...frames, frames[frames.length - 1]].map((k) => fixed(total - cumulative[k])).join(';');
  const keyPoints = [...frames, frames[frames.length - 1]].map((k) => fixed(cumulative[k] / total)).join(';');
  const repeat = `dur="${dur}s" repeatCount="indefinite"`;
  return [
    `<path class="trajectory" d="${d}" ${stroke} stroke-dasharray="${fixed(total)} ${fixed(total + 1)}" stroke-dashoffset="0">`,
    `<animate attributeName="stroke-dashoffset" values="${offsets}" keyTimes="${keyTimes}" calcMode="linear" ${repeat}/>`,
    '</path>',
    `<g opacity="1">${marker}<animate attributeName="opacity" values="0;1" keyTimes="0;${fixed(lastTime)}" calcMode="discrete" ${repeat}/></g>`,
    // The moving head, placed by animateMotion alone; hidden where SMIL does not run.
    `<circle r="4" fill="${t.color}" stroke="white" stroke-width="1" opacity="0">`,
    '<set attributeName="opacity" to="1"/>',
    `<animateMotion path="${d}" keyPoints="${keyPoints}" keyTimes="${keyTimes}" calcMode="linear" ${repeat}/>`,
    '</circle>',
  ].join('\n');
}

function progressBar([x, y, w]: [number, number, number], { steps, seconds, hold }: Timing): string {
  const dur = seconds + hold;
  return [
    `<rect x="${x}" y="${y}" width="${w}" height="6" fill="#e3e3e3" rx="3"/>`,
    `<rect x="${x}" y="${y}" width="${w}" height="6" fill="#555" rx="3">`,
    `<animate attributeName="width" values="0;${w};${w}" keyTimes="0;${fixed(seconds / dur)};1" calcMode="linear" dur="${dur}s" repeatCount="indefinite"/>`,
    '</rect>',
    `<text x="${x}" y="${y + 22}" font-size="11" fill="#555">step 0</text>`,
    `<text x="${x + w}" y="${y + 22}" font-size="11" fill="#555" text-anchor="end">step ${steps}</text>`,
  ].join('\n');
}

export function raceAnimation(result: RaceResult, options: RaceAnimationOptions = {}): string {
  const { seconds = 8, hold = 2, ...plot } = options;
  if (!(Number.isFinite(seconds) && seconds > 0)) throw new Error(`raceAnimation: seconds must be a finite number > 0, got ${seconds}`);
  if (!(Number.isFinite(hold) && hold >= 0)) throw new Error(`raceAnimation: hold must be a finite number ≥ 0, got ${hold}`);
  const timing: Timing = { steps: result.steps, seconds, hold };
  return contourPlot(result, {
    ...plot,
    drawTrajectory: (t, frame) => animatedTrajectory(t, frame, timing),
    decorate: (frame) => progressBar(belowLegend(frame, result), timing),
  });
}
