/**
 * The native addon never takes the process down: for every kernel, each buffer detached, of the
 * wrong type, a look-alike or too short, each size negative, fractional, past 2³¹ − 1 or huge, a
 * window of impossible size, a params getter that throws or detaches a buffer — each becomes an
 * Error whose message starts with the kernel's name, thrown before any buffer is written.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, Window2d } from '../src/backend/backend.js';
import { jsBackend } from '../src/backend/js/index.js';
import { loadNativeBackend } from '../src/backend/native/load.js';
import { NATIVE_KERNELS } from '../src/backend/native/native-backend.js';

const native = loadNativeBackend() as unknown as Record<string, (...args: unknown[]) => void>;
type Kernel = (typeof NATIVE_KERNELS)[number];

interface Call {
  args: unknown[];
  /** The buffer whose length is the kernel's size (a shorter one is a smaller, valid call). */
  sizedBy?: number;
  /** Positions of size arguments (integers the kernel multiplies into buffer lengths). */
  sizes: number[];
  /** Position of a params or window object, if any. */
  object?: number;
}

const f32 = (n: number, v = 0.5) => new Float32Array(n).fill(v);
const i32 = (n: number) => new Int32Array(n);
const win: Window2d = { height: 4, width: 4, kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, padH: 0, padW: 0, dilationH: 1, dilationW: 1, outH: 2, outW: 2 };

const view = (heads: number, rows: number, cols: number) => ({ offset: 0, batchStride: heads * rows * cols, headStride: rows * cols, rowStride: cols });
const attentionParams = () => ({
  batch: 2, heads: 2, targetLength: 2, sourceLength: 3, headDim: 2, valueDim: 2, scale: 0.7, causal: false, dropoutP: 0.2,
  q: view(2, 2, 2), k: view(2, 3, 2), v: view(2, 3, 2), out: view(2, 2, 2),
});

