/**
 * nn.RNN, nn.LSTM, nn.GRU beyond the PyTorch parity cases (test/torch-parity: values and every
 * gradient against torch in float64): gradcheck of every input, state and weight on both backends,
 * the state-dict names and shapes PyTorch gives, the layer ops' results without a graph, option and
 * input errors, dropout between layers, and the initialization.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Tensor, concat, gradcheck, loadModel, manualSeed, nn, noGrad, randn, saveModel, setBackend, tensor, zeros } from '../src/index.js';
import { toTorchName } from '../src/export/torch/names.js';
import { rowRange } from '../src/ops/row-range.js';

type Recurrent = nn.RNN | nn.LSTM | nn.GRU;

/** Sets the module's parameters to the given tensors (so gradcheck perturbs them), in stateDict order. */
function setWeights(m: Recurrent, weights: Tensor[]): void {
  Object.keys(m.stateDict()).forEach((name, i) => {
    (m as unknown as Record<string, Tensor>)[name] = weights[i];
  });
}

/** Every result flattened into one tensor: output, hN (and cN). */
function run(m: Recurrent, x: Tensor, states: Tensor[]): Tensor {
  if (m instanceof nn.LSTM) {
    const [out, [h, c]] = m.forward(x, states.length ? [states[0], states[1]] : undefined);
    return concat([out.reshape([-1]), h.reshape([-1]), c.reshape([-1])]);
  }
  const [out, h] = m.forward(x, states[0]);
  return concat([out.reshape([-1]), h.reshape([-1])]);
}

const BACKENDS = ['js', 'native'] as const;

