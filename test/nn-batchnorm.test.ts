import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { batchNorm, batchNormMaxPool2d, full, getBackend, gradcheck, inspect, manualSeed, maxPool2d, nn, noGrad, ones, rand, randn, relu, relu as reluOf, setBackend, sigmoid, tanh, tensor, Tensor, zeros } from '../src/index.js';
import { BatchNorm1d, BatchNorm2d } from '../src/nn/batch-norm.js';
import { expectClose, inputs } from './helpers.js';

interface BatchNormCase {
  module: 'BatchNorm1d' | 'BatchNorm2d';
  numFeatures: number;
  options: { eps: number; momentum: number };
  shape: number[];
  x: number[]; gamma: number[]; beta: number[]; dy: number[];
  trainOutput: number[]; dx: number[]; dgamma: number[]; dbeta: number[];
  runningMean: number[]; runningVar: number[];
  evalInput: number[]; evalOutput: number[];
}

const golden = JSON.parse(readFileSync(new URL('./golden/batchnorm.json', import.meta.url), 'utf8')) as { cases: BatchNormCase[] };

/** Per-channel mean and variances of x [N, C, inner…] in float64, computed independently of the kernel. */
function channelStats(data: ArrayLike<number>, shape: number[]): { mean: number[]; biased: number[]; unbiased: number[] } {
  const [n, c] = shape;
  const inner = data.length / (n * c);
  const mean: number[] = [];
  const biased: number[] = [];
  const unbiased: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    const values: number[] = [];
    for (let b = 0; b < n; b++) for (let i = 0; i < inner; i++) values.push(data[(b * c + ch) * inner + i]);
    const m = values.reduce((s, v) => s + v, 0) / values.length;
    const ss = values.reduce((s, v) => s + (v - m) ** 2, 0);
    mean.push(m);
    biased.push(ss / values.length);
    unbiased.push(ss / (values.length - 1));
  }
  return { mean, biased, unbiased };
}

describe('BatchNorm against PyTorch (shared/golden/batchnorm.json)', () => {
  it('has the cases it should replay', () => {
    expect(golden.cases.map((c) => c.module).sort()).toEqual(['BatchNorm1d', 'BatchNorm2d']);
  });

  for (const c of golden.cases) {
    it(`${c.module}(${c.numFeatures}) on ${JSON.stringify(c.shape)}: training forward, backward, running stats, eval`, () => {
      const m = c.module === 'BatchNorm1d' ? new BatchNorm1d(c.numFeatures, c.options) : new BatchNorm2d(c.numFeatures, c.options);
      m.weight!.data.set(c.gamma);
      m.bias!.data.set(c.beta);
      const x = tensor(Float32Array.from(c.x), { shape: c.shape, requiresGrad: true });
      const y = m.forward(x);
      expectClose(y.data, c.trainOutput, 1e-3, 1e-3);
      y.backward(tensor(Float32Array.from(c.dy), { shape: c.shape }));
      expectClose(x.grad!.data, c.dx, 1e-3, 1e-3);
      expectClose(m.weight!.grad!.data, c.dgamma, 1e-3, 1e-3);
      expectClose(m.bias!.grad!.data, c.dbeta, 1e-3, 1e-3);
      expectClose(m.runningMean!.data, c.runningMean, 1e-3, 1e-3);
      expectClose(m.runningVar!.data, c.runningVar, 1e-3, 1e-3);
      m.eval();
      const evalOut = m.forward(tensor(Float32Array.from(c.evalInput), { shape: c.shape }));
      expectClose(evalOut.data, c.evalOutput, 1e-3, 1e-3);
    });
  }
});

