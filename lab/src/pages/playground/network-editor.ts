/**
 * The network editor: one column per hidden layer (units −/+, activation), add/remove a layer,
 * BatchNorm on/off, and under it the network drawn as neurons and weights (blue positive,
 * orange negative, thicker = larger |w|), redrawn as training moves the weights.
 */
import type { nn } from 'nabla';
import { button, checkbox, el, uid } from '../../ui/dom.js';
import { CLASS_COLORS } from './boundary.js';
import { ACTIVATIONS, MAX_LAYERS, MAX_WIDTH, type ActivationName, type Layer } from './state.js';

const ACTIVATION_TEXT: Record<ActivationName, string> = {
  relu: 'ReLU', tanh: 'tanh', sigmoid: 'sigmoid', leakyRelu: 'leaky ReLU', elu: 'ELU', gelu: 'GELU', linear: 'linear',
};

export interface NetworkEditor {
  root: HTMLElement;
  /** Shows these layers, BatchNorm setting and class count. */
  sync(layers: Layer[], batchNorm: boolean, classes: number): void;
  /** Redraws the diagram's edges from the current weights. */
  drawWeights(linears: nn.Linear[]): void;
}

export function createNetworkEditor(onChange: (layers: Layer[], batchNorm: boolean) => void): NetworkEditor {
  let layers: Layer[] = [];
  let batchNorm = false;
  let classes = 2;
  const columns = el('div', { class: 'playground-columns' });
  const diagram = el('div', { class: 'playground-diagram' });
  const addButton = button('+ Add layer', () => change([...layers, { width: layers.at(-1)?.width ?? 4, activation: layers.at(-1)?.activation ?? 'relu' }]), { 'data-action': 'add-layer' });
  const removeButton = button('− Remove layer', () => change(layers.slice(0, -1)), { 'data-action': 'remove-layer' });
  const bn = checkbox('BatchNorm after each hidden Linear (before the activation)', batchNorm, (v) => {
    batchNorm = v;
    onChange(layers.map((l) => ({ ...l })), batchNorm);
  });
  bn.input.dataset.control = 'batchnorm';
  const layerCount = el('span', { class: 'playground-layer-count' });
  const root = el('section', { class: 'card playground-network' },
    el('div', { class: 'playground-network-head' },
      el('h2', {}, 'Network'),
      el('div', { class: 'row' }, addButton, removeButton, layerCount)),
    bn.root,
    columns,
    diagram,
  );

  function change(next: Layer[]): void {
    onChange(next.map((l) => ({ ...l })), batchNorm);
  }

  function column(title: string, ...children: (Node | string)[]): HTMLElement {
    return el('div', { class: 'playground-column' }, el('div', { class: 'playground-column-title' }, title), ...children);
  }

  function layerColumn(layer: Layer, i: number): HTMLElement {
    const setWidth = (w: number) => change(layers.map((l, j) => (j === i ? { ...l, width: w } : l)));
    const minus = button('−', () => setWidth(layer.width - 1), { 'aria-label': `Fewer units in layer ${i + 1}`, class: 'playground-step' });
    const plus = button('+', () => setWidth(layer.width + 1), { 'aria-label': `More units in layer ${i + 1}`, class: 'playground-step' });
    minus.disabled = layer.width <= 1;
    plus.disabled = layer.width >= MAX_WIDTH;
    const id = uid('act');
    const act = el('select', { id, 'data-layer': i });
    for (const a of ACTIVATIONS) {
      const o = el('option', { value: a }, ACTIVATION_TEXT[a]);
      if (a === layer.activation) o.selected = true;
      act.append(o);
    }
    act.addEventListener('change', () => change(layers.map((l, j) => (j === i ? { ...l, activation: act.value as ActivationName } : l))));
    return column(`Layer ${i + 1}`,
      el('div', { class: 'playground-width' }, minus, el('span', { class: 'mono', 'data-width': i }, `${layer.width}`), plus),
      el('div', { class: 'muted playground-units' }, layer.width === 1 ? 'unit' : 'units'),
      el('label', { for: id, class: 'playground-act-label' }, 'activation'),
      act);
  }

  function sync(next: Layer[], bnOn: boolean, nClasses: number): void {
    layers = next.map((l) => ({ ...l }));
    batchNorm = bnOn;
    classes = nClasses;
    bn.input.checked = bnOn;
    addButton.disabled = layers.length >= MAX_LAYERS;
    removeButton.disabled = layers.length === 0;
    layerCount.textContent = `${layers.length} hidden layer${layers.length === 1 ? '' : 's'}`;
    columns.style.gridTemplateColumns = `repeat(${layers.length + 2}, minmax(0, 1fr))`;
    columns.replaceChildren(
      column('Input', el('div', { class: 'muted playground-io' }, 'x₁, x₂', el('br'), '(standardized)')),
      ...layers.map(layerColumn),
      column('Output', el('div', { class: 'muted playground-io' }, `${classes} classes`, el('br'), 'softmax + cross-entropy')),
    );
  }

  function drawWeights(linears: nn.Linear[]): void {
    const sizes = [2, ...layers.map((l) => l.width), classes];
    const cols = sizes.length;
    const W = 120 * cols;
    const step = 16;
    const H = Math.max(...sizes) * step + 16;
    const cx = (i: number) => (W * (i + 0.5)) / cols;
    const cy = (i: number, j: number) => H / 2 + (j - (sizes[i] - 1) / 2) * step;
    let maxW = 1e-12;
    for (const lin of linears) for (const w of lin.weight.data) if (Number.isFinite(w)) maxW = Math.max(maxW, Math.abs(w));
    const parts = [`<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Network diagram with weights">`];
    linears.forEach((lin, i) => {
      const [out, inp] = lin.weight.shape;
      if (inp !== sizes[i] || out !== sizes[i + 1]) return;
      for (let o = 0; o < out; o++) {
        for (let k = 0; k < inp; k++) {
          const w = lin.weight.data[o * inp + k];
          const a = Number.isFinite(w) ? Math.abs(w) / maxW : 1;
          const color = !Number.isFinite(w) ? '#9aa5b1' : w >= 0 ? '#4e79a7' : '#f28e2b';
          parts.push(`<line x1="${cx(i)}" y1="${cy(i, k)}" x2="${cx(i + 1)}" y2="${cy(i + 1, o)}" stroke="${color}" stroke-width="${(0.4 + 2.6 * a).toFixed(2)}" stroke-opacity="${(0.15 + 0.75 * a).toFixed(2)}"/>`);
        }
      }
    });
    sizes.forEach((n, i) => {
      const output = i === cols - 1;
      for (let j = 0; j < n; j++) {
        const fill = output ? ` style="fill:${CLASS_COLORS[j % CLASS_COLORS.length]}"` : '';
        parts.push(`<circle cx="${cx(i)}" cy="${cy(i, j)}" r="5" class="playground-neuron${i === 0 ? ' input' : ''}"${fill}/>`);
      }
    });
    parts.push('</svg>');
    diagram.innerHTML = parts.join('');
  }

  return { root, sync, drawWeights };
}
