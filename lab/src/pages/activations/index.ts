/**
 * #/activations — sigmoid, tanh, ReLU (and leaky ReLU, ELU, GELU) with their derivatives from
 * autograd, and a deep network where their effect on gradient flow shows: per-layer activation
 * histograms, ‖∂L/∂W‖ per layer at initialization and while training, dead ReLU units.
 */
import './activations.css';
import type { Page } from '../page.js';
import { button, el, logScale, select, slider } from '../../ui/dom.js';
import { readChoice, readNumber, writeHashState } from '../../ui/url-state.js';
import { lineChart } from '../../../../src/viz/line-chart.js';
import { ACTIVATIONS, ACTIVATION_INFO, curve, type Activation } from './functions.js';
import { curvePlot, f3, gradAt } from './curve-plot.js';
import { DeepNet, type NetConfig, type Snapshot } from './deep-net.js';
import { renderHistograms } from './histograms.js';
import { gradChart } from './grad-chart.js';

const WIDTH = 64;
const MAX_STEPS = 3000;
/** Milliseconds of training per animation frame, so the page stays responsive. */
const SLICE_MS = 12;
const RENDER_EVERY_MS = 150;

function curvesSection(selected: Activation): { root: HTMLElement; select(a: Activation): void } {
  const cards = ACTIVATIONS.map((name) => {
    const info = ACTIVATION_INFO[name];
    const c = curve(name);
    const { svg, facts } = curvePlot(name, c);
    const card = el(
      'figure',
      { class: 'activations-curve', 'data-activation': name, 'data-max-grad': facts.maxGrad },
      el('figcaption', {}, el('b', {}, info.title), ' ', el('span', { class: 'mono muted' }, info.formula)),
    );
    const plot = el('div', { class: 'activations-plot' });
    plot.innerHTML = svg;
    card.append(
      plot,
      el('div', { class: 'activations-facts mono' }, `max f′ = ${f3(facts.maxGrad)} · f′(−4) = ${f3(gradAt(c, -4))} · f′(4) = ${f3(gradAt(c, 4))}`),
      el('p', { class: 'activations-note' }, info.note),
    );
    return card;
  });
  const legend = el(
    'div',
    { class: 'legend' },
    el('span', {}, el('span', { class: 'swatch', style: 'background: var(--accent)' }), 'f(x)'),
    el('span', {}, el('span', { class: 'swatch', style: 'background: var(--grad)' }), 'f′(x), from backward() on a grid of 241 points'),
    el('span', {}, el('span', { class: 'swatch activations-swatch-sat' }), 'gradient ≈ 0 (saturated, or ReLU\'s dead side)'),
  );
  const root = el('section', { class: 'card', 'aria-labelledby': 'activations-curves-title' }, el('h2', { id: 'activations-curves-title', class: 'activations-title' }, 'The functions and their gradients'), legend, el('div', { class: 'activations-curves' }, ...cards));
  const pick = (a: Activation) => cards.forEach((c) => c.classList.toggle('is-selected', c.dataset.activation === a));
  pick(selected);
  return { root, select: pick };
}

