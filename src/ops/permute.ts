import { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { checkTensor } from './util.js';

/** Copies x with its axes reordered by `perm` (a validated permutation); the gradient is permuted back. */
export function applyPermutation(op: string, x: Tensor, perm: number[], attrs?: Record<string, unknown>): Tensor {
  const out = empty(perm.map((p) => x.shape[p]));
  backend().permute(x.data, x.shape, perm, out.data);
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => { inverse[p] = i; });
  return record(op, out, [x], (g) => {
    const dx = empty(x.shape.slice());
    backend().permute(g.data, g.shape, inverse, dx.data);
    return [dx];
  }, attrs);
}

/** x with its axes reordered: out.shape[i] = x.shape[dims[i]] (like torch.permute; negative dims count from the end). */
export function permute(x: Tensor, dims: number[]): Tensor {
  checkTensor('permute', x);
  if (!Array.isArray(dims) || dims.length !== x.ndim) {
    throw new Error(`permute: dims ${JSON.stringify(dims)} must list each of the ${x.ndim} axes of shape ${formatShape(x.shape)} once`);
  }
  const perm = dims.map((d) => normalizeAxis('permute', d, x.ndim));
  if (new Set(perm).size !== perm.length) {
    throw new Error(`permute: dims ${JSON.stringify(dims)} is not a permutation of 0..${x.ndim - 1} (repeated axis)`);
  }
  return applyPermutation('permute', x, perm, { dims: perm });
}
