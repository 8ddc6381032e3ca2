/**
 * The Optimizers card: a checkbox per optimizer (race it or not) and, behind its α button, a panel of
 * sliders for its learning rate and other hyperparameters. A changed value restarts that racer.
 */
import { button, checkbox, el, slider } from '../../ui/dom.js';
import { learningRate, makeRacer, RACER_NAMES, SPECS, type Hyperparameter, type RacerName } from './optimizer-specs.js';
import type { Entry, RaceState } from './race-state.js';

export interface OptimizerList {
  element: HTMLElement;
  /** Redraws every row for the race's surface (its learning-rate sliders are tuned per surface). */
  rebuild(): void;
}

export function optimizerList(race: RaceState, render: (force?: boolean) => void): OptimizerList {
  const list = el('ul', { class: 'optimizers-list' });
  /** Whose hyperparameter panel is open, kept across rebuilds. */
  const expanded = new Set<RacerName>();

  function hyperSlider(e: Entry, h: Hyperparameter, onValue: () => void): HTMLElement {
    return slider({
      label: h.label,
      min: h.min,
      max: h.max,
      step: h.step,
      scale: h.scale,
      format: h.format,
      value: e.values[h.key],
      onInput: (v) => {
        e.values[h.key] = v;
        onValue();
        if (race.enabled.has(e.name)) race.restartSoon(e);
      },
    }).root;
  }

  function row(name: RacerName): HTMLElement {
    const e = race.entries.get(name)!;
    const { label, color } = makeRacer(name, e.values);
    const lrHyper = learningRate(race.surface, name);
    const lrText = el('span', { class: 'optimizers-lr mono' });
    const showLr = () => (lrText.textContent = `α ${lrHyper.format!(e.values.lr)}`);
    showLr();
    const box = checkbox(label, race.enabled.has(name), (on) => {
      if (on) {
        race.enabled.add(name);
        race.startRunner(e);
      } else {
        race.enabled.delete(name);
        e.runner = null;
      }
      race.saveUrl();
      render(true);
    });
    box.input.dataset.optimizer = name;
    box.input.after(el('span', { class: 'swatch', style: `background:${color}` }));
    const panelId = `optimizers-hyper-${name}`;
    const panel = el('div', { class: 'optimizers-hyper', id: panelId },
      hyperSlider(e, lrHyper, showLr),
      ...SPECS[name].extra.map((h) => hyperSlider(e, h, () => {})),
    );
    panel.hidden = !expanded.has(name);
    const toggle = button('', () => {
      panel.hidden = !panel.hidden;
      if (panel.hidden) expanded.delete(name);
      else expanded.add(name);
      toggle.setAttribute('aria-expanded', String(!panel.hidden));
    }, { class: 'optimizers-tune', 'aria-expanded': String(!panel.hidden), 'aria-controls': panelId, 'aria-label': `Hyperparameters of ${label}` });
    toggle.append(lrText, el('span', { class: 'optimizers-chevron', 'aria-hidden': 'true' }, '▾'));
    return el('li', { 'data-optimizer': name }, el('div', { class: 'optimizers-row' }, box.root, toggle), panel);
  }

  const element = el('section', { class: 'card', 'aria-label': 'Optimizers and their hyperparameters' },
    el('h3', {}, 'Optimizers'),
    el('p', { class: 'muted optimizers-hint' }, 'Tick to race; the α button opens the hyperparameters.'),
    list,
  );

  return {
    element,
    rebuild() {
      list.replaceChildren(...RACER_NAMES.map((name) => row(name)));
    },
  };
}
