import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { normalizeAxis } from '../shape.js';
import { checkTensor } from './util.js';

/** The permutation that moves `axis` last, and its inverse (null when it already is last). */
function axisLast(ndim: number, axis: number): { perm: number[]; inverse: number[] } | null {
  if (axis >= ndim - 1) return null;
  const perm = [...Array(ndim).keys()].filter((d) => d !== axis).concat(axis);
  const inverse = new Array<number>(ndim);
  perm.forEach((p, i) => { inverse[p] = i; });
  return { perm, inverse };
}

function permuted(t: Tensor, perm: number[]): Tensor {
  const out = empty(perm.map((p) => t.shape[p]));
  backend().permute(t.data, t.shape, perm, out.data);
  return out;
}

/**
 * Softmax or log-softmax along `axis`. The kernels work on the last axis, so another axis is
 * permuted last and back. The backward is the fused softmaxBackward on the (permuted) output.
 */
export function softmaxAlong(op: 'softmax' | 'logSoftmax', x: Tensor, axis: number): Tensor {
  checkTensor(op, x);
  const ax = normalizeAxis(op, axis, x.ndim);
  const log = op === 'logSoftmax';
  const moved = axisLast(x.ndim, ax);
  const cols = x.ndim === 0 ? 1 : x.shape[ax];
  const rows = cols === 0 ? 0 : x.size / cols;
  const be = backend();

  const input = moved ? permuted(x, moved.perm) : x;
  const yLast = empty(input.shape.slice());
  be.softmax(input.data, rows, cols, yLast.data, log);
  const out = moved ? permuted(yLast, moved.inverse) : yLast;

  return record(op, out, [x], (g) => {
    const gLast = moved ? permuted(g, moved.perm) : g;
    const dxLast = empty(yLast.shape.slice());
    be.softmaxBackward(yLast.data, gLast.data, rows, cols, dxLast.data, log);
    return [moved ? permuted(dxLast, moved.inverse) : dxLast];
  }, { axis: ax });
}

/** exp(x) / Σ exp(x) along `axis` (default the last), computed stably (max subtracted). */
export function softmax(x: Tensor, axis = -1): Tensor {
  return softmaxAlong('softmax', x, axis);
}
