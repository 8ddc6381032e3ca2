/**
 * inspect(output): the computational graph behind a tensor, as plain data — every node's
 * op, value and (after backward) gradient, every edge with the gradient that flowed along
 * it — ready to export as JSON, Graphviz DOT or a terminal table.
 *
 * Gradients are read from what backward() left on the graph (node.grad, node.inputGrads),
 * never recomputed. Only the local gradients of single-element nodes are evaluated here, by
 * calling the node's own backward closure with an upstream gradient of 1.
 */
import { Tensor, type NestedArray } from '../tensor.js';
import { noGrad } from './grad-mode.js';
import { graphToDot, type DotOptions } from './inspect-dot.js';
import { graphToText, type TextOptions } from './inspect-text.js';

export interface GraphNodeInfo {
  /** Position in topological order: every node comes after its inputs; the output is last. */
  id: number;
  /** The op that produced the tensor; 'input' for leaves (parameters, data, constants). */
  op: string;
  /** The tensor's name if it has one, a constant's value, otherwise `op#id`. */
  label: string;
  name?: string;
  shape: number[];
  value: NestedArray;
  requiresGrad: boolean;
  /** An unnamed 0-d leaf that needs no gradient: typically a number an op turned into a tensor. */
  constant: boolean;
  /** Ids of the op's inputs, in argument order. */
  inputs: number[];
  /** The op's constants (an exponent, an axis), when it recorded any. */
  attrs?: Record<string, unknown>;
  /** dL/d(this node) after backward(): the upstream gradient at an op, the total at a leaf. */
  grad: NestedArray | null;
  /**
   * For a single-element node: d(this)/d(input k) for each input (null for inputs that take
   * no gradient), so that localGrads[k] × grad = the gradient sent to input k.
   */
  localGrads?: (NestedArray | null)[];
}

export interface GraphEdgeInfo {
  /** The input's node id. */
  from: number;
  /** The op's node id. */
  to: number;
  /** Which argument of the op `from` is. */
  index: number;
  /** After backward(): the gradient the op sent back to this input (dL/d(input) along this edge). */
  grad: NestedArray | null;
  /** The op's local gradient for this input, when the op's output has one element. */
  localGrad?: NestedArray | null;
}

export interface GraphJSON {
  nodes: GraphNodeInfo[];
  edges: GraphEdgeInfo[];
  /** Id of the inspected output. */
  output: number;
}

export class Graph {
  constructor(readonly nodes: GraphNodeInfo[], readonly edges: GraphEdgeInfo[]) {}

  /** The inspected tensor's node (the last in topological order). */
  get output(): GraphNodeInfo {
    return this.nodes[this.nodes.length - 1];
  }

  /** Nodes whose label (name, constant value or op#id) is `label`. */
  find(label: string): GraphNodeInfo[] {
    return this.nodes.filter((n) => n.label === label || n.name === label);
  }

  /** Nodes produced by `op` ('input' for leaves), in topological order. */
  byOp(op: string): GraphNodeInfo[] {
    return this.nodes.filter((n) => n.op === op);
  }

  /** The edges into node `id`, in argument order. */
  edgesInto(id: number): GraphEdgeInfo[] {
    return this.edges.filter((e) => e.to === id).sort((a, b) => a.index - b.index);
  }

  /** A plain object (numbers, strings, arrays) that survives JSON.stringify / JSON.parse. */
  toJSON(): GraphJSON {
    return JSON.parse(JSON.stringify({ nodes: this.nodes, edges: this.edges, output: this.output.id })) as GraphJSON;
  }

  /** Graphviz DOT: nodes labelled with op, value and gradient; edges with the gradient that flowed. */
  toDot(options?: DotOptions): string {
    return graphToDot(this, options);
  }

  /** One line per node in topological order: value, upstream gradient, local × upstream = downstream. */
  toText(options?: TextOptions): string {
    return graphToText(this, options);
  }

  toString(): string {
    return this.toText();
  }
}

/** Every tensor `output` depends on, inputs before the ops that use them, in argument order. */
function collect(output: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative depth-first search (graphs can be deeper than the call stack).
  const stack: [Tensor, boolean][] = [[output, false]];
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push([t, true]);
    const inputs = t.node?.inputs ?? [];
    for (let k = inputs.length - 1; k >= 0; k--) if (!seen.has(inputs[k])) stack.push([inputs[k], false]);
  }
  return order;
}

/** d(out)/d(input k) of a single-element node: its backward closure applied to an upstream 1. */
function localGradients(t: Tensor): (NestedArray | null)[] {
  const node = t.node!;
  const one = new Tensor(new Float32Array(1).fill(1), t.shape.slice());
  const grads = noGrad(() => node.backward(one));
  return node.inputs.map((input, k) => (input.requiresGrad && grads[k] ? grads[k]!.toArray() : null));
}

/** The graph that produced `output`: nodes in topological order (output last) and their edges. */
export function inspect(output: Tensor): Graph {
  if (!(output instanceof Tensor)) {
    throw new Error(`inspect: expected a Tensor, got ${output === null ? 'null' : typeof output}`);
  }
  const order = collect(output);
  const ids = new Map<Tensor, number>(order.map((t, i) => [t, i]));
  // What reached each leaf from this graph's ops (leaf.grad may also hold other graphs' sums).
  const leafGrads = new Map<Tensor, Float32Array>();
  const nodes: GraphNodeInfo[] = [];
  const edges: GraphEdgeInfo[] = [];

  for (const [id, t] of order.entries()) {
    const node = t.node;
    const constant = !node && !t.requiresGrad && t.name === undefined && t.ndim === 0;
    const op = node ? node.op : 'input';
    const info: GraphNodeInfo = {
      id,
      op,
      label: t.name ?? (constant ? String(Number(t.data[0].toPrecision(6))) : `${op}#${id}`),
      shape: t.shape.slice(),
      value: t.toArray(),
      requiresGrad: t.requiresGrad,
      constant,
      inputs: node ? node.inputs.map((input) => ids.get(input)!) : [],
      grad: node?.grad ? node.grad.toArray() : null,
    };
    if (t.name !== undefined) info.name = t.name;
    if (node?.attrs) info.attrs = { ...node.attrs };
    nodes.push(info);
    if (!node) continue;

    const local = t.size === 1 ? localGradients(t) : undefined;
    if (local) info.localGrads = local;
    node.inputs.forEach((input, k) => {
      const sent = input.requiresGrad ? node.inputGrads?.[k] ?? null : null;
      const edge: GraphEdgeInfo = { from: ids.get(input)!, to: id, index: k, grad: sent ? sent.toArray() : null };
      if (local) edge.localGrad = local[k];
      edges.push(edge);
      if (sent && !input.node) {
        const total = leafGrads.get(input) ?? new Float32Array(input.size);
        for (let i = 0; i < total.length; i++) total[i] += sent.data[i];
        leafGrads.set(input, total);
      }
    });
  }

  for (const [leaf, total] of leafGrads) {
    nodes[ids.get(leaf)!].grad = new Tensor(total, leaf.shape.slice()).toArray();
  }
  return new Graph(nodes, edges);
}
