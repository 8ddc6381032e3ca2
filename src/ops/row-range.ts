import { Tensor } from '../tensor.js';
import { emptyUninitialized } from '../creation.js';
import { record } from '../autograd/node.js';
import { formatShape, sizeOf } from '../shape.js';
import { checkTensor } from './util.js';

/**
 * Rows [start, start + count) of x along axis 0 under `shape` (default [count, ...x.shape[1:]]),
 * sharing x's storage as reshape does (a contiguous range needs no copy; narrow copies). How an op
 * with several results hands them out from one output tensor: the recurrent layers' output
 * sequence, final hidden state and final cell state are row ranges of one array. The gradient is
 * x's shape of zeros with g in those rows.
 */
export function rowRange(x: Tensor, start: number, count: number, shape?: number[]): Tensor {
  checkTensor('rowRange', x);
  const rows = x.shape[0] ?? 0;
  if (x.ndim === 0 || !Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > rows) {
    throw new Error(`rowRange: rows [${start}, ${start + count}) are not within axis 0 of shape ${formatShape(x.shape)}`);
  }
  const rowSize = rows === 0 ? 0 : x.size / rows;
  const target = shape ?? [count, ...x.shape.slice(1)];
  if (sizeOf(target) !== count * rowSize) {
    throw new Error(`rowRange: ${count} rows of ${rowSize} values do not fill shape ${formatShape(target)}`);
  }
  const out = new Tensor(x.data.subarray(start * rowSize, (start + count) * rowSize), target.slice());
  return record('rowRange', out, [x], (g) => {
    const dx = emptyUninitialized(x.shape.slice());
    dx.data.fill(0, 0, start * rowSize);
    dx.data.set(g.data, start * rowSize);
    dx.data.fill(0, (start + count) * rowSize);
    return [dx];
  }, { start, count });
}
