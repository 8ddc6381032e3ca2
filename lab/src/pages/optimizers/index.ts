/**
 * #/optimizers — the lecture's optimizers racing on 2-D loss surfaces. Every racer is one of nabla's
 * optimizer classes stepping a 2-element parameter tensor (RaceRunner: forward f, backward, step()), a few
 * steps per animation frame; the map shows the trails, the chart the loss per step on a log scale.
 *
 * This file assembles the page: the race (race-state.ts), its controls (controls.ts), the optimizers and
 * their hyperparameters (optimizer-list.ts), the map (race-map.ts), the legend and the loss chart.
 */
import './optimizers.css';
import type { Page } from '../page.js';
import { el } from '../../ui/dom.js';
import { readNumber } from '../../ui/url-state.js';
import { RaceState, ROUTE } from './race-state.js';
import { raceControls } from './controls.js';
import { optimizerList } from './optimizer-list.js';
import { raceMap } from './race-map.js';
import { raceLegend } from './legend.js';
import { lossChart } from './loss-chart.js';
import { explanation, intro } from './explanation.js';

export const optimizersPage: Page = {
  route: ROUTE,
  title: 'Optimizers',
  mount(root, params) {
    const race = new RaceState(params, (force) => render(force));

    const map = raceMap((p) => {
      race.start = p;
      map.setStart(p);
      race.reset();
      race.saveUrl();
      render();
    });
    const mapTitle = el('h2', { class: 'optimizers-map-title' });
    const mapFormula = el('div', { class: 'optimizers-map-formula muted mono' });
    const stepCounter = el('span', { class: 'optimizers-step mono', 'aria-live': 'off' });
    const controls = raceControls(race, changeSurface, render);
    const optimizers = optimizerList(race, render);
    const legend = raceLegend(race);
    const chart = lossChart(race);

    function changeSurface(): void {
      race.changeSurface();
      controls.showSurface(race.surfaceName);
      map.setSurface(race.surface);
      map.setStart(race.start);
      mapTitle.textContent = race.surface.title;
      mapFormula.textContent = race.surface.formula;
      optimizers.rebuild();
      race.reset();
      race.saveUrl();
      render(true);
    }

    function render(force = false): void {
      map.update(race.active().filter((e) => e.runner).map((e) => ({ name: e.name, trajectory: e.runner!.trajectory })), race.trails);
      legend.update();
      chart.update(force);
      stepCounter.textContent = `step ${race.t} / ${race.surface.steps}`;
      controls.update();
    }

    root.append(
      el('div', { class: 'optimizers-page' },
        intro(),
        el('div', { class: 'optimizers-layout' },
          el('aside', { class: 'optimizers-controls' }, controls.element, optimizers.element),
          el('section', { class: 'card optimizers-map-card' },
            el('div', { class: 'optimizers-map-header' }, mapTitle, stepCounter),
            mapFormula,
            map.element,
            el('p', { class: 'muted optimizers-map-key' }, '○ start (drag it) · ★ minimum · ● where each optimizer is now · ✕ where it diverged'),
          ),
          el('div', { class: 'optimizers-side' }, legend.element, chart.element),
        ),
        explanation(),
      ),
    );

    changeSurface();
    if (params.has('x') && params.has('y')) {
      // changeSurface moved the start to the surface's own; the URL's wins on load.
      const { x: [x0, x1], y: [y0, y1] } = race.surface.domain;
      race.start = [readNumber(params, 'x', race.start[0], x0, x1), readNumber(params, 'y', race.start[1], y0, y1)];
      map.setStart(race.start);
      race.reset();
      race.saveUrl();
      render(true);
    }

    return () => race.dispose();
  },
};