/** A small valid call of each kernel (fresh arrays each time). */
const calls: Record<Kernel, () => Call> = {
  gemm: () => ({ args: [false, true, 2, 3, 4, 1, f32(8), f32(12), 0, f32(6)], sizes: [2, 3, 4] }),
  // Two products: A_i [2×4] at 0 and 8, B_i [3×4] at 0 and 12, C_i [2×3] at 0 and 6.
  gemmBatch: () => ({ args: [false, true, 2, 3, 4, 1, f32(16), 8, f32(24), 12, 0, f32(12), 6, 2], sizes: [2, 3, 4, 7, 9, 12, 13] }),
  gemmAsync: () => ({ args: [false, true, 2, 3, 4, 1, f32(8), f32(12), 0, f32(6)], sizes: [2, 3, 4] }),
  gemmWait: () => ({ args: [0], sizes: [0] }),
  unary: () => ({ args: ['elu', f32(5), f32(5), { alpha: 1 }], sizes: [], object: 3, sizedBy: 1 }),
  unaryBackward: () => ({ args: ['elu', f32(5), f32(5), f32(5), f32(5), { alpha: 1 }], sizes: [], object: 5, sizedBy: 3 }),
  binary: () => ({ args: ['add', f32(6), [2, 3], f32(3), [3], f32(6), [2, 3]], sizes: [] }),
  reduce: () => ({ args: ['sum', f32(6), [2, 3], [1], f32(2)], sizes: [] }),
  softmax: () => ({ args: [f32(6), 2, 3, f32(6), false], sizes: [1, 2] }),
  softmaxBackward: () => ({ args: [f32(6, 1 / 3), f32(6), 2, 3, f32(6), false], sizes: [2, 3] }),
  batchNorm: () => ({
    args: [f32(12), 2, 3, 2, f32(3), f32(3), f32(3), f32(3), { training: true, momentum: 0.1, eps: 1e-5, activation: 'sigmoid' }, f32(12), f32(3), f32(3)],
    sizes: [1, 2, 3], object: 8,
  }),
  batchNormBackward: () => ({ args: [f32(12), f32(12), 2, 3, 2, f32(3), f32(3), f32(3), true, f32(12), f32(3), f32(3), 'tanh', f32(12)], sizes: [2, 3, 4] }),
  // x [2, 2, 4, 4] pooled 2×2 → [2, 2, 2, 2].
  batchNormMaxPool2d: () => ({
    args: [f32(64), 2, 2, f32(2), f32(2), f32(2), f32(2), { training: true, momentum: 0.1, eps: 1e-5, activation: 'relu' }, { ...win }, f32(16), i32(16), f32(2), f32(2)],
    sizes: [1, 2], object: 8,
  }),
  batchNormMaxPool2dBackward: () => ({
    args: [f32(64), f32(16), i32(16), f32(16), 2, 2, { ...win }, f32(2), f32(2), f32(2), true, f32(64), f32(2), f32(2)], sizes: [4, 5], object: 6,
  }),
  // x [2, 3] normalized over its rows of 3.
  layerNorm: () => ({ args: [f32(6), 2, 3, f32(3), f32(3), 1e-5, f32(6), f32(2), f32(2)], sizes: [1, 2] }),
  layerNormBackward: () => ({ args: [f32(6), f32(6), 2, 3, f32(3), f32(2), f32(2), f32(6), f32(3), f32(3)], sizes: [2, 3] }),
  // Two images of 2 channels (x 2·2·16), 3 output channels (weight 3·8, out 2·3·4).
  conv2d: () => ({ args: [f32(64), 2, 2, { ...win }, f32(24), 3, f32(3), f32(24)], sizes: [1, 2, 5], object: 3 }),
  conv2dBackward: () => ({ args: [f32(64), f32(24), 2, 2, { ...win }, f32(24), 3, f32(64), f32(24), f32(3)], sizes: [2, 3, 6], object: 4 }),
  maxPool2d: () => ({ args: [f32(32), 2, { ...win }, f32(8), i32(8)], sizes: [1], object: 2 }),
  maxPool2dBackward: () => ({ args: [f32(8), i32(8), 2, { ...win }, f32(32)], sizes: [2], object: 3 }),
  avgPool2d: () => ({ args: [f32(32), 2, { ...win }, f32(8)], sizes: [1], object: 2 }),
  avgPool2dBackward: () => ({ args: [f32(8), 2, { ...win }, f32(32)], sizes: [1], object: 2 }),
  crossEntropy: () => ({ args: [f32(6), 2, 3, Int32Array.from([0, 2]), 0.1, f32(6), f32(2)], sizes: [1, 2] }),
  crossEntropyBackward: () => ({ args: [f32(6, -1), Int32Array.from([0, 2]), 2, 3, 0.1, f32(2), f32(6)], sizes: [2, 3] }),
  // The mask's two key words; keep (x) sizes the call.
  dropoutMask: () => ({ args: [7, 4294967295, 0.25, new Uint8Array(5)], sizes: [], sizedBy: 3 }),
  dropout: () => ({ args: [7, 4294967295, 0.25, f32(5), f32(5), new Uint8Array(5)], sizes: [], sizedBy: 3 }),
  dropoutBackward: () => ({ args: [f32(5), Uint8Array.from([1, 0, 1, 1, 0]), 0.25, f32(5)], sizes: [], sizedBy: 0 }),
  // batch 2, heads 2, L 2, S 3, E = Ev = 2, contiguous: q and out 2·2·2·2, k and v 2·2·3·2; two mask matrices, the keep mask and probs 2·2·2·3.
  attention: () => ({
    args: [f32(16), f32(24), f32(24), attentionParams(), f32(12), Int32Array.from([0, 1, 1, 0]), new Uint8Array(24).fill(1), f32(16), f32(24)], sizes: [], object: 3,
  }),
  attentionBackward: () => ({
    args: [f32(16), f32(24), f32(24), attentionParams(), f32(24, 1 / 3), new Uint8Array(24).fill(1), f32(16), f32(16), f32(16), f32(24), f32(24)], sizes: [], object: 3,
  }),
  adamUpdate: () => ({
    args: [f32(4), f32(4), f32(4), f32(4), f32(4), { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 }],
    sizes: [], object: 5, sizedBy: 0,
  }),
  sgdUpdate: () => ({ args: [f32(4), f32(4), f32(4), { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, initBuffer: false }], sizes: [], object: 3, sizedBy: 0 }),  // A [2, 3] box read row-major and written column-major; offsets are checked like sizes.
  copyStrided: () => ({ args: [f32(6), 0, [3, 1], f32(6), 0, [1, 2], [2, 3], false], sizes: [1, 4] }),
  firstNonFinite: () => ({ args: [f32(5)], sizes: [], sizedBy: 0 }),
  sumOfSquares: () => ({ args: [f32(5)], sizes: [], sizedBy: 0 }),
  adviseHugePages: () => ({ args: [f32(4)], sizes: [], sizedBy: 0 }),
  uniqueRows: () => ({ args: [Int32Array.from([2, 0, 2]), 3, -1, i32(3), i32(3)], sizes: [1] }),
  lookupRows: () => ({ args: [new Uint8Array(6), 3, Int32Array.from([1, 0]), 2, f32(256), f32(6)], sizes: [1, 3] }),
  // Two bags over rows 0–2 of a [3, 2] table: ids [2, 0, 1], offsets [0, 2, 3].
  embeddingBag: () => ({ args: [f32(6), 2, Int32Array.from([2, 0, 1]), Int32Array.from([0, 2, 3]), 2, 'sum', f32(3), -1, f32(4)], sizes: [1, 4] }),
  embeddingBagBackward: () => ({ args: [f32(4), 2, Int32Array.from([2, 0, 1]), Int32Array.from([0, 2, 3]), 2, 'sum', f32(3), -1, Int32Array.from([2, 0, 1]), f32(6)], sizes: [1, 4] }),
  // Rows 0 and 2 of a [3, 2] parameter (indices sizes the call: fewer rows is a smaller valid call).
  sparseSgdUpdate: () => ({ args: [f32(6), 2, Int32Array.from([0, 2]), f32(4), 0.1], sizes: [1], sizedBy: 2 }),
  sparseAdagradUpdate: () => ({ args: [f32(6), f32(6), 2, Int32Array.from([0, 2]), f32(4), 0.1, 1e-10], sizes: [2], sizedBy: 3 }),
  // nz: n and z of each of the parameter's 6 coordinates, interleaved.
  sparseFtrlUpdate: () => ({ args: [f32(6), f32(12), 2, Int32Array.from([0, 2]), f32(4), { lr: 0.1, lrPower: -0.5, l1: 0, l2: 0, beta: 0 }], sizes: [2], object: 5, sizedBy: 3 }),
  sparseAdamUpdate: () => ({ args: [f32(6), f32(6), f32(6), 2, Int32Array.from([0, 2]), f32(4), { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 0.01 }], sizes: [3], object: 6, sizedBy: 4 }),
  // One step of batch 2, hidden 3 (LSTM gates 4·3 per row, GRU 3·3).
  lstmCell: () => ({ args: [f32(24), f32(6), 2, 3, f32(6), f32(6)], sizes: [2, 3] }),
  lstmCellBackward: () => ({ args: [f32(24), f32(6), f32(6), f32(6), f32(6), f32(6), 2, 3, f32(24)], sizes: [6, 7] }),
  gruCell: () => ({ args: [f32(18), f32(18), f32(6), 2, 3, f32(6)], sizes: [3, 4] }),
  gruCellBackward: () => ({ args: [f32(18), f32(18), f32(6), f32(6), f32(6), 2, 3, f32(18), f32(18)], sizes: [5, 6] }),
};