describe('batchNorm (functional)', () => {
  it('normalizes each channel of a 4-D input with the batch statistics, then scales and shifts', () => {
    manualSeed(3);
    const x = randn([4, 3, 2, 5]).mul(3).add(7);
    const gamma = tensor([1, 2, -0.5]);
    const beta = tensor([0, 1, 4]);
    const y = batchNorm(x, null, null, gamma, beta, { training: true, eps: 1e-5 });
    const { mean, biased } = channelStats(x.data, x.shape);
    const expected = Array.from(x.data, (v, i) => {
      const ch = Math.floor(i / 10) % 3;
      return ((v - mean[ch]) / Math.sqrt(biased[ch] + 1e-5)) * gamma.data[ch] + beta.data[ch];
    });
    expectClose(y.data, expected, 1e-4, 1e-4);
  });

  it('updates the running statistics over several steps like PyTorch (momentum, unbiased variance)', () => {
    manualSeed(11);
    const runningMean = zeros([3]);
    const runningVar = ones([3]);
    const refMean = [0, 0, 0];
    const refVar = [1, 1, 1];
    const momentum = 0.3;
    for (let step = 0; step < 5; step++) {
      const x = randn([6, 3, 4]).mul(step + 1).add(step - 2);
      batchNorm(x, runningMean, runningVar, null, null, { training: true, momentum });
      const { mean, unbiased } = channelStats(x.data, x.shape);
      for (let ch = 0; ch < 3; ch++) {
        refMean[ch] = (1 - momentum) * refMean[ch] + momentum * mean[ch];
        refVar[ch] = (1 - momentum) * refVar[ch] + momentum * unbiased[ch];
      }
      expectClose(runningMean.data, refMean, 1e-5, 1e-5);
      expectClose(runningVar.data, refVar, 1e-5, 1e-5);
    }
  });

  it('is stable when the mean is large compared with the spread', () => {
    const x = tensor([[10000.5], [10001.5], [10000.5], [10001.5]]);
    const runningMean = zeros([1]);
    const runningVar = ones([1]);
    const y = batchNorm(x, runningMean, runningVar, null, null, { training: true, momentum: 1, eps: 0 });
    expectClose(y.data, [-1, 1, -1, 1], 1e-4);
    expectClose(runningVar.data, [1 / 3], 1e-5);
  });

  it('in eval uses the running statistics and leaves them alone', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const runningMean = tensor([2, -1]);
    const runningVar = tensor([4, 0.25]);
    const y = batchNorm(x, runningMean, runningVar, tensor([2, 1]), tensor([0, 10]), { eps: 0 });
    expectClose(y.data, [-1, 16, 1, 20, 3, 24]);
    expect(Array.from(runningMean.data)).toEqual([2, -1]);
    expect(Array.from(runningVar.data)).toEqual([4, 0.25]);
  });

  const shapes: [string, number[]][] = [['2-D', [5, 3]], ['3-D', [3, 2, 4]], ['4-D', [2, 3, 2, 3]]];
  for (const [rank, shape] of shapes) {
    const c = shape[1];
    for (const training of [true, false]) {
      const mode = training ? 'training' : 'eval';
      it(`gradcheck, ${rank} input, ${mode}, with γ/β`, () => {
        const [x, gamma, beta] = inputs(shape.length * 10 + (training ? 1 : 0), shape, [c], [c]);
        manualSeed(5);
        const runningMean = randn([c]);
        const runningVar = rand([c]).add(0.5);
        expect(gradcheck((a, g, b) => batchNorm(a, runningMean, runningVar, g, b, { training }), [x, gamma, beta])).toBe(true);
      });
      it(`gradcheck, ${rank} input, ${mode}, without affine`, () => {
        const [x] = inputs(shape.length * 20 + (training ? 1 : 0), shape);
        manualSeed(6);
        const runningMean = randn([c]);
        const runningVar = rand([c]).add(0.5);
        expect(gradcheck((a) => batchNorm(a, runningMean, runningVar, null, null, { training }), [x])).toBe(true);
      });
    }
  }

  it('sends gradients only to the inputs that require them', () => {
    const x = randn([4, 2]);
    const gamma = ones([2], { requiresGrad: true });
    const beta = zeros([2]);
    const y = batchNorm(x, null, null, gamma, beta, { training: true });
    y.sum().backward();
    expect(gamma.grad).not.toBeNull();
    expect(beta.grad).toBeNull();
    expect(x.grad).toBeNull();
  });

  it('refuses bad inputs with messages that name the problem', () => {
    expect(() => batchNorm(zeros([1, 4]), zeros([4]), ones([4]), null, null, { training: true }))
      .toThrow('batchNorm: expected more than 1 value per channel when training, got input of shape [1,4]');
    expect(() => batchNorm(zeros([4, 3]), zeros([2]), ones([2])))
      .toThrow('batchNorm: runningMean must have shape [3] (one per channel), got [2]');
    expect(() => batchNorm(zeros([4, 3]), null, null, ones([4]), null, { training: true }))
      .toThrow('batchNorm: weight must have shape [3] (one per channel), got [4]');
    expect(() => batchNorm(zeros([4]), null, null, null, null, { training: true }))
      .toThrow('batchNorm: input must have at least 2 dimensions [N, C, …], got shape [4]');
    expect(() => batchNorm(zeros([4, 3]), null, null))
      .toThrow('batchNorm: eval mode (training: false) needs runningMean and runningVar');
    expect(() => batchNorm(zeros([4, 3]), zeros([3]), ones([3]), null, null, { momentum: 2 }))
      .toThrow('batchNorm: momentum must be a number in [0, 1], got 2');
  });
});