describe.each(BACKENDS)('recurrent layers on %s', (backend) => {
  const build: [string, () => Recurrent][] = [
    ['RNN tanh, 2 layers, bidirectional', () => new nn.RNN(3, 4, { numLayers: 2, bidirectional: true })],
    ['RNN relu, batchFirst', () => new nn.RNN(3, 4, { nonlinearity: 'relu', batchFirst: true })],
    ['LSTM, 2 layers, bidirectional', () => new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true })],
    ['LSTM without bias, batchFirst', () => new nn.LSTM(2, 3, { bias: false, batchFirst: true })],
    ['GRU, 2 layers, bidirectional', () => new nn.GRU(3, 4, { numLayers: 2, bidirectional: true })],
    ['GRU without bias', () => new nn.GRU(2, 3, { bias: false })],
  ];

  for (const [name, make] of build) {
    it(`${name}: gradcheck of the input, the initial states and every weight`, () => {
      setBackend(backend);
      manualSeed(11);
      const m = make();
      const slots = m.numLayers * m.directions;
      const [steps, batch] = [3, 2];
      const x = randn(m.batchFirst ? [batch, steps, m.inputSize] : [steps, batch, m.inputSize], { requiresGrad: true });
      const states = Array.from({ length: m instanceof nn.LSTM ? 2 : 1 }, () => randn([slots, batch, m.hiddenSize], { requiresGrad: true }));
      const weights = Object.values(m.stateDict()).map((t) => new Tensor(t.data.slice(), t.shape.slice(), true));
      // relu's kink: keep pre-activations away from 0 with a positive input and weights.
      if (m instanceof nn.RNN && m.nonlinearity === 'relu') x.data.forEach((v, i) => { x.data[i] = Math.abs(v) + 0.5; });
      expect(gradcheck((xi, ...rest) => {
        setWeights(m, rest.slice(states.length));
        return run(m, xi, rest.slice(0, states.length));
      }, [x, ...states, ...weights])).toBe(true);
    });
  }

  it('unbatched input [T, I] gives the batch-of-one results without the batch axis', () => {
    setBackend(backend);
    manualSeed(3);
    for (const m of [new nn.LSTM(3, 4, { numLayers: 2 }), new nn.GRU(3, 4, { bidirectional: true }), new nn.RNN(3, 4)]) {
      const x = randn([5, 3]);
      const slots = m.numLayers * m.directions;
      const h0 = randn([slots, 4]);
      const c0 = randn([slots, 4]);
      const unbatched = m instanceof nn.LSTM ? m.forward(x, [h0, c0]) : m.forward(x, h0);
      const batched = m instanceof nn.LSTM
        ? m.forward(x.reshape([5, 1, 3]), [h0.reshape([slots, 1, 4]), c0.reshape([slots, 1, 4])])
        : m.forward(x.reshape([5, 1, 3]), h0.reshape([slots, 1, 4]));
      const [out, state] = unbatched;
      expect(out.shape).toEqual([5, 4 * m.directions]);
      expect(Array.from(out.data)).toEqual(Array.from(batched[0].data));
      const hN = Array.isArray(state) ? state[0] : state;
      expect(hN.shape).toEqual([slots, 4]);
      expect(Array.from(hN.data)).toEqual(Array.from((Array.isArray(batched[1]) ? batched[1][0] : batched[1]).data));
    }
  });

  it('no initial state is zeros; batchFirst is the transposed input and output', () => {
    setBackend(backend);
    manualSeed(5);
    const first = new nn.GRU(3, 4, { batchFirst: true, numLayers: 2 });
    const timeFirst = new nn.GRU(3, 4, { numLayers: 2 });
    timeFirst.loadStateDict(first.stateDict());
    const x = randn([2, 5, 3]);
    const [a, ha] = first.forward(x);
    const [b, hb] = timeFirst.forward(x.transpose(0, 1), zeros([2, 2, 4]));
    expect(a.shape).toEqual([2, 5, 4]);
    expect(Array.from(a.transpose(0, 1).data)).toEqual(Array.from(b.data));
    expect(Array.from(ha.data)).toEqual(Array.from(hb.data));
  });

  it('the final hidden state is the output at the last step (forward) and at the first (reverse)', () => {
    setBackend(backend);
    manualSeed(6);
    const m = new nn.LSTM(2, 3, { bidirectional: true });
    const [out, [hN]] = noGrad(() => m.forward(randn([4, 2, 2])));
    const o = out.toArray() as number[][][];
    const h = hN.toArray() as number[][][];
    expect(h[0]).toEqual(o[3].map((row) => row.slice(0, 3)));
    expect(h[1]).toEqual(o[0].map((row) => row.slice(3)));
  });

  it('long sequences (products cut into chunks of steps, on the background thread in native) equal the cell written with ordinary ops', () => {
    setBackend(backend);
    manualSeed(12);
    const [steps, batch, input, hidden] = [150, 4, 5, 6]; // 128 steps a chunk: two chunks, the second partial
    for (const m of [new nn.LSTM(input, hidden, { bidirectional: true }), new nn.GRU(input, hidden, { bidirectional: true })]) {
      const x = randn([steps, batch, input], { requiresGrad: true });
      const lstm = m instanceof nn.LSTM;
      const naive = (reverse: boolean): Tensor => {
        const [wIh, wHh, bIh, bHh] = m.allWeights[reverse ? 1 : 0];
        let h = zeros([batch, hidden]);
        let c = zeros([batch, hidden]);
        const outs: Tensor[] = new Array(steps);
        for (let k = 0; k < steps; k++) {
          const t = reverse ? steps - 1 - k : k;
          const xt = x.narrow(0, t, 1).reshape([batch, input]);
          const gx = nn.functional.linear(xt, wIh, bIh);
          const gh = nn.functional.linear(h, wHh, bHh);
          const part = (g: Tensor, i: number) => g.narrow(1, i * hidden, hidden);
          if (lstm) {
            const gates = gx.add(gh);
            c = part(gates, 1).sigmoid().mul(c).add(part(gates, 0).sigmoid().mul(part(gates, 2).tanh()));
            h = part(gates, 3).sigmoid().mul(c.tanh());
          } else {
            const r = part(gx, 0).add(part(gh, 0)).sigmoid();
            const z = part(gx, 1).add(part(gh, 1)).sigmoid();
            const n = part(gx, 2).add(r.mul(part(gh, 2))).tanh();
            h = z.neg().add(1).mul(n).add(z.mul(h));
          }
          outs[t] = h;
        }
        return concat(outs.map((o) => o.reshape([1, batch, hidden])));
      };
      const weight = randn([steps, batch, 2 * hidden]);
      const gradsOf = (out: Tensor) => {
        for (const p of [x, ...m.parameters()]) p.grad = null;
        out.mul(weight).sum().backward();
        return [out, x.grad!, ...m.parameters().map((p) => p.grad!)].map((t) => Array.from(t.data));
      };
      const fast = gradsOf(m.forward(x)[0]);
      const slow = gradsOf(concat([naive(false), naive(true)], 2));
      fast.forEach((values, i) => values.forEach((v, j) => {
        if (!(Math.abs(v - slow[i][j]) <= 1e-4 * (1 + Math.abs(slow[i][j])))) throw new Error(`${m.typeName} result ${i}[${j}]: ${v} vs ${slow[i][j]}`);
      }));
    }
  });

  it('dropout between layers only in training; eval is deterministic', () => {
    setBackend(backend);
    manualSeed(7);
    const m = new nn.LSTM(3, 8, { numLayers: 2, dropout: 0.5 });
    const x = randn([4, 2, 3]);
    const noDrop = new nn.LSTM(3, 8, { numLayers: 2 });
    noDrop.loadStateDict(m.stateDict());
    m.eval();
    const evalOut = m.forward(x)[0];
    expect(Array.from(evalOut.data)).toEqual(Array.from(noDrop.forward(x)[0].data));
    m.train();
    const a = m.forward(x)[0];
    const b = m.forward(x)[0];
    expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(evalOut.data));
    // A single layer has nothing to drop between (as PyTorch, which warns).
    const single = new nn.GRU(3, 4, { dropout: 0.5 });
    expect(Array.from(single.forward(x)[0].data)).toEqual(Array.from(single.forward(x)[0].data));
  });
});

