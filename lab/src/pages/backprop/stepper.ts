/**
 * A graph with its step controls and its explanation panel: Previous / Next / Reset / Play walk
 * through the forward pass (values in green) and the backward pass (local gradient × upstream
 * gradient = downstream gradient, gradients in red). The page places the three parts.
 */
import type { Graph, GraphNodeInfo } from 'nabla';
import { button, el } from '../../ui/dom.js';
import { GraphView } from './graph-view.js';
import { buildSteps, isFolded, revealedAt, type Revealed, type Step } from './steps.js';
import { argumentName, fmt, forwardFormula, localFormula, opFormula } from './formulas.js';
import { opLabel } from '../../../../src/viz/graph-svg.js';

const PLAY_INTERVAL_MS = 900;

const scalar = (v: unknown): number => (typeof v === 'number' ? v : Array.isArray(v) ? scalar(v[0]) : NaN);

export class GraphStepper {
  readonly view: GraphView;
  readonly toolbar: HTMLElement;
  readonly panel: HTMLElement;
  private graph: Graph | null = null;
  private steps: Step[] = [];
  private count = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** While the graph on show is stale (its expression no longer parses), the controls are off. */
  private frozen = false;
  private readonly buttons: { reset: HTMLButtonElement; prev: HTMLButtonElement; next: HTMLButtonElement; play: HTMLButtonElement; end: HTMLButtonElement };
  private readonly progress: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly explanation: HTMLElement;
  private readonly table: HTMLTableSectionElement;

  constructor(readonly name: string) {
    this.view = new GraphView(`Computational graph: ${name}`);
    this.buttons = {
      reset: button('⟲ Reset', () => this.reset(), { title: 'Back to the start (Home)', 'data-action': 'reset' }),
      prev: button('◀ Previous', () => this.go(this.count - 1), { title: 'Previous step (←)', 'data-action': 'prev' }),
      next: button('Next ▶', () => this.go(this.count + 1), { class: 'primary', title: 'Next step (→)', 'data-action': 'next' }),
      play: button('Play', () => this.togglePlay(), { 'aria-pressed': 'false', title: 'Step automatically', 'data-action': 'play' }),
      end: button('Show all', () => this.go(this.steps.length), { title: 'Jump to the end (End)', 'data-action': 'end' }),
    };
    this.progress = el('span', { class: 'backprop-progress', 'aria-live': 'polite' });
    this.bar = el('div', { class: 'backprop-bar' });
    this.toolbar = el(
      'div',
      { class: 'backprop-toolbar', role: 'group', 'aria-label': `Steps of the ${name}` },
      el('div', { class: 'row' }, this.buttons.reset, this.buttons.prev, this.buttons.next, this.buttons.play, this.buttons.end),
      el('div', { class: 'backprop-track' }, this.bar),
      this.progress,
    );
    this.explanation = el('div', { class: 'backprop-explain' });
    this.table = el('tbody');
    this.panel = el(
      'div',
      { class: 'backprop-panel' },
      this.explanation,
      el('table', { class: 'backprop-vars' }, el('thead', {}, el('tr', {}, el('th', {}, 'input'), el('th', {}, 'value'), el('th', {}, '∂f/∂input'))), this.table),
    );
  }

  /** Shows a new graph; `keep` stays at the same step if the new graph has as many. */
  setGraph(graph: Graph, keep: boolean): void {
    const sameShape = this.graph !== null && this.graph.nodes.length === graph.nodes.length;
    const wasAtEnd = this.graph !== null && this.count === this.steps.length;
    this.graph = graph;
    this.steps = buildSteps(graph);
    this.view.setGraph(graph);
    const count = keep && sameShape ? this.count : keep && wasAtEnd ? this.steps.length : 0;
    this.go(count);
  }

  get atEnd(): boolean {
    return this.count === this.steps.length;
  }

  setFrozen(frozen: boolean): void {
    this.frozen = frozen;
    if (frozen) this.pause();
    this.renderControls();
  }

  go(count: number): void {
    if (!this.graph || this.frozen) return;
    this.count = Math.max(0, Math.min(this.steps.length, count));
    const revealed = revealedAt(this.graph, this.steps, this.count);
    this.view.show(revealed);
    this.renderControls();
    this.renderExplanation(revealed);
    this.renderTable(revealed);
    if (this.atEnd) this.pause();
  }

  next(): void {
    this.go(this.count + 1);
  }

  prev(): void {
    this.go(this.count - 1);
  }

  reset(): void {
    this.pause();
    this.go(0);
  }

  end(): void {
    this.go(this.steps.length);
  }

  togglePlay(): void {
    if (this.timer !== null) this.pause();
    else this.play();
  }

  play(): void {
    if (this.timer !== null) return;
    if (this.atEnd) this.go(0);
    this.timer = setInterval(() => this.next(), PLAY_INTERVAL_MS);
    this.renderControls();
  }

  pause(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.renderControls();
  }

  destroy(): void {
    this.pause();
  }

