/** The loss chart: every racing optimizer's f − f* per step, on a log scale, redrawn at most every 100 ms while playing. */
import { el } from '../../ui/dom.js';
import { lineChart } from '../../../../src/viz/line-chart.js';
import type { RaceState } from './race-state.js';

const CHART_INTERVAL = 100;

export interface LossChart {
  element: HTMLElement;
  /** Redraws if the race is paused, `force` is set, or the last redraw is older than CHART_INTERVAL. */
  update(force: boolean): void;
}

export function lossChart(race: RaceState): LossChart {
  const chart = el('div', { class: 'optimizers-chart', role: 'img', 'aria-label': 'Loss per step, log scale' });
  let lastChart = 0;

  function draw(): void {
    const best = race.surface.fNumber(...race.surface.minimum);
    const series = race.active()
      .filter((e) => e.runner)
      .map((e) => ({
        name: e.runner!.trajectory.label,
        color: e.runner!.trajectory.color,
        points: e.runner!.trajectory.losses.map((loss, step): [number, number] => [step, loss - best]),
      }));
    const w = 300;
    const h = 250;
    chart.innerHTML = `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${lineChart({
      title: 'Loss per step',
      xLabel: 'step',
      yLabel: 'f − f* (log scale)',
      series,
      width: w,
      height: h,
      logY: true,
      legend: false,
      xDomain: [0, Math.max(race.t, 10)],
    })}</svg>`;
  }

  return {
    element: el('section', { class: 'card' }, chart),
    update(force) {
      const now = performance.now();
      if (force || !race.playing || now - lastChart > CHART_INTERVAL) {
        draw();
        lastChart = now;
      }
    },
  };
}
