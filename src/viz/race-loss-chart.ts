/** The race's loss per step: f − f* on a log scale, one line per optimizer (line-chart.ts). */
import { lineChart } from './line-chart.js';
import type { RaceResult } from './race.js';
import { svgDocument } from './svg.js';

export function raceLossChart(result: RaceResult, width = 900, height = 480): string {
  const { surface } = result;
  const best = surface.fNumber(...surface.minimum);
  const series = result.trajectories.map((t) => ({
    name: t.label,
    color: t.color,
    // Steps where f − f* rounds to 0 or below (float32 at the minimum) have no place on a log axis and are left out.
    points: t.losses.map((loss, step): [number, number] => [step, loss - best]),
  }));
  return svgDocument(width, height, lineChart({
    title: `Loss per step: ${surface.title}`,
    xLabel: 'step',
    yLabel: 'f − f* (log scale)',
    series,
    width,
    height,
    logY: true,
  }));
}
