/**
 * #/playground — TensorFlow Playground's idea on nabla: 2-D data sets, a network editor, any
 * optimizer, the decision map live, training and test loss curves, and the whole state in the
 * URL hash so a link reproduces the run.
 */
import './playground.css';
import { lineChart } from '../../../../src/viz/line-chart.js';
import type { Page } from '../page.js';
import { button, checkbox, el, logScale, select, slider, uid } from '../../ui/dom.js';
import { writeHashState } from '../../ui/url-state.js';
import { CLASS_COLORS, GRID, clearCanvas, paintProbabilities, pointsSvg } from './boundary.js';
import { OPTIMIZER_LABELS } from './model.js';
import { createNetworkEditor } from './network-editor.js';
import { classNames, downloadBytes, onnxFileName, playgroundOnnx } from './onnx.js';
import {
  DATASETS, DEFAULT_LR, OPTIMIZERS, readState, toHash,
  type DatasetName, type OptimizerName, type PlaygroundState,
} from './state.js';
import { Trainer } from './trainer.js';

const ROUTE = 'playground';
const SLICE_MS = 12;
const RENDER_EVERY_MS = 100;

const DATASET_TEXT: Record<DatasetName, string> = {
  spiral: 'Spiral (3 classes)', moons: 'Moons', circles: 'Circles', xor: 'XOR', gaussians: 'Gaussians',
};