describe('BatchNorm1d and BatchNorm2d modules', () => {
  it('have weight, bias (parameters) and runningMean, runningVar (buffers) with PyTorch defaults', () => {
    const m = new BatchNorm1d(4);
    expect(Array.from(m.weight!.data)).toEqual([1, 1, 1, 1]);
    expect(Array.from(m.bias!.data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(m.runningMean!.data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(m.runningVar!.data)).toEqual([1, 1, 1, 1]);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['runningMean', 'runningVar']);
    expect(Object.keys(m.stateDict())).toEqual(['weight', 'bias', 'runningMean', 'runningVar']);
    expect([m.eps, m.momentum]).toEqual([1e-5, 0.1]);
  });

  it('affine: false has no γ/β and normalizes to zero mean and unit variance', () => {
    const m = new BatchNorm2d(2, { affine: false });
    expect(m.weight).toBeNull();
    expect(m.bias).toBeNull();
    expect(m.parameters()).toEqual([]);
    manualSeed(8);
    const y = m.forward(randn([3, 2, 2, 2]).mul(5).add(1));
    const { mean, biased } = channelStats(y.data, y.shape);
    expectClose(mean, [0, 0], 1e-5);
    expectClose(biased, [1, 1], 1e-3);
  });

  it('trackRunningStats: false keeps no buffers and uses batch statistics in eval too', () => {
    const m = new BatchNorm1d(2, { trackRunningStats: false });
    expect(m.runningMean).toBeNull();
    expect(m.buffers()).toEqual([]);
    m.eval();
    const x = tensor([[1, 10], [3, 30]]);
    expectClose(m.forward(x).data, [-1, -1, 1, 1], 1e-4);
  });

  it('eval mode follows train()/eval() and accepts a batch of one', () => {
    const m = new BatchNorm1d(2);
    m.runningMean!.data.set([1, 2]);
    m.runningVar!.data.set([4, 9]);
    m.eval();
    const y = noGrad(() => m.forward(tensor([[3, 8]])));
    expectClose(y.data, [1, 2], 1e-5);
    m.train();
    expect(() => m.forward(tensor([[3, 8]]))).toThrow('BatchNorm1d(2): expected more than 1 value per channel when training, got input of shape [1,2]');
  });

  it('BatchNorm1d accepts [N, C, L] and updates the running statistics over N and L', () => {
    manualSeed(2);
    const m = new BatchNorm1d(3, { momentum: 0.5 });
    const x = randn([4, 3, 5]);
    m.forward(x);
    const { mean, unbiased } = channelStats(x.data, x.shape);
    expectClose(m.runningMean!.data, mean.map((v) => 0.5 * v), 1e-5);
    expectClose(m.runningVar!.data, unbiased.map((v) => 0.5 + 0.5 * v), 1e-5);
  });

  it('refuses a wrong rank or channel count, naming the layer and the shapes', () => {
    expect(() => new BatchNorm1d(3).forward(zeros([2, 3, 4, 4])))
      .toThrow('BatchNorm1d(3): expected a 2-D or 3-D input [N, C] or [N, C, L], got shape [2,3,4,4]');
    expect(() => new BatchNorm2d(3).forward(zeros([2, 3, 4])))
      .toThrow('BatchNorm2d(3): expected a 4-D input [N, C, H, W], got shape [2,3,4]');
    expect(() => new BatchNorm2d(3).forward(zeros([2, 4, 5, 5])))
      .toThrow('BatchNorm2d(3): expected 3 channels in dimension 1, got 4 (input shape [2,4,5,5])');
    expect(() => new BatchNorm1d(0)).toThrow('BatchNorm1d: numFeatures must be a positive integer, got 0');
  });

  it('gradcheck through the module (γ and β are trained)', () => {
    const m = new BatchNorm2d(2);
    manualSeed(4);
    m.weight!.data.set(randn([2]).data);
    m.bias!.data.set(randn([2]).data);
    const [x] = inputs(9, [3, 2, 2, 2]);
    expect(gradcheck((a) => m.forward(a), [x, m.weight!, m.bias!])).toBe(true);
  });
});

describe('BatchNorm followed by ReLU, Sigmoid or Tanh: one fused op', () => {
  const backends = ['native', 'js'] as const;
  const activations = [['relu', relu, 'batchNormRelu', nn.ReLU], ['sigmoid', sigmoid, 'batchNormSigmoid', nn.Sigmoid], ['tanh', tanh, 'batchNormTanh', nn.Tanh]] as const;

  for (const be of backends) {
    for (const [activation, f] of activations) {
      it(`batchNorm(…, { activation: '${activation}' }) is ${activation}(batchNorm(…)) in values and gradients, bit for bit (${be} backend)`, () => {
        const before = getBackend();
        setBackend(be);
        try {
          // [N, C, H, W] and [N, C]; the large ones run the native loops on threads; NaN in one input.
          const shapes: [number[], boolean][] = [[[6, 3, 4, 5], false], [[9, 4], false], [[32, 8, 28, 28], false], [[512, 300], false], [[6, 3, 4, 5], true], [[9, 4], true]];
          let seed = 71;
          for (const [shape, withNaN] of shapes) {
            for (const training of [true, false]) {
              const c = shape[1];
              const [x, gamma, beta] = inputs(seed++, shape, [c], [c]);
              if (withNaN) x.data[c + 1] = NaN;
              const run = (fused: boolean) => {
                const [a, g, b] = [x, gamma, beta].map((t) => t.detach().requiresGrad_());
                const rm = full([c], 0.2);
                const rv = full([c], 0.8);
                const y = fused
                  ? batchNorm(a, rm, rv, g, b, { training, activation })
                  : f(batchNorm(a, rm, rv, g, b, { training }));
                y.mul(y.add(1)).sum().backward();
                return { y: y.data, grads: [a, g, b].map((t) => t.grad!.data), stats: [rm.data, rv.data] };
              };
              const fused = run(true);
              const separate = run(false);
              const what = `${JSON.stringify(shape)}${withNaN ? ' with NaN' : ''} training=${training}`;
              for (const [got, want, name] of [[fused.y, separate.y, 'y'], ...fused.grads.map((g, i) => [g, separate.grads[i], `grad ${i}`] as const),
                ...fused.stats.map((st, i) => [st, separate.stats[i], `stat ${i}`] as const)] as const) {
                expect(got.length, `${what} ${name}`).toBe(want.length);
                const first = got.findIndex((v, i) => !Object.is(v, want[i]));
                expect(first, `${what} ${name}: first differing element (${got[first]} vs ${want[first]})`).toBe(-1);
              }
              if (withNaN) expect(fused.y.some(Number.isNaN), `${what}: NaN reaches the output`).toBe(true);
              if (activation === 'relu' && !withNaN) expect(fused.y.some((v) => v === 0)).toBe(true);
            }
          }
        } finally {
          setBackend(before);
        }
      });
    }
  }

  for (const [activation] of activations) {
    for (const training of [true, false]) {
      it(`gradcheck through the fused op (${activation}, ${training ? 'training' : 'eval'})`, () => {
        const [x, gamma, beta] = inputs(training ? 73 : 74, [5, 2, 3], [2], [2]);
        const rm = training ? null : full([2], 0.1);
        const rv = training ? null : full([2], 0.7);
        expect(gradcheck((a, g, b) => batchNorm(a, rm, rv, g, b, { training, activation }), [x, gamma, beta])).toBe(true);
      });
    }
  }

  it('Sequential runs BatchNorm1d/2d → ReLU/Sigmoid/Tanh as one batchNormRelu/Sigmoid/Tanh node, with the values and gradients of running the modules one by one', () => {
    for (const [activation, , opName, Act] of activations) {
      for (const [norm, shape] of [[() => new BatchNorm2d(3), [4, 3, 5, 5]], [() => new BatchNorm1d(3), [8, 3]]] as const) {
        const build = () => {
          manualSeed(11);
          return new nn.Sequential(norm(), new Act(), new nn.Flatten());
        };
        const x = randn([...shape]);
        const model = build();
        const y = model.forward(x);
        const ops = inspect(y).nodes.map((n) => n.op);
        expect(ops, activation).toContain(opName);
        expect(ops, activation).not.toContain(activation);
        expect(ops, activation).not.toContain('batchNorm');
        y.sum().backward();
        const again = build();
        const stepwise = again.at(2).forward(again.at(1).forward(again.at(0).forward(x)));
        stepwise.sum().backward();
        expect(y.toArray()).toEqual(stepwise.toArray());
        expect(model.parameters().map((p) => p.grad!.toArray())).toEqual(again.parameters().map((p) => p.grad!.toArray()));
      }
    }
  });

  it('Sequential runs BatchNorm2d → Sigmoid/Tanh → MaxPool2d as the fused BatchNorm→activation, then the pool', () => {
    for (const [activation, , opName, Act] of activations.slice(1)) {
      manualSeed(13);
      const model = new nn.Sequential(new BatchNorm2d(2), new Act(), new nn.MaxPool2d(2));
      const x = randn([3, 2, 4, 4]);
      const y = model.forward(x);
      expect(inspect(y).nodes.map((n) => n.op), activation).toEqual(expect.arrayContaining([opName, 'maxPool2d']));
      const z = model.at(2).forward(model.at(1).forward(new BatchNorm2d(2).forward(x)));
      expect(y.toArray()).toEqual(z.toArray());
    }
  });

  it('a BatchNorm or activation subclass that overrides forward runs as written (no fusion)', () => {
    class LoudReLU extends nn.ReLU {
      calls = 0;
      override forward(x: Tensor): Tensor {
        this.calls++;
        return super.forward(x);
      }
    }
    class LoudTanh extends nn.Tanh {
      calls = 0;
      override forward(x: Tensor): Tensor {
        this.calls++;
        return super.forward(x);
      }
    }
    for (const [act, op] of [[new LoudReLU(), 'relu'], [new LoudTanh(), 'tanh']] as const) {
      const model = new nn.Sequential(new BatchNorm1d(2), act);
      const y = model.forward(randn([4, 2]));
      expect(act.calls).toBe(1);
      expect(inspect(y).nodes.map((n) => n.op)).toEqual(expect.arrayContaining(['batchNorm', op]));
    }
  });

  it('refuses an unknown activation, and the old relu option, naming the op', () => {
    expect(() => batchNorm(randn([4, 3]), null, null, null, null, { training: true, activation: 'gelu' as never }))
      .toThrow("batchNorm: activation must be 'relu', 'sigmoid' or 'tanh' (or null), got 'gelu'");
    expect(() => batchNorm(randn([4, 3]), null, null, null, null, { training: true, relu: true } as never))
      .toThrow("batchNorm: the relu option is now activation: 'relu'");
    expect(() => batchNormMaxPool2d(randn([2, 3, 4, 4]), null, null, null, null, { training: true, activation: 'tanh', kernelSize: 2 }))
      .toThrow("batchNormMaxPool2d: activation must be 'relu' or none (sigmoid and tanh are not fused with the pool), got 'tanh'");
  });
});

describe('BatchNorm2d (→ ReLU) → MaxPool2d: one fused op', () => {
  const windows: [number[], number, number, number][] = [
    // [input shape, kernel, stride, padding]
    [[4, 3, 8, 8], 2, 2, 0], [[3, 2, 7, 9], 3, 2, 1], [[2, 4, 6, 6], 2, 1, 0], [[5, 2, 5, 5], 3, 3, 0],
  ];
  for (const be of ['native', 'js'] as const) {
    it(`batchNormMaxPool2d is maxPool2d(relu?(batchNorm)) in values, gradients and running stats, bit for bit (${be} backend)`, () => {
      const before = getBackend();
      setBackend(be);
      try {
        let seed = 80;
        for (const [shape, k, s, p] of windows) {
          for (const relu of [true, false]) {
            for (const training of [true, false]) {
              const [x, gamma, beta] = inputs(seed++, shape, [shape[1]], [shape[1]]);
              const run = (fused: boolean) => {
                const [a, g, b] = [x, gamma, beta].map((t) => t.detach().requiresGrad_());
                const rm = full([shape[1]], 0.1);
                const rv = full([shape[1]], 0.9);
                const opts = { training, momentum: 0.1, eps: 1e-5 };
                let y: Tensor;
                if (fused) y = batchNormMaxPool2d(a, rm, rv, g, b, { ...opts, activation: relu ? 'relu' : null, kernelSize: k, stride: s, padding: p });
                else {
                  const z = batchNorm(a, rm, rv, g, b, opts);
                  y = maxPool2d(relu ? reluOf(z) : z, k, { stride: s, padding: p });
                }
                y.mul(y.add(1)).sum().backward();
                return { y: y.toArray(), grads: [a, g, b].map((t) => t.grad!.toArray()), stats: [rm.toArray(), rv.toArray()] };
              };
              expect(run(true), `${JSON.stringify(shape)} k${k} s${s} p${p} relu=${relu} training=${training}`).toEqual(run(false));
            }
          }
        }
      } finally {
        setBackend(before);
      }
    });
  }

  it('gradcheck through the fused op (overlapping windows, padding, ReLU)', () => {
    const [x, gamma, beta] = inputs(90, [3, 2, 5, 5], [2], [2]);
    expect(gradcheck((a, g, b) => batchNormMaxPool2d(a, null, null, g, b, { training: true, activation: 'relu', kernelSize: 3, stride: 2, padding: 1 }), [x, gamma, beta])).toBe(true);
  });

  it('Sequential runs Conv2d → BatchNorm2d → ReLU → MaxPool2d (and without the ReLU) with a batchNormMaxPool2d node, as the modules one by one', () => {
    for (const withRelu of [true, false]) {
      const build = () => {
        manualSeed(12);
        const layers = [new nn.Conv2d(2, 3, 3, { padding: 1 }), new BatchNorm2d(3), ...(withRelu ? [new nn.ReLU()] : []), new nn.MaxPool2d(2), new nn.Flatten()];
        return new nn.Sequential(...layers);
      };
      const x = randn([4, 2, 6, 6]);
      const model = build();
      const y = model.forward(x);
      const ops = inspect(y).nodes.map((n) => n.op);
      expect(ops).toContain('batchNormMaxPool2d');
      expect(ops).not.toContain('maxPool2d');
      y.sum().backward();
      const reference = build();
      let z = x;
      for (let i = 0; i < reference.length; i++) z = reference.at(i).forward(z);
      z.sum().backward();
      expect(y.toArray()).toEqual(z.toArray());
      const grads = (m: nn.Module) => m.parameters().map((p) => p.grad!.toArray());
      expect(grads(model)).toEqual(grads(reference));
    }
  });

  it('refuses bad input naming the fused op', () => {
    expect(() => batchNormMaxPool2d(randn([2, 3]), null, null, null, null, { training: true, kernelSize: 2 })).toThrow(/^batchNormMaxPool2d: /);
    expect(() => batchNormMaxPool2d(randn([2, 3, 4, 4]), null, null, ones([2]), null, { training: true, kernelSize: 2 })).toThrow(/^batchNormMaxPool2d: weight must have shape \[3\]/);
    expect(() => batchNormMaxPool2d(randn([2, 3, 4, 4]), null, null, null, null, { training: true, kernelSize: 5 })).toThrow(/^batchNormMaxPool2d: /);
  });
});

describe('Sequential fuses only what would run the same', () => {
  it('a pool that would refuse its input is not fused: the modules run one by one and the pool names itself', () => {
    const model = new nn.Sequential(new BatchNorm2d(2), new nn.ReLU(), new nn.MaxPool2d(2, { padding: 2 }));
    expect(() => model.forward(randn([2, 2, 6, 6]))).toThrow(/^maxPool2d: padding 2x2 must be at most half the kernel size 2x2$/);
  });

  it('a spied-on (patched) ReLU/Sigmoid/Tanh.prototype.forward is called, not fused away', () => {
    for (const [Act, op] of [[nn.ReLU, 'relu'], [nn.Sigmoid, 'sigmoid'], [nn.Tanh, 'tanh']] as const) {
      const spy = vi.spyOn(Act.prototype, 'forward');
      try {
        const y = new nn.Sequential(new BatchNorm1d(3), new Act()).forward(randn([4, 3]));
        expect(spy).toHaveBeenCalledTimes(1);
        expect(inspect(y).nodes.map((n) => n.op)).toContain(op);
      } finally {
        spy.mockRestore();
      }
    }
  });
});