const isBuffer = (v: unknown): v is Float32Array | Int32Array | Uint8Array => v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array;

function detach(x: ArrayBufferView): void {
  structuredClone(x.buffer, { transfer: [x.buffer as ArrayBuffer] });
}

/** Runs the kernel on args and returns its Error, checking that no buffer changed. */
function refusal(kernel: Kernel, args: unknown[]): Error {
  const snapshot = args.map((a) => (isBuffer(a) && a.buffer.byteLength > 0 ? a.slice() : null));
  let thrown: unknown;
  try {
    native[kernel](...args);
  } catch (err) {
    thrown = err;
  }
  if (!(thrown instanceof Error)) {
    const show = (a: unknown) => (isBuffer(a) ? `${a.constructor.name}(${a.length})` : Array.isArray(a) ? `[${a.length} items]` : typeof a === 'object' && a ? 'object' : String(a));
    throw new Error(`${kernel}(${args.map(show).join(', ')}) did not throw an Error (got ${String(thrown)})`);
  }
  const message = (thrown as Error).message;
  expect(message.startsWith(`${kernel}: `), message).toBe(true);
  expect(message).not.toContain('\n');
  args.forEach((a, k) => {
    const before = snapshot[k];
    if (before && isBuffer(a) && a.buffer.byteLength > 0) expect(Array.from(a), `${kernel}: argument ${k} was written before the error`).toEqual(Array.from(before));
  });
  return thrown as Error;
}

/** The call with argument k replaced. */
function withArg(call: Call, k: number, value: unknown): unknown[] {
  const args = call.args.slice();
  args[k] = value;
  return args;
}

