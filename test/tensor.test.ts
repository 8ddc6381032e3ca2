import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  Tensor, arange, availableBackends, eye, full, getBackend, getRngState, linspace, manualSeed, ones, onesLike,
  rand, randn, setBackend, setRngState, tensor, zeros, zerosLike,
} from '../src/index.js';
import { expectClose } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('creation', () => {
  it('tensor from a number, nested arrays, typed arrays and flat values with a shape', () => {
    const s = tensor(3);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(3);

    const m = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(m.shape).toEqual([2, 3]);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.data).toBeInstanceOf(Float32Array);

    const storage = Float32Array.from([1, 2, 3, 4]);
    const f = tensor(storage, { shape: [2, 2] });
    expect(f.shape).toEqual([2, 2]);
    expect(f.data).toBe(storage); // a Float32Array is used as is
    expect(tensor(storage).shape).toEqual([4]);

    const flat = tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] });
    expect(flat.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);

    const fromInts = tensor(Int32Array.from([7, -8]));
    expect(fromInts.shape).toEqual([2]);
    expect(Array.from(fromInts.data)).toEqual([7, -8]);
    expect(tensor(Float64Array.from([0.5, 1, 2, 4]), { shape: [2, 2] }).toArray()).toEqual([[0.5, 1], [2, 4]]);

    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(Array.from(tensor([0.1]).data)).toEqual([Math.fround(0.1)]);
  });

  it('tensor(t) copies; options set requiresGrad and name', () => {
    const a = tensor([1, 2]);
    const b = tensor(a, { requiresGrad: true, name: 'b' });
    b.data[0] = 9;
    expect(a.data[0]).toBe(1);
    expect(b.requiresGrad).toBe(true);
    expect(b.name).toBe('b');
    expect(b.isLeaf).toBe(true);
    expect(tensor(1).requiresGrad).toBe(false);
  });

  it('zeros, ones, full, zerosLike, onesLike', () => {
    expect(zeros([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(full([2, 2], 7.5).toArray()).toEqual([[7.5, 7.5], [7.5, 7.5]]);
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([0, 4]).size).toBe(0);
    const t = tensor([[1, 2, 3]]);
    const z = zerosLike(t, { requiresGrad: true });
    expect(z.shape).toEqual([1, 3]);
    expect(z.requiresGrad).toBe(true);
    expect(Array.from(z.data)).toEqual([0, 0, 0]);
    expect(onesLike(t).toArray()).toEqual([[1, 1, 1]]);
    expect(ones([2], { requiresGrad: true, name: 'p' })).toMatchObject({ requiresGrad: true, name: 'p' });
  });

  it('arange, linspace, eye', () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(3, 3).shape).toEqual([0]);
    expect(arange(0, 1, 0.1).size).toBe(10);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(-1, 1, 1).toArray()).toEqual([-1]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
    expectClose(linspace(0, 0.3, 4).data, [0, 0.1, 0.2, 0.3]);
    expect(eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  it('rand is uniform on [0, 1), randn standard normal', () => {
    manualSeed(1);
    const u = rand([10000]).data;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = (d: Float32Array) => d.reduce((s, v) => s + v, 0) / d.length;
    expect(mean(u)).toBeCloseTo(0.5, 1);
    const n = randn([10000]).data;
    const m = mean(n);
    const variance = n.reduce((s, v) => s + (v - m) ** 2, 0) / n.length;
    expect(Math.abs(m)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});

describe('random seeding', () => {
  it('manualSeed makes rand and randn reproducible; different seeds differ', () => {
    manualSeed(42);
    const a = [rand([5]).data, randn([7]).data];
    manualSeed(42);
    const b = [rand([5]).data, randn([7]).data];
    expect(b).toEqual(a);
    manualSeed(43);
    expect(rand([5]).data).not.toEqual(a[0]);
  });

  it('getRngState / setRngState resume the stream exactly, including a pending normal', () => {
    manualSeed(7);
    randn([3]); // an odd count leaves the second Box–Muller value pending
    const state = getRngState();
    const next = [randn([5]).data, rand([4]).data];
    randn([10]);
    setRngState(state);
    expect([randn([5]).data, rand([4]).data]).toEqual(next);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('rejects bad seeds and states', () => {
    expect(() => manualSeed(1.5)).toThrow('manualSeed: seed must be an integer, got 1.5');
    expect(() => manualSeed(Number.NaN)).toThrow('manualSeed: seed must be an integer, got NaN');
    expect(() => setRngState({ s: [1, 2, 3], spare: null } as never)).toThrow(/setRngState: expected \{ s: four unsigned 32-bit integers/);
  });
});

describe('item and toArray', () => {
  it('item reads a one-element tensor of any rank', () => {
    expect(tensor(2.5).item()).toBe(2.5);
    expect(tensor([[4]]).item()).toBe(4);
  });

  it('toArray gives nested arrays (a number for 0-d)', () => {
    expect(tensor(-1).toArray()).toBe(-1);
    expect(tensor([1, 2]).toArray()).toEqual([1, 2]);
    const cube = arange(8).reshape([2, 2, 2]);
    expect(cube.toArray()).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
    expect(zeros([0, 2]).toArray()).toEqual([]);
  });
});

describe('printing (PyTorch layout)', () => {
  it('integers as "1.", aligned columns, rows under each other', () => {
    expect(String(tensor([[1, 2], [3, 4]]))).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(String(tensor([-1, 2]))).toBe('tensor([-1.,  2.])');
    expect(String(tensor(2))).toBe('tensor(2.)');
    expect(String(arange(12).reshape([2, 2, 3]))).toBe(
      'tensor([[[ 0.,  1.,  2.],\n' +
      '         [ 3.,  4.,  5.]],\n' +
      '\n' +
      '        [[ 6.,  7.,  8.],\n' +
      '         [ 9., 10., 11.]]])',
    );
  });

  it('4 decimals for non-integers, exponent notation for tiny or widely spread values', () => {
    expect(String(tensor([0.1, 1.5, -2.25]))).toBe('tensor([ 0.1000,  1.5000, -2.2500])');
    expect(String(tensor(1 / 3))).toBe('tensor(0.3333)');
    expect(String(tensor([1e-5, 1]))).toBe('tensor([1.0000e-05, 1.0000e+00])');
    expect(String(tensor([1, 2000]))).toBe('tensor([1.0000e+00, 2.0000e+03])');
    expect(String(tensor([0, 1000]))).toBe('tensor([   0., 1000.])');
    expect(String(tensor([1, Number.NaN, Infinity, -Infinity]))).toBe('tensor([1., nan, inf, -inf])');
  });

  it('wraps long rows at 80 columns', () => {
    expect(String(arange(30))).toBe(
      'tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n' +
      '        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n' +
      '        28., 29.])',
    );
  });

  it('summarizes with ... above 1000 elements', () => {
    expect(String(zeros([2000]))).toBe('tensor([0., 0., 0.,  ..., 0., 0., 0.])');
    const row = '[0., 0., 0.,  ..., 0., 0., 0.]';
    expect(String(zeros([40, 60]))).toBe(
      `tensor([${row},\n        ${row},\n        ${row},\n        ...,\n        ${row},\n        ${row},\n        ${row}])`,
    );
    const thousand = String(arange(1000));
    expect(thousand).not.toContain('...');
    expect(thousand).toContain(' 999.])');
  });

  it('requiresGrad=true on leaves, gradFn=<op> on op results, size for empty tensors', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(String(x)).toBe('tensor([1., 2.], requiresGrad=true)');
    expect(String(x.mul(2))).toBe('tensor([2., 4.], gradFn=<mul>)');
    expect(String(arange(14, undefined, 1, { requiresGrad: true }))).toBe(
      'tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.],\n       requiresGrad=true)',
    );
    expect(String(zeros([0]))).toBe('tensor([])');
    expect(String(zeros([2, 0]))).toBe('tensor([], size=[2, 0])');
  });
});

describe('backends', () => {
  it('js is available and in use; setBackend switches by name', () => {
    expect(availableBackends()).toContain('js');
    const before = getBackend();
    setBackend('js');
    expect(getBackend()).toBe('js');
    setBackend(before);
  });

  it('NABLA_BACKEND picks the backend in a fresh process', () => {
    const run = spawnSync('npx', ['tsx', '-e', "import { getBackend } from './src/index.ts'; console.log(getBackend());"], {
      cwd: root, encoding: 'utf8', env: { ...process.env, NABLA_BACKEND: 'js' },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('js');
  });
});

describe('bad input', () => {
  it('ragged nested arrays and non-numbers', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow('tensor: ragged nested array: expected length 2 at value[1], got length 1');
    expect(() => tensor([[1, 2], 3] as never)).toThrow('tensor: ragged nested array: expected length 2 at value[1], got number');
    expect(() => tensor([1, [2]])).toThrow('tensor: ragged nested array: expected a number at value[1], got an array');
    expect(() => tensor([1, 'a'] as never)).toThrow('tensor: expected numbers or nested arrays, got string at value[1]');
    expect(() => tensor(null as never)).toThrow('tensor: expected numbers or nested arrays, got null at value');
  });

  it('negative or fractional dimensions', () => {
    expect(() => zeros([2, -1])).toThrow('zeros: invalid shape [2,-1]: dimensions must be non-negative integers, got -1');
    expect(() => ones([1.5])).toThrow('ones: invalid shape [1.5]: dimensions must be non-negative integers, got 1.5');
    expect(() => randn([2, 0.5])).toThrow('randn: invalid shape [2,0.5]');
    expect(() => eye(-2)).toThrow('eye: invalid shape [-2,-2]');
    expect(() => tensor([1, 2], { shape: [-1, -2] })).toThrow('tensor: invalid shape [-1,-2]');
    expect(() => new Tensor(new Float32Array(2), [-1, -2])).toThrow('Tensor: invalid shape [-1,-2]');
    expect(() => zeros(3 as never)).toThrow('zeros: shape must be an array of integers, got 3');
  });

  it('data length vs shape', () => {
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow('tensor: 3 values do not fill shape [2,2] (4 elements)');
    expect(() => tensor(new Float32Array(3), { shape: [2] })).toThrow('tensor: 3 values do not fill shape [2] (2 elements)');
    expect(() => new Tensor(new Float32Array(3), [2])).toThrow('Tensor: data has 3 elements but shape [2] needs 2');
    expect(() => new Tensor([1, 2] as never, [2])).toThrow('Tensor: data must be a Float32Array, got object');
  });

  it('item() on a multi-element tensor', () => {
    expect(() => tensor([1, 2]).item()).toThrow('item: only a one-element tensor converts to a number, this one has shape [2]');
    expect(() => zeros([0]).item()).toThrow('this one has shape [0]');
  });

  it('other creation arguments', () => {
    expect(() => full([2], 'x' as never)).toThrow('full: fill value must be a number, got string');
    expect(() => arange(0, 5, 0)).toThrow('arange: step must be non-zero');
    expect(() => arange(0, Infinity)).toThrow('arange: start, end and step must be finite numbers');
    expect(() => linspace(0, 1, -1)).toThrow('linspace: steps must be a non-negative integer, got -1');
    expect(() => linspace(0, Number.NaN, 3)).toThrow('linspace: start and end must be finite numbers, got 0, NaN');
    expect(() => zerosLike([1, 2] as never)).toThrow('zerosLike: expected a Tensor, got object');
  });

  it("setBackend('nope') lists the available backends and keeps the current one", () => {
    const before = getBackend();
    expect(() => setBackend('nope')).toThrow(`setBackend: unknown backend 'nope'; available: ${availableBackends().join(', ')}`);
    expect(availableBackends().join(', ')).toContain('js');
    expect(getBackend()).toBe(before);
  });

  it('NABLA_BACKEND naming an unknown backend fails with a clear error', () => {
    const run = spawnSync('npx', ['tsx', '-e', "import { tensor } from './src/index.ts'; tensor([1, 2]).add(1);"], {
      cwd: root, encoding: 'utf8', env: { ...process.env, NABLA_BACKEND: 'nope' },
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/NABLA_BACKEND: unknown backend 'nope'; available: [^\n]*js/);
  });
});
