/**
 * The native backend's fused kernels (BatchNorm, softmax cross-entropy, conv2d, pooling,
 * Adam and SGD updates) against the js reference kernels on random inputs, and their argument
 * checks. The addon must be built (npm install does it; by hand: node scripts/build-native.mjs).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { AdamUpdateParams, Backend, SgdUpdateParams, Window2d } from '../src/backend/backend.js';
import { jsBackend } from '../src/backend/js/index.js';
import { loadNativeBackend } from '../src/backend/native/load.js';

const native: Backend = loadNativeBackend();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Deterministic uniform values in [lo, hi) (a small LCG, independent of nabla's generator). */
function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

/** |a − e| ≤ tol·(|e| + scale) elementwise; NaN only against NaN. */
function expectClose(actual: Float32Array | Int32Array, expected: Float32Array | Int32Array, what: string, scale = 0, tol = 1e-5): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= tol * (Math.abs(e) + scale);
    if (!ok) throw new Error(`${what}: element ${i}: native ${a}, js ${e}`);
  }
}

/** a and b hold the same values (Object.is: NaN as NaN, −0 apart from 0); faster than toEqual on long arrays. */
function expectSame(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`${what}: element ${i}: ${actual[i]}, expected ${expected[i]}`);
  }
}

function window(height: number, width: number, k: number, stride: number, pad: number, dilation = 1): Window2d {
  const outH = Math.floor((height + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;
  const outW = Math.floor((width + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;
  return { height, width, kernelH: k, kernelW: k, strideH: stride, strideW: stride, padH: pad, padW: pad, dilationH: dilation, dilationW: dilation, outH, outW };
}

describe('native fused kernels match js', () => {
  const bnShapes: [number, number, number][] = [[128, 512, 1], [7, 3, 1], [4, 5, 9], [2, 16, 196], [1, 3, 4]];

  it('batchNorm forward in training (running statistics updated) and eval', () => {
    let seed = 1;
    for (const [n, c, inner] of bnShapes) {
      for (const affine of [true, false]) {
        // Channels with a large mean check the shifted sums.
        const x = uniform(n * c * inner, seed++, -3, 3).map((v, i) => v + (Math.floor(i / inner) % c === 0 ? 1000 : 0));
        const w = affine ? uniform(c, seed++, 0.5, 2) : null;
        const b = affine ? uniform(c, seed++) : null;
        for (const training of [true, false]) {
          const run = (be: Backend) => {
            const rm = uniform(c, 7, -0.5, 0.5);
            const rv = uniform(c, 8, 0.5, 2);
            const out = new Float32Array(x.length);
            const mean = new Float32Array(c);
            const invStd = new Float32Array(c);
            be.batchNorm(x, n, c, inner, w, b, rm, rv, { training, momentum: 0.1, eps: 1e-5 }, out, mean, invStd);
            return { out, mean, invStd, rm, rv };
          };
          const got = run(native);
          const want = run(jsBackend);
          const what = `batchNorm [${n},${c},${inner}] affine=${affine} training=${training}`;
          expectClose(got.out, want.out, what, 1);
          expectClose(got.mean, want.mean, `${what} mean`);
          expectClose(got.invStd, want.invStd, `${what} invStd`);
          expectClose(got.rm, want.rm, `${what} runningMean`);
          expectClose(got.rv, want.rv, `${what} runningVar`);
        }
      }
    }
  });

  it('batchNorm without running statistics (training) leaves them alone', () => {
    const x = uniform(4 * 3, 3);
    const outs = [native, jsBackend].map((be) => {
      const out = new Float32Array(12);
      be.batchNorm(x, 4, 3, 1, null, null, null, null, { training: true, momentum: 0.1, eps: 1e-5 }, out, new Float32Array(3), new Float32Array(3));
      return out;
    });
    expectClose(outs[0], outs[1], 'batchNorm without running stats', 1);
  });

  it('the fused BatchNorm→ReLU/sigmoid/tanh is the activation after batchNorm forward, and batchNormBackward of the activation\'s backward, bit for bit, on each backend', () => {
    let seed = 150;
    // bnShapes, then shapes whose loops run on threads (parallel.h): BatchNorm2d's planes of 784
    // (not a whole number of the unary kernel's 1,024-value blocks) and BatchNorm1d's rows;
    // with NaN in x and dy, or not.
    const cases: [number, number, number, boolean][] = [
      ...bnShapes.map(([n, c, inner]): [number, number, number, boolean] => [n, c, inner, false]),
      [32, 8, 784, false], [512, 300, 1, false], [7, 3, 1, true], [4, 5, 9, true], [32, 8, 784, true],
    ];
    for (const [n, c, inner, withNaN] of cases) {
      const x = uniform(n * c * inner, seed++, -3, 3);
      const dy = uniform(x.length, seed++);
      if (withNaN) {
        x[inner] = NaN; // channel 1 of the first sample: that channel's statistics in training, one value in eval
        dy[x.length - 1] = NaN;
      }
      const w = uniform(c, seed++, 0.5, 2);
      const b = uniform(c, seed++, -0.5, 0.5);
      for (const activation of ['relu', 'sigmoid', 'tanh'] as const) {
        for (const training of [true, false]) {
          const results = [native, jsBackend].map((be) => {
            const stats = () => ({ rm: new Float32Array(c).fill(0.1), rv: new Float32Array(c).fill(0.9), mean: new Float32Array(c), invStd: new Float32Array(c) });
            const plain = stats();
            const bnOut = new Float32Array(x.length);
            be.batchNorm(x, n, c, inner, w, b, plain.rm, plain.rv, { training, momentum: 0.1, eps: 1e-5 }, bnOut, plain.mean, plain.invStd);
            const actOut = new Float32Array(x.length);
            be.unary(activation, bnOut, actOut);
            const fused = stats();
            const fusedOut = new Float32Array(x.length);
            be.batchNorm(x, n, c, inner, w, b, fused.rm, fused.rv, { training, momentum: 0.1, eps: 1e-5, activation }, fusedOut, fused.mean, fused.invStd);
            const where = `${be.name} ${activation} [${n},${c},${inner}]${withNaN ? ' with NaN' : ''} training=${training}`;
            expectSame(fusedOut, actOut, `${where}: forward`);
            expect([...fused.rm, ...fused.rv, ...fused.mean, ...fused.invStd], 'statistics').toEqual([...plain.rm, ...plain.rv, ...plain.mean, ...plain.invStd]);
            const dAct = new Float32Array(x.length);
            be.unaryBackward(activation, bnOut, actOut, dy, dAct);
            const grads = (g: Float32Array, fusedWith: typeof activation | null) => {
              const out = { dx: new Float32Array(x.length), dw: new Float32Array(c), db: new Float32Array(c) };
              be.batchNormBackward(x, g, n, c, inner, w, plain.mean, plain.invStd, training, out.dx, out.dw, out.db, fusedWith, fusedWith ? fusedOut : null);
              return out;
            };
            const separate = grads(dAct, null);
            const together = grads(dy, activation);
            expectSame(together.dx, separate.dx, `${where}: dx`);
            expect([...together.dw, ...together.db], 'dWeight, dBias').toEqual([...separate.dw, ...separate.db]);
            // dx alone (no dWeight, dBias) is the same dx.
            const dxOnly = new Float32Array(x.length);
            be.batchNormBackward(x, dy, n, c, inner, w, plain.mean, plain.invStd, training, dxOnly, null, null, activation, fusedOut);
            expectSame(dxOnly, together.dx, `${where}: dx alone`);
            return { out: fusedOut, ...together };
          });
          const what = `batchNorm ${activation} [${n},${c},${inner}]${withNaN ? ' with NaN' : ''} training=${training}`;
          expectClose(results[0].out, results[1].out, `${what} forward`, 1);
          // glibc's expf/tanhf and Math.exp/tanh differ by a few ulp, and 1 − y² (y(1 − y)) cancels
          // where the activation saturates: dx agrees to 1e-5 of the largest gradient there.
          expectClose(results[0].dx, results[1].dx, `${what} dx`, activation === 'relu' ? 1e-2 : 1);
          expectClose(results[0].dw, results[1].dw, `${what} dWeight`, 1);
          expectClose(results[0].db, results[1].db, `${what} dBias`, 1);
          if (withNaN) {
            expect(results[0].out.some(Number.isNaN), `${what}: NaN reaches the output`).toBe(true);
            // (not in eval after a ReLU: the NaN input's dy is finite, and the NaN dy lands where the ReLU cut)
            if (training || activation !== 'relu') expect(results[0].dx.some(Number.isNaN), `${what}: NaN reaches dx`).toBe(true);
          }
        }
      }
    }
  });

  it('the fused BatchNorm(→ReLU)→max-pool on the benchmark CNN\'s shapes (threaded) is the unfused kernels bit for bit, and matches js', () => {
    let seed = 170;
    const blocks: [number, number, Window2d][] = [[64, 16, window(28, 28, 2, 2, 0)], [64, 32, window(14, 14, 2, 2, 0)], [16, 8, window(15, 15, 3, 2, 1)]];
    for (const [n, c, w] of blocks) {
      const plane = w.height * w.width;
      const x = uniform(n * c * plane, seed++, -2, 2);
      x[5] = NaN; // a NaN wins its window, fused or not
      const dy = uniform(n * c * w.outH * w.outW, seed++);
      const gamma = uniform(c, seed++, 0.5, 2);
      const beta = uniform(c, seed++, -0.5, 0.5);
      for (const relu of [true, false]) {
        const fused = (be: Backend) => {
          const r = { out: new Float32Array(dy.length), argmax: new Int32Array(dy.length), mean: new Float32Array(c), invStd: new Float32Array(c),
            rm: new Float32Array(c), rv: new Float32Array(c).fill(1), dx: new Float32Array(x.length).fill(NaN), dw: new Float32Array(c), db: new Float32Array(c) };
          be.batchNormMaxPool2d(x, n, c, gamma, beta, r.rm, r.rv, { training: true, momentum: 0.1, eps: 1e-5, activation: relu ? 'relu' : null }, w, r.out, r.argmax, r.mean, r.invStd);
          be.batchNormMaxPool2dBackward(x, dy, r.argmax, relu ? r.out : null, n, c, w, gamma, r.mean, r.invStd, true, r.dx, r.dw, r.db);
          return r;
        };
        const mine = fused(native);
        // The same blocks through native's unfused kernels.
        const y = new Float32Array(x.length);
        const ref = { out: new Float32Array(dy.length), argmax: new Int32Array(dy.length), mean: new Float32Array(c), invStd: new Float32Array(c),
          rm: new Float32Array(c), rv: new Float32Array(c).fill(1), dx: new Float32Array(x.length), dw: new Float32Array(c), db: new Float32Array(c) };
        native.batchNorm(x, n, c, plane, gamma, beta, ref.rm, ref.rv, { training: true, momentum: 0.1, eps: 1e-5, activation: relu ? 'relu' : null }, y, ref.mean, ref.invStd);
        native.maxPool2d(y, n * c, w, ref.out, ref.argmax);
        const g = new Float32Array(x.length);
        native.maxPool2dBackward(dy, ref.argmax, n * c, w, g);
        native.batchNormBackward(x, g, n, c, plane, gamma, ref.mean, ref.invStd, true, ref.dx, ref.dw, ref.db, relu ? 'relu' : null, relu ? y : null);
        const what = `fused block [${n},${c},${w.height}×${w.width}] k${w.kernelH} relu=${relu}`;
        for (const key of ['out', 'argmax', 'mean', 'invStd', 'rm', 'rv', 'dx', 'dw', 'db'] as const) {
          expect(Array.from(mine[key]), `${what}: ${key}`).toEqual(Array.from(ref[key]));
        }
        const js = fused(jsBackend);
        expectClose(mine.out, js.out, `${what} out vs js`, 1);
        expectClose(mine.argmax, js.argmax, `${what} argmax vs js`);
        expectClose(mine.dx, js.dx, `${what} dx vs js`, 1e-2);
        expectClose(mine.dw, js.dw, `${what} dWeight vs js`, 1);
      }
    }
  });

  it('batchNormBackward, every subset of outputs, training and eval', () => {
    let seed = 100;
    for (const [n, c, inner] of bnShapes) {
      const x = uniform(n * c * inner, seed++, -2, 2);
      const dy = uniform(x.length, seed++);
      const w = uniform(c, seed++, 0.5, 2);
      const mean = uniform(c, seed++, -0.2, 0.2);
      const invStd = uniform(c, seed++, 0.5, 1.5);
      for (const training of [true, false]) {
        for (const [wantDx, wantDw, wantDb] of [[true, true, true], [true, false, false], [false, true, true]]) {
          const run = (be: Backend) => {
            const dx = wantDx ? new Float32Array(x.length) : null;
            const dw = wantDw ? new Float32Array(c) : null;
            const db = wantDb ? new Float32Array(c) : null;
            be.batchNormBackward(x, dy, n, c, inner, w, mean, invStd, training, dx, dw, db, null, null);
            return { dx, dw, db };
          };
          const got = run(native);
          const want = run(jsBackend);
          const what = `batchNormBackward [${n},${c},${inner}] training=${training}`;
          if (want.dx) expectClose(got.dx!, want.dx, `${what} dx`, 1e-2);
          if (want.dw) expectClose(got.dw!, want.dw, `${what} dWeight`, 1);
          if (want.db) expectClose(got.db!, want.db, `${what} dBias`, 1);
        }
      }
    }
  });

  it('crossEntropy forward and backward, with and without label smoothing', () => {
    let seed = 200;
    for (const [rows, cols] of [[128, 10], [3, 1], [5, 1000]]) {
      const logits = uniform(rows * cols, seed++, -20, 20);
      const target = Int32Array.from(uniform(rows, seed++, 0, cols), Math.floor);
      const scale = uniform(rows, seed++, 0, 1);
      for (const smoothing of [0, 0.1, 1]) {
        const run = (be: Backend) => {
          const logProbs = new Float32Array(rows * cols);
          const loss = new Float32Array(rows);
          be.crossEntropy(logits, rows, cols, target, smoothing, logProbs, loss);
          const dx = new Float32Array(rows * cols);
          be.crossEntropyBackward(logProbs, target, rows, cols, smoothing, scale, dx);
          return { logProbs, loss, dx };
        };
        const got = run(native);
        const want = run(jsBackend);
        const what = `crossEntropy [${rows},${cols}] ε=${smoothing}`;
        expectClose(got.logProbs, want.logProbs, `${what} logProbs`, 1);
        expectClose(got.loss, want.loss, `${what} loss`, 1);
        expectClose(got.dx, want.dx, `${what} backward`, 1e-3);
      }
    }
  });

  const windows: [number, Window2d][] = [
    [1, window(28, 28, 3, 1, 1)],
    [3, window(7, 9, 3, 2, 1)],
    [2, window(10, 8, 3, 1, 2, 2)],
    [4, window(5, 5, 1, 1, 0)],
    [2, window(6, 7, 2, 3, 0)],
  ];

  it('conv2d and conv2dBackward over strides, padding and dilation (the columns built image by image)', () => {
    let seed = 300;
    for (const [channels, w] of windows) {
      const [images, o] = [2, 3];
      const x = uniform(images * channels * w.height * w.width, seed++);
      const weight = uniform(o * channels * w.kernelH * w.kernelW, seed++);
      const dy = uniform(images * o * w.outH * w.outW, seed++);
      const run = (be: Backend) => {
        const out = new Float32Array(dy.length).fill(NaN);
        be.conv2d(x, images, channels, w, weight, o, null, out);
        const dx = new Float32Array(x.length).fill(NaN);
        const dw = new Float32Array(weight.length).fill(NaN);
        be.conv2dBackward(x, dy, images, channels, w, weight, o, dx, dw, null);
        return { out, dx, dw };
      };
      const [mine, ref] = [run(native), run(jsBackend)];
      expectClose(mine.out, ref.out, `conv2d ${JSON.stringify(w)}`, 10, 1e-4);
      expectClose(mine.dx, ref.dx, `conv2d dx ${JSON.stringify(w)}`, 10, 1e-4);
      expectClose(mine.dw, ref.dw, `conv2d dWeight ${JSON.stringify(w)}`, 10, 1e-4);
    }
  });

  // Inputs large enough that the native loops split their work over threads (parallel.h): the
  // results must be those of the js loops (and so of one thread).
  it('threaded kernels on large inputs: batchNorm, unary, maxPool2d, binary', () => {
    let seed = 500;
    const [images, channels, w] = [64, 16, window(14, 14, 3, 1, 1)];
    const x = uniform(images * channels * w.height * w.width, seed++, -2, 2);
    seed++;

    const inner = w.height * w.width;
    const dy = uniform(x.length, seed++);
    const bn = [native, jsBackend].map((be) => {
      const out = new Float32Array(x.length);
      const mean = new Float32Array(channels);
      const invStd = new Float32Array(channels);
      const rm = new Float32Array(channels);
      const rv = new Float32Array(channels).fill(1);
      be.batchNorm(x, images, channels, inner, uniform(channels, 1, 0.5, 2), uniform(channels, 2), rm, rv, { training: true, momentum: 0.1, eps: 1e-5 }, out, mean, invStd);
      const dx = new Float32Array(x.length);
      const dw = new Float32Array(channels);
      const db = new Float32Array(channels);
      be.batchNormBackward(x, dy, images, channels, inner, uniform(channels, 1, 0.5, 2), mean, invStd, true, dx, dw, db, null, null);
      return { out, mean, invStd, rm, rv, dx, dw, db };
    });
    for (const key of ['out', 'mean', 'invStd', 'rm', 'rv', 'dx'] as const) expectClose(bn[0][key], bn[1][key], `threaded batchNorm ${key}`, 1);
    expectClose(bn[0].dw, bn[1].dw, 'threaded batchNorm dw', 10);
    expectClose(bn[0].db, bn[1].db, 'threaded batchNorm db', 10);

    for (const op of ['relu', 'exp', 'tanh', 'sigmoid'] as const) {
      const outs = [native, jsBackend].map((be) => {
        const y = new Float32Array(x.length);
        be.unary(op, x, y);
        const dx = new Float32Array(x.length);
        be.unaryBackward(op, x, y, dy, dx);
        return { y, dx };
      });
      expectClose(outs[0].y, outs[1].y, `threaded ${op}`, 1e-3);
      expectClose(outs[0].dx, outs[1].dx, `threaded ${op} backward`, 1e-3);
    }
    // Same-shape binary ops are one row cut between the threads; in place too (a gradient summed into another).
    const other = uniform(x.length, seed++, -2, 2);
    for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'ge'] as const) {
      const [mine, ref] = [native, jsBackend].map((be) => {
        const out = new Float32Array(x.length);
        be.binary(op, x, [x.length], other, [x.length], out, [x.length]);
        return out;
      });
      expectSame(mine, ref, `threaded binary ${op}`);
    }
    const sums = [native, jsBackend].map((be) => {
      const acc = x.slice();
      be.binary('add', acc, [images, channels * w.height * w.width], other, [images, channels * w.height * w.width], acc, [images, channels * w.height * w.width]);
      return acc;
    });
    expectSame(sums[0], sums[1], 'threaded binary add in place');

    const inPlace = x.slice();
    native.unary('relu', inPlace, inPlace);
    const reference = new Float32Array(x.length);
    jsBackend.unary('relu', x, reference);
    expectClose(inPlace, reference, 'threaded relu in place');

    const planes = images * channels;
    for (const pw of [window(14, 14, 2, 2, 0), window(14, 14, 3, 2, 1)]) {
      const outSize = planes * pw.outH * pw.outW;
      const g = uniform(outSize, seed++);
      const pools = [native, jsBackend].map((be) => {
        const out = new Float32Array(outSize);
        const argmax = new Int32Array(outSize);
        be.maxPool2d(x, planes, pw, out, argmax);
        const dx = new Float32Array(x.length);
        be.maxPool2dBackward(g, argmax, planes, pw, dx);
        return { out, argmax, dx };
      });
      expectClose(pools[0].out, pools[1].out, `threaded maxPool2d ${pw.kernelH}`);
      expectClose(pools[0].argmax, pools[1].argmax, `threaded maxPool2d ${pw.kernelH} argmax`);
      expectClose(pools[0].dx, pools[1].dx, `threaded maxPool2dBackward ${pw.kernelH}`);
    }
  });

  // Large enough for the sparse kernels to split rows and bags between threads (parallel.h): each row
  // or bag is computed as in one loop, in double like js, so the bits are js's on any thread count. The
  // addon reads its thread count once per process, so the native side runs in a child per count, from
  // the same source (SPARSE_CASE) as the js side here.
  it('sparse kernels on 1, 2 and 3 threads: embeddingBag over uneven and all-empty bags and the four row updates give js\'s bits', () => {
    const SPARSE_CASE = `
      let s = 77;
      const uniform = (n, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => lo + ((hi - lo) * (s = (Math.imul(s, 1664525) + 1013904223) >>> 0)) / 2 ** 32);
      const [rows, dim] = [20000, 3];
      const outputs = [];
      // 600 bags of 0 to 40 ids, empty ones first and last, where the threads' cut must not lose them.
      const lengths = Array.from(uniform(600, 0, 41), (v, b) => (b < 3 || b >= 597 ? 0 : Math.floor(v)));
      const offsets = Int32Array.from([0, ...lengths.map((_, b) => lengths.slice(0, b + 1).reduce((a, c) => a + c, 0))]);
      const ids = Int32Array.from(uniform(offsets[600], 0, rows), Math.floor);
      ids[5] = 7;
      const weight = uniform(rows * dim);
      const psw = uniform(ids.length, 0.5, 2);
      for (const [mode, w] of [['sum', null], ['mean', null], ['sum', psw]]) {
        const out = new Float32Array(600 * dim).fill(NaN);
        be.embeddingBag(weight, dim, ids, offsets, 600, mode, w, 7, out);
        outputs.push(out);
      }
      const empty = new Float32Array(4 * dim).fill(NaN);
      be.embeddingBag(weight, dim, ids, new Int32Array(5), 4, 'mean', null, -1, empty);
      outputs.push(empty);
      const indices = Int32Array.from(new Set(Array.from(uniform(8000, 0, rows), Math.floor))).sort();
      const values = uniform(indices.length * dim, -3, 3);
      const [p, a, b, n, z] = [uniform(rows * dim), uniform(rows * dim, 0.01, 4), uniform(rows * dim), uniform(rows * dim, 0.01, 4), uniform(rows * dim, -2, 2)];
      be.sparseSgdUpdate(p, dim, indices, values, 0.1);
      be.sparseAdagradUpdate(p, a, dim, indices, values, 0.05, 1e-10);
      const nz = new Float32Array(2 * n.length);
      for (let i = 0; i < n.length; i++) [nz[2 * i], nz[2 * i + 1]] = [n[i], z[i]];
      be.sparseFtrlUpdate(p, nz, dim, indices, values, { lr: 0.1, lrPower: -0.5, l1: 0.3, l2: 0.1, beta: 1 });
      be.sparseFtrlUpdate(p, nz, dim, indices, values, { lr: 0.1, lrPower: -0.7, l1: 0, l2: 0, beta: 0 });
      be.sparseAdamUpdate(p, a, b, dim, indices, values, { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 0.01 });
      outputs.push(p, a, b, nz);
      return outputs;`;
    const names = ['embeddingBag sum', 'embeddingBag mean', 'embeddingBag weighted', 'embeddingBag all bags empty', 'param', 'sum/expAvg', 'expAvgSq', 'nz'];
    const reference = new Function('be', SPARSE_CASE)(jsBackend) as Float32Array[];
    expect(Array.from(reference[3])).toEqual(new Array(12).fill(0));
    const script = `
      const be = require(${JSON.stringify(join(root, 'native/build/Release/nabla.node'))});
      const outputs = (() => { ${SPARSE_CASE} })();
      process.stdout.write(JSON.stringify(outputs.map((a) => Buffer.from(a.buffer).toString('base64'))));`;
    for (const threads of [1, 2, 3]) {
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NABLA_NUM_THREADS: String(threads) }, maxBuffer: 1 << 26 });
      expect(r.status, r.stderr).toBe(0);
      const outputs = (JSON.parse(r.stdout) as string[]).map((b64) => {
        const bytes = Buffer.from(b64, 'base64');
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      });
      expect(outputs.length).toBe(reference.length);
      outputs.forEach((out, i) => expectSame(out, reference[i], `${names[i]} on ${threads} thread(s)`));
    }
  });

  it('gemmBatch on threads: a convolution layer\'s three products (shared weight, per-image, summed)', () => {
    let seed = 600;
    const [count, o, patch, positions] = [32, 16, 72, 196];
    const w = uniform(o * patch, seed++);
    const cols = uniform(count * patch * positions, seed++);
    const dy = uniform(count * o * positions, seed++);
    const base = uniform(count * o * positions, seed++);
    const run = (be: Backend) => {
      const out = base.slice();
      be.gemmBatch(false, false, o, positions, patch, 1, w, 0, cols, patch * positions, 1, out, o * positions, count);
      const dw = uniform(o * patch, seed);
      be.gemmBatch(false, true, o, patch, positions, 0.5, dy, o * positions, cols, patch * positions, 2, dw, 0, count);
      const dcols = new Float32Array(count * patch * positions).fill(NaN);
      be.gemmBatch(true, false, patch, positions, o, 1, w, 0, dy, o * positions, 0, dcols, patch * positions, count);
      return { out, dw, dcols };
    };
    const [mine, ref] = [run(native), run(jsBackend)];
    expectClose(mine.out, ref.out, 'gemmBatch forward', 10, 1e-4);
    expectClose(mine.dw, ref.dw, 'gemmBatch summed', 100, 1e-4);
    expectClose(mine.dcols, ref.dcols, 'gemmBatch per image', 10, 1e-4);
  });

  // The pool (parallel.h) gives run after run to the same worker threads: each call's output must
  // be complete and its own, whatever ran just before it.
  it('threaded kernels many times in a row, sizes changing between calls (the thread pool)', () => {
    const x = uniform(1 << 20, 700, -2, 2);
    const [count, o, patch, positions] = [8, 16, 72, 196];
    const dy = uniform(count * o * positions, 701);
    const cols = uniform(count * patch * positions, 702);
    const dwRef = new Float32Array(o * patch);
    jsBackend.gemmBatch(false, true, o, patch, positions, 1, dy, o * positions, cols, patch * positions, 0, dwRef, 0, count);
    for (let r = 0; r < 200; r++) {
      const n = (1 << 17) + ((r * 7919) % (1 << 19));
      const input = x.subarray(r % 1000, (r % 1000) + n);
      const op = r % 2 ? 'relu' : 'tanh';
      const [mine, ref] = [native, jsBackend].map((be) => {
        const y = new Float32Array(n).fill(NaN);
        be.unary(op, input, y);
        return y;
      });
      expectClose(mine, ref, `${op} call ${r}`, 1e-3);
      if (r % 10 === 0) {
        const dw = new Float32Array(o * patch).fill(NaN);
        native.gemmBatch(false, true, o, patch, positions, 1, dy, o * positions, cols, patch * positions, 0, dw, 0, count);
        expectClose(dw, dwRef, `gemmBatch summed call ${r}`, 100, 1e-4);
      }
    }
  });

  // Two threads at once: one run holds the pool, the other runs its chunks itself.
  it('threaded kernels from two worker threads at once (the thread pool)', async () => {
    const addonPath = fileURLToPath(new URL('../native/build/Release/nabla.node', import.meta.url));
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const addon = require(workerData.addonPath);
      const n = (1 << 20) + workerData.seed;
      const x = new Float32Array(n).map((_, i) => ((i * 7 + workerData.seed) % 11) - 5);
      let bad = 0;
      for (let r = 0; r < 100; r++) {
        const y = new Float32Array(n).fill(NaN);
        addon.unary('relu', x, y);
        for (let i = 0; i < n; i++) if (y[i] !== Math.max(x[i], 0)) bad++;
      }
      parentPort.postMessage(bad);
    `;
    const run = (seed: number) =>
      new Promise<number>((resolve, reject) => {
        const worker = new Worker(code, { eval: true, workerData: { addonPath, seed } });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    expect(await Promise.all([run(1), run(2)])).toEqual([0, 0]);
  });

  it('conv2d and conv2dBackward on threads: the benchmark CNN\'s layers and strided, dilated, bias-free ones', () => {
    let seed = 700;
    const layers: [number, number, number, Window2d, boolean][] = [
      [64, 1, 16, window(28, 28, 3, 1, 1), true], [64, 16, 32, window(14, 14, 3, 1, 1), true],
      [5, 3, 4, window(9, 7, 3, 2, 2, 2), false], [17, 2, 3, window(6, 6, 1, 1, 0), true],
    ];
    for (const [images, channels, o, w, withBias] of layers) {
      const patch = channels * w.kernelH * w.kernelW;
      const x = uniform(images * channels * w.height * w.width, seed++);
      const weight = uniform(o * patch, seed++);
      const bias = withBias ? uniform(o, seed++) : null;
      const dy = uniform(images * o * w.outH * w.outW, seed++);
      const run = (be: Backend) => {
        const out = new Float32Array(images * o * w.outH * w.outW).fill(NaN);
        be.conv2d(x, images, channels, w, weight, o, bias, out);
        const dx = new Float32Array(x.length).fill(NaN);
        const dw = new Float32Array(weight.length).fill(NaN);
        const db = new Float32Array(o).fill(NaN);
        be.conv2dBackward(x, dy, images, channels, w, weight, o, dx, dw, db);
        const dwOnly = new Float32Array(weight.length).fill(NaN);
        be.conv2dBackward(x, dy, images, channels, w, weight, o, null, dwOnly, null);
        return { out, dx, dw, db, dwOnly };
      };
      const [mine, ref] = [run(native), run(jsBackend)];
      const what = `conv2d ${images}×${channels}→${o} ${w.height}×${w.width} k${w.kernelH}`;
      expectClose(mine.out, ref.out, `${what} forward`, 10, 1e-4);
      expectClose(mine.dx, ref.dx, `${what} dx`, 10, 1e-4);
      expectClose(mine.dw, ref.dw, `${what} dWeight`, 100, 1e-4);
      expectClose(mine.db, ref.db, `${what} dBias`, 100, 1e-4);
      expect(Array.from(mine.dwOnly), `${what}: dWeight alone equals dWeight with dx`).toEqual(Array.from(mine.dw));
    }
  });

  it('conv2dBackward\'s summed dWeight and dBias, and gemmBatch\'s summed products, are bit for bit the same on 1, 2 and 3 threads', () => {
    // The addon reads its thread count once per process, so each count runs in its own process.
    const script = `
      const addon = require(${JSON.stringify(join(root, 'native/build/Release/nabla.node'))});
      const w = ${JSON.stringify(window(14, 14, 3, 1, 1))};
      let s = 1;
      const rnd = (n) => Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5);
      const x = rnd(40 * 8 * 196), dy = rnd(40 * 16 * 196), weight = rnd(16 * 72);
      const dw = new Float32Array(16 * 72), db = new Float32Array(16);
      addon.conv2dBackward(x, dy, 40, 8, w, weight, 16, null, dw, db);
      const summed = rnd(16 * 8);
      addon.gemmBatch(false, true, 16, 8, 196, 1, dy, 16 * 196, x, 8 * 196, 0.5, summed, 0, 40);
      process.stdout.write([dw, db, summed].map((a) => Buffer.from(a.buffer).toString('hex')).join(''));`;
    const outputs = [1, 2, 3].map((threads) => {
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NABLA_NUM_THREADS: String(threads) } });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    });
    expect(outputs[0].length).toBe((16 * 72 + 16 + 16 * 8) * 8);
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });

  it('sumOfSquares (clipGradNorm\'s 2-norm) is bit for bit the same on 1, 2 and 3 threads, and matches js', () => {
    const n = 13 * 16_384 + 77;  // 14 blocks of 16,384 (the last one short): from 8 blocks they are cut between threads
    const script = `
      const addon = require(${JSON.stringify(join(root, 'native/build/Release/nabla.node'))});
      const x = Float32Array.from({ length: ${n} }, (_, i) => Math.sin(i) * (1 + (i % 7)));
      process.stdout.write(String(addon.sumOfSquares(x)));`;
    const outputs = [1, 2, 3].map((threads) => {
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NABLA_NUM_THREADS: String(threads) } });
      expect(r.status, r.stderr).toBe(0);
      return Number(r.stdout);
    });
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
    const expected = jsBackend.sumOfSquares(Float32Array.from({ length: n }, (_, i) => Math.sin(i) * (1 + (i % 7))));
    expect(Math.abs(outputs[0] - expected)).toBeLessThanOrEqual(1e-12 * expected);
  });

  it('reduce over rows (a bias gradient) is bit for bit the same on 1, 2 and 3 threads, and matches js', () => {
    const script = `
      const addon = require(${JSON.stringify(join(root, 'native/build/Release/nabla.node'))});
      let s = 7;
      const rnd = (n) => Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5);
      const x = rnd(2047 * 130);
      const outs = ['sum', 'max', 'min'].map((op) => { const o = new Float32Array(130); addon.reduce(op, x, [2047, 130], [0], o); return o; });
      process.stdout.write(outs.map((a) => Buffer.from(a.buffer).toString('hex')).join(''));`;
    const outputs = [1, 2, 3].map((threads) => {
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NABLA_NUM_THREADS: String(threads) } });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    });
    expect(outputs[0].length).toBe(3 * 130 * 8);
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
    let s = 7;
    const rnd = (n: number) => Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5);
    const x = rnd(2047 * 130);
    const bytes = Buffer.from(outputs[0], 'hex');
    ['sum', 'max', 'min'].forEach((op, i) => {
      const expected = new Float32Array(130);
      jsBackend.reduce(op as 'sum', x, [2047, 130], [0], expected);
      const got = new Float32Array(bytes.buffer.slice(bytes.byteOffset + i * 520, bytes.byteOffset + (i + 1) * 520));
      expectClose(got, expected, `reduce ${op} over rows`, 10, 1e-5);
    });
  });

  it('maxPool2d and avgPool2d, forward and backward (with NaN and ties)', () => {
    let seed = 400;
    const pools: [number, Window2d][] = [
      [6, window(28, 28, 2, 2, 0)], [3, window(7, 7, 3, 2, 1)], [2, window(5, 6, 2, 1, 1)], [2, window(9, 9, 3, 3, 1, 2)],
      [2, window(7, 7, 2, 2, 0)], [2, window(7, 5, 2, 1, 0)], [1, window(8, 8, 2, 3, 0)],
    ];
    for (const [planes, w] of pools) {
      const x = uniform(planes * w.height * w.width, seed++, -2, 2).map((v, i) => (i % 13 === 5 ? NaN : i % 7 === 0 ? 1 : v));
      const outSize = planes * w.outH * w.outW;
      const dy = uniform(outSize, seed++);
      const base = uniform(x.length, seed++);
      const what = `pool ${planes} ${JSON.stringify(w)}`;

      const outs = [native, jsBackend].map((be) => {
        const out = new Float32Array(outSize);
        const argmax = new Int32Array(outSize);
        be.maxPool2d(x, planes, w, out, argmax);
        const dx = base.slice();
        be.maxPool2dBackward(dy, argmax, planes, w, dx);
        return { out, argmax, dx };
      });
      expectClose(outs[0].out, outs[1].out, `max${what}`);
      expectClose(outs[0].argmax, outs[1].argmax, `max${what} argmax`);
      expectClose(outs[0].dx, outs[1].dx, `max${what} backward`);

      if (w.dilationH !== 1) continue;
      const avgs = [native, jsBackend].map((be) => {
        const out = new Float32Array(outSize);
        be.avgPool2d(x, planes, w, out);
        const dx = base.slice();
        be.avgPool2dBackward(dy, planes, w, dx);
        return { out, dx };
      });
      expectClose(avgs[0].out, avgs[1].out, `avg${what}`, 1);
      expectClose(avgs[0].dx, avgs[1].dx, `avg${what} backward`, 1);
    }
  });

  it('copyStrided: slices, transposes, broadcast fills, accumulation, overlapping in place', () => {
    type Case = [number, number, number[], number, number, number[], number[], boolean];
    const cases: Case[] = [
      // xLength, xOffset, xStrides, outLength, outOffset, outStrides, size, accumulate
      [24, 0, [12, 4, 1], 24, 0, [12, 4, 1], [2, 3, 4], false], // contiguous
      [24, 1, [12, 1, 3], 24, 0, [12, 4, 1], [2, 3, 3], false], // permuted read
      [5, 0, [0, 1, 0], 2 * 5 * 7, 0, [35, 7, 1], [2, 5, 7], false], // a bias into every row
      [30, 2, [10, 2], 12, 3, [3, 1], [3, 3], true], // strided slice, accumulated
      [6, 0, [1], 6, 0, [1], [0], false], // empty box
      [10, 5, [-1], 10, 0, [1], [5], false], // negative stride (reversal)
    ];
    let seed = 700;
    for (const [xLen, xOff, xStr, outLen, outOff, outStr, size, acc] of cases) {
      const x = uniform(xLen, seed++);
      const base = uniform(outLen, seed++);
      const got = base.slice();
      const want = base.slice();
      native.copyStrided(x, xOff, xStr, got, outOff, outStr, size, acc);
      jsBackend.copyStrided(x, xOff, xStr, want, outOff, outStr, size, acc);
      expectClose(got, want, `copyStrided ${JSON.stringify([xStr, outStr, size, acc])}`);
    }
    // in place, overlapping (a shift right by one, as TypedArray.set does it)
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const b = a.slice();
    native.copyStrided(a, 0, [1], a, 1, [1], [5], false);
    jsBackend.copyStrided(b, 0, [1], b, 1, [1], [5], false);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('adamUpdate over several steps: Adam, AdamW, AMSGrad, weight decay', () => {
    const cases: Omit<AdamUpdateParams, 'step'>[] = [
      { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
      { lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, decoupled: false },
      { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true },
    ];
    let seed = 500;
    for (const options of cases) {
      for (const amsgrad of [false, true]) {
        // 70,000: past parallelFor's threshold, so the pass is cut across the addon's threads.
        for (const n of [1, 13, 5000, 70_000]) {
          const start = uniform(n, seed++);
          const states = [native, jsBackend].map(() => ({
            param: start.slice(), m: new Float32Array(n), v: new Float32Array(n), vMax: amsgrad ? new Float32Array(n) : null,
          }));
          for (let step = 1; step <= 4; step++) {
            const grad = uniform(n, seed++, -2, 2);
            [native, jsBackend].forEach((be, k) => {
              const s = states[k];
              be.adamUpdate(s.param, grad, s.m, s.v, s.vMax, { ...options, step });
            });
          }
          // The native loop runs in float32: errors scale with the summands (|g| ≤ 2, params ≤ 1), not the results.
          const what = `adamUpdate ${JSON.stringify(options)} amsgrad=${amsgrad} n=${n}`;
          expectClose(states[0].param, states[1].param, `${what} param`, 1);
          expectClose(states[0].m, states[1].m, `${what} expAvg`, 1);
          expectClose(states[0].v, states[1].v, `${what} expAvgSq`, 1);
          if (amsgrad) expectClose(states[0].vMax!, states[1].vMax!, `${what} maxExpAvgSq`, 1);
        }
      }
    }
  });

  it('sgdUpdate: plain, momentum (first step and later), dampening, Nesterov, weight decay', () => {
    const cases: Omit<SgdUpdateParams, 'initBuffer'>[] = [
      { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false },
      { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0.01, nesterov: false },
      { lr: 0.01, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false },
      { lr: 0.01, momentum: 0.9, dampening: 0.5, weightDecay: 1e-3, nesterov: false },
      { lr: 0.01, momentum: 0.9, dampening: 0, weightDecay: 1e-3, nesterov: true },
    ];
    let seed = 600;
    for (const options of cases) {
      for (const n of [1, 13, 5000, 70_000]) {
        const start = uniform(n, seed++);
        const states = [0, 1].map(() => ({ param: start.slice(), buf: options.momentum === 0 ? null : new Float32Array(n) }));
        for (let step = 1; step <= 3; step++) {
          const grad = uniform(n, seed++, -2, 2);
          [native, jsBackend].forEach((be, k) => {
            be.sgdUpdate(states[k].param, grad, states[k].buf, { ...options, initBuffer: step === 1 });
          });
        }
        const what = `sgdUpdate ${JSON.stringify(options)} n=${n}`;
        expectClose(states[0].param, states[1].param, `${what} param`, 1);
        if (states[0].buf) expectClose(states[0].buf, states[1].buf!, `${what} momentumBuffer`, 1);
      }
    }
  });

  it('adamUpdate leaves NaN gradients as NaN parameters, as js does', () => {
    const params = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 };
    const results = [native, jsBackend].map((be) => {
      const p = Float32Array.from([1, 2, 3]);
      const vMax = Float32Array.from([0, NaN, 0]);
      be.adamUpdate(p, Float32Array.from([NaN, 1, Infinity]), new Float32Array(3), new Float32Array(3), vMax, params);
      return { p, vMax };
    });
    expectClose(results[0].p, results[1].p, 'adamUpdate with NaN');
    expectClose(results[0].vMax, results[1].vMax, 'adamUpdate with NaN maxExpAvgSq');
  });
});

describe('adamUpdate and sgdUpdate report whether every updated value is finite', () => {
  const adam = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 };
  const sgd = { lr: 1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, initBuffer: false };
  // 70,000 values take the threaded path; the bad value sits in the last chunk.
  for (const n of [5, 70_000]) {
    it(`${n} values: true when finite, false for a NaN or infinite gradient or a float32 overflow, the same on both backends`, () => {
      for (const be of [native, jsBackend]) {
        const name = be === native ? 'native' : 'js';
        const grad = (bad: number) => { const g = new Float32Array(n).fill(0.5); if (bad !== 0) g[n - 1] = bad; return g; };
        for (const amsgrad of [false, true]) {
          const vMax = () => (amsgrad ? new Float32Array(n) : null);
          expect(be.adamUpdate(new Float32Array(n).fill(1), grad(0), new Float32Array(n), new Float32Array(n), vMax(), adam), `${name} adam`).toBe(true);
          for (const bad of [NaN, Infinity, -Infinity]) {
            expect(be.adamUpdate(new Float32Array(n).fill(1), grad(bad), new Float32Array(n), new Float32Array(n), vMax(), adam), `${name} adam ${bad}`).toBe(false);
          }
        }
        for (const buf of [null, new Float32Array(n)]) {
          const params = { ...sgd, momentum: buf ? 0.9 : 0 };
          expect(be.sgdUpdate(new Float32Array(n).fill(1), grad(0), buf, params), `${name} sgd`).toBe(true);
          expect(be.sgdUpdate(new Float32Array(n).fill(1), grad(NaN), buf && new Float32Array(n), params), `${name} sgd NaN`).toBe(false);
          // 3e38 − (−3e38) is finite in float64 but not in float32 storage.
          const p = new Float32Array(n).fill(1);
          p[n - 1] = 3e38;
          expect(be.sgdUpdate(p, grad(-3e38), buf && new Float32Array(n), { ...params, momentum: 0 }), `${name} sgd overflow`).toBe(false);
          expect(p[n - 1]).toBe(Infinity);
        }
      }
    });
  }
});

describe('native fused kernels: argument checks', () => {
  const raw = native as unknown as Record<string, (...args: unknown[]) => void>;
  const f32 = (n: number) => new Float32Array(n);
  const adam = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 };

  it('adamUpdate and sgdUpdate check their params and buffers before touching anything', () => {
    const p = Float32Array.from([1, 2, 3]);
    expect(() => raw.adamUpdate(p, f32(3), f32(3), f32(3), null, 5)).toThrow(/^adamUpdate: params must be an object, got 5$/);
    expect(() => raw.adamUpdate(p, f32(3), f32(3), f32(3), null, { ...adam, lr: '1' })).toThrow(/^adamUpdate: params.lr must be a number, got a string$/);
    expect(() => raw.adamUpdate(p, f32(3), f32(3), f32(3), null, { ...adam, decoupled: 0 })).toThrow(/^adamUpdate: params.decoupled must be a boolean, got 0$/);
    expect(() => raw.adamUpdate(p, f32(2), f32(3), f32(3), null, adam)).toThrow(/^adamUpdate: grad has 2 elements, needs at least 3$/);
    expect(() => raw.adamUpdate(p, f32(3), f32(3), f32(3), f32(1), adam)).toThrow(/^adamUpdate: maxExpAvgSq has 1 elements, needs at least 3$/);
    expect(() => raw.adamUpdate(p, f32(3), new Float64Array(3), f32(3), null, adam)).toThrow(/^adamUpdate: expAvg must be a Float32Array, got Float64Array$/);
    const sgd = { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, initBuffer: true };
    expect(() => raw.sgdUpdate(p, f32(3), f32(2), sgd)).toThrow(/^sgdUpdate: momentumBuffer has 2 elements, needs at least 3$/);
    expect(() => raw.sgdUpdate(p, f32(3), null, { ...sgd, nesterov: undefined })).toThrow(/^sgdUpdate: params.nesterov must be a boolean, got undefined$/);
    expect(Array.from(p)).toEqual([1, 2, 3]);
  });

  it('batchNorm, crossEntropy and pooling check sizes, targets and windows', () => {
    const bn = { training: true, momentum: 0.1, eps: 1e-5 };
    expect(() => raw.batchNorm(f32(5), 2, 3, 1, null, null, null, null, bn, f32(6), f32(3), f32(3))).toThrow(/^batchNorm: x has 5 elements, needs at least 6$/);
    expect(() => raw.batchNorm(f32(6), 2, 3, 1, f32(2), null, null, null, bn, f32(6), f32(3), f32(3))).toThrow(/^batchNorm: weight has 2 elements, needs at least 3$/);
    expect(() => raw.batchNorm(f32(6), 2, 3, 1, null, null, null, null, { ...bn, training: false }, f32(6), f32(3), f32(3))).toThrow(/^batchNorm: eval mode needs runningMean and runningVar$/);
    expect(() => raw.batchNormBackward(f32(6), f32(6), 2, 3, 1, null, f32(3), f32(3), true, f32(5), null, null, null, null)).toThrow(/^batchNormBackward: dx has 5 elements, needs at least 6$/);
    expect(() => raw.batchNorm(f32(6), 2, 3, 1, null, null, null, null, { ...bn, activation: 'gelu' }, f32(6), f32(3), f32(3)))
      .toThrow(/^batchNorm: params.activation must be 'relu', 'sigmoid' or 'tanh', got 'gelu'$/);
    expect(() => raw.batchNorm(f32(6), 2, 3, 1, null, null, null, null, { ...bn, activation: true }, f32(6), f32(3), f32(3)))
      .toThrow(/^batchNorm: params.activation must be a string, got true$/);
    const backward = (activation: unknown, out: unknown) => () => raw.batchNormBackward(f32(6), f32(6), 2, 3, 1, null, f32(3), f32(3), true, f32(6), null, null, activation, out);
    expect(backward('tanh', null)).toThrow(/^batchNormBackward: activationOut must be a Float32Array, got null$/);
    expect(backward('tanh', f32(5))).toThrow(/^batchNormBackward: activationOut has 5 elements, needs at least 6$/);
    expect(backward('elu', f32(6))).toThrow(/^batchNormBackward: activation must be 'relu', 'sigmoid' or 'tanh', got 'elu'$/);
    expect(backward(null, f32(6))).toThrow(/^batchNormBackward: activationOut must be null without an activation$/);
    expect(backward(f32(6), undefined)).toThrow(/^batchNormBackward: activation must be a string, got Float32Array$/);
    const pw = window(4, 4, 2, 2, 0);
    expect(() => raw.batchNormMaxPool2d(f32(16), 1, 1, null, null, null, null, { ...bn, activation: 'tanh' }, pw, f32(4), new Int32Array(4), f32(1), f32(1)))
      .toThrow(/^batchNormMaxPool2d: params.activation must be 'relu' or absent$/);

    const logits = f32(6);
    expect(() => raw.crossEntropy(logits, 2, 3, Int32Array.from([0, 3]), 0, f32(6), f32(2))).toThrow(/^crossEntropy: target 1 is class 3, out of range for 3 classes$/);
    expect(() => raw.crossEntropy(logits, 2, 3, [0, 1], 0, f32(6), f32(2))).toThrow(/^crossEntropy: target must be an Int32Array, got an array$/);
    expect(() => raw.crossEntropyBackward(f32(6), Int32Array.from([0, 1]), 2, 3, 0, f32(1), f32(6))).toThrow(/^crossEntropyBackward: scale has 1 elements, needs at least 2$/);

    const w = window(4, 4, 2, 2, 0);
    expect(() => raw.maxPool2d(f32(16), 1, { ...w, strideH: -1 }, f32(4), new Int32Array(4))).toThrow(/^maxPool2d: window.strideH must be an integer in \[0, 2147483647\], got -1$/);
    expect(() => raw.maxPool2d(f32(16), 1, { ...w, outH: 5 }, f32(20), new Int32Array(20))).toThrow(/^maxPool2d: window's output size does not fit its padded input$/);
    expect(() => raw.maxPool2d(f32(16), 1, w, f32(4), new Int32Array(3))).toThrow(/^maxPool2d: argmax has 3 elements, needs at least 4$/);
    const dx = f32(16);
    expect(() => raw.maxPool2dBackward(f32(4), Int32Array.from([0, 1, 99, 2]), 1, w, dx)).toThrow(/^maxPool2dBackward: argmax 99 is outside its plane of 16$/);
    expect(dx.every((v) => v === 0)).toBe(true);
    expect(() => raw.conv2d(f32(15), 1, 1, w, f32(4), 1, null, f32(4))).toThrow(/^conv2d: x has 15 elements, needs at least 16$/);
    const out = f32(4);
    expect(() => raw.copyStrided(f32(4), 1, [1], out, 0, [1], [4], false)).toThrow(/^copyStrided: x indices reach \[1, 4\], outside its 4 elements$/);
    expect(() => raw.copyStrided(f32(4), 0, [1], out, 0, [-1], [2], false)).toThrow(/^copyStrided: out indices reach \[-1, 0\], outside its 4 elements$/);
    expect(() => raw.copyStrided(f32(4), 0, [1.5], out, 0, [1], [2], false)).toThrow(/^copyStrided: xStrides\[0\] must be an integer$/);
    expect(() => raw.copyStrided(f32(4), 0, [], out, 0, [1], [2], false)).toThrow(/^copyStrided: xStrides has 0 entries, size has 1$/);
    expect(out.every((v) => v === 0)).toBe(true);
    expect(() => raw.conv2dBackward(f32(16), f32(4), 1, 1, { ...w, kernelW: undefined }, f32(4), 1, f32(16), null, null)).toThrow(/^conv2dBackward: window.kernelW must be an integer in \[0, 2147483647\], got undefined$/);
  });
});
