import { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { formatShape } from '../shape.js';
import { checkTensor } from './util.js';

export type ClassIndices = number[] | Int32Array | Tensor;

export interface CrossEntropyOptions {
  reduction?: 'mean' | 'sum' | 'none';
  /** ε in [0, 1]: the target distribution is (1 − ε)·onehot + ε/C. */
  labelSmoothing?: number;
}

/** Class indices as an Int32Array of length n, each checked to lie in [0, classes). */
export function classIndices(op: string, target: ClassIndices, n: number, classes: number): Int32Array {
  let values: ArrayLike<number>;
  if (target instanceof Tensor) {
    if (target.ndim !== 1) throw new Error(`${op}: target must be 1-D [${n}], got shape ${formatShape(target.shape)}`);
    values = target.data;
  } else if (Array.isArray(target) || target instanceof Int32Array) values = target;
  else throw new Error(`${op}: target must be class indices (number[], Int32Array or a tensor of integers)`);
  if (values.length !== n) throw new Error(`${op}: target has ${values.length} class indices but the input has ${n} rows`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = values[i];
    if (!Number.isInteger(c)) throw new Error(`${op}: target ${i} is ${String(c)}, not an integer class index`);
    if (c < 0 || c >= classes) throw new Error(`${op}: target ${i} is class ${c}, out of range for ${classes} classes (expected 0 ≤ index < ${classes})`);
    out[i] = c;
  }
  return out;
}

/**
 * Softmax cross-entropy of logits [N, C] against class indices, as one op: a stable
 * log-sum-exp forward, and a backward that is (softmax − target distribution) scaled by the
 * upstream gradient (÷ N for 'mean').
 */
export function crossEntropy(logits: Tensor, target: ClassIndices, options: CrossEntropyOptions = {}): Tensor {
  const { reduction = 'mean', labelSmoothing = 0 } = options;
  checkTensor('crossEntropy', logits, 'logits');
  if (logits.ndim !== 2) throw new Error(`crossEntropy: logits must be 2-D [N, C], got shape ${formatShape(logits.shape)}`);
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new Error(`crossEntropy: reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new Error(`crossEntropy: labelSmoothing must be in [0, 1], got ${String(labelSmoothing)}`);
  }
  const [n, c] = logits.shape;
  const classes = classIndices('crossEntropy', target, n, c);
  const be = backend();
  const logProbs = new Float32Array(n * c);
  const rowLoss = empty([n]);
  be.crossEntropy(logits.data, n, c, classes, labelSmoothing, logProbs, rowLoss.data);

  let out = rowLoss;
  if (reduction !== 'none') {
    out = empty([]);
    be.reduce('sum', rowLoss.data, [n], [0], out.data);
    if (reduction === 'mean') out.data[0] /= n;
  }
  return record('crossEntropy', out, [logits], (g) => {
    const scale = reduction === 'none' ? g.data : new Float32Array(n).fill(reduction === 'mean' ? g.data[0] / n : g.data[0]);
    const dx = empty([n, c]);
    be.crossEntropyBackward(logProbs, classes, n, c, labelSmoothing, scale, dx.data);
    return [dx];
  }, { reduction, labelSmoothing });
}
