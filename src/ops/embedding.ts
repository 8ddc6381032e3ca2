/**
 * embedding (torch.nn.functional.embedding): out[..., :] = weight[ids[...], :], shape [...ids, dim].
 * Backward adds each upstream row into its id's row, skipping paddingIdx (whose row the forward
 * still returns as it is, as PyTorch): dense, or with `sparse` a SparseGrad of the touched rows.
 * The kernels are embeddingBag's, on bags of one id.
 */
import { Tensor } from '../tensor.js';
import { empty, zeros } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { exclusiveGrad } from '../autograd/exclusive-grad.js';
import { SparseGrad } from '../autograd/sparse-grad.js';
import { uniqueRows } from './embedding-ids.js';

export interface EmbeddingOpOptions {
  /** The row that gets no gradient; −1 for none. */
  paddingIdx: number;
  sparse: boolean;
  /** The ids' shape (the output is [...idsShape, dim]); default [ids.length]. */
  idsShape?: number[];
  /** Names the op's user in a sparse gradient. */
  origin?: string;
}

/** weight [numRows, dim]; ids already checked against numRows (embedding-ids.ts's toIds). */
export function embedding(weight: Tensor, ids: Int32Array, options: EmbeddingOpOptions): Tensor {
  const { paddingIdx, sparse } = options;
  const dim = weight.shape[1];
  const n = ids.length;
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k <= n; k++) offsets[k] = k;
  const be = backend();
  const out = empty([...(options.idsShape ?? [n]), dim]);
  be.embeddingBag(weight.data, dim, ids, offsets, n, 'sum', null, -1, out.data);
  return record('embedding', out, [weight], (g) => {
    if (sparse) {
      const { indices, slots } = uniqueRows(ids, n, paddingIdx);
      const values = new Float32Array(indices.length * dim);
      be.embeddingBagBackward(g.data, dim, ids, offsets, n, 'sum', null, paddingIdx, slots, values);
      return [exclusiveGrad(new SparseGrad(indices, values, weight.shape, options.origin ?? 'embedding'))];
    }
    const dw = zeros(weight.shape);
    be.embeddingBagBackward(g.data, dim, ids, offsets, n, 'sum', null, paddingIdx, ids, dw.data);
    return [exclusiveGrad(dw)];
  }, { paddingIdx, sparse });
}
