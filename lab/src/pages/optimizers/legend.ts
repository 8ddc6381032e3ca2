/**
 * The legend: each racing optimizer's colour, its loss above the minimum now (f − f*), and a badge —
 * diverged (and why), at the global minimum, stuck in a local one, or not running (its error).
 */
import { el } from '../../ui/dom.js';
import { makeRacer } from './optimizer-specs.js';
import type { Entry, RaceState } from './race-state.js';

function fmtLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

export interface RaceLegend {
  element: HTMLElement;
  update(): void;
}

export function raceLegend(race: RaceState): RaceLegend {
  const legend = el('ul', { class: 'optimizers-legend', 'aria-label': 'Optimizers: current loss and status' });

  function item(e: Entry, best: number): HTMLElement {
    const { surface } = race;
    const { label, color } = makeRacer(e.name, e.values);
    const traj = e.runner?.trajectory;
    let detail: string;
    let badge: HTMLElement | null = null;
    if (e.error || !traj) {
      detail = 'not running';
      badge = el('span', { class: 'badge bad', title: e.error ?? '' }, 'error');
    } else if (traj.diverged) {
      detail = `step ${traj.diverged.step}`;
      const why = traj.diverged.reason === 'non-finite' ? 'the loss or a parameter became NaN/∞' : 'it left the map (far outside the window)';
      badge = el('span', { class: 'badge bad', title: `Diverged at step ${traj.diverged.step}: ${why}. Lower its learning rate.` }, 'diverged');
    } else {
      detail = fmtLoss(traj.finalLoss - best);
      const last = traj.points[traj.points.length - 1];
      const tol = 0.005 * (surface.domain.x[1] - surface.domain.x[0]);
      const near = surface.minima.find((m) => Math.hypot(last[0] - m[0], last[1] - m[1]) < tol);
      const global = near ? surface.fNumber(...near) - best < 1e-9 : traj.finalLoss - best < 1e-6;
      if (global) badge = el('span', { class: 'badge good', title: 'At the global minimum ★' }, 'at min');
      else if (near) badge = el('span', { class: 'badge', title: 'Stuck in a local minimum, not the global one' }, 'local min');
    }
    return el('li', { 'data-optimizer': e.name, class: traj?.diverged ? 'optimizers-diverged' : '' },
      el('span', { class: 'swatch', style: `background:${color}` }),
      el('span', { class: 'optimizers-legend-name' }, label),
      badge ?? el('span'),
      el('span', { class: 'optimizers-legend-detail mono' }, detail),
    );
  }

  const element = el('section', { class: 'card' },
    el('div', { class: 'optimizers-legend-header' }, el('h3', {}, 'Legend'), el('span', { class: 'muted' }, 'f − f* now')),
    legend,
  );

  return {
    element,
    update() {
      const best = race.surface.fNumber(...race.surface.minimum);
      legend.replaceChildren(...race.active().map((e) => item(e, best)));
      if (race.active().length === 0) legend.append(el('li', { class: 'muted' }, 'No optimizer enabled: tick one on the left.'));
    },
  };
}
