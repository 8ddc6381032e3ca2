/** The Race card: the loss surface and its κ, the speed, Play/Pause, Step, Reset, the trails switch and the status line. */
import { button, checkbox, el, logScale, select, slider } from '../../ui/dom.js';
import { SURFACE_NAMES, type SurfaceName } from '../../../../src/viz/surfaces/index.js';
import { fmtCoord, kappaValue, type RaceState } from './race-state.js';

const SURFACE_LABELS: Record<SurfaceName, string> = {
  quadratic: 'Ill-conditioned bowl',
  rosenbrock: 'Rosenbrock valley',
  beale: 'Beale',
  saddle: 'Saddle point',
  wells: 'Gaussian wells',
};

export interface RaceControls {
  element: HTMLElement;
  /** Shows the κ slider on the bowl only. */
  showSurface(name: SurfaceName): void;
  /** The buttons' labels and states, and the status line. */
  update(): void;
}

/** `changeSurface` rebuilds the page for the race's surface and κ; `render` redraws it. */
export function raceControls(race: RaceState, changeSurface: () => void, render: (force?: boolean) => void): RaceControls {
  const status = el('p', { class: 'status', 'aria-live': 'polite' });

  const surfaceSelect = select(
    'Loss surface',
    SURFACE_NAMES.map((n) => ({ value: n, text: SURFACE_LABELS[n] })),
    race.surfaceName,
    (v) => {
      race.surfaceName = v;
      changeSurface();
    },
  );
  const kappaSlider = slider({
    label: 'Condition number κ',
    min: 0,
    max: 100,
    step: 1,
    value: race.kappa,
    scale: logScale(1, 200),
    format: (v) => String(kappaValue(v)),
    onInput: (v) => {
      race.kappa = kappaValue(v);
      changeSurface();
    },
  });
  kappaSlider.root.classList.add('optimizers-kappa');
  const speedSlider = slider({
    label: 'Speed (steps per second)',
    min: 0,
    max: 100,
    step: 1,
    value: race.speed,
    scale: logScale(1, 500),
    format: (v) => String(Math.round(v)),
    onInput: (v) => {
      race.speed = Math.round(v);
      race.saveUrl();
    },
  });
  const playButton = button('Play', () => (race.playing ? race.pause() : race.play()), { class: 'primary optimizers-play' });
  const stepButton = button('Step', () => {
    race.playing = false;
    if (race.t >= race.surface.steps) return;
    if (race.running()) race.stepOnce();
    render(true);
  }, { class: 'optimizers-step-button', title: 'One optimizer step for every racer' });
  const resetButton = button('Reset', () => {
    race.playing = false;
    race.reset();
    render(true);
  }, { class: 'optimizers-reset' });
  const trailsBox = checkbox('Show full trails', race.trails, (v) => {
    race.trails = v;
    race.saveUrl();
    render(true);
  });

  const element = el('section', { class: 'card', 'aria-label': 'Race controls' },
    el('h3', {}, 'Race'),
    surfaceSelect.root,
    kappaSlider.root,
    speedSlider.root,
    el('div', { class: 'row optimizers-buttons' }, playButton, stepButton, resetButton),
    trailsBox.root,
    status,
  );

  return {
    element,
    showSurface(name) {
      kappaSlider.root.hidden = name !== 'quadratic';
    },
    update() {
      const { t, playing, start } = race;
      const { steps } = race.surface;
      playButton.textContent = playing ? 'Pause' : t >= steps ? 'Replay' : 'Play';
      playButton.setAttribute('aria-pressed', String(playing));
      stepButton.disabled = t >= steps || !race.running();
      const diverged = race.active().filter((e) => e.runner?.diverged).map((e) => e.runner!.trajectory.label);
      status.textContent =
        race.active().length === 0 ? 'Enable at least one optimizer to race.'
        : t >= steps ? `Finished: ${steps} steps from (${fmtCoord(start[0])}, ${fmtCoord(start[1])}).`
        : diverged.length > 0 ? `Diverged: ${diverged.join(', ')} (lower the learning rate).`
        : playing ? 'Racing…' : `Start (${fmtCoord(start[0])}, ${fmtCoord(start[1])}): drag the ○ on the map, or focus it and use the arrow keys.`;
    },
  };
}
