import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { formatShape, normalizeAxes, reducedShape } from '../shape.js';
import { checkTensor, keptShape } from './util.js';

/**
 * The largest (or smallest) value over `axis`, the shared core of max and min. The gradient
 * goes to the positions holding that value, split evenly among ties (as PyTorch's full
 * reduction and amax/amin do).
 */
export function extremum(op: 'max' | 'min', x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  checkTensor(op, x);
  const axes = normalizeAxes(op, axis, x.ndim);
  if (axes.some((a) => x.shape[a] === 0)) {
    throw new Error(`${op}: cannot reduce over an empty axis of shape ${formatShape(x.shape)}`);
  }
  const out = empty(reducedShape(x.shape, axes, keepDims));
  const be = backend();
  be.reduce(op, x.data, x.shape, axes, out.data);
  return record(op, out, [x], (g) => {
    const kept = keptShape(x.shape, axes);
    const hit = empty(x.shape.slice());
    be.binary('eq', x.data, x.shape, out.data, kept, hit.data, x.shape);
    const ties = empty(kept);
    be.reduce('sum', hit.data, x.shape, axes, ties.data);
    const share = empty(kept);
    be.binary('div', g.data, kept, ties.data, kept, share.data, kept);
    const dx = empty(x.shape.slice());
    be.binary('mul', hit.data, x.shape, share.data, kept, dx.data, x.shape);
    return [dx];
  }, { axis: axes, keepDims });
}
