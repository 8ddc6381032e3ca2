/**
 * Quick measurement (not a test): a logistic-regression step on hashed ids, EmbeddingBag(buckets, 1,
 * sum, sparse) → a logit, binary cross-entropy, FTRL or Adagrad; ~100 ids per example; µs per step
 * at 2^16 and 2^24 buckets, batch 32 and batch 1. Run: npx tsx bench/sparse-step.ts
 */
import { manualSeed, nn, optim, setBackend, tensor } from '../src/index.js';

setBackend((process.env.NABLA_BACKEND as 'js' | 'native') ?? 'native');
function measure(bits: number, batch: number, opt: 'FTRL' | 'Adagrad'): number {
  manualSeed(1);
  const buckets = 2 ** bits;
  const bag = new nn.EmbeddingBag(buckets, 1, { mode: 'sum', sparse: true });
  bag.weight.data.fill(0);
  const o = opt === 'FTRL' ? new optim.FTRL([bag.weight], { lr: 0.1, l1: 0.01 }) : new optim.Adagrad([bag.weight], { lr: 0.1 });
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0);
  const step = () => {
    const ids = new Int32Array(batch * 100);
    for (let k = 0; k < ids.length; k++) ids[k] = rand() % buckets;
    const offsets = Int32Array.from({ length: batch }, (_, b) => b * 100);
    o.zeroGrad();
    const logit = bag.forward(ids, offsets).reshape([batch]);
    nn.functional.binaryCrossEntropyWithLogits(logit, tensor(Array.from({ length: batch }, (_, b) => b % 2))).backward();
    o.step();
  };
  for (let i = 0; i < 300; i++) step();
  const n = 2000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) step();
  return Number(process.hrtime.bigint() - t0) / 1e3 / n;
}
for (const opt of ['FTRL', 'Adagrad'] as const) {
  for (const batch of [32, 1]) {
    const a = measure(16, batch, opt);
    const b = measure(24, batch, opt);
    console.log(`${opt} batch ${batch}: 2^16 ${a.toFixed(1)} µs/step, 2^24 ${b.toFixed(1)} µs/step`);
  }
}
