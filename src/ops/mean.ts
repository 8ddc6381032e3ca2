import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { normalizeAxes, reducedShape } from '../shape.js';
import { broadcastTo, checkTensor, keptShape } from './util.js';

/** The number of elements each output of a reduction over `axes` summarizes. */
export function reducedCount(shape: readonly number[], axes: readonly number[]): number {
  let n = 1;
  for (const a of axes) n *= shape[a];
  return n;
}

/** Mean over `axis` (a number, a list, or all axes when omitted); the gradient is g/n, broadcast back. */
export function mean(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  checkTensor('mean', x);
  const axes = normalizeAxes('mean', axis, x.ndim);
  const n = Float32Array.of(reducedCount(x.shape, axes));
  const out = empty(reducedShape(x.shape, axes, keepDims));
  const be = backend();
  be.reduce('sum', x.data, x.shape, axes, out.data);
  be.binary('div', out.data, out.shape, n, [], out.data, out.shape);
  return record('mean', out, [x], (g) => {
    const kept = keptShape(x.shape, axes);
    const share = empty(kept);
    be.binary('div', g.data, kept, n, [], share.data, kept);
    return [broadcastTo(share, x.shape)];
  }, { axis: axes, keepDims });
}
