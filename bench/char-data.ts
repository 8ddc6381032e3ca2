/**
 * The lstm workload's characters, computed alike by every worker (workers/torch_worker.py mirrors
 * it): MINSTD, s ← 48271·s mod (2³¹ − 1) from s = 1, each character s mod vocab. Exact in doubles
 * (48271·2³¹ < 2⁵³). Sample k of the data is characters [k·(T + 1), (k + 1)·(T + 1)): T inputs and,
 * shifted by one, T targets.
 */
export function characterStream(length: number, vocab: number): Int32Array {
  const out = new Int32Array(length);
  let s = 1;
  for (let i = 0; i < length; i++) {
    s = (s * 48271) % 2147483647;
    out[i] = s % vocab;
  }
  return out;
}

/** Inputs [batch, T] (ids as floats, as an Embedding takes them) and targets [batch·T] of the batch starting at sample `start`. */
export function characterBatch(stream: Int32Array, start: number, batch: number, sequence: number): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(batch * sequence);
  const y = new Int32Array(batch * sequence);
  for (let b = 0; b < batch; b++) {
    const from = (start + b) * (sequence + 1);
    for (let t = 0; t < sequence; t++) {
      x[b * sequence + t] = stream[from + t];
      y[b * sequence + t] = stream[from + t + 1];
    }
  }
  return { x, y };
}
