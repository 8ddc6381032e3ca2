import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { formatShape, normalizeAxis, sameShape, stridesOf } from '../shape.js';
import { checkTensorList } from './concat.js';

/** Joins same-shaped tensors along a new axis (like torch.stack): out.shape[axis] = tensors.length. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  const xs = checkTensorList('stack', tensors);
  const first = xs[0];
  const a = normalizeAxis('stack', axis, first.ndim + 1);
  xs.forEach((t, i) => {
    if (!sameShape(t.shape, first.shape)) {
      throw new Error(`stack: input ${i} has shape ${formatShape(t.shape)} but input 0 has shape ${formatShape(first.shape)} (all must match)`);
    }
  });
  const shape = first.shape.slice();
  shape.splice(a, 0, xs.length);
  const out = empty(shape);
  const outStrides = stridesOf(shape);
  // Input k fills the positions with index k along the new axis.
  const step = outStrides[a];
  const placed = outStrides.filter((_, d) => d !== a);
  const own = stridesOf(first.shape);
  xs.forEach((t, k) => backend().copyStrided(t.data, 0, own, out.data, k * step, placed, t.shape, false));
  return record('stack', out, xs, (g) => xs.map((t, k) => {
    if (!t.requiresGrad) return null;
    const dt = empty(t.shape.slice());
    backend().copyStrided(g.data, k * step, placed, dt.data, 0, own, t.shape, false);
    return dt;
  }), { axis: a });
}
