/**
 * The lecture's worked example: logistic regression f = σ(w0·x0 + w1·x1 + w2) at
 * w = (2, −3, −3), x = (−1, −2). Forward pass for the value, backward pass for every gradient,
 * then the computational graph twice: σ staged as the slides draw it (×(−1), exp, +1, 1/x),
 * and σ as one module whose local gradient is (1 − σ)σ.
 */
import { inspect, tensor, type Tensor } from '../src/index.js';

function inputs() {
  return [
    tensor(2, { requiresGrad: true, name: 'w0' }),
    tensor(-1, { requiresGrad: true, name: 'x0' }),
    tensor(-3, { requiresGrad: true, name: 'w1' }),
    tensor(-2, { requiresGrad: true, name: 'x1' }),
    tensor(-3, { requiresGrad: true, name: 'w2' }),
  ];
}

function logisticRegression(sigma: (s: Tensor) => Tensor) {
  const leaves = inputs();
  const [w0, x0, w1, x1, w2] = leaves;
  const f = sigma(w0.mul(x0).add(w1.mul(x1)).add(w2));
  f.backward();
  return { f, leaves };
}

const fmt = (v: number) => v.toFixed(2);

const fused = logisticRegression((s) => s.sigmoid());
console.log(`f = σ(w0·x0 + w1·x1 + w2) = ${fmt(fused.f.item())}`);
for (const t of fused.leaves) console.log(`  df/d${t.name} = ${fmt(t.grad!.item())}`);

const staged = logisticRegression((s) => s.neg().exp().add(1).reciprocal());
console.log('\nThe graph, σ staged as on the slides: ×(−1), exp, +1, 1/x');
console.log(inspect(staged.f).toText({ digits: 2 }));

console.log('\nThe graph, σ as one module with local gradient (1 − σ)σ');
console.log(inspect(fused.f).toText({ digits: 2 }));
