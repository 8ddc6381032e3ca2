import { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { broadcastShapes, broadcastStrides, formatShape, sizeOf } from '../shape.js';
import { checkTensor } from './util.js';

/** For each matrix of the broadcast batch, the index of the operand's matrix it reads. */
export function batchIndices(batch: number[], operandBatch: number[]): Int32Array {
  const count = sizeOf(batch);
  const strides = broadcastStrides(operandBatch, batch);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let rest = i;
    let idx = 0;
    for (let d = batch.length - 1; d >= 0; d--) {
      idx += (rest % batch[d]) * strides[d];
      rest = Math.floor(rest / batch[d]);
    }
    out[i] = idx;
  }
  return out;
}

/** s when idx[i] = i·s for every i (0: every product reads the same matrix), else null. */
function uniformStride(idx: Int32Array): number | null {
  const s = idx.length > 1 ? idx[1] - idx[0] : 0;
  for (let i = 0; i < idx.length; i++) if (idx[i] !== i * s) return null;
  return s;
}

/**
 * Matrix product with torch.matmul's rules: 1-D·1-D is a dot product, 2-D·2-D a matrix
 * product, and higher ranks are batches of matrices whose batch dimensions broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', a, 'first operand');
  checkTensor('matmul', b, 'second operand');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`matmul: both operands need at least one dimension, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const aShape = a.ndim === 1 ? [1, a.shape[0]] : a.shape;
  const bShape = b.ndim === 1 ? [b.shape[0], 1] : b.shape;
  const m = aShape[aShape.length - 2];
  const k = aShape[aShape.length - 1];
  const kb = bShape[bShape.length - 2];
  const n = bShape[bShape.length - 1];
  if (k !== kb) {
    throw new Error(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not align (${k} ≠ ${kb})`);
  }
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = broadcastShapes('matmul', aBatch, bBatch);
  const ia = batchIndices(batch, aBatch);
  const ib = batchIndices(batch, bBatch);
  const outShape = [...batch];
  if (a.ndim > 1) outShape.push(m);
  if (b.ndim > 1) outShape.push(n);
  const out = empty(outShape);
  const be = backend();
  const mk = m * k;
  const kn = k * n;
  const mn = m * n;
  // One gemmBatch call when each operand is one matrix or one per product (the native backend
  // threads it); a loop of gemm calls for partial broadcasts.
  const sa = uniformStride(ia);
  const sb = uniformStride(ib);
  const batched = sa !== null && sb !== null;
  if (batched) be.gemmBatch(false, false, m, n, k, 1, a.data, sa * mk, b.data, sb * kn, 0, out.data, mn, ia.length);
  else {
    for (let i = 0; i < ia.length; i++) {
      be.gemm(false, false, m, n, k, 1, a.data.subarray(ia[i] * mk, ia[i] * mk + mk), b.data.subarray(ib[i] * kn, ib[i] * kn + kn), 0, out.data.subarray(i * mn, i * mn + mn));
    }
  }
  return record('matmul', out, [a, b], (g) => {
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (a.requiresGrad) {
      // dA = dC · Bᵀ, summed over the batches that broadcast A
      da = new Tensor(new Float32Array(a.size), a.shape.slice());
      if (batched) be.gemmBatch(false, true, m, k, n, 1, g.data, mn, b.data, sb * kn, 0, da.data, sa * mk, ia.length);
      else for (let i = 0; i < ia.length; i++) {
        be.gemm(false, true, m, k, n, 1, g.data.subarray(i * mn, i * mn + mn), b.data.subarray(ib[i] * kn, ib[i] * kn + kn), 1, da.data.subarray(ia[i] * mk, ia[i] * mk + mk));
      }
    }
    if (b.requiresGrad) {
      // dB = Aᵀ · dC
      db = new Tensor(new Float32Array(b.size), b.shape.slice());
      if (batched) be.gemmBatch(true, false, k, n, m, 1, a.data, sa * mk, g.data, mn, 0, db.data, sb * kn, ib.length);
      else for (let i = 0; i < ib.length; i++) {
        be.gemm(true, false, k, n, m, 1, a.data.subarray(ia[i] * mk, ia[i] * mk + mk), g.data.subarray(i * mn, i * mn + mn), 1, db.data.subarray(ib[i] * kn, ib[i] * kn + kn));
      }
    }
    return [da, db];
  });
}
