/**
 * embeddingBag (torch.nn.functional.embedding_bag): each bag's rows of `weight` summed (optionally
 * weighted per id) or averaged; padding ids left out. Backward scatters the bag's gradient to its
 * rows: a dense [numRows, dim] gradient, or with `sparse` a SparseGrad of the touched rows only, so
 * a step's cost grows with the ids, not with the table. Embedding's lookup is this op with bags of one id.
 */
import { Tensor } from '../tensor.js';
import { empty, zeros } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { exclusiveGrad } from '../autograd/exclusive-grad.js';
import { SparseGrad } from '../autograd/sparse-grad.js';
import type { EmbeddingBagMode } from '../backend/backend.js';
import { uniqueRows } from './embedding-ids.js';

export interface EmbeddingBagOpOptions {
  mode: EmbeddingBagMode;
  /** One weight per id ('sum' only); may require grad. */
  perSampleWeights?: Tensor | null;
  /** A row left out of every bag and never given a gradient; −1 for none. */
  paddingIdx: number;
  /** The weight's gradient as a SparseGrad of the touched rows. */
  sparse: boolean;
  /** The output's shape (default [numBags, dim]); Embedding gives [...ids.shape, dim]. */
  shape?: number[];
  /** Names the op's user in a sparse gradient (`Embedding(1000, 8, sparse: true)`). */
  origin?: string;
  /** The node's name in the graph. */
  op?: string;
}

/**
 * weight [numRows, dim]; ids (checked by the caller) and offsets with numBags + 1 entries (the last
 * = the number of ids), as embedding-ids.ts's toIds/toOffsets make them.
 */
export function embeddingBag(weight: Tensor, ids: Int32Array, offsets: Int32Array, options: EmbeddingBagOpOptions): Tensor {
  const { mode, paddingIdx, sparse } = options;
  const psw = options.perSampleWeights ?? null;
  const dim = weight.shape[1];
  const numBags = offsets.length - 1;
  const be = backend();
  const out = empty(options.shape ?? [numBags, dim]);
  be.embeddingBag(weight.data, dim, ids, offsets, numBags, mode, psw?.data ?? null, paddingIdx, out.data);
  const op = options.op ?? 'embeddingBag';
  return record(op, out, psw ? [weight, psw] : [weight], (g) => {
    let dw: Tensor | null = null;
    if (weight.requiresGrad) {
      const n = offsets[numBags];
      if (sparse) {
        const { indices, slots } = uniqueRows(ids, n, paddingIdx);
        const values = new Float32Array(indices.length * dim);
        be.embeddingBagBackward(g.data, dim, ids, offsets, numBags, mode, psw?.data ?? null, paddingIdx, slots, values);
        dw = new SparseGrad(indices, values, weight.shape, options.origin ?? op);
      } else {
        dw = zeros(weight.shape);
        be.embeddingBagBackward(g.data, dim, ids, offsets, numBags, mode, psw?.data ?? null, paddingIdx, ids, dw.data);
      }
    }
    let dpsw: Tensor | null = null;
    if (psw?.requiresGrad) {
      // d out[b] / d psw[k] = weight[ids[k]] for k in bag b: a dot product per id.
      dpsw = zeros(psw.shape);
      for (let b = 0; b < numBags; b++) {
        for (let k = offsets[b]; k < offsets[b + 1]; k++) {
          if (ids[k] === paddingIdx) continue;
          let s = 0;
          for (let j = 0; j < dim; j++) s += g.data[b * dim + j] * weight.data[ids[k] * dim + j];
          dpsw.data[k] = s;
        }
      }
    }
    return psw ? [exclusiveGrad(dw), dpsw] : [exclusiveGrad(dw)];
  }, { mode, paddingIdx, sparse });
}
