/**
 * #/sequences — backpropagation through time, watched. Two small character models learn the same short
 * text side by side: a plain RNN (tanh) and an LSTM (or a GRU). For a fixed window of the text the page
 * shows each model's hidden state at every character, and the gradient that the loss at the window's
 * last character sends back to the input at each earlier step: through the RNN it shrinks by a factor
 * at every step (the lecture's vanishing gradient, now along time); the LSTM's cell carries it.
 */
import './sequences.css';
import type { Page } from '../page.js';
import { button, el, select } from '../../ui/dom.js';
import { readChoice, readNumber, writeHashState } from '../../ui/url-state.js';
import { CharModel, encodeText, type CellKind, type Probe } from './char-model.js';
import { gradientChart, hiddenHeatmap, lossChart, type Series } from './charts.js';
import { TEXT } from './text.js';

const ROUTE = 'sequences';
const STEPS = 600;
const STEPS_PER_FRAME = 2;
const PROBE_EVERY = 10;
const WINDOW = 32;
/** The probe window: the third verse's first line and a half. */
const PROBE_START = TEXT.indexOf('Then the traveller');
const COLORS: Record<CellKind, string> = { rnn: '#e15759', lstm: '#4e79a7', gru: '#59a14f' };
const NAMES: Record<CellKind, string> = { rnn: 'RNN (tanh)', lstm: 'LSTM', gru: 'GRU' };

/** Gradient at the window's first step over the gradient at its last (how much survives T − 1 steps back). */
const survival = (p: Probe) => p.gradNorms[0] / p.gradNorms[p.gradNorms.length - 1];
function svgBox(svg: string): HTMLElement {
  const box = el('div', { class: 'seq-heat' });
  box.innerHTML = svg;
  return box;
}
const fmtRatio = (v: number) => (v === 0 ? '0' : v.toExponential(1).replace('e-', 'e−'));

