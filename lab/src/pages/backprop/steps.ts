/**
 * The forward and backward passes over an inspected graph, cut into the steps the lecture's slides
 * take: one op per forward step (its value appears), then the seed ∂f/∂f = 1, then one op per
 * backward step in reverse topological order (local gradient × upstream = downstream for each of
 * its inputs). `revealedAt` says what the drawing shows after a given number of steps.
 */
import type { Graph, GraphEdgeInfo, GraphNodeInfo } from 'nabla';

export type Step =
  | { kind: 'forward'; node: number }
  | { kind: 'seed'; node: number }
  | { kind: 'backward'; node: number };

/** Constants an op takes are folded into its label (`+1`, `1/x`): they are not drawn and take no step. */
export function isFolded(graph: Graph, node: GraphNodeInfo): boolean {
  return node.constant && graph.edges.some((e) => e.from === node.id);
}

/** The edges the drawing shows, in the order graph-svg draws them. */
export function drawnEdges(graph: Graph): GraphEdgeInfo[] {
  return graph.edges.filter((e) => !isFolded(graph, graph.nodes[e.from]));
}

export function buildSteps(graph: Graph): Step[] {
  const ops = graph.nodes.filter((n) => n.op !== 'input');
  return [
    ...ops.map((n): Step => ({ kind: 'forward', node: n.id })),
    { kind: 'seed', node: graph.output.id },
    ...ops
      .slice()
      .reverse()
      .map((n): Step => ({ kind: 'backward', node: n.id })),
  ];
}

export interface Revealed {
  /** Nodes whose value (green) is shown. */
  values: Set<number>;
  /** Nodes whose gradient (red) is shown: complete, every use has sent its part back. */
  grads: Set<number>;
  /** Edges (indices into graph.edges) whose gradient has flowed back. */
  edgeGrads: Set<number>;
  /** The step just taken (null before the first). */
  current: Step | null;
  /** Nodes whose gradient became complete at the current step. */
  completed: number[];
}

/** What is known after the first `count` steps. Inputs' values are known from the start. */
export function revealedAt(graph: Graph, steps: Step[], count: number): Revealed {
  const values = new Set(graph.nodes.filter((n) => n.op === 'input').map((n) => n.id));
  const grads = new Set<number>();
  const edgeGrads = new Set<number>();
  let completed: number[] = [];
  const uses = (id: number) => graph.edges.flatMap((e, k) => (e.from === id ? [k] : []));
  for (const step of steps.slice(0, count)) {
    completed = [];
    if (step.kind === 'forward') values.add(step.node);
    else if (step.kind === 'seed') {
      grads.add(step.node);
      completed.push(step.node);
    } else {
      const into = graph.edges.flatMap((e, k) => (e.to === step.node && e.grad !== null ? [k] : []));
      for (const k of into) edgeGrads.add(k);
      for (const k of into) {
        const from = graph.edges[k].from;
        if (!grads.has(from) && uses(from).every((u) => edgeGrads.has(u) || graph.edges[u].grad === null)) {
          grads.add(from);
          completed.push(from);
        }
      }
    }
  }
  return { values, grads, edgeGrads, current: count > 0 ? steps[count - 1] : null, completed };
}
