/**
 * The recurrent cell kernels (lstmCell, lstmCellBackward, gruCell, gruCellBackward) on the native
 * backend against the js reference, on the benchmark's step size and on hidden sizes that leave a
 * scalar tail after the vector body; and whole LSTM/GRU/RNN layers, forward and backward, on both
 * backends. (Random small shapes and argument checks: property-native and validation-native tests.)
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/backend.js';
import { jsBackend } from '../src/backend/js/index.js';
import { loadNativeBackend } from '../src/backend/native/load.js';
import { Tensor, concat, manualSeed, nn, randn, setBackend } from '../src/index.js';

const native: Backend = loadNativeBackend();

/** Deterministic uniform values in [lo, hi). */
function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

/** |a − e| ≤ 1e-5·(|e| + max|e|) elementwise: float32 arithmetic against js's double, a few ulps of the array's scale. */
function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= 1e-5 * (Math.abs(expected[i]) + scale))) {
      throw new Error(`${what}: element ${i}: native ${actual[i]}, js ${expected[i]}`);
    }
  }
}

const sizes: [number, number][] = [[32, 256], [3, 37], [1, 1], [5, 17]];

describe('native recurrent cells match js', () => {
  it('lstmCell and lstmCellBackward (pre-activations up to ±12: saturated gates included)', () => {
    let seed = 1;
    for (const [batch, hidden] of sizes) {
      const n = batch * hidden;
      const pre = uniform(4 * n, seed++, -12, 12);
      const cPrev = uniform(n, seed++, -3, 3);
      const forward = (be: Backend) => {
        const gates = pre.slice();
        const c = new Float32Array(n);
        const h = new Float32Array(n);
        be.lstmCell(gates, cPrev, batch, hidden, c, h);
        return { gates, c, h };
      };
      const got = forward(native);
      const want = forward(jsBackend);
      const what = `lstmCell [${batch}, ${hidden}]`;
      expectClose(got.gates, want.gates, `${what} gates`);
      expectClose(got.c, want.c, `${what} c`);
      expectClose(got.h, want.h, `${what} h`);

      const dhOut = uniform(n, seed++);
      const dh = uniform(n, seed++);
      const dcIn = uniform(n, seed++);
      const backward = (be: Backend) => {
        const dc = dcIn.slice();
        const dGates = new Float32Array(4 * n);
        be.lstmCellBackward(want.gates, cPrev, want.c, dhOut, dh, dc, batch, hidden, dGates);
        return { dc, dGates };
      };
      const gotB = backward(native);
      const wantB = backward(jsBackend);
      expectClose(gotB.dGates, wantB.dGates, `${what} backward dGates`);
      expectClose(gotB.dc, wantB.dc, `${what} backward dc`);
    }
  });

  it('gruCell and gruCellBackward', () => {
    let seed = 100;
    for (const [batch, hidden] of sizes) {
      const n = batch * hidden;
      const xGates = uniform(3 * n, seed++, -8, 8);
      const hGates = uniform(3 * n, seed++, -8, 8);
      const hPrev = uniform(n, seed++);
      const forward = (be: Backend) => {
        const gates = xGates.slice();
        const h = new Float32Array(n);
        be.gruCell(gates, hGates, hPrev, batch, hidden, h);
        return { gates, h };
      };
      const got = forward(native);
      const want = forward(jsBackend);
      const what = `gruCell [${batch}, ${hidden}]`;
      expectClose(got.gates, want.gates, `${what} gates`);
      expectClose(got.h, want.h, `${what} h`);

      const dhOut = uniform(n, seed++);
      const dhIn = uniform(n, seed++);
      const backward = (be: Backend) => {
        const dh = dhIn.slice();
        const dGates = new Float32Array(3 * n);
        const dhGates = new Float32Array(3 * n);
        be.gruCellBackward(want.gates, hGates, hPrev, dhOut, dh, batch, hidden, dGates, dhGates);
        return { dh, dGates, dhGates };
      };
      const gotB = backward(native);
      const wantB = backward(jsBackend);
      expectClose(gotB.dGates, wantB.dGates, `${what} backward dGates`);
      expectClose(gotB.dhGates, wantB.dhGates, `${what} backward dhGates`);
      expectClose(gotB.dh, wantB.dh, `${what} backward dh`);
    }
  });
});

describe('recurrent layers: native matches js', () => {
  const layers: [string, () => nn.RNN | nn.LSTM | nn.GRU][] = [
    ['LSTM 2 layers bidirectional', () => new nn.LSTM(24, 48, { numLayers: 2, bidirectional: true })],
    ['GRU 2 layers', () => new nn.GRU(24, 48, { numLayers: 2 })],
    ['RNN relu bidirectional', () => new nn.RNN(24, 48, { nonlinearity: 'relu', bidirectional: true })],
  ];
  for (const [name, make] of layers) {
    it(`${name}: outputs, final states and every gradient`, () => {
      const runOn = (backend: 'js' | 'native') => {
        setBackend(backend);
        manualSeed(21);
        const m = make();
        const x = randn([12, 6, 24], { requiresGrad: true });
        const [out, state] = m.forward(x);
        const finals = Array.isArray(state) ? state : [state];
        const all = concat([out, ...finals].map((t) => t.reshape([-1])));
        all.backward(new Tensor(uniform(all.size, 5), all.shape.slice()));
        return [all, x.grad!, ...m.parameters().map((p) => p.grad!)].map((t) => t.data);
      };
      const js = runOn('js');
      const nat = runOn('native');
      js.forEach((want, i) => expectClose(nat[i], want, `${name}: result ${i}`));
    });
  }
});

describe('recurrent layers on native: the same bits from run to run', () => {
  // Products of 2^22+ multiply-adds are cut into blocks for the addon's threads; while gemmAsync's thread
  // multiplies, the caller computes the same blocks in turn, so timing never changes a rounding.
  for (const cell of ['LSTM', 'GRU'] as const) {
    it(`${cell}: six training steps twice from one seed`, () => {
      setBackend('native');
      const run = () => {
        manualSeed(3);
        const m = cell === 'LSTM' ? new nn.LSTM(64, 64, { numLayers: 2 }) : new nn.GRU(64, 64, { numLayers: 2 });
        const x = randn([32, 8, 64]); // 256 rows × 256 gates × 64: 2^22 multiply-adds, a split product
        for (let step = 0; step < 6; step++) {
          for (const p of m.parameters()) p.grad = null;
          const [out] = m.forward(x);
          out.square().sum().backward();
          for (const p of m.parameters()) p.data.forEach((v, i, d) => (d[i] = v - 1e-3 * p.grad!.data[i]));
        }
        return m.parameters().map((p) => p.data.slice());
      };
      const first = run();
      for (let again = 0; again < 3; again++) run().forEach((p, i) => expect(p).toEqual(first[i]));
    });
  }
});
