/**
 * #/optimizers — the lecture's optimizers racing on 2-D loss surfaces. Every racer is one of nabla's
 * optimizer classes stepping a 2-element parameter tensor (RaceRunner: forward f, backward, step()), a few
 * steps per animation frame; the map shows the trails, the chart the loss per step on a log scale.
 */
import './optimizers.css';
import type { Page } from '../page.js';
import { button, checkbox, el, logScale, select, slider } from '../../ui/dom.js';
import { readBool, readChoice, readNumber, writeHashState } from '../../ui/url-state.js';
import { lineChart } from '../../../../src/viz/line-chart.js';
import { RaceRunner } from '../../../../src/viz/race-runner.js';
import { makeSurface, SURFACE_NAMES, type Point, type Surface, type SurfaceName } from '../../../../src/viz/surfaces/index.js';
import { defaultValues, learningRate, makeRacer, RACER_NAMES, SPECS, type Hyperparameter, type RacerName, type Values } from './optimizer-specs.js';
import { raceMap } from './race-map.js';
import { explanation, intro } from './explanation.js';

const ROUTE = 'optimizers';
/** The lecture's seven; Nesterov and AdamW are one click away. */
const DEFAULT_ENABLED: RacerName[] = ['gd', 'momentum', 'adagrad', 'rmsprop', 'adam', 'adadelta', 'ftrl'];
const SURFACE_LABELS: Record<SurfaceName, string> = {
  quadratic: 'Ill-conditioned bowl',
  rosenbrock: 'Rosenbrock valley',
  beale: 'Beale',
  saddle: 'Saddle point',
  wells: 'Gaussian wells',
};
/** Milliseconds of optimizer steps per animation frame at most: the page stays responsive at any speed. */
const FRAME_BUDGET = 10;
const CHART_INTERVAL = 100;

interface Entry {
  name: RacerName;
  values: Values;
  runner: RaceRunner | null;
  /** Why the optimizer could not be built (shown as a badge), if it could not. */
  error: string | null;
}

const fmtCoord = (v: number) => String(Number(v.toFixed(3)));
function fmtLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

function kappaValue(v: number): number {
  return v >= 10 ? Math.round(v) : Math.round(v * 10) / 10;
}