describe('native kernels: every bad argument is an Error, never a crash', () => {
  it('the valid calls used below run', () => {
    expect(Object.keys(calls).sort()).toEqual([...NATIVE_KERNELS].sort());
    for (const kernel of NATIVE_KERNELS) expect(() => native[kernel](...calls[kernel]().args), kernel).not.toThrow();
  });

  for (const kernel of NATIVE_KERNELS) {
    describe(kernel, () => {
      const positions = calls[kernel]().args.flatMap((a, k) => (isBuffer(a) ? [k] : []));

      it('a detached buffer, in any position', () => {
        for (const k of positions) {
          const call = calls[kernel]();
          detach(call.args[k] as Float32Array);
          expect(refusal(kernel, call.args).message).toMatch(new RegExp(`^${kernel}: \\w+'s buffer is detached$`));
        }
      });

      it('a buffer of the wrong type: Float64Array, plain array, ArrayBuffer, a look-alike with the right prototype', () => {
        for (const k of positions) {
          const call = calls[kernel]();
          const n = (call.args[k] as Float32Array).length;
          const other = call.args[k] instanceof Int32Array ? new Float32Array(n) : new Int32Array(n);
          const lookAlike = Object.setPrototypeOf(call.args[k] instanceof Uint8Array ? new Int8Array(n) : new Uint8Array(n * 4), Object.getPrototypeOf(call.args[k]));
          for (const bad of [new Float64Array(n), Array.from({ length: n }, () => 0), new ArrayBuffer(n * 4), other, lookAlike, undefined]) {
            expect(refusal(kernel, withArg(call, k, bad)).message).toMatch(new RegExp(`^${kernel}: \\w+ must be an? (Float32Array|Int32Array|Uint8Array)`));
          }
        }
      });

      it('a buffer one element short', () => {
        for (const k of positions) {
          const call = calls[kernel]();
          const a = call.args[k] as Float32Array;
          const short = new (a.constructor as Float32ArrayConstructor)(a.length - 1);
          if (k === call.sizedBy) continue;
          // Strided copies name the index range the strides reach instead of a minimum length.
          expect(refusal(kernel, withArg(call, k, short)).message).toMatch(new RegExp(`^${kernel}: \\w+ (has \\d+ elements, needs at least \\d+|indices reach \\[\\d+, \\d+\\], outside its \\d+ elements)$`));
        }
      });

      it('sizes: negative, fractional, NaN, a string, 2^31, and 2^31 − 1 (far past the buffers)', () => {
        const call = calls[kernel]();
        for (const k of call.sizes) {
          for (const bad of [-1, 1.5, NaN, Infinity, '2', 2 ** 31]) {
            expect(refusal(kernel, withArg(call, k, bad)).message).toMatch(new RegExp(`^${kernel}: \\w+ must be an integer in \\[0, 2147483647\\], got `));
          }
          expect(refusal(kernel, withArg(call, k, 2 ** 31 - 1)).message).toMatch(new RegExp(`^${kernel}: (\\w+ has \\d+ elements, needs at least \\d+|\\w+ indices reach \\[\\d+, \\d+\\], outside its \\d+ elements|sizes are too large|.*too many elements.*|ticket \\d+ was never given out)$`));
        }
      });

      it('a params or window object that is missing, throws from a getter, or detaches a buffer while being read', () => {
        const call = calls[kernel]();
        const k = call.object;
        if (k === undefined) {
          expect(call.sizes.length + positions.length).toBeGreaterThan(0);
          return;
        }
        const params = call.args[k] as Record<string, unknown>;
        const field = Object.keys(params)[0];
        if (kernel !== 'unary' && kernel !== 'unaryBackward') {
          expect(refusal(kernel, withArg(call, k, undefined)).message).toMatch(new RegExp(`^${kernel}: \\w+ must be an object, got undefined$`));
        }
        expect(refusal(kernel, withArg(call, k, 7)).message).toMatch(new RegExp(`^${kernel}: \\w+ must be an object, got 7$`));
        const throwing = { ...params };
        Object.defineProperty(throwing, field, { enumerable: true, get: () => { throw new Error(`${kernel}: the getter threw`); } });
        expect(refusal(kernel, withArg(call, k, throwing)).message).toBe(`${kernel}: the getter threw`);
        const victim = call.args[positions[0]] as Float32Array;
        const sneaky = { ...params };
        Object.defineProperty(sneaky, field, { enumerable: true, get: () => { detach(victim); return params[field]; } });
        expect(refusal(kernel, withArg(call, k, sneaky)).message).toMatch(new RegExp(`^${kernel}: \\w+'s buffer is detached$`));
      });
    });
  }

  const windowKernels = ['conv2d', 'conv2dBackward', 'batchNormMaxPool2d', 'batchNormMaxPool2dBackward', 'maxPool2d', 'maxPool2dBackward', 'avgPool2d', 'avgPool2dBackward'] as const;

  it('windows of impossible size (conv2d, fused BatchNorm→pool, pools)', () => {
    for (const kernel of windowKernels) {
      const call = calls[kernel]();
      for (const w of [
        { ...win, height: 2 ** 31 - 1, width: 2 ** 31 - 1 },
        { ...win, outH: 2 ** 31 - 1 },
        { ...win, outH: 3 },
        { ...win, strideW: 0 },
        { ...win, dilationW: -1 },
        { ...win, outW: 1.5 },
      ]) refusal(kernel, withArg(call, call.object!, w));
    }
  });

  it('degenerate windows (an empty kernel, windows all in the padding) run inside the buffers', () => {
    for (const kernel of windowKernels) {
      for (const w of [{ ...win, kernelH: 0 }, { ...win, padH: 2 ** 31 - 1, padW: 2 ** 31 - 1 }]) {
        const call = calls[kernel]();
        const lengths = call.args.map((a) => (isBuffer(a) ? a.length : -1));
        native[kernel](...withArg(call, call.object!, w));
        expect(call.args.map((a) => (isBuffer(a) ? a.length : -1))).toEqual(lengths);
      }
    }
  });

  it('shapes given as arrays whose element getter detaches a buffer (binary, reduce)', () => {
    const a = f32(6);
    const shape = [2, 3];
    Object.defineProperty(shape, 0, { get: () => { detach(a); return 2; } });
    expect(refusal('binary', ['add', a, shape, f32(3), [3], f32(6), [2, 3]]).message).toBe("binary: a's buffer is detached");
    const x = f32(6);
    const axes = [1];
    Object.defineProperty(axes, 0, { get: () => { detach(x); return 1; } });
    expect(refusal('reduce', ['sum', x, [2, 3], axes, f32(2)]).message).toBe("reduce: x's buffer is detached");
  });

  it('invalid contents: class indices out of range, argmax outside its plane, an unknown op', () => {
    expect(refusal('crossEntropy', withArg(calls.crossEntropy(), 3, Int32Array.from([0, -1]))).message).toMatch(/^crossEntropy: target 1 is class -1, out of range for 3 classes$/);
    expect(refusal('crossEntropyBackward', withArg(calls.crossEntropyBackward(), 1, Int32Array.from([2 ** 31 - 1, 0]))).message).toMatch(/^crossEntropyBackward: target 0 is class 2147483647/);
    expect(refusal('maxPool2dBackward', withArg(calls.maxPool2dBackward(), 1, Int32Array.from([0, 1, 2, 3, 16, 0, 0, 0]))).message).toMatch(/^maxPool2dBackward: argmax 16 is outside its plane of 16$/);
    expect(refusal('batchNormMaxPool2dBackward', withArg(calls.batchNormMaxPool2dBackward(), 2, Int32Array.from({ length: 16 }, (_, i) => (i === 9 ? 16 : 0)))).message).toMatch(/^batchNormMaxPool2dBackward: argmax 16 is outside its plane of 16$/);
    expect(refusal('unary', withArg(calls.unary(), 0, '__proto__')).message).toBe("unary: unknown op '__proto__'");
    expect(refusal('binary', withArg(calls.binary(), 0, 'constructor')).message).toBe("binary: unknown op 'constructor'");
    expect(refusal('reduce', withArg(calls.reduce(), 0, 'mean')).message).toBe("reduce: unknown op 'mean'");
  });

  it('sparse updates refuse rows that repeat or go down (the rows are split between threads), with js\'s message', () => {
    for (const rows of [[2, 2], [2, 0]]) {
      for (const kernel of ['sparseSgdUpdate', 'sparseAdagradUpdate', 'sparseFtrlUpdate', 'sparseAdamUpdate'] as const) {
        const call = calls[kernel]();
        const at = call.sizedBy!;
        const message = refusal(kernel, withArg(call, at, Int32Array.from(rows))).message;
        expect(message).toBe(`${kernel}: indices[1] is ${rows[1]}, not above indices[0] = 2: rows must be unique and ascending`);
        const js = jsBackend[kernel] as (...a: unknown[]) => void;
        expect(() => js(...withArg(calls[kernel](), at, Int32Array.from(rows)))).toThrow(message);
      }
    }
  });

  it('sparseFtrlUpdate refuses an nz shorter than n and z of every coordinate, with js\'s message', () => {
    const message = refusal('sparseFtrlUpdate', withArg(calls.sparseFtrlUpdate(), 1, f32(11))).message;
    expect(message).toBe('sparseFtrlUpdate: nz has 11 elements, needs at least 12');
    expect(() => (jsBackend.sparseFtrlUpdate as (...a: unknown[]) => void)(...withArg(calls.sparseFtrlUpdate(), 1, f32(11)))).toThrow(message);
  });

  it('no arguments at all', () => {
    for (const kernel of NATIVE_KERNELS) refusal(kernel, []);
  });
});
