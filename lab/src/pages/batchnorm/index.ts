/**
 * #/batchnorm — the same deep network with and without BatchNorm, trained side by side on a
 * spiral: loss curves, per-layer activation histograms, sensitivity to the initialization scale
 * and the learning rate, and one mini-batch through one BatchNorm unit.
 */
import './batchnorm.css';
import { lineChart, type Series } from '../../../../src/viz/line-chart.js';
import type { Page } from '../page.js';
import { button, el, logScale, select, slider } from '../../ui/dom.js';
import { readChoice, readNumber, writeHashState } from '../../ui/url-state.js';
import {
  ACTIVATIONS, BATCH_SIZE, CLASSES, CURVE_WINDOW, Experiment, MAX_STEPS, MOMENTUM, WIDTH, health,
  type Activation, type ExperimentSettings, type Health, type Net,
} from './experiment.js';
import { histogramGrid } from './histograms.js';
import { createMiniBatchPanel } from './minibatch-panel.js';

const ROUTE = 'batchnorm';
const COLORS = { plain: '#f28e2b', bn: '#4e79a7' };
const NAMES = { plain: 'plain', bn: 'with BatchNorm' };
/**
 * Defaults where the lecture's point shows: 8 sigmoid layers at LeCun's initialization. Sigmoid's
 * gradient is at most 1/4, so the plain network's gradient vanishes on the way back and it stays at
 * chance level (loss ≈ ln 3 after the 1500 steps); with BatchNorm it learns the spiral (≈ 0.15).
 * (With tanh at these settings both learn, and the plain one ends lower: no lesson.)
 */
export const DEFAULTS: ExperimentSettings = { activation: 'sigmoid', depth: 8, initScale: 1, lr: 0.05, seed: 1 };
const RENDER_EVERY_MS = 120;
const SLICE_MS = 12;

const HEALTH_TEXT: Record<Health, [string, string]> = {
  starting: ['starting', ''],
  learning: ['learning', 'good'],
  stuck: ['stuck at chance level', 'warn'],
  diverging: ['diverging', 'bad'],
  nan: ['NaN — diverged', 'bad'],
};

function readSettings(params: URLSearchParams): ExperimentSettings {
  return {
    activation: readChoice(params, 'act', ACTIVATIONS, DEFAULTS.activation),
    depth: Math.round(readNumber(params, 'depth', DEFAULTS.depth, 2, 12)),
    initScale: readNumber(params, 'scale', DEFAULTS.initScale, 0.01, 100),
    lr: readNumber(params, 'lr', DEFAULTS.lr, 1e-4, 10),
    seed: Math.round(readNumber(params, 'seed', DEFAULTS.seed, 0, 2 ** 31 - 1)),
  };
}