describe('rowRange (how a layer op hands out its results)', () => {
  it('shares storage, takes a shape, passes gradcheck, and refuses rows outside axis 0', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    const rows = rowRange(x, 1, 2, [4]);
    expect(Array.from(rows.data)).toEqual([3, 4, 5, 6]);
    expect(rows.data.buffer).toBe(x.data.buffer);
    rows.backward(tensor([1, 2, 3, 4]));
    expect(x.grad!.toArray()).toEqual([[0, 0], [1, 2], [3, 4]]);
    expect(gradcheck((t) => rowRange(t, 0, 1).mul(rowRange(t, 2, 1)), [randn([3, 2], { requiresGrad: true })])).toBe(true);
    expect(() => rowRange(x, 2, 2)).toThrow('rowRange: rows [2, 4) are not within axis 0 of shape [3,2]');
    expect(() => rowRange(x, 0, 2, [3])).toThrow('rowRange: 2 rows of 2 values do not fill shape [3]');
  });
});

describe('recurrent layers: parameters', () => {
  it("state-dict names and shapes are PyTorch's (nn.LSTM(3, 4, num_layers=2, bidirectional=True), torch 1.13)", () => {
    const torch: [string, number[]][] = [
      ['weight_ih_l0', [16, 3]], ['weight_hh_l0', [16, 4]], ['bias_ih_l0', [16]], ['bias_hh_l0', [16]],
      ['weight_ih_l0_reverse', [16, 3]], ['weight_hh_l0_reverse', [16, 4]], ['bias_ih_l0_reverse', [16]], ['bias_hh_l0_reverse', [16]],
      ['weight_ih_l1', [16, 8]], ['weight_hh_l1', [16, 4]], ['bias_ih_l1', [16]], ['bias_hh_l1', [16]],
      ['weight_ih_l1_reverse', [16, 8]], ['weight_hh_l1_reverse', [16, 4]], ['bias_ih_l1_reverse', [16]], ['bias_hh_l1_reverse', [16]],
    ];
    const lstm = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true });
    expect(Object.entries(lstm.stateDict()).map(([k, t]) => [toTorchName(k), t.shape])).toEqual(torch);
    expect(Object.keys(lstm.stateDict()).slice(0, 5)).toEqual(['weightIhL0', 'weightHhL0', 'biasIhL0', 'biasHhL0', 'weightIhL0Reverse']);
    expect(lstm.allWeights.map((ws) => ws.length)).toEqual([4, 4, 4, 4]);
    expect(new nn.GRU(5, 2, { bias: false }).namedParameters().map(([k, t]) => [k, t.shape])).toEqual([['weightIhL0', [6, 5]], ['weightHhL0', [6, 2]]]);
    expect(new nn.RNN(5, 2).stateDict().weightIhL0.shape).toEqual([2, 5]);
    expect(lstm.toString()).toContain('LSTM(3, 4, numLayers=2, bidirectional=true)');
  });

  it('initializes every weight U(−1/√hidden, 1/√hidden)', () => {
    manualSeed(8);
    const m = new nn.LSTM(20, 64, { numLayers: 2 });
    const bound = 1 / 8;
    const values = m.parameters().flatMap((p) => Array.from(p.data));
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + b * b, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(variance).toBeCloseTo((bound * bound) / 3, 3);
  });

  it('a reassigned parameter is the one used', () => {
    const m = new nn.RNN(1, 1, { bias: false });
    Object.assign(m, { weightIhL0: tensor([[2]]), weightHhL0: tensor([[0]]) });
    expect(m.forward(tensor([[0.5]]))[0].item()).toBeCloseTo(Math.tanh(1), 6);
  });
});

