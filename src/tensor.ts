/**
 * Tensor: float32 values in a row-major Float32Array, a shape, and — when it requires grad —
 * a link to the graph node that produced it. Op methods (add, matmul, …) are installed by
 * ops/methods.ts; creation functions live in creation.ts.
 */
import type { GraphNode } from './autograd/node.js';
import { backward } from './autograd/backward.js';
import { formatTensor } from './format.js';
import { checkShape, formatShape, sameShape, sizeOf } from './shape.js';

export type NestedArray = number | NestedArray[];

export class Tensor {
  /** The live storage, row-major. */
  data: Float32Array;
  shape: number[];
  requiresGrad: boolean;
  /** The graph node that produced this tensor (null for leaves and for tensors made without grad). */
  node: GraphNode | null = null;
  /** An optional label, shown by inspect() and in the graph views. */
  name?: string;
  private _grad: Tensor | null = null;

  constructor(data: Float32Array, shape: number[], requiresGrad = false) {
    if (!(data instanceof Float32Array)) throw new Error(`Tensor: data must be a Float32Array, got ${data === null ? 'null' : typeof data}`);
    checkShape('Tensor', shape);
    if (data.length !== sizeOf(shape)) {
      throw new Error(`Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${sizeOf(shape)}`);
    }
    this.data = data;
    this.shape = shape;
    this.requiresGrad = requiresGrad;
  }

  /** dL/d(this) after backward(); assignable (null, or a tensor of the same shape). */
  get grad(): Tensor | null {
    return this._grad;
  }

  set grad(g: Tensor | null) {
    if (g !== null && !(g instanceof Tensor)) throw new Error(`grad: must be a Tensor or null, got ${typeof g}`);
    const shape = g === null ? null : g.isSparse ? (g as Tensor & { denseShape: number[] }).denseShape : g.shape;
    if (shape !== null && !sameShape(shape, this.shape)) {
      throw new Error(`grad: assigned gradient of shape ${formatShape(shape)} to a tensor of shape ${formatShape(this.shape)}`);
    }
    this._grad = g;
  }

  /**
   * Whether this is a row-sparse gradient (autograd/sparse-grad.ts's SparseGrad, the .grad of an
   * embedding made with sparse: true): a Tensor of its touched rows' values, not of the whole parameter.
   */
  get isSparse(): boolean {
    return false;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** True for tensors not produced by a recorded op (parameters, inputs). */
  get isLeaf(): boolean {
    return this.node === null;
  }

  numel(): number {
    return this.data.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) {
      throw new Error(`item: only a one-element tensor converts to a number, this one has shape ${formatShape(this.shape)}`);
    }
    return this.data[0];
  }

  /** The values as nested arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const build = (dim: number, offset: number, stride: number): NestedArray => {
      if (dim === this.shape.length) return this.data[offset];
      const n = this.shape[dim];
      const inner = stride / Math.max(n, 1);
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) out.push(build(dim + 1, offset + i * inner, inner));
      return out;
    };
    return build(0, 0, this.data.length);
  }

  /** Sets requiresGrad in place (leaves only) and returns this, like torch's requires_grad_(). */
  requiresGrad_(on = true): this {
    if (!this.isLeaf && !on) throw new Error('requiresGrad_: cannot turn off grad on a non-leaf tensor; use detach()');
    this.requiresGrad = on;
    return this;
  }

  /** A tensor sharing this storage, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape.slice(), false);
  }

  /** Backpropagates from this tensor: a scalar, or any shape with an explicit gradient of the same shape. */
  backward(grad?: Tensor): void {
    backward(this, grad);
  }

  toString(): string {
    const suffixes: string[] = [];
    if (this.node) suffixes.push(`gradFn=<${this.node.op}>`);
    else if (this.requiresGrad) suffixes.push('requiresGrad=true');
    return formatTensor(this.data, this.shape, suffixes);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
