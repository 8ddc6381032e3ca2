/**
 * The computational graph on the page: the library's own drawing (graph-svg.ts, laid out by
 * graph-layout.ts) put into the DOM, then shown step by step — values and gradients not yet
 * computed are blanked, the node of the current step and the edges it reads are highlighted.
 */
import type { Graph } from 'nabla';
import { drawGraph } from '../../../../src/viz/graph-svg.js';
import { drawnEdges, type Revealed } from './steps.js';

export class GraphView {
  readonly root: HTMLElement;
  private nodes = new Map<number, { g: SVGGElement; value: SVGTextElement; grad: SVGTextElement | null; valueText: string; gradText: string }>();
  /** Per drawn edge: the index into graph.edges, its path, and its gradient label (fan-out edges only). */
  private edges: { index: number; path: SVGPathElement; label: SVGElement[] }[] = [];
  private graph: Graph | null = null;

  constructor(label: string) {
    this.root = document.createElement('div');
    this.root.className = 'backprop-graph';
    this.root.setAttribute('role', 'img');
    this.root.setAttribute('aria-label', label);
  }

  setGraph(graph: Graph): void {
    this.graph = graph;
    this.root.innerHTML = drawGraph(graph, { digits: 2 }).svg;
    const svg = this.root.querySelector('svg')!;
    svg.style.maxWidth = `${svg.getAttribute('width')}px`;
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    this.nodes.clear();
    for (const g of svg.querySelectorAll<SVGGElement>('g.node')) {
      const value = g.querySelector<SVGTextElement>('text.value')!;
      const grad = g.querySelector<SVGTextElement>('text.grad');
      this.nodes.set(Number(g.dataset.id), { g, value, grad, valueText: value.textContent ?? '', gradText: grad?.textContent ?? '' });
    }
    // graph-svg draws one path per shown edge in order, and a label (white patch + text) on
    // every edge out of a node with several uses, in the same order.
    const shown = drawnEdges(graph);
    const paths = [...svg.querySelectorAll<SVGPathElement>('path.edge')];
    const labels = [...svg.querySelectorAll<SVGTextElement>('text.edge-grad')];
    const uses = new Map<number, number>();
    for (const e of shown) uses.set(e.from, (uses.get(e.from) ?? 0) + 1);
    this.edges = [];
    shown.forEach((e, k) => {
      const labelled = (uses.get(e.from) ?? 0) > 1 && e.grad !== null;
      const text = labelled ? labels.shift() : undefined;
      const label: SVGElement[] = text ? [text, text.previousElementSibling as SVGElement].filter(Boolean) : [];
      paths[k]?.setAttribute('data-from', String(e.from));
      paths[k]?.setAttribute('data-to', String(e.to));
      this.edges.push({ index: graph.edges.indexOf(e), path: paths[k], label });
    });
  }

  /** Shows what is known after the current step. */
  show(revealed: Revealed): void {
    const graph = this.graph;
    if (!graph) return;
    const current = revealed.current;
    const sources = new Set(current && current.kind !== 'seed' ? graph.nodes[current.node].inputs : []);
    for (const [id, n] of this.nodes) {
      const hasValue = revealed.values.has(id);
      const hasGrad = revealed.grads.has(id);
      n.value.textContent = hasValue ? n.valueText : '';
      if (n.grad) n.grad.textContent = hasGrad ? n.gradText : '';
      n.g.dataset.state = hasGrad ? 'grad' : hasValue ? 'value' : 'pending';
      n.g.classList.toggle('is-current', current?.node === id);
      n.g.classList.toggle('is-source', sources.has(id));
      n.g.classList.toggle('is-complete', revealed.completed.includes(id) && current?.kind !== 'seed');
    }
    for (const e of this.edges) {
      const into = current !== null && current.kind !== 'seed' && graph.edges[e.index].to === current.node;
      e.path?.classList.toggle('is-forward', into && current.kind === 'forward');
      e.path?.classList.toggle('is-backward', into && current.kind === 'backward');
      const flowed = revealed.edgeGrads.has(e.index);
      for (const part of e.label) part.style.visibility = flowed ? 'visible' : 'hidden';
    }
  }
}
