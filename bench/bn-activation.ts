/**
 * BatchNorm → activation fused (`batchNorm(…, { activation })`, one node) against the two ops
 * (batchNorm, then tanh/sigmoid/relu), forward + backward through autograd, best of many reps,
 * alternating. Usage: NABLA_BACKEND=native npx tsx bench/bn-activation.ts [tanh|sigmoid|relu]
 */
import { batchNorm, getBackend, ones, randn, relu, sigmoid, tanh, zeros, type Tensor } from '../src/index.js';

const activation = (process.argv[2] ?? 'tanh') as 'relu' | 'sigmoid' | 'tanh';
const separate = { relu, sigmoid, tanh }[activation];

function step(x: Tensor, w: Tensor, b: Tensor, rm: Tensor, rv: Tensor, dy: Tensor, fused: boolean): void {
  const y = fused
    ? batchNorm(x, rm, rv, w, b, { training: true, activation })
    : separate(batchNorm(x, rm, rv, w, b, { training: true }));
  y.backward(dy);
  x.grad = null;
  w.grad = null;
  b.grad = null;
}

console.log(`backend ${getBackend()}, batchNorm → ${activation}, forward + backward, best of the reps (µs)`);
for (const [shape, reps] of [[[64, 100], 3000], [[128, 512], 1000]] as const) {
  const [, c] = shape;
  const x = randn([...shape], { requiresGrad: true });
  const w = ones([c], { requiresGrad: true });
  const b = zeros([c], { requiresGrad: true });
  const rm = zeros([c]);
  const rv = ones([c]);
  const dy = randn([...shape]);
  const best = { fused: Infinity, separate: Infinity };
  for (let r = 0; r < reps; r++) {
    for (const fused of r % 2 ? [true, false] : [false, true]) {
      const t = process.hrtime.bigint();
      step(x, w, b, rm, rv, dy, fused);
      const us = Number(process.hrtime.bigint() - t) / 1e3;
      const key = fused ? 'fused' : 'separate';
      best[key] = Math.min(best[key], us);
    }
  }
  console.log(`[${shape.join(', ')}]: fused ${best.fused.toFixed(1)}, separate ${best.separate.toFixed(1)} (${(best.separate / best.fused).toFixed(2)}x)`);
}