describe('recurrent layers: model files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-recurrent-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saveModel / loadModel rebuild RNN, LSTM and GRU with every option, giving the same outputs and states', () => {
    manualSeed(9);
    const models = [
      new nn.RNN(3, 4, { nonlinearity: 'relu', numLayers: 2, bias: false, batchFirst: true, dropout: 0.25, bidirectional: true }),
      new nn.LSTM(3, 5, { numLayers: 2, dropout: 0.1 }),
      new nn.GRU(3, 2, { bidirectional: true, batchFirst: true }),
    ];
    models.forEach((model, i) => {
      const path = join(dir, `recurrent-${i}.safetensors`);
      saveModel(model, path);
      const loaded = loadModel(path);
      expect(loaded.spec.type).toBe(model.typeName);
      expect(String(loaded.model)).toBe(String(model));
      const x = randn([2, 4, 3]);
      const flat = (r: [Tensor, Tensor | Tensor[]]) => [r[0], ...(Array.isArray(r[1]) ? r[1] : [r[1]])].map((t) => Array.from(t.data));
      const want = noGrad(() => flat(model.eval().forward(x)));
      expect(noGrad(() => flat(loaded.model.forward(x)))).toEqual(want);
    });
  });
});

describe('recurrent layers: errors name the layer, the expected and the actual', () => {
  it('bad options', () => {
    expect(() => new nn.LSTM(3, 0)).toThrow('LSTM: hiddenSize must be a positive integer, got 0');
    expect(() => new nn.GRU(2.5, 4)).toThrow('GRU: inputSize must be a positive integer, got 2.5');
    expect(() => new nn.LSTM(3, 4, { numLayers: 0 })).toThrow('LSTM: numLayers must be an integer ≥ 1, got 0');
    expect(() => new nn.RNN(3, 4, { dropout: 1.5 })).toThrow('RNN: dropout must be in [0, 1], got 1.5');
    expect(() => new nn.RNN(3, 4, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow("RNN: nonlinearity must be one of 'tanh', 'relu', got \"sigmoid\"");
    expect(() => new nn.GRU(3, 4, { bidirectionl: true } as never)).toThrow("GRU: unknown option 'bidirectionl' (did you mean 'bidirectional'?");
    expect(() => new nn.GRU(3, 4, { nonlinearity: 'relu' } as never)).toThrow("GRU: unknown option 'nonlinearity'");
    expect(() => new nn.LSTM(3, 4, { projSize: 2 } as never)).toThrow("LSTM: projSize (PyTorch's proj_size, LSTM with projections) is not supported, got 2");
    expect(() => new nn.LSTM(3, 4, { projSize: 0 })).not.toThrow();
  });

  it('bad input and initial states', () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
    expect(() => lstm.forward(zeros([5, 2, 6]))).toThrow(
      'LSTM(3, 4, numLayers: 2): expected input of shape [steps, batch, 3] or unbatched [steps, 3], got shape [5,2,6]',
    );
    expect(() => lstm.forward(zeros([3]))).toThrow(/got shape \[3\]$/);
    expect(() => lstm.forward(zeros([0, 2, 3]))).toThrow('LSTM(3, 4, numLayers: 2): the input has no time steps (shape [0,2,3])');
    expect(() => lstm.forward(zeros([5, 2, 3]), [zeros([1, 2, 4]), zeros([2, 2, 4])])).toThrow(
      'LSTM(3, 4, numLayers: 2): expected h0 of shape [2,2,4] (layers·directions, batch, hiddenSize), got shape [1,2,4]',
    );
    expect(() => lstm.forward(zeros([5, 2, 3]), [zeros([2, 2, 4]), zeros([2, 4])])).toThrow(/expected c0 of shape \[2,2,4\].*got shape \[2,4\]/);
    expect(() => lstm.forward(zeros([5, 3]), [zeros([2, 1, 4]), zeros([2, 1, 4])])).toThrow(
      'LSTM(3, 4, numLayers: 2): expected h0 of shape [2,4] (layers·directions, hiddenSize) for unbatched input, got shape [2,1,4]',
    );
    expect(() => lstm.forward(zeros([5, 2, 3]), zeros([2, 2, 4]) as never)).toThrow('LSTM(3, 4, numLayers: 2): the initial state must be [h0, c0] (two tensors), got object');
    const gru = new nn.GRU(3, 4, { batchFirst: true, bidirectional: true });
    expect(() => gru.forward(zeros([2, 5, 4]))).toThrow(
      'GRU(3, 4, batchFirst: true, bidirectional: true): expected input of shape [steps, batch, 3] (batchFirst: [batch, steps, 3]) or unbatched [steps, 3], got shape [2,5,4]',
    );
    expect(() => gru.forward(zeros([2, 5, 3]), zeros([1, 2, 4]))).toThrow(/expected h0 of shape \[2,2,4\]/);
    expect(() => new nn.RNN(3, 4).forward([[1, 2, 3]] as never)).toThrow('RNN(3, 4): expected input of shape [steps, batch, 3] or unbatched [steps, 3], got an array (wrap it with tensor())');
  });
});
