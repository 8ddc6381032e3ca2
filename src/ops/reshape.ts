import { Tensor } from '../tensor.js';
import { record } from '../autograd/node.js';
import { formatShape, sizeOf } from '../shape.js';
import { checkTensor } from './util.js';

/** The same values under a new shape (one dimension may be −1, inferred). Shares storage. */
export function reshape(x: Tensor, shape: number[]): Tensor {
  checkTensor('reshape', x);
  if (!Array.isArray(shape)) throw new Error(`reshape: shape must be an array of integers, got ${String(shape)}`);
  const target = shape.slice();
  const inferred = target.indexOf(-1);
  if (target.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== inferred))) {
    throw new Error(`reshape: invalid target shape ${formatShape(shape)}: dimensions must be non-negative integers, with at most one −1`);
  }
  if (inferred >= 0) {
    const known = sizeOf(target.filter((d) => d !== -1));
    if (known === 0 || x.size % known !== 0) {
      throw new Error(`reshape: cannot reshape tensor of shape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)}`);
    }
    target[inferred] = x.size / known;
  }
  if (sizeOf(target) !== x.size) {
    throw new Error(`reshape: cannot reshape tensor of shape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)} (${sizeOf(target)} elements)`);
  }
  const out = new Tensor(x.data, target);
  return record('reshape', out, [x], (g) => [new Tensor(g.data, x.shape.slice())], { shape: target });
}
