/** Fused softmax cross-entropy against class indices (with label smoothing) for the js backend. */

export function crossEntropy(
  logits: Float32Array, rows: number, cols: number, target: Int32Array, labelSmoothing: number,
  logProbs: Float32Array, loss: Float32Array,
): void {
  const onTarget = 1 - labelSmoothing;
  const spread = labelSmoothing / cols;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) if (logits[o + j] > m) m = logits[o + j];
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(logits[o + j] - m);
    const lse = m + Math.log(sum);
    let sumLogProbs = 0;
    for (let j = 0; j < cols; j++) {
      const lp = logits[o + j] - lse;
      logProbs[o + j] = lp;
      sumLogProbs += lp;
    }
    // −Σ q·log p with q = (1 − ε)·onehot + ε/C
    loss[r] = -onTarget * logProbs[o + target[r]] - (spread === 0 ? 0 : spread * sumLogProbs);
  }
}

export function crossEntropyBackward(
  logProbs: Float32Array, target: Int32Array, rows: number, cols: number, labelSmoothing: number,
  scale: Float32Array, out: Float32Array,
): void {
  const onTarget = 1 - labelSmoothing;
  const spread = labelSmoothing / cols;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const s = scale[r];
    for (let j = 0; j < cols; j++) out[o + j] = s * (Math.exp(logProbs[o + j]) - spread);
    out[o + target[r]] -= s * onTarget;
  }
}
