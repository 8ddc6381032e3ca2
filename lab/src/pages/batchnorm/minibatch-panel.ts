/**
 * The "one mini-batch" card: pick a BatchNorm layer and a unit; see the current mini-batch go
 * through normalize (μ, σ²), scale γ and shift β as dot strips with the numbers, and check that
 * the library's BatchNorm gives the same y. Its root exposes the numbers as data attributes.
 */
import type { nn } from 'nabla';
import { el, select, slider } from '../../ui/dom.js';
import { WIDTH, type Net } from './experiment.js';
import { fmt, miniBatchStep, strip } from './minibatch.js';

export function createMiniBatchPanel(): { root: HTMLElement; update(net: Net): void } {
  let layer = 0;
  let unit = 0;
  let lastNet: Net | null = null;
  const layerSelect = select('BatchNorm layer', [{ value: '0', text: 'layer 1' }], '0', (v) => {
    layer = Number(v);
    if (lastNet) update(lastNet);
  });
  const unitSlider = slider({
    label: 'Unit', min: 1, max: WIDTH, step: 1, value: 1, format: (v) => `${v} of ${WIDTH}`,
    onInput: (v) => {
      unit = v - 1;
      if (lastNet) update(lastNet);
    },
  });
  const numbers = el('dl', { class: 'batchnorm-numbers' });
  const strips = el('div', { class: 'batchnorm-strips' });
  const worked = el('p', { class: 'batchnorm-worked mono' });
  const check = el('p', { class: 'status' });
  const root = el('section', { class: 'card batchnorm-minibatch' },
    el('h2', {}, 'One mini-batch through one BatchNorm unit'),
    el('p', { class: 'muted batchnorm-hint' }, 'The BatchNorm network\'s current mini-batch at one unit: the values x coming out of the Linear layer, the mini-batch mean μ and variance σ², the normalized x̂, and y after the learned scale γ and shift β (read from the layer\'s BatchNorm1d). The ringed dot is sample 1, followed through every step.'),
    el('div', { class: 'batchnorm-minibatch-grid' },
      el('div', {}, layerSelect.root, unitSlider.root, numbers),
      el('div', {}, strips, worked, check)),
  );

  function syncLayers(depth: number): void {
    if (layerSelect.select.options.length === depth) return;
    layerSelect.select.replaceChildren(...Array.from({ length: depth }, (_, i) => el('option', { value: String(i) }, `layer ${i + 1}`)));
    layer = Math.min(layer, depth - 1);
    layerSelect.select.value = String(layer);
  }

  function update(net: Net): void {
    lastNet = net;
    syncLayers(net.blocks.length);
    const snapshot = net.layers[layer];
    const norm = net.blocks[layer].norm as nn.BatchNorm1d;
    if (!snapshot?.bnInput) {
      strips.replaceChildren(el('p', { class: 'muted' }, net.diverged ? 'The BatchNorm network diverged.' : 'Waiting for the first training step…'));
      return;
    }
    const s = miniBatchStep(snapshot.bnInput, norm, unit);
    const std = Math.sqrt(s.variance);
    root.dataset.mu = String(s.mu);
    root.dataset.var = String(s.variance);
    root.dataset.eps = String(s.eps);
    root.dataset.gamma = String(s.gamma);
    root.dataset.beta = String(s.beta);
    root.dataset.x = Array.from(s.x).join(',');
    root.dataset.xhat = Array.from(s.xhat).join(',');
    root.dataset.y = Array.from(s.y).join(',');
    root.dataset.maxDiff = String(s.maxDiff);

    let m = 0;
    let v = 0;
    for (const t of s.xhat) m += t;
    m /= s.xhat.length;
    for (const t of s.xhat) v += (t - m) ** 2;
    const xhatStd = Math.sqrt(v / s.xhat.length);
    const row = (term: string, value: string, cls = '') => [el('dt', {}, term), el('dd', { class: `mono ${cls}` }, value)];
    numbers.replaceChildren(
      ...row('batch size m', String(s.x.length)),
      ...row('mean μ', fmt(s.mu)),
      ...row('variance σ²', fmt(s.variance)),
      ...row('ε', String(s.eps)),
      ...row('scale γ', fmt(s.gamma), 'batchnorm-param'),
      ...row('shift β', fmt(s.beta), 'batchnorm-param'),
      ...row('mean of x̂', (Math.abs(m) < 5e-4 ? 0 : m).toFixed(3)),
      ...row('std of x̂', fmt(xhatStd)),
    );

    const ext = (a: ArrayLike<number>): [number, number] => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < a.length; i++) {
        lo = Math.min(lo, a[i]);
        hi = Math.max(hi, a[i]);
      }
      return [lo, hi];
    };
    const [ylo, yhi] = ext(s.y);
    const [xhlo, xhhi] = ext(s.xhat);
    const stripBlock = (title: string, svg: string) => el('div', { class: 'batchnorm-strip-block' }, el('div', { class: 'batchnorm-strip-title' }, title), wrapSvg(svg));
    strips.replaceChildren(
      stripBlock('1 · the batch\'s values x, with mean μ and μ ± σ', strip({
        label: 'x', values: s.x, domain: ext(s.x), marks: [{ at: s.mu, text: 'μ' }], band: [s.mu - std, s.mu + std], highlight: 0,
      })),
      stripBlock('2 · normalize: x̂ = (x − μ) / √(σ² + ε)', strip({
        label: 'x hat', values: s.xhat, domain: [Math.min(-2, xhlo), Math.max(2, xhhi)], marks: [{ at: 0, text: '0' }], band: [-1, 1], highlight: 0,
      })),
      stripBlock('3 · scale and shift: y = γ·x̂ + β', strip({
        label: 'y', values: s.y, domain: [Math.min(ylo, s.beta - 1), Math.max(yhi, s.beta + 1)], marks: [{ at: s.beta, text: 'β' }], band: [s.beta - Math.abs(s.gamma), s.beta + Math.abs(s.gamma)], highlight: 0,
      })),
    );
    worked.textContent = `sample 1: x = ${fmt(s.x[0])} → x̂ = (${fmt(s.x[0])} − ${fmt(s.mu)}) / √(${fmt(s.variance)} + ${s.eps}) = ${fmt(s.xhat[0])} → y = ${fmt(s.gamma)} · ${fmt(s.xhat[0])} + ${fmt(s.beta)} = ${fmt(s.y[0])}`;
    // float32 against float64: agreement to a few ulps of the largest |y|.
    const ok = s.maxDiff <= 1e-5 * Math.max(1, Math.abs(ylo), Math.abs(yhi));
    check.replaceChildren(
      el('span', { class: `badge ${ok ? 'good' : 'bad'}` }, ok ? 'matches the library' : 'mismatch'),
      ` nabla's batchNorm op on this batch, with this layer's γ and β: max |y − BN(x)| = ${s.maxDiff.toExponential(1)}`,
    );
  }

  return { root, update };
}

function wrapSvg(svg: string): HTMLElement {
  const d = document.createElement('div');
  d.innerHTML = svg;
  return d;
}