export const optimizersPage: Page = {
  route: ROUTE,
  title: 'Optimizers',
  mount(root, params) {
    // ---- state (from the URL hash where it matters) ----
    let surfaceName = readChoice(params, 'surface', SURFACE_NAMES, 'quadratic');
    let kappa = kappaValue(readNumber(params, 'kappa', 50, 1, 1000));
    let speed = readNumber(params, 'speed', 30, 1, 500);
    let trails = readBool(params, 'trails', true);
    const optParam = params.get('opt');
    const enabled = new Set<RacerName>(
      optParam === null ? DEFAULT_ENABLED : RACER_NAMES.filter((n) => optParam.split(',').includes(n)),
    );
    let surface: Surface = build(surfaceName);
    let start: Point = surface.start;
    const entries = new Map<RacerName, Entry>(RACER_NAMES.map((name) => [name, { name, values: defaultValues(surface, name), runner: null, error: null }]));
    /** Steps taken by the race (every runner that has not diverged has taken this many). */
    let t = 0;
    let playing = false;
    let raf = 0;
    let lastFrame = 0;
    let carry = 0;
    let lastChart = 0;

    function build(name: SurfaceName): Surface {
      return makeSurface(name, name === 'quadratic' ? { condition: kappa } : {});
    }

    function saveUrl(): void {
      writeHashState(ROUTE, {
        surface: surfaceName,
        kappa,
        x: fmtCoord(start[0]),
        y: fmtCoord(start[1]),
        opt: RACER_NAMES.filter((n) => enabled.has(n)).join(','),
        speed,
        trails: trails ? 1 : 0,
      });
    }

    // ---- the race ----
    function startRunner(e: Entry): void {
      e.runner = null;
      e.error = null;
      try {
        const r = new RaceRunner(surface, makeRacer(e.name, e.values), start, '#333');
        for (let k = 0; k < t && r.step(); k++);
        e.runner = r;
      } catch (err) {
        e.error = err instanceof Error ? err.message : String(err);
      }
    }

    // A slider sends many input events per frame, and a restart replays every step so far: coalesce them.
    const pendingRestarts = new Set<Entry>();
    let restartFrame = 0;
    function restartSoon(e: Entry): void {
      pendingRestarts.add(e);
      restartFrame ||= requestAnimationFrame(() => {
        restartFrame = 0;
        for (const p of pendingRestarts) if (enabled.has(p.name)) startRunner(p);
        pendingRestarts.clear();
        render(true);
      });
    }

    function active(): Entry[] {
      return RACER_NAMES.filter((n) => enabled.has(n)).map((n) => entries.get(n)!);
    }

    function resetRace(): void {
      t = 0;
      carry = 0;
      for (const e of entries.values()) e.runner = null;
      for (const e of active()) startRunner(e);
    }

    function running(): boolean {
      return active().some((e) => e.runner && !e.runner.diverged);
    }

    function stepOnce(): void {
      for (const e of active()) e.runner?.step();
      t++;
    }

    function tick(now: number): void {
      raf = 0;
      if (!playing) return;
      const dt = lastFrame ? Math.min(now - lastFrame, 100) : 1000 / 60;
      lastFrame = now;
      carry += (speed * dt) / 1000;
      const until = performance.now() + FRAME_BUDGET;
      while (carry >= 1 && t < surface.steps && running() && performance.now() < until) {
        stepOnce();
        carry -= 1;
      }
      carry = Math.min(carry, 1); // what the budget cut off is dropped, not queued
      if (t >= surface.steps || !running()) playing = false;
      render();
      if (playing) raf = requestAnimationFrame(tick);
    }

    function play(): void {
      if (t >= surface.steps || !running()) resetRace();
      if (!running()) return;
      playing = true;
      lastFrame = 0;
      raf ||= requestAnimationFrame(tick);
      render();
    }

    function pause(): void {
      playing = false;
      render();
    }

    // ---- the view ----
    const map = raceMap((p) => {
      start = p;
      map.setStart(p);
      resetRace();
      saveUrl();
      render();
    });
    const mapTitle = el('h2', { class: 'optimizers-map-title' });
    const mapFormula = el('div', { class: 'optimizers-map-formula muted mono' });
    const stepCounter = el('span', { class: 'optimizers-step mono', 'aria-live': 'off' });
    const legend = el('ul', { class: 'optimizers-legend', 'aria-label': 'Optimizers: current loss and status' });
    const chart = el('div', { class: 'optimizers-chart', role: 'img', 'aria-label': 'Loss per step, log scale' });
    const status = el('p', { class: 'status', 'aria-live': 'polite' });

    const surfaceSelect = select(
      'Loss surface',
      SURFACE_NAMES.map((n) => ({ value: n, text: SURFACE_LABELS[n] })),
      surfaceName,
      (v) => {
        surfaceName = v;
        changeSurface();
      },
    );
    const kappaSlider = slider({
      label: 'Condition number κ',
      min: 0,
      max: 100,
      step: 1,
      value: kappa,
      scale: logScale(1, 200),
      format: (v) => String(kappaValue(v)),
      onInput: (v) => {
        kappa = kappaValue(v);
        changeSurface();
      },
    });
    kappaSlider.root.classList.add('optimizers-kappa');
    const speedSlider = slider({
      label: 'Speed (steps per second)',
      min: 0,
      max: 100,
      step: 1,
      value: speed,
      scale: logScale(1, 500),
      format: (v) => String(Math.round(v)),
      onInput: (v) => {
        speed = Math.round(v);
        saveUrl();
      },
    });
    const playButton = button('Play', () => (playing ? pause() : play()), { class: 'primary optimizers-play' });
    const stepButton = button('Step', () => {
      playing = false;
      if (t >= surface.steps) return;
      if (running()) stepOnce();
      render(true);
    }, { class: 'optimizers-step-button', title: 'One optimizer step for every racer' });
    const resetButton = button('Reset', () => {
      playing = false;
      resetRace();
      render(true);
    }, { class: 'optimizers-reset' });
    const trailsBox = checkbox('Show full trails', trails, (v) => {
      trails = v;
      saveUrl();
      render(true);
    });

    const optimizerList = el('ul', { class: 'optimizers-list' });
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
          if (enabled.has(e.name)) restartSoon(e);
        },
      }).root;
    }

    function renderOptimizerList(): void {
      optimizerList.replaceChildren(
        ...RACER_NAMES.map((name) => {
          const e = entries.get(name)!;
          const { label, color } = makeRacer(name, e.values);
          const lrHyper = learningRate(surface, name);
          const lrText = el('span', { class: 'optimizers-lr mono' });
          const showLr = () => (lrText.textContent = `α ${lrHyper.format!(e.values.lr)}`);
          showLr();
          const box = checkbox(label, enabled.has(name), (on) => {
            if (on) {
              enabled.add(name);
              startRunner(e);
            } else {
              enabled.delete(name);
              e.runner = null;
            }
            saveUrl();
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
        }),
      );
    }

    function changeSurface(): void {
      surface = build(surfaceName);
      start = surface.start;
      kappaSlider.root.hidden = surfaceName !== 'quadratic';
      // Learning rates are tuned per surface (GD's is 1.9/κ on the bowl); the other hyperparameters stay.
      for (const e of entries.values()) e.values.lr = surface.learningRates[e.name];
      map.setSurface(surface);
      map.setStart(start);
      mapTitle.textContent = surface.title;
      mapFormula.textContent = surface.formula;
      renderOptimizerList();
      resetRace();
      saveUrl();
      render(true);
    }

    function renderLegend(): void {
      const best = surface.fNumber(...surface.minimum);
      legend.replaceChildren(
        ...active().map((e) => {
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
        }),
      );
      if (active().length === 0) legend.append(el('li', { class: 'muted' }, 'No optimizer enabled: tick one on the left.'));
    }

    function renderChart(): void {
      const best = surface.fNumber(...surface.minimum);
      const series = active()
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
        xDomain: [0, Math.max(t, 10)],
      })}</svg>`;
    }

    function render(force = false): void {
      map.update(active().filter((e) => e.runner).map((e) => ({ name: e.name, trajectory: e.runner!.trajectory })), trails);
      renderLegend();
      const now = performance.now();
      if (force || !playing || now - lastChart > CHART_INTERVAL) {
        renderChart();
        lastChart = now;
      }
      stepCounter.textContent = `step ${t} / ${surface.steps}`;
      playButton.textContent = playing ? 'Pause' : t >= surface.steps ? 'Replay' : 'Play';
      playButton.setAttribute('aria-pressed', String(playing));
      stepButton.disabled = t >= surface.steps || !running();
      const diverged = active().filter((e) => e.runner?.diverged).map((e) => e.runner!.trajectory.label);
      status.textContent =
        active().length === 0 ? 'Enable at least one optimizer to race.'
        : t >= surface.steps ? `Finished: ${surface.steps} steps from (${fmtCoord(start[0])}, ${fmtCoord(start[1])}).`
        : diverged.length > 0 ? `Diverged: ${diverged.join(', ')} (lower the learning rate).`
        : playing ? 'Racing…' : `Start (${fmtCoord(start[0])}, ${fmtCoord(start[1])}): drag the ○ on the map, or focus it and use the arrow keys.`;
    }

    // ---- layout ----
    root.append(
      el('div', { class: 'optimizers-page' },
        intro(),
        el('div', { class: 'optimizers-layout' },
          el('aside', { class: 'optimizers-controls' },
            el('section', { class: 'card', 'aria-label': 'Race controls' },
              el('h3', {}, 'Race'),
              surfaceSelect.root,
              kappaSlider.root,
              speedSlider.root,
              el('div', { class: 'row optimizers-buttons' }, playButton, stepButton, resetButton),
              trailsBox.root,
              status,
            ),
            el('section', { class: 'card', 'aria-label': 'Optimizers and their hyperparameters' },
              el('h3', {}, 'Optimizers'),
              el('p', { class: 'muted optimizers-hint' }, 'Tick to race; the α button opens the hyperparameters.'),
              optimizerList,
            ),
          ),
          el('section', { class: 'card optimizers-map-card' },
            el('div', { class: 'optimizers-map-header' }, mapTitle, stepCounter),
            mapFormula,
            map.element,
            el('p', { class: 'muted optimizers-map-key' }, '○ start (drag it) · ★ minimum · ● where each optimizer is now · ✕ where it diverged'),
          ),
          el('div', { class: 'optimizers-side' },
            el('section', { class: 'card' }, el('div', { class: 'optimizers-legend-header' }, el('h3', {}, 'Legend'), el('span', { class: 'muted' }, 'f − f* now')), legend),
            el('section', { class: 'card' }, chart),
          ),
        ),
        explanation(),
      ),
    );

    changeSurface();
    if (params.has('x') && params.has('y')) {
      // changeSurface moved the start to the surface's own; the URL's wins on load.
      const { x: [x0, x1], y: [y0, y1] } = surface.domain;
      start = [readNumber(params, 'x', start[0], x0, x1), readNumber(params, 'y', start[1], y0, y1)];
      map.setStart(start);
      resetRace();
      saveUrl();
      render(true);
    }

    return () => {
      playing = false;
      if (raf) cancelAnimationFrame(raf);
      if (restartFrame) cancelAnimationFrame(restartFrame);
      raf = restartFrame = 0;
    };
  },
};