function mount(root: HTMLElement, params: URLSearchParams): () => void {
  let other = readChoice(params, 'cell', ['lstm', 'gru'] as const, 'lstm');
  let hidden = Math.round(readNumber(params, 'hidden', 32, 8, 64));
  const seed = Math.round(readNumber(params, 'seed', 1, 0, 2 ** 31 - 1));
  const { vocab, ids } = encodeText(TEXT);
  let alive = true;
  let playing = true;
  let frame = 0;
  let models: CharModel[] = [];
  let probes: Probe[] = [];
  /** The probes at initialization, kept for comparison: training changes how far gradients reach. */
  let initial: Probe[] = [];

  const page = el('div', { class: 'sequences', 'data-state': 'training' });
  const intro = el('section', { class: 'intro' },
    el('h1', {}, 'Sequences: backpropagation through time'),
    el('p', {}, 'A recurrent network reads a text one character at a time, carrying a hidden state hₜ = f(xₜ, hₜ₋₁) from step to step, and predicts the next character. Unrolled over a window of characters it is one long computational graph, the same layer repeated once per step, and the backward pass is the chain rule along it: the gradient that reaches step t from a loss at step T is a product of T − t local gradients.'),
    el('p', {}, 'For the plain RNN each factor is Wₕₕᵀ·diag(1 − hₜ²): tanh\'s derivative is at most 1 and the weights are small, so the product shrinks geometrically, like the sigmoid stack on the activations page, one dimension further. The ',
      el('strong', {}, 'LSTM'), ' adds a cell state cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ: along it the local gradient is just the forget gate fₜ, so where the gate stays open the gradient travels back almost untouched. (Here its forget gate starts open, bias 1, as is usual.) The ',
      el('strong', {}, 'GRU'), ' does the same with one gate that mixes hₜ₋₁ into hₜ.'),
  );

  const stepText = el('span', { class: 'mono' }, '0');
  const playButton = button('Pause', () => setPlaying(!playing), { class: 'primary' });
  const resetButton = button('Reset', () => restart());
  const cellSelect = select('Compare the RNN with', [{ value: 'lstm', text: 'LSTM' }, { value: 'gru', text: 'GRU' }], other, (v) => { other = v; restart(); });
  const hiddenSelect = select('Hidden units', [8, 16, 32, 64].map((n) => ({ value: String(n), text: String(n) })), String(hidden), (v) => { hidden = Number(v); restart(); });
  const summary = el('table', { class: 'seq-summary' });
  const controls = el('aside', { class: 'card seq-controls' },
    el('h2', {}, 'Settings'),
    cellSelect.root,
    hiddenSelect.root,
    el('p', { class: 'muted seq-hint' }, `Both models: Embedding(${vocab.length}, 16) → the recurrent layer → Linear to ${vocab.length} characters; Adam, lr 0.01, 16 windows of ${WINDOW} characters per step, ${STEPS} steps, the same seed.`),
    el('div', { class: 'row' }, playButton, resetButton),
    el('h3', {}, 'Status'),
    el('div', { class: 'status' }, 'step ', stepText, ` / ${STEPS}`),
    summary,
  );

  const gradChart = el('div', { class: 'seq-chart' });
  const gradCard = el('section', { class: 'card' },
    el('h2', {}, 'The gradient reaching each time step'),
    el('p', { class: 'muted seq-hint' }, `‖∂loss/∂xₜ‖ for the loss at the last character of the window below, back to each input character (log scale): dashed at initialization, solid now (measured every ${PROBE_EVERY} steps). At the start the RNN passes almost nothing back past a few characters, the LSTM orders of magnitude more. Training then teaches both to carry what this short, repetitive text needs, so watch the solid lines rise.`),
    gradChart);
  const heatmaps = el('div', { class: 'seq-two' });
  const heatCard = el('section', { class: 'card' },
    el('h2', {}, 'The hidden state at each character'),
    el('p', { class: 'muted seq-hint' }, 'hₜ of every unit (rows) at every character of the window (columns): blue +1, red −1, white 0. A saturated unit (deep colour) passes almost no gradient through its tanh.'),
    heatmaps);
  const lossDiv = el('div', { class: 'seq-chart' });
  const lossCard = el('section', { class: 'card' }, el('h2', {}, 'Training loss'), lossDiv);
  const samples = el('div', { class: 'seq-two' });
  const sampleCard = el('section', { class: 'card' }, el('h2', {}, 'What each model writes'),
    el('p', { class: 'muted seq-hint' }, 'Sampled after “Twinkle”, temperature 0.8, refreshed every 100 steps.'), samples);
  page.append(intro, el('div', { class: 'layout seq-layout' }, controls, el('div', { class: 'seq-main' }, gradCard, heatCard, lossCard, sampleCard)));
  root.append(page);

  function restart(): void {
    writeHashState(ROUTE, { cell: other, hidden, seed });
    models = (['rnn', other] as const).map((cell) => new CharModel({ cell, hidden, window: WINDOW, batch: 16, lr: 0.01, seed }, vocab, ids));
    probes = models.map((m) => m.probe(PROBE_START));
    initial = probes;
    samples.replaceChildren();
    render();
    setPlaying(true);
  }

  function setPlaying(on: boolean): void {
    const done = (models[0]?.step ?? 0) >= STEPS;
    playing = on && !done;
    playButton.textContent = playing ? 'Pause' : done ? 'Finished' : 'Play';
    playButton.disabled = done;
    cancelAnimationFrame(frame);
    if (playing) frame = requestAnimationFrame(tick);
  }

  function tick(): void {
    if (!alive || !playing) return;
    for (let i = 0; i < STEPS_PER_FRAME && models[0].step < STEPS; i++) {
      for (const m of models) m.trainStep();
      const step = models[0].step;
      if (step % PROBE_EVERY === 0 || step === STEPS) probes = models.map((m) => m.probe(PROBE_START));
      if (step % 100 === 0 || step === STEPS) renderSamples();
    }
    render();
    if (models[0].step >= STEPS) {
      page.dataset.state = 'done';
      setPlaying(false);
    } else {
      frame = requestAnimationFrame(tick);
    }
  }

  function renderSamples(): void {
    samples.replaceChildren(...models.map((m) => el('figure', { class: 'seq-figure', 'data-kind': m.settings.cell },
      el('figcaption', {}, el('span', { class: 'swatch', style: `background:${COLORS[m.settings.cell]}` }), `${NAMES[m.settings.cell]}, step ${m.step}`),
      el('pre', { class: 'seq-sample' }, 'Twinkle' + m.sample('Twinkle', 120)))));
  }

  function render(): void {
    const series = (values: (m: CharModel, i: number) => number[]): Series[] =>
      models.map((m, i) => ({ kind: m.settings.cell, label: NAMES[m.settings.cell], color: COLORS[m.settings.cell], values: values(m, i) }));
    const [rnn, gated] = models;
    const last = (m: CharModel) => m.losses.slice(-20).reduce((a, b) => a + b, 0) / Math.max(1, Math.min(20, m.losses.length));
    Object.assign(page.dataset, {
      step: String(rnn.step),
      cell: other,
      vocab: String(vocab.length),
      bitsRnn: String(last(rnn)),
      bitsGated: String(last(gated)),
      survivalRnn: String(survival(probes[0])),
      survivalGated: String(survival(probes[1])),
      initialSurvivalRnn: String(survival(initial[0])),
      initialSurvivalGated: String(survival(initial[1])),
    });
    if (page.dataset.state !== 'done') page.dataset.state = 'training';
    stepText.textContent = String(rnn.step);
    const row = (m: CharModel, i: number) => el('tr', { 'data-kind': m.settings.cell },
      el('th', {}, el('span', { class: 'swatch', style: `background:${COLORS[m.settings.cell]}` }), NAMES[m.settings.cell]),
      el('td', { class: 'mono' }, m.step > 0 ? last(m).toFixed(2) : '—'),
      el('td', { class: 'mono' }, fmtRatio(survival(initial[i]))),
      el('td', { class: 'mono' }, fmtRatio(survival(probes[i]))));
    summary.replaceChildren(
      el('caption', {}, `Bits per character (last 20 steps); the gradient ${WINDOW - 1} steps back over the gradient at the last step, at the start and now`),
      el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, 'bits'), el('th', {}, 'start'), el('th', {}, 'now'))),
      el('tbody', {}, row(rnn, 0), row(gated, 1)));
    gradChart.innerHTML = gradientChart([
      ...series((_, i) => initial[i].gradNorms).map((s) => ({ ...s, kind: `${s.kind}-initial`, dashed: true })),
      ...series((_, i) => probes[i].gradNorms),
    ], probes[0].chars);
    heatmaps.replaceChildren(...models.map((m, i) => el('figure', { class: 'seq-figure', 'data-kind': m.settings.cell },
      el('figcaption', {}, el('span', { class: 'swatch', style: `background:${COLORS[m.settings.cell]}` }), NAMES[m.settings.cell]),
      svgBox(hiddenHeatmap(probes[i].hidden, probes[i].chars, NAMES[m.settings.cell])))));
    lossDiv.innerHTML = lossChart(series((m) => m.losses), Math.log2(vocab.length));
  }

  restart();
  return () => {
    alive = false;
    playing = false;
    cancelAnimationFrame(frame);
  };
}

export const sequencesPage: Page = { route: ROUTE, title: 'Sequences', mount };
