import type { Tensor } from '../tensor.js';
import { emptyUninitialized } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { normalizeAxis } from '../shape.js';
import { checkTensor } from './util.js';

/** x viewed as [outer, size, inner] around `axis` (a 0-d tensor is one value). */
function around(x: Tensor, axis: number): { outer: number; size: number; inner: number } {
  if (x.ndim === 0) return { outer: 1, size: 1, inner: 1 };
  const size = x.shape[axis];
  const inner = x.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const outer = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  return { outer, size, inner };
}

/**
 * Running sums along `axis` (torch.cumsum): out[…, i, …] = Σ_{j ≤ i} x[…, j, …], summed in
 * float64. The gradient is the running sum of the upstream gradient taken from the other end.
 */
export function cumsum(x: Tensor, axis: number): Tensor {
  checkTensor('cumsum', x);
  if (axis === undefined) throw new Error('cumsum: axis is required (torch.cumsum needs dim)');
  const a = normalizeAxis('cumsum', axis, x.ndim);
  const { outer, size, inner } = around(x, a);
  const out = emptyUninitialized(x.shape.slice());
  backend().cumsum(x.data, outer, size, inner, false, out.data);
  return record('cumsum', out, [x], (g) => {
    const dx = emptyUninitialized(x.shape.slice());
    backend().cumsum(g.data, outer, size, inner, true, dx.data);
    return [dx];
  }, { axis: a });
}
