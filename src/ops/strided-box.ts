import type { Tensor } from '../tensor.js';
import { empty, zeros } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { stridesOf } from '../shape.js';

/** A box of x's elements: out[i] = x.data[offset + Σ i_d·strides_d] for every index i of `shape`. */
export interface StridedBox {
  offset: number;
  strides: number[];
  shape: number[];
}

/**
 * Copies a box out of x (the forward of slice and narrow); the gradient scatters the upstream
 * gradient back into the same positions of a zero tensor of x's shape.
 */
export function takeBox(op: string, x: Tensor, box: StridedBox, attrs?: Record<string, unknown>): Tensor {
  const out = empty(box.shape);
  const outStrides = stridesOf(box.shape);
  backend().copyStrided(x.data, box.offset, box.strides, out.data, 0, outStrides, box.shape, false);
  return record(op, out, [x], (g) => {
    const dx = zeros(x.shape);
    backend().copyStrided(g.data, 0, outStrides, dx.data, box.offset, box.strides, box.shape, true);
    return [dx];
  }, attrs);
}
