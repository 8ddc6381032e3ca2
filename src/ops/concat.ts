import { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { formatShape, normalizeAxis, stridesOf } from '../shape.js';

/** Checks the op's list of tensors; returns them. */
export function checkTensorList(op: string, tensors: readonly Tensor[]): Tensor[] {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error(`${op}: expected a non-empty array of tensors`);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`${op}: input ${i} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  });
  return tensors.slice();
}

/** Joins tensors along an existing axis (like torch.cat); shapes must match on every other axis. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  const xs = checkTensorList('concat', tensors);
  const first = xs[0];
  if (first.ndim === 0) throw new Error('concat: cannot concatenate 0-d tensors (use stack)');
  const a = normalizeAxis('concat', axis, first.ndim);
  xs.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((d, k) => k !== a && d !== first.shape[k])) {
      throw new Error(
        `concat: input ${i} has shape ${formatShape(t.shape)} but input 0 has shape ${formatShape(first.shape)} (they must match except along axis ${a})`,
      );
    }
  });
  const shape = first.shape.slice();
  shape[a] = xs.reduce((n, t) => n + t.shape[a], 0);
  const out = empty(shape);
  const outStrides = stridesOf(shape);
  // Each input is a box of out starting at its running offset along the axis.
  const offsets: number[] = [];
  let at = 0;
  for (const t of xs) {
    offsets.push(at * outStrides[a]);
    backend().copyStrided(t.data, 0, stridesOf(t.shape), out.data, at * outStrides[a], outStrides, t.shape, false);
    at += t.shape[a];
  }
  return record('concat', out, xs, (g) => xs.map((t, i) => {
    if (!t.requiresGrad) return null;
    const dt = empty(t.shape.slice());
    backend().copyStrided(g.data, offsets[i], outStrides, dt.data, 0, stridesOf(t.shape), t.shape, false);
    return dt;
  }), { axis: a });
}
