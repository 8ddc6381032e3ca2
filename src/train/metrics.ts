/** Classification metrics computed from logits [N, C] and class indices, outside the graph. */
import type { Tensor } from '../tensor.js';
import { formatShape } from '../shape.js';

/** The predicted class (argmax) of each row of logits [N, C]. */
export function predictions(logits: Tensor): Int32Array {
  if (logits.ndim !== 2) throw new Error(`predictions: expected logits of shape [N, C], got ${formatShape(logits.shape)}`);
  const [n, c] = logits.shape;
  const d = logits.data;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (d[i * c + j] > d[i * c + best]) best = j;
    out[i] = best;
  }
  return out;
}

/** The number of rows whose argmax equals the label. */
export function correctCount(logits: Tensor, y: Int32Array): number {
  const pred = predictions(logits);
  if (pred.length !== y.length) throw new Error(`accuracy: ${pred.length} predictions for ${y.length} labels`);
  let correct = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) correct++;
  return correct;
}

/** The fraction of rows whose argmax equals the label. */
export function accuracy(logits: Tensor, y: Int32Array): number {
  return y.length === 0 ? 0 : correctCount(logits, y) / y.length;
}

/** counts[true][predicted], a numClasses × numClasses table. */
export function confusionMatrix(predicted: Int32Array, y: Int32Array, numClasses: number): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < y.length; i++) {
    if (y[i] >= numClasses || predicted[i] >= numClasses) {
      throw new Error(`confusionMatrix: class ${Math.max(y[i], predicted[i])} is out of range for ${numClasses} classes`);
    }
    m[y[i]][predicted[i]]++;
  }
  return m;
}
