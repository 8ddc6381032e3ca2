/**
 * The lecture's worked example: logistic regression f = σ(w0·x0 + w1·x1 + w2) at
 * w = (2, −3, −3), x = (−1, −2). Forward pass for the value, backward pass for every gradient.
 */
import { tensor } from '../src/index.js';

const w0 = tensor(2, { requiresGrad: true, name: 'w0' });
const x0 = tensor(-1, { requiresGrad: true, name: 'x0' });
const w1 = tensor(-3, { requiresGrad: true, name: 'w1' });
const x1 = tensor(-2, { requiresGrad: true, name: 'x1' });
const w2 = tensor(-3, { requiresGrad: true, name: 'w2' });

const f = w0.mul(x0).add(w1.mul(x1)).add(w2).sigmoid();
f.backward();

const fmt = (v: number) => v.toFixed(2);
console.log(`f = σ(w0·x0 + w1·x1 + w2) = ${fmt(f.item())}`);
for (const t of [w0, x0, w1, x1, w2]) console.log(`  df/d${t.name} = ${fmt(t.grad!.item())}`);
