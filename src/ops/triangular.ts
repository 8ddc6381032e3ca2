import { Tensor } from '../tensor.js';
import { record } from '../autograd/node.js';
import { formatShape } from '../shape.js';
import { asTensor, checkTensor } from './util.js';
import { select } from './where.js';

const ZERO = asTensor('triu', 0);

/** [rows, cols] of 1 where column − row ≥ diagonal (upper) or ≤ diagonal (lower), else 0. */
function triangleMask(rows: number, cols: number, diagonal: number, upper: boolean): Tensor {
  const mask = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) mask[i * cols + j] = (upper ? j - i >= diagonal : j - i <= diagonal) ? 1 : 0;
  }
  return new Tensor(mask, [rows, cols]);
}

/** x with the other triangle of its last two dimensions zeroed (NaN and ±Infinity too); the gradient is masked alike. */
function triangular(op: 'triu' | 'tril', x: Tensor, diagonal: number): Tensor {
  checkTensor(op, x);
  if (x.ndim < 2) throw new Error(`${op}: expected a tensor with at least 2 dimensions (the matrices are the last two), got shape ${formatShape(x.shape)}`);
  if (!Number.isInteger(diagonal)) throw new Error(`${op}: diagonal must be an integer, got ${String(diagonal)}`);
  const [rows, cols] = x.shape.slice(-2);
  const mask = triangleMask(rows, cols, diagonal, op === 'triu');
  const out = select(mask, x, ZERO, x.shape);
  return record(op, out, [x], (g) => [select(mask, g, ZERO, x.shape)], { diagonal });
}

/**
 * The upper triangle of the matrices in x's last two dimensions (torch.triu): elements with
 * column − row ≥ diagonal are kept, the others are 0. diagonal > 0 drops diagonals above the
 * main one as well, < 0 keeps some below it.
 */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangular('triu', x, diagonal);
}

/** The lower triangle (torch.tril): elements with column − row ≤ diagonal are kept, the others are 0. */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangular('tril', x, diagonal);
}