function mount(root: HTMLElement, params: URLSearchParams): () => void {
  let settings = readSettings(params);
  let experiment = new Experiment(settings);
  let playing = true;
  let frame = 0;
  let lastRender = 0;

  const page = el('div', { class: 'batchnorm' });
  const intro = el('section', { class: 'intro' },
    el('h1', {}, 'Batch Normalization'),
    el('p', {}, 'A deep network initialized at random easily starts with saturated or vanishing activations: tanh units stuck at ±1 or at 0 pass almost no gradient back, and the parameters barely move. ',
      el('strong', {}, 'BatchNorm'), ' makes each unit\'s activations unit Gaussian over the mini-batch: it computes the batch mean μ and variance σ², normalizes x̂ = (x − μ)/√(σ² + ε), then scales and shifts, y = γ·x̂ + β, with γ and β learned (so the network can undo it). It goes after a fully-connected (or convolutional) layer and before the nonlinearity.'),
    el('p', {}, `Below, the same deep network (hidden layers of width ${WIDTH}) is trained twice on the same mini-batches of a 3-class spiral, from the same initial weights, by SGD with momentum ${MOMENTUM}: once plain (Linear → activation), once with BatchNorm (Linear → BatchNorm → activation). With the defaults (8 sigmoid layers) the plain network's gradient vanishes on the way back — sigmoid's slope is at most 1/4 — and it stays at chance level, while the BatchNorm one learns. Push the initialization scale or the learning rate, or switch to tanh, and watch which one keeps training — BatchNorm improves gradient flow and removes most of the dependence on initialization.`),
  );

  // Controls.
  const activation = select<Activation>('Activation', ACTIVATIONS.map((a) => ({ value: a, text: a })), settings.activation, (v) => restart({ activation: v }));
  const depth = slider({ label: 'Hidden layers', min: 2, max: 12, step: 1, value: settings.depth, onInput: (v) => restart({ depth: v }) });
  const initScale = slider({
    label: 'Initialization scale', min: 0, max: 100, step: 1, value: settings.initScale, scale: logScale(0.05, 20),
    format: (v) => `×${Number(v.toPrecision(2))}`, onInput: (v) => restart({ initScale: Number(v.toPrecision(2)) }),
  });
  const lr = slider({
    label: 'Learning rate', min: 0, max: 100, step: 1, value: settings.lr, scale: logScale(0.001, 3),
    format: (v) => String(Number(v.toPrecision(2))), onInput: (v) => restart({ lr: Number(v.toPrecision(2)) }),
  });
  const playButton = button('Pause', () => setPlaying(!playing), { class: 'primary', 'aria-pressed': 'false' });
  const resetButton = button('Reset', () => restart({}));
  const presets = el('div', { class: 'batchnorm-presets' },
    ...([
      ['Defaults', { activation: DEFAULTS.activation, depth: DEFAULTS.depth, initScale: DEFAULTS.initScale, lr: DEFAULTS.lr }],
      // The three others are tanh experiments: saturation at ±1 (huge init), signals shrinking to 0
      // (tiny init), overshooting steps (high lr); with BatchNorm all three still learn.
      ['tanh, tiny init ×0.2', { activation: 'tanh', initScale: 0.2, lr: 0.05 }],
      ['tanh, huge init ×8', { activation: 'tanh', initScale: 8, lr: 0.05 }],
      ['tanh, high lr 0.5', { activation: 'tanh', initScale: 1, lr: 0.5 }],
    ] as [string, Partial<ExperimentSettings>][]).map(([text, change]) => button(text, () => restart(change))),
  );
  const stepText = el('span', { class: 'mono' }, '0');
  const badges = { plain: el('span', { class: 'badge' }), bn: el('span', { class: 'badge' }) };
  const controls = el('aside', { class: 'card batchnorm-controls' },
    el('h2', {}, 'Settings'),
    activation.root, depth.root, initScale.root, lr.root,
    el('p', { class: 'muted batchnorm-hint' }, 'Weights start as N(0, (scale/√fan-in)²); scale 1 is LeCun\'s initialization. Every change restarts both runs.'),
    el('div', { class: 'row' }, playButton, resetButton),
    el('h3', {}, 'Try'),
    presets,
    el('h3', {}, 'Status'),
    el('div', { class: 'status' }, 'step ', stepText, ` / ${MAX_STEPS} · batch ${BATCH_SIZE}`),
    el('div', { class: 'batchnorm-status-row' }, el('span', { class: 'swatch', style: `background:${COLORS.plain}` }), 'plain ', badges.plain),
    el('div', { class: 'batchnorm-status-row' }, el('span', { class: 'swatch', style: `background:${COLORS.bn}` }), 'BatchNorm ', badges.bn),
  );

  // Charts.
  const lossChart = el('div', { class: 'batchnorm-chart' });
  const lossNote = el('p', { class: 'batchnorm-loss-note', role: 'status' });
  const lossCard = el('section', { class: 'card' },
    el('h2', {}, 'Training loss'),
    el('p', { class: 'muted batchnorm-hint' }, `Cross-entropy, mean of every ${CURVE_WINDOW} mini-batches, log scale. The dashed line is chance level, ln ${CLASSES}.`),
    lossChart, lossNote);
  const hist = el('div', { class: 'batchnorm-hist-wrap' });
  const histCard = el('section', { class: 'card' },
    el('h2', {}, 'Activations per layer'),
    el('p', { class: 'muted batchnorm-hint' }, 'Histograms of each hidden layer\'s outputs (after the nonlinearity) on the current mini-batch, with their standard deviation σ, the share saturated (|tanh| > 0.99, sigmoid within 0.01 of 0 or 1) or dead (ReLU at 0), and the norm of the gradient ‖∂L/∂W‖ reaching the layer\'s weights.'),
    hist);
  const miniBatch = createMiniBatchPanel();

  page.append(intro, el('div', { class: 'layout' }, controls, el('div', {}, lossCard, histCard, miniBatch.root)));
  root.append(page);

  function setPlaying(on: boolean): void {
    playing = on && !experiment.done;
    playButton.textContent = playing ? 'Pause' : experiment.done ? 'Finished' : 'Play';
    playButton.disabled = experiment.done;
    playButton.setAttribute('aria-pressed', String(!playing));
    cancelAnimationFrame(frame);
    if (playing) frame = requestAnimationFrame(tick);
  }

  function restart(change: Partial<ExperimentSettings>): void {
    settings = { ...settings, ...change };
    depth.set(settings.depth);
    initScale.set(settings.initScale);
    lr.set(settings.lr);
    activation.select.value = settings.activation;
    writeHashState(ROUTE, { act: settings.activation, depth: settings.depth, scale: settings.initScale, lr: settings.lr, seed: settings.seed });
    experiment = new Experiment(settings);
    render();
    setPlaying(true);
  }

  function tick(now: number): void {
    const start = performance.now();
    while (!experiment.done && performance.now() - start < SLICE_MS) experiment.advance();
    if (experiment.done || now - lastRender > RENDER_EVERY_MS) {
      lastRender = now;
      render();
    }
    if (experiment.done) setPlaying(false);
    else if (playing) frame = requestAnimationFrame(tick);
  }

  function renderLoss(): void {
    const nets: [keyof typeof NAMES, Net][] = [['plain', experiment.plain], ['bn', experiment.bn]];
    const notes = nets.filter(([, n]) => n.diverged).map(([k, n]) => `${NAMES[k]}: the loss became NaN at step ${n.nanAt} — that run stopped there.`);
    lossNote.textContent = notes.join(' ');
    if (nets.every(([, n]) => n.curve.every(([, v]) => !Number.isFinite(v)))) {
      lossChart.innerHTML = `<p class="muted">${experiment.done ? 'No finite loss to plot.' : 'Training…'}</p>`;
      return;
    }
    const last = experiment.step;
    const series: Series[] = nets.map(([k, n]) => ({ name: NAMES[k], color: COLORS[k], points: n.curve.slice() }));
    series.push({ name: `chance (ln ${CLASSES})`, color: '#9aa5b1', points: [[0, Math.log(CLASSES)], [last, Math.log(CLASSES)]], dashed: true });
    lossChart.innerHTML = `<svg viewBox="0 0 880 290" width="100%" role="img" aria-label="Loss curves">${lineChart({
      title: '', xLabel: 'step', yLabel: 'loss (log scale)', series, width: 880, height: 290, logY: true,
    })}</svg>`;
  }

  function render(): void {
    const { plain, bn } = experiment;
    page.dataset.step = String(experiment.step);
    page.dataset.lossPlain = String(plain.recentLoss());
    page.dataset.lossBn = String(bn.recentLoss());
    page.dataset.healthPlain = health(plain);
    page.dataset.healthBn = health(bn);
    stepText.textContent = String(experiment.step);
    for (const [k, n] of [['plain', plain], ['bn', bn]] as const) {
      const [text, kind] = HEALTH_TEXT[health(n)];
      const loss = n.recentLoss();
      badges[k].textContent = n.diverged ? `${text} at step ${n.nanAt}` : Number.isFinite(loss) ? `${text} · loss ${loss.toFixed(3)}` : text;
      badges[k].className = `badge ${kind}`;
    }
    renderLoss();
    hist.innerHTML = histogramGrid(
      [
        { name: 'plain', color: COLORS.plain, layers: plain.layers, note: plain.diverged ? `loss became NaN at step ${plain.nanAt}: training stopped` : undefined },
        { name: 'BatchNorm', color: COLORS.bn, layers: bn.layers, note: bn.diverged ? `loss became NaN at step ${bn.nanAt}: training stopped` : undefined },
      ],
      settings.activation, settings.depth,
    );
    miniBatch.update(bn);
  }

  render();
  setPlaying(true);
  return () => {
    playing = false;
    cancelAnimationFrame(frame);
  };
}

export const batchnormPage: Page = { route: ROUTE, title: 'BatchNorm', mount };