function mount(root: HTMLElement, params: URLSearchParams): () => void {
  let state: PlaygroundState = readState(params);
  let trainer!: Trainer;
  let playing = false;
  let frame = 0;
  let lastRender = 0;
  let showTest = true;
  let failure: string | null = null;

  const page = el('div', { class: 'playground' });
  const intro = el('section', { class: 'intro' },
    el('h1', {}, 'Playground'),
    el('p', {}, 'Train a small network on a 2-D data set and watch its decision regions form. Each step is the lecture\'s loop: the forward pass computes the cross-entropy of a mini-batch, the backward pass every parameter\'s gradient, then the optimizer updates them (W := W − α·dL/dW for plain SGD). Test points (dark rim) are never trained on. The URL holds the whole setup: the same link gives the same run.'),
  );

  // Toolbar: run controls, counters, optimizer.
  const playButton = button('Play', () => setPlaying(!playing), { class: 'primary', 'data-action': 'play' });
  const stepButton = button('Step', () => {
    setPlaying(false);
    runSteps(1);
    render();
  }, { 'data-action': 'step' });
  const resetButton = button('Reset', () => restart(false), { 'data-action': 'reset' });
  const onnxButton = button('Download ONNX', downloadOnnx, {
    'data-action': 'download-onnx',
    title: 'The current network (eval mode) as an .onnx file: raw x, y in (the standardization is inside the graph), class logits out',
  });
  const onnxError = el('span', { class: 'playground-onnx-error', role: 'alert' });
  const epochText = el('span', { class: 'mono', 'data-counter': 'epoch' }, '0');
  const stepText = el('span', { class: 'mono', 'data-counter': 'step' }, '0');
  const trainLossText = el('span', { class: 'mono' }, '–');
  const testLossText = el('span', { class: 'mono' }, '–');
  const badge = el('span', { class: 'badge', role: 'status' });
  const optimizer = select<OptimizerName>('Optimizer', OPTIMIZERS.map((o) => ({ value: o, text: OPTIMIZER_LABELS[o] })), state.optimizer, (v) => {
    state = { ...state, optimizer: v, lr: DEFAULT_LR[v] };
    lr.set(state.lr);
    restart(true);
  });
  optimizer.select.dataset.control = 'optimizer';
  const lr = slider({
    label: 'Learning rate', min: 0, max: 120, step: 1, value: state.lr, scale: logScale(1e-4, 10, 120),
    format: (v) => String(Number(v.toPrecision(2))),
    onInput: (v) => {
      state = { ...state, lr: Number(v.toPrecision(2)) };
      trainer.setLearningRate(state.lr);
      saveHash();
    },
  });
  const batch = slider({
    label: 'Batch size', min: 0, max: 7, step: 1, value: state.batchSize,
    scale: { toValue: (p) => 2 ** p, toPosition: (v) => Math.round(Math.log2(v)) },
    onInput: (v) => {
      state = { ...state, batchSize: v };
      restart(true);
    },
  });
  const batchNote = el('div', { class: 'status playground-batch-note' });
  const toolbar = el('section', { class: 'card playground-toolbar' },
    el('div', { class: 'row playground-run' }, playButton, stepButton, resetButton, onnxButton, onnxError,
      el('div', { class: 'playground-counters' },
        el('span', {}, 'Epoch ', epochText), el('span', {}, 'Step ', stepText),
        el('span', {}, 'Training loss ', trainLossText), el('span', {}, 'Test loss ', testLossText)),
      badge),
    el('div', { class: 'playground-hyper' },
      optimizer.root, lr.root, el('div', {}, batch.root, batchNote),
      el('div', {}, el('label', {}, 'Loss'), el('div', { class: 'playground-fixed' }, 'cross-entropy'))),
  );

  // Data.
  const dataset = select<DatasetName>('Data set', DATASETS.map((d) => ({ value: d, text: DATASET_TEXT[d] })), state.dataset, (v) => {
    state = { ...state, dataset: v };
    restart(true);
  });
  dataset.select.dataset.control = 'dataset';
  const noise = slider({
    label: 'Noise', min: 0, max: 0.5, step: 0.01, value: state.noise,
    onInput: (v) => {
      state = { ...state, noise: v };
      restart(true);
    },
  });
  const split = slider({
    label: 'Training data', min: 10, max: 90, step: 5, value: state.trainPercent, format: (v) => `${v}%`,
    onInput: (v) => {
      state = { ...state, trainPercent: v };
      restart(true);
    },
  });
  const seedId = uid('seed');
  const seedInput = el('input', { type: 'number', id: seedId, min: 0, step: 1, value: state.seed, 'data-control': 'seed' });
  seedInput.addEventListener('change', () => {
    const v = Math.round(Number(seedInput.value));
    if (!Number.isFinite(v) || v < 0 || v > 2 ** 31 - 1) {
      seedInput.value = String(state.seed);
      return;
    }
    state = { ...state, seed: v };
    restart(true);
  });
  const newSeed = button('New seed', () => {
    state = { ...state, seed: Math.floor(Math.random() * 1e6) };
    seedInput.value = String(state.seed);
    restart(true);
  });
  const testToggle = checkbox('Show test data', showTest, (v) => {
    showTest = v;
    drawPoints();
  });
  const dataCard = el('section', { class: 'card playground-data' },
    el('h2', {}, 'Data'),
    dataset.root, noise.root, split.root,
    el('label', { for: seedId }, 'Seed'),
    el('div', { class: 'playground-seed' }, seedInput, newSeed),
    testToggle.root,
    el('p', { class: 'muted playground-hint' }, 'The seed fixes the points, the train/test split, the initial weights and the order of the mini-batches.'),
  );

  // Network.
  const editor = createNetworkEditor((layers, batchNorm) => {
    state = { ...state, layers, batchNorm };
    restart(true);
  });

  // Output: the decision map and the loss curves.
  const canvas = el('canvas', { width: GRID, height: GRID, class: 'playground-canvas', 'aria-hidden': 'true' });
  const pointsLayer = el('div', { class: 'playground-points-layer' });
  const legend = el('div', { class: 'legend playground-legend' });
  const chart = el('div', { class: 'playground-chart' });
  const output = el('section', { class: 'card playground-output' },
    el('h2', {}, 'Output'),
    el('div', { class: 'playground-map' }, canvas, pointsLayer),
    legend,
  );
  const lossCard = el('section', { class: 'card playground-loss' },
    el('h2', {}, 'Loss'),
    el('p', { class: 'muted playground-hint' }, 'Cross-entropy on the whole training set and on the held-out test set (eval mode, no gradients), every 10 steps. A test curve that turns up while the training curve keeps falling is overfitting.'),
    chart);

  page.append(intro, toolbar, el('div', { class: 'playground-grid' }, dataCard, el('div', { class: 'playground-middle' }, editor.root, lossCard), output));
  root.append(page);

  function saveHash(): void {
    writeHashState(ROUTE, toHash(state));
  }

  function restart(keepPlaying: boolean): void {
    failure = null;
    onnxError.textContent = '';
    try {
      trainer = new Trainer(state);
    } catch (e) {
      failure = (e as Error).message;
    }
    saveHash();
    syncControls();
    drawPoints();
    render();
    setPlaying(keepPlaying && playing);
  }

  function syncControls(): void {
    dataset.select.value = state.dataset;
    noise.set(state.noise);
    split.set(state.trainPercent);
    optimizer.select.value = state.optimizer;
    lr.set(state.lr);
    batch.set(state.batchSize);
    seedInput.value = String(state.seed);
    editor.sync(state.layers, state.batchNorm, trainer?.classes ?? 2);
    batchNote.textContent = trainer && trainer.batchSize !== state.batchSize
      ? `using ${trainer.batchSize}: ${state.batchNorm && state.batchSize < 2 ? 'BatchNorm needs at least 2 samples per batch' : 'the whole training set'}`
      : '';
    legend.replaceChildren(
      ...Array.from({ length: trainer?.classes ?? 2 }, (_, c) => el('span', {}, el('span', { class: 'swatch', style: `background:${CLASS_COLORS[c]}` }), `class ${c}`)),
      el('span', {}, el('span', { class: 'swatch playground-swatch-train' }), 'training point'),
      el('span', {}, el('span', { class: 'swatch playground-swatch-test' }), 'test point'),
    );
  }

  function drawPoints(): void {
    if (!trainer) return;
    pointsLayer.innerHTML = pointsSvg(trainer.xy, trainer.labels, trainer.isTest, trainer.domain, showTest);
  }

  function setPlaying(on: boolean): void {
    playing = on && !failure && !trainer?.diverged;
    playButton.textContent = playing ? 'Pause' : 'Play';
    playButton.setAttribute('aria-pressed', String(playing));
    playButton.disabled = failure !== null || Boolean(trainer?.diverged);
    // A failed or diverged (NaN) network has nothing worth exporting.
    onnxButton.disabled = playButton.disabled || !trainer;
    cancelAnimationFrame(frame);
    renderStatus();
    if (playing) frame = requestAnimationFrame(tick);
  }

  /** Exports between two steps (clicks are handled between animation frames); training goes on unchanged. */
  function downloadOnnx(): void {
    if (!trainer || failure || trainer.diverged) return;
    onnxError.textContent = '';
    try {
      downloadBytes(playgroundOnnx(trainer), onnxFileName(trainer));
    } catch (e) {
      onnxError.textContent = `ONNX export failed: ${(e as Error).message}`;
    }
  }

  function runSteps(max: number): void {
    if (failure || trainer.diverged) return;
    const start = performance.now();
    try {
      for (let i = 0; i < max && !trainer.diverged; i++) {
        trainer.advance();
        if (performance.now() - start > SLICE_MS) break;
      }
    } catch (e) {
      failure = (e as Error).message;
    }
  }

  function tick(now: number): void {
    // At most an epoch per frame (as TensorFlow Playground), so the regions visibly form.
    runSteps(trainer.stepsPerEpoch);
    if (now - lastRender > RENDER_EVERY_MS || trainer.diverged || failure) {
      lastRender = now;
      render();
    }
    if (trainer.diverged || failure) setPlaying(false);
    else if (playing) frame = requestAnimationFrame(tick);
  }

  function render(): void {
    renderStatus();
    if (!trainer) return;
    try {
      paintProbabilities(canvas, trainer.predictGrid(GRID), trainer.classes);
    } catch {
      clearCanvas(canvas);
    }
    editor.drawWeights(trainer.network.linears);
    renderChart();
  }

  /** Counters, losses and the badge (also exposed as data attributes). */
  function renderStatus(): void {
    if (!trainer) {
      badge.className = 'badge bad';
      badge.textContent = failure ?? '';
      return;
    }
    const last = trainer.history.at(-1)!;
    page.dataset.step = String(trainer.step);
    page.dataset.epoch = String(trainer.epoch);
    page.dataset.trainLoss = String(last[1]);
    page.dataset.testLoss = String(last[2]);
    page.dataset.diverged = String(trainer.diverged);
    epochText.textContent = String(trainer.epoch);
    stepText.textContent = String(trainer.step);
    trainLossText.textContent = Number.isFinite(last[1]) ? last[1].toFixed(3) : String(last[1]);
    testLossText.textContent = Number.isFinite(last[2]) ? last[2].toFixed(3) : String(last[2]);
    if (failure) {
      badge.className = 'badge bad';
      badge.textContent = `Stopped: ${failure}`;
    } else if (trainer.diverged) {
      badge.className = 'badge bad';
      badge.textContent = `Diverged: the loss became NaN at step ${trainer.divergedAt} — lower the learning rate and reset`;
    } else {
      badge.className = `badge ${playing ? 'good' : ''}`;
      badge.textContent = playing ? 'training' : trainer.step === 0 ? 'ready' : 'paused';
    }
  }

  function renderChart(): void {
    const h = trainer.history;
    const train = h.map(([s, l]) => [s, l] as [number, number]);
    const test = h.map(([s, , l]) => [s, l] as [number, number]);
    if (h.length < 2) {
      chart.innerHTML = '<p class="muted playground-hint">Loss curves appear once training starts (full training and test sets, every 10 steps).</p>';
      return;
    }
    chart.innerHTML = `<svg viewBox="0 0 560 240" width="100%" role="img" aria-label="Training and test loss">${lineChart({
      title: '', xLabel: 'step', yLabel: 'cross-entropy', width: 560, height: 240,
      series: [{ name: 'training', points: train, color: '#4e79a7' }, { name: 'test', points: test, color: '#e15759', dashed: true }],
    })}</svg>`;
  }

  restart(false);
  const debug: PlaygroundDebug = {
    get dataset() { return trainer.state.dataset; },
    get classNames() { return classNames(trainer.classes); },
    get mean() { return [...trainer.mean]; },
    get std() { return [...trainer.std]; },
    points: () => Array.from(trainer.xy),
    gridPoints: (res = GRID) => Array.from(trainer.gridPoints(res)),
    predictGrid: (res = GRID) => Array.from(trainer.predictGrid(res)),
    logits: (raw) => Array.from(trainer.logits(raw).data),
    modes: () => trainer.network.model.modules().map((m) => m.training),
  };
  (window as PlaygroundWindow).__playground = debug;
  return () => {
    playing = false;
    cancelAnimationFrame(frame);
    if ((window as PlaygroundWindow).__playground === debug) delete (window as PlaygroundWindow).__playground;
  };
}

/**
 * `window.__playground`, the page's numbers for tests and the console: what the network predicts
 * (raw coordinates in, as the page uses them) and its modules' training modes.
 */
export interface PlaygroundDebug {
  readonly dataset: DatasetName;
  readonly classNames: string[];
  /** The standardization's per-feature mean and std (training set). */
  readonly mean: number[];
  readonly std: number[];
  /** Raw coordinates of every data point, [x0, y0, x1, y1, …]. */
  points(): number[];
  /** Raw coordinates of the decision map's res × res grid (default the map's), row 0 at the top. */
  gridPoints(res?: number): number[];
  /** The class probabilities the map paints on that grid, [res·res·classes]. */
  predictGrid(res?: number): number[];
  /** The network's logits (eval mode) on raw coordinates [n·2], standardized as in training; [n·classes]. */
  logits(raw: number[]): number[];
  /** Every module's `training` flag (the model first). */
  modes(): boolean[];
}
type PlaygroundWindow = Window & { __playground?: PlaygroundDebug };

export const playgroundPage: Page = { route: ROUTE, title: 'Playground', mount };