export const activationsPage: Page = {
  route: 'activations',
  title: 'Activations',
  mount(root, params) {
    const config: NetConfig = {
      activation: readChoice(params, 'act', ACTIVATIONS, 'sigmoid'),
      depth: Math.round(readNumber(params, 'depth', 10, 2, 20)),
      width: WIDTH,
      initScale: readNumber(params, 'scale', 1, 0.1, 10),
      lr: readNumber(params, 'lr', 0.02, 1e-4, 1),
      seed: Math.round(readNumber(params, 'seed', 1, 0, 1e9)),
    };
    const save = () => writeHashState('activations', { act: config.activation, depth: config.depth, scale: Number(config.initScale.toPrecision(3)), lr: Number(config.lr.toPrecision(3)), seed: config.seed });

    const curves = curvesSection(config.activation);

    // The deep network.
    let net = new DeepNet(config);
    let initial: Snapshot = net.snapshot();
    let losses: [number, number][] = [];
    let running = false;
    let diverged = false;
    let frame = 0;
    let lastRender = 0;

    const trainButton = button('▶ Train', () => (running ? pause() : start()), { class: 'primary', 'aria-pressed': 'false' });
    const stepButton = button('Step', () => {
      pause();
      trainSteps(1);
      render();
    });
    const reseed = button('New weights', () => {
      config.seed += 1;
      rebuild();
    });
    const status = el('div', { class: 'status activations-status', 'aria-live': 'polite' });
    const badge = el('span', { class: 'badge bad', hidden: true });
    const lossChart = el('div', { class: 'activations-loss' });
    const gradBox = el('div', { class: 'activations-grad-chart' });
    const gradSummary = el('p', { class: 'activations-summary' });
    const histBox = el('div', { class: 'activations-hists' });

    const activationSelect = select(
      'Activation',
      ACTIVATIONS.map((a) => ({ value: a, text: ACTIVATION_INFO[a].title })),
      config.activation,
      (a) => {
        config.activation = a;
        curves.select(a);
        rebuild();
      },
    );
    const depthSlider = slider({ label: 'Depth (hidden layers of 64)', min: 2, max: 20, step: 1, value: config.depth, format: (v) => String(v), onInput: (v) => ((config.depth = v), rebuild()) });
    const scaleSlider = slider({
      label: 'Init scale s (std s/√fan_in)', min: 0, max: 100, step: 1, value: config.initScale, scale: logScale(0.1, 10),
      format: (v) => v.toFixed(2), onInput: (v) => ((config.initScale = v), rebuild()),
    });
    const lrSlider = slider({
      label: 'Learning rate (SGD + momentum)', min: 0, max: 100, step: 1, value: config.lr, scale: logScale(1e-3, 1),
      format: (v) => v.toPrecision(2), onInput: (v) => ((config.lr = v), rebuild()),
    });

    function trainSteps(max: number): void {
      const t0 = performance.now();
      let n = 0;
      while (n < max && net.step < MAX_STEPS) {
        const loss = net.train();
        n++;
        losses.push([net.step, loss]);
        if (!Number.isFinite(loss)) {
          diverged = true;
          pause();
          return;
        }
        if (performance.now() - t0 > SLICE_MS) break;
      }
      if (net.step >= MAX_STEPS) pause();
    }

    function loop(): void {
      if (!running) return;
      trainSteps(Infinity);
      const now = performance.now();
      if (!running || now - lastRender > RENDER_EVERY_MS) {
        render();
        lastRender = now;
      }
      if (running) frame = requestAnimationFrame(loop);
    }

    function start(): void {
      if (running || diverged || net.step >= MAX_STEPS) return;
      running = true;
      renderControls();
      frame = requestAnimationFrame(loop);
    }

    function pause(): void {
      running = false;
      cancelAnimationFrame(frame);
      renderControls();
    }

    function rebuild(): void {
      pause();
      net = new DeepNet(config);
      initial = net.snapshot();
      losses = [];
      diverged = false;
      save();
      render();
    }

    function renderControls(): void {
      trainButton.textContent = running ? '❚❚ Pause' : net.step > 0 ? '▶ Resume' : '▶ Train';
      trainButton.setAttribute('aria-pressed', String(running));
      trainButton.disabled = diverged || net.step >= MAX_STEPS;
      stepButton.disabled = diverged || net.step >= MAX_STEPS;
    }

    function render(): void {
      const snap = net.snapshot();
      const { activation } = config;
      const title = ACTIVATION_INFO[activation].title;
      renderControls();
      const accuracy = `${(100 * snap.accuracy).toFixed(0)}%`;
      status.textContent = `step ${snap.step}${net.step >= MAX_STEPS ? ' (done)' : ''} · loss ${Number.isFinite(snap.loss) ? snap.loss.toFixed(3) : String(snap.loss)} · accuracy ${accuracy}`;
      status.dataset.step = String(snap.step);
      status.dataset.loss = String(snap.loss);
      badge.hidden = !diverged;
      badge.textContent = diverged ? 'diverged: the loss is not finite — lower the learning rate or the init scale' : '';

      const last = snap.gradNorms.length - 1;
      const series = [
        { name: 'at initialization', key: 'init', norms: initial.gradNorms, className: 'is-init' },
        ...(snap.step > 0 ? [{ name: `now (step ${snap.step})`, key: 'now', norms: snap.gradNorms, className: 'is-now' }] : []),
      ];
      gradBox.innerHTML = gradChart(series, activation === 'relu' ? snap.layers.map((l) => l.dead) : null);
      gradBox.dataset.activation = activation;
      gradBox.dataset.first = String(snap.gradNorms[0]);
      gradBox.dataset.firstInit = String(initial.gradNorms[0]);
      gradBox.dataset.output = String(snap.gradNorms[last]);
      const ratio = snap.gradNorms[0] / snap.gradNorms[last];
      const dead = snap.layers.reduce((s, l) => s + (l.dead ?? 0), 0);
      gradSummary.replaceChildren(
        `${title}, ${config.depth} hidden layers: the first layer's gradient is `,
        el('b', {}, Number.isFinite(ratio) ? ratio.toExponential(1) : '—'),
        ' × the output layer\'s.',
        activation === 'relu' ? ` Dead units (zero for all ${300} samples): ${dead} of ${config.depth * WIDTH}.` : '',
      );

      renderHistograms(histBox, activation, snap.layers, initial.layers);
      const finite = losses.filter(([, v]) => Number.isFinite(v) && v > 0);
      const chart = lineChart({
        title: 'Training loss', xLabel: 'step', yLabel: 'cross-entropy', width: 268, height: 170, logY: true,
        series: [{ name: 'loss', points: finite.length > 1 ? finite : [[0, initial.loss], [1, initial.loss]], color: '#4e79a7' }], legend: false,
      });
      lossChart.innerHTML = `<svg viewBox="0 0 268 170" role="img" aria-label="Training loss">${chart}</svg>`;
    }

    const legend = el(
      'div',
      { class: 'legend' },
      el('span', {}, el('span', { class: 'swatch', style: 'background: #9aa5b1' }), 'at initialization'),
      el('span', {}, el('span', { class: 'swatch', style: 'background: var(--accent)' }), 'now, while training'),
    );

    root.append(
      el(
        'section',
        { class: 'intro' },
        el('h1', {}, 'Activation functions and vanishing gradients'),
        el(
          'p',
          {},
          'Backpropagation multiplies each layer\'s local gradient into the upstream gradient. The sigmoid\'s local gradient (1 − σ)σ is at most 1/4 and almost 0 where it saturates, ',
          'so in a deep sigmoid network the gradient shrinks layer after layer on its way back: the first layers barely learn. Tanh is zero-centred but saturates too; ',
          'ReLU passes the gradient unchanged for x > 0, but a unit whose input is always negative gets no gradient at all — it dies.',
        ),
      ),
      curves.root,
      el(
        'div',
        { class: 'layout activations-net' },
        el(
          'aside',
          { class: 'card', 'aria-label': 'The deep network' },
          el('h2', { class: 'activations-title' }, 'A deep network'),
          el('p', { class: 'muted activations-small' }, '300 points of a 3-class spiral, full-batch training. Every change starts again from new weights.'),
          activationSelect.root,
          depthSlider.root,
          scaleSlider.root,
          lrSlider.root,
          el('div', { class: 'row activations-buttons' }, trainButton, stepButton, reseed),
          status,
          badge,
          lossChart,
        ),
        el(
          'div',
          {},
          el('section', { class: 'card', 'aria-labelledby': 'activations-grad-title' }, el('div', { class: 'activations-head' }, el('h2', { id: 'activations-grad-title', class: 'activations-title' }, 'Gradient norm per layer'), legend), gradBox, gradSummary),
          el(
            'section',
            { class: 'card', 'aria-labelledby': 'activations-hist-title' },
            el('div', { class: 'activations-head' }, el('h2', { id: 'activations-hist-title', class: 'activations-title' }, 'Activations per layer'), el('span', { class: 'muted activations-small' }, 'bars: now · outline: at initialization · over all 300 samples × 64 units')),
            histBox,
          ),
        ),
      ),
    );
    render();

    return () => {
      running = false;
      cancelAnimationFrame(frame);
    };
  },
};