  private renderControls(): void {
    const { reset, prev, next, play, end } = this.buttons;
    const total = this.steps.length;
    prev.disabled = this.count === 0;
    reset.disabled = this.count === 0 && this.timer === null;
    next.disabled = end.disabled = this.count === total;
    if (this.frozen) prev.disabled = reset.disabled = next.disabled = end.disabled = true;
    play.disabled = this.frozen;
    const playing = this.timer !== null;
    play.textContent = playing ? '❚❚ Pause' : '▶ Play';
    play.setAttribute('aria-pressed', String(playing));
    const step = this.count > 0 ? this.steps[this.count - 1] : null;
    const phase = step === null ? 'ready' : step.kind === 'forward' ? 'forward' : 'backward';
    this.progress.textContent = `Step ${this.count} of ${total}`;
    this.toolbar.dataset.step = String(this.count);
    this.toolbar.dataset.phase = phase;
    this.bar.style.width = `${total === 0 ? 0 : (100 * this.count) / total}%`;
    this.bar.dataset.phase = phase;
  }

  private label(node: GraphNodeInfo): string {
    return opLabel(this.graph!.nodes, node);
  }

  /** An input of an op, as the panel names it: a variable by its name, a constant by its value, an op by its box. */
  private inputName(id: number): string {
    const node = this.graph!.nodes[id];
    if (node.op === 'input') return node.constant ? 'constant' : node.label;
    return `from the ${this.label(node)} node`;
  }

  private renderExplanation(revealed: Revealed): void {
    const graph = this.graph!;
    const step = revealed.current;
    const box = this.explanation;
    box.replaceChildren();
    if (step === null) {
      box.append(
        el('div', { class: 'backprop-phase' }, 'Ready'),
        el('p', {}, 'The inputs are known (blue boxes). Press ', el('kbd', {}, '→'), ' or Next to run the forward pass one node at a time.'),
      );
      return;
    }
    const node = graph.nodes[step.node];
    const value = (id: number) => scalar(graph.nodes[id].value);
    const grad = (id: number) => scalar(graph.nodes[id].grad);
    const ops = this.steps.filter((s) => s.kind === step.kind);
    const index = ops.indexOf(step) + 1;
    if (step.kind === 'forward') {
      box.append(
        el('div', { class: 'backprop-phase forward' }, `Forward pass · ${index} of ${ops.length}`),
        el('p', {}, 'Compute the ', el('b', {}, this.label(node)), ' node from its inputs:'),
        el('div', { class: 'backprop-eq' }, `${forwardFormula(node, node.inputs.map(value))} = `, el('span', { class: 'v' }, fmt(value(node.id)))),
      );
      if (node.id === graph.output.id) box.append(el('p', { class: 'muted' }, 'That is the output f. Next: the backward pass.'));
      return;
    }
    if (step.kind === 'seed') {
      box.append(
        el('div', { class: 'backprop-phase backward' }, 'Backward pass · start'),
        el('p', {}, 'The gradient of f with respect to itself is 1: the backward pass starts at the output.'),
        el('div', { class: 'backprop-eq' }, '∂f/∂f = ', el('span', { class: 'g' }, fmt(1))),
      );
      return;
    }
    const edges = graph.edgesInto(node.id);
    box.append(
      el('div', { class: 'backprop-phase backward' }, `Backward pass · ${index} of ${ops.length}`),
      el('p', {}, 'At the ', el('b', {}, this.label(node)), ` node (${opFormula(node, edges.length)}), the upstream gradient is `, el('span', { class: 'g' }, `∂f/∂out = ${fmt(grad(node.id))}`), '.'),
    );
    edges.forEach((edge, k) => {
      const from = graph.nodes[edge.from];
      if (edge.grad === null) return;
      const arg = argumentName(edges.length, k);
      const local = scalar(edge.localGrad ?? NaN);
      box.append(
        el(
          'div',
          { class: 'backprop-term', 'data-input': from.label },
          el('div', { class: 'muted' }, `${arg}: ${this.inputName(from.id)}, value `, el('span', { class: 'v' }, fmt(value(from.id)))),
          el('div', {}, `local gradient ∂out/∂${arg} = ${localFormula(node, edges.length, k)} = ${fmt(local)}`),
          el('div', { class: 'backprop-eq' }, `${fmt(local)} × ${fmt(grad(node.id))} = `, el('span', { class: 'g' }, fmt(scalar(edge.grad)))),
          el('div', { class: 'backprop-caption' }, 'local × upstream = downstream'),
        ),
      );
    });
    for (const id of revealed.completed) {
      const parts = graph.edges.filter((e) => e.from === id && e.grad !== null);
      if (parts.length < 2) continue;
      box.append(
        el('p', { class: 'backprop-sum' }, `${graph.nodes[id].op === 'input' ? graph.nodes[id].label : `The output of ${this.label(graph.nodes[id])}`} is used ${parts.length} times: its gradient is the sum `,
          el('span', { class: 'g' }, `${parts.map((e) => fmt(scalar(e.grad))).join(' + ')} = ${fmt(grad(id))}`)),
      );
    }
  }

  private renderTable(revealed: Revealed): void {
    const graph = this.graph!;
    const inputs = graph.nodes.filter((n) => n.op === 'input' && !isFolded(graph, n));
    this.table.replaceChildren(
      ...inputs.map((n) =>
        el(
          'tr',
          { 'data-var': n.label },
          el('td', { class: 'mono' }, n.label),
          el('td', { class: 'mono v' }, fmt(scalar(n.value))),
          el('td', { class: 'mono g grad' }, revealed.grads.has(n.id) ? fmt(scalar(n.grad)) : '—'),
        ),
      ),
    );
  }
}
