/**
 * The machine's limit for a workload: the matrix products of one training step of the reference
 * MLP, timed alone through the native backend's sgemm (OpenBLAS, its default threads), best of
 * many repetitions. Prints { gflops } as one JSON line.
 */
import { setBackend } from '../../src/index.js';
import { backend } from '../../src/backend/registry.js';

setBackend('native');
const gemm = backend().gemm;
const batch = 128;
const sizes = [784, 512, 256, 10];
/** [transA, transB, m, n, k] of the forward, dX and dW products of each layer (no dX for the first). */
const products: [boolean, boolean, number, number, number][] = [];
for (let l = 0; l + 1 < sizes.length; l++) {
  const [inF, outF] = [sizes[l], sizes[l + 1]];
  products.push([false, true, batch, outF, inF]);
  if (l > 0) products.push([false, false, batch, inF, outF]);
  products.push([true, false, outF, inF, batch]);
}
const buffer = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
const operands = products.map(([, , m, n, k]) => ({ a: buffer(m * k), b: buffer(k * n), c: new Float32Array(m * n) }));
const flops = products.reduce((s, [, , m, n, k]) => s + 2 * m * n * k, 0);

const repetitions = Number(process.argv[2] ?? '300');
let best = Infinity;
for (let r = 0; r < repetitions; r++) {
  const start = process.hrtime.bigint();
  products.forEach(([ta, tb, m, n, k], i) => gemm(ta, tb, m, n, k, 1, operands[i].a, operands[i].b, 0, operands[i].c));
  best = Math.min(best, Number(process.hrtime.bigint() - start));
}
console.log(JSON.stringify({ gflops: flops / best, stepMs: best / 1e6 }));
