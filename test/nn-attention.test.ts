/**
 * Attention: scaledDotProductAttention's fused op against the same computation from separate ops (both
 * backends, masks, causal, dropout from the same seed), native against js, central differences
 * (gradcheck) for the op, MultiheadAttention, TransformerEncoderLayer and CharGPT, their errors, and
 * save/load. PyTorch's values are in the parity suite (test/torch-parity/cases.ts: sdpa, MultiheadAttention,
 * TransformerEncoderLayer, TransformerEncoder, CharGPT, and PyTorch's state-dict names).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, gradcheck, loadModel, manualSeed, nn, noGrad, randn, saveModel, setBackend, tensor, Tensor } from '../src/index.js';
import { composedAttention } from '../src/ops/scaled-dot-product-attention.js';
import { CharGPT } from '../src/text/char-gpt.js';
import { expectClose } from './helpers.js';

const F = nn.functional;
const initialBackend = getBackend();
afterEach(() => setBackend(initialBackend));

/** Runs fn on fresh copies of `inputs` (requiring grad) and returns its output and every input's gradient of Σ w·out. */
function valueAndGrads(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): Float32Array[] {
  const xs = inputs.map((t) => tensor(t.data.slice(), { shape: t.shape, requiresGrad: true }));
  const out = fn(...xs);
  const w = Float32Array.from({ length: out.size }, (_, i) => Math.sin(i + 1));
  out.backward(tensor(w, { shape: out.shape }));
  return [out.data.slice(), ...xs.map((x) => (x.grad ? x.grad.data.slice() : new Float32Array(x.size)))];
}

function expectAllClose(actual: Float32Array[], expected: Float32Array[], atol = 1e-5, rtol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expectClose(a, expected[i], atol, rtol));
}

/** A boolean mask [rows, cols] with every row keeping at least one `keep` entry. */
function boolMask(rows: number, cols: number, keep: boolean, seed: number): boolean[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (j === (i * 7 + seed) % cols ? keep : Math.sin(seed + i * cols + j) > 0.3 ? !keep : keep)));
}

describe('scaledDotProductAttention', () => {
  for (const backend of ['js', 'native'] as const) {
    it(`equals the composed ops (matmul, softmax, matmul), values and gradients, on ${backend}`, () => {
      setBackend(backend);
      manualSeed(1);
      const [q, k, v] = [randn([2, 3, 5, 4]), randn([2, 3, 7, 4]), randn([2, 3, 7, 6])];
      const mask = randn([3, 1, 7]);
      const cases: [string, (a: Tensor, b: Tensor, c: Tensor) => Tensor, (a: Tensor, b: Tensor, c: Tensor) => Tensor][] = [
        ['plain', (a, b, c) => F.scaledDotProductAttention(a, b, c), (a, b, c) => composedAttention(a, b, c, [], false, 0.5, 0).out],
        ['causal, scale 0.3', (a, b, c) => F.scaledDotProductAttention(a, b, c, { isCausal: true, scale: 0.3 }), (a, b, c) => composedAttention(a, b, c, [], true, 0.3, 0).out],
        ['float mask broadcast over the batch', (a, b, c) => F.scaledDotProductAttention(a, b, c, { attnMask: mask }), (a, b, c) => composedAttention(a, b, c, [mask], false, 0.5, 0).out],
      ];
      for (const [, fused, composed] of cases) expectAllClose(valueAndGrads(fused, [q, k, v]), valueAndGrads(composed, [q, k, v]));
    });

    it(`applies dropout to the probabilities as the composed ops do with the same seed, on ${backend}`, () => {
      setBackend(backend);
      manualSeed(2);
      const [q, k, v] = [randn([2, 6, 4]), randn([2, 6, 4]), randn([2, 6, 3])];
      manualSeed(7);
      const fused = valueAndGrads((a, b, c) => F.scaledDotProductAttention(a, b, c, { dropoutP: 0.3, isCausal: true }), [q, k, v]);
      manualSeed(7);
      const composed = valueAndGrads((a, b, c) => composedAttention(a, b, c, [], true, 0.5, 0.3).out, [q, k, v]);
      expectAllClose(fused, composed);
      manualSeed(8);
      const other = valueAndGrads((a, b, c) => F.scaledDotProductAttention(a, b, c, { dropoutP: 0.3, isCausal: true }), [q, k, v]);
      expect(Array.from(other[0])).not.toEqual(Array.from(fused[0]));
    });
  }

  it('gives the same values and gradients on native and js (4 heads of 64×64, causal, dropout)', () => {
    manualSeed(3);
    const inputs = [randn([2, 4, 64, 32]), randn([2, 4, 64, 32]), randn([2, 4, 64, 32])];
    const run = (backend: string) => {
      setBackend(backend);
      manualSeed(9);
      return valueAndGrads((a, b, c) => F.scaledDotProductAttention(a, b, c, { isCausal: true, dropoutP: 0.1 }), inputs);
    };
    expectAllClose(run('native'), run('js'), 1e-5, 1e-4);
  });

  it('takes a boolean mask as "true = takes part": the same as −Infinity where false', () => {
    manualSeed(4);
    const [q, k, v] = [randn([2, 4, 3]), randn([2, 5, 3]), randn([2, 5, 3])];
    const bools = boolMask(4, 5, true, 1);
    const additive = tensor(bools.map((row) => row.map((b) => (b ? 0 : -Infinity))));
    expectClose(F.scaledDotProductAttention(q, k, v, { attnMask: bools }).data, F.scaledDotProductAttention(q, k, v, { attnMask: additive }).data, 0, 0);
  });

  it('has gradients that match central differences (plain, causal, masked, a float mask that requires grad)', () => {
    manualSeed(5);
    const q = randn([2, 3, 4], { requiresGrad: true });
    const k = randn([2, 5, 4], { requiresGrad: true });
    const v = randn([2, 5, 2], { requiresGrad: true });
    const mask = randn([3, 5], { requiresGrad: true });
    expect(gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c), [q, k, v])).toBe(true);
    expect(gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { isCausal: true }), [q, k, v])).toBe(true);
    expect(gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { attnMask: boolMask(3, 5, true, 2) }), [q, k, v])).toBe(true);
    expect(gradcheck((a, b, c, m) => F.scaledDotProductAttention(a, b, c, { attnMask: m }), [q, k, v, mask])).toBe(true);
    // the same tensor as query, key and value: the three gradients add up
    const x = randn([1, 4, 3], { requiresGrad: true });
    expect(gradcheck((a) => F.scaledDotProductAttention(a, a, a, { isCausal: true }), [x])).toBe(true);
  });

  it('refuses bad inputs, naming the op and the shapes', () => {
    const q = randn([2, 4, 3]);
    expect(() => F.scaledDotProductAttention(q, randn([2, 5, 3]), randn([2, 5, 3]), { isCausal: true, attnMask: randn([4, 5]) }))
      .toThrow("scaledDotProductAttention: attnMask can't be given with isCausal: true (the causal mask is the attention mask)");
    expect(() => F.scaledDotProductAttention(q, randn([3, 5, 3]), randn([3, 5, 3])))
      .toThrow('scaledDotProductAttention: query [2,4,3], key [3,5,3] and value [3,5,3] must have the same batch dimensions (all but the last two)');
    expect(() => F.scaledDotProductAttention(q, randn([2, 5, 2]), randn([2, 5, 3]))).toThrow("scaledDotProductAttention: key's last dimension 2 must equal query's 3");
    expect(() => F.scaledDotProductAttention(q, randn([2, 5, 3]), randn([2, 6, 3]))).toThrow("scaledDotProductAttention: value's length 6 must equal key's 5");
    expect(() => F.scaledDotProductAttention(q, randn([2, 5, 3]), randn([2, 5, 3]), { attnMask: randn([3, 5]) }))
      .toThrow('scaledDotProductAttention: attnMask of shape [3,5] does not broadcast to the scores\' shape [2,4,5]');
    expect(() => F.scaledDotProductAttention(q, randn([2, 5, 3]), randn([2, 5, 3]), { attnMask: [[1, 0]] as never }))
      .toThrow('scaledDotProductAttention: attnMask must be a Tensor (a float mask, added to the scores) or nested arrays of booleans, got an array of number');
    expect(() => F.scaledDotProductAttention(q, q, q, { dropoutP: 1.5 })).toThrow('scaledDotProductAttention: dropoutP must be in [0, 1], got 1.5');
    expect(() => F.scaledDotProductAttention(q, q, q, { causal: true } as never)).toThrow(/scaledDotProductAttention: unknown option 'causal' \(did you mean 'isCausal'\?/);
    expect(() => F.scaledDotProductAttention(randn([3]), q, q)).toThrow('scaledDotProductAttention: query must have at least 2 dimensions [..., length, features], got shape [3]');
  });
});

describe('nn.MultiheadAttention', () => {
  it("has PyTorch's parameters, names and initialization", () => {
    manualSeed(6);
    const m = new nn.MultiheadAttention(16, 4);
    expect(m.namedParameters().map(([n, t]) => [n, t.shape])).toEqual([
      ['inProjWeight', [48, 16]], ['inProjBias', [48]], ['outProj.weight', [16, 16]], ['outProj.bias', [16]],
    ]);
    expect(Array.from(m.inProjBias!.data).every((x) => x === 0)).toBe(true);
    expect(Array.from(m.outProj.bias!.data).every((x) => x === 0)).toBe(true);
    // xavier-uniform over [3E, E]: U(±√(6/(E + 3E)))
    const bound = Math.sqrt(6 / (16 + 48));
    expect(Math.max(...m.inProjWeight.data.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...m.inProjWeight.data.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(new nn.MultiheadAttention(8, 2, { bias: false }).namedParameters().map(([n]) => n)).toEqual(['inProjWeight', 'outProj.weight']);
  });

  it('runs the fused attention op without needWeights, and the same numbers with them', () => {
    manualSeed(7);
    const m = new nn.MultiheadAttention(8, 2);
    const x = randn([5, 3, 8]);
    const [fast, none] = m.forward(x, x, x, { needWeights: false, isCausal: true });
    expect(none).toBeNull();
    const attention = fast.node!.inputs[0].node!;
    expect(attention.op).toBe('scaledDotProductAttention');
    const [slow, weights] = m.forward(x, x, x, { isCausal: true });
    expectClose(fast.data, slow.data, 1e-6, 1e-5);
    expect(weights!.shape).toEqual([3, 5, 5]);
    // causal: nothing above the diagonal, each row sums to 1
    for (let b = 0; b < 3; b++) {
      for (let i = 0; i < 5; i++) {
        const row = Array.from(weights!.data.subarray((b * 5 + i) * 5, (b * 5 + i + 1) * 5));
        expect(row.slice(i + 1).every((p) => p === 0)).toBe(true);
        expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
      }
    }
  });

  it('takes boolean masks as "true = not allowed", the opposite of scaledDotProductAttention', () => {
    manualSeed(8);
    const m = new nn.MultiheadAttention(6, 3, { batchFirst: true });
    const [q, kv] = [randn([2, 4, 6]), randn([2, 5, 6])];
    const blocked = boolMask(4, 5, false, 3);
    const padding = [[false, false, true, false, true], [false, true, false, false, false]];
    const float = (rows: boolean[][]) => tensor(rows.map((r) => r.map((b) => (b ? -Infinity : 0))));
    for (const needWeights of [false, true]) {
      const [a] = m.forward(q, kv, kv, { attnMask: blocked, keyPaddingMask: padding, needWeights });
      const [b] = m.forward(q, kv, kv, { attnMask: float(blocked), keyPaddingMask: float(padding), needWeights });
      expectClose(a.data, b.data, 0, 0);
    }
  });

  it('uses dropout on the weights in training only', () => {
    manualSeed(9);
    const m = new nn.MultiheadAttention(8, 2, { dropout: 0.5 });
    const x = randn([4, 2, 8]);
    const [trained] = m.forward(x, x, x, { needWeights: false });
    m.eval();
    const [evaluated] = m.forward(x, x, x, { needWeights: false });
    const plain = new nn.MultiheadAttention(8, 2);
    plain.loadStateDict(m.stateDict());
    const [reference] = plain.forward(x, x, x, { needWeights: false });
    expect(Array.from(trained.data)).not.toEqual(Array.from(evaluated.data));
    expect(Array.from(evaluated.data)).toEqual(Array.from(reference.data));
  });

  it('has gradients that match central differences (self and cross attention, masks, weights, unbatched)', () => {
    manualSeed(10);
    const m = new nn.MultiheadAttention(4, 2);
    const params = m.parameters();
    const x = randn([3, 2, 4], { requiresGrad: true });
    const kv = randn([4, 2, 4], { requiresGrad: true });
    const padding = [[false, true, false, false], [false, false, false, true]];
    expect(gradcheck((a) => m.forward(a, a, a, { needWeights: false, isCausal: true })[0], [x, ...params])).toBe(true);
    expect(gradcheck((a, b) => m.forward(a, b, b, { needWeights: false, keyPaddingMask: padding })[0], [x, kv, ...params])).toBe(true);
    expect(gradcheck((a, b) => m.forward(a, b, b, { keyPaddingMask: padding })[1]!, [x, kv, ...params])).toBe(true);
    const unbatched = randn([3, 4], { requiresGrad: true });
    expect(gradcheck((a) => m.forward(a, a, a, { needWeights: false })[0], [unbatched])).toBe(true);
  });

  it('refuses bad arguments with clear messages', () => {
    expect(() => new nn.MultiheadAttention(128, 3)).toThrow('MultiheadAttention: embedDim 128 must be divisible by numHeads 3');
    expect(() => new nn.MultiheadAttention(0, 1)).toThrow('MultiheadAttention: embedDim must be a positive integer, got 0');
    expect(() => new nn.MultiheadAttention(8, 2, { droput: 0.1 } as never)).toThrow(/MultiheadAttention: unknown option 'droput' \(did you mean 'dropout'\?/);
    const m = new nn.MultiheadAttention(8, 2);
    const x = randn([5, 2, 8]);
    expect(() => m.forward(randn([5, 2, 6]), x, x)).toThrow('MultiheadAttention(8, 2): expected query [L, N, E] or unbatched [L, E] with E = 8, got shape [5,2,6]');
    expect(() => m.forward(x, randn([5, 8]), randn([5, 8]))).toThrow("MultiheadAttention(8, 2): expected key of query's rank 3 with last dimension 8, got shape [5,8]");
    expect(() => m.forward(x, x, randn([4, 2, 8]))).toThrow("MultiheadAttention(8, 2): expected value of key's shape [5,2,8], got shape [4,2,8]");
    expect(() => m.forward(x, randn([5, 3, 8]), randn([5, 3, 8]))).toThrow('MultiheadAttention(8, 2): query [5,2,8] and key [5,3,8] must have the same batch size (dimension 1)');
    expect(() => m.forward(x, x, x, { attnMask: randn([5, 4]) })).toThrow('MultiheadAttention(8, 2): attnMask of shape [5,4] must be [L, S] = [5,5] or [N·numHeads, L, S] = [4,5,5]');
    expect(() => m.forward(x, x, x, { keyPaddingMask: randn([5, 2]) })).toThrow('MultiheadAttention(8, 2): keyPaddingMask of shape [5,2] must be [N, S] = [2,5]');
    expect(() => m.forward(x, x, x, { needWeight: false } as never)).toThrow(/unknown option 'needWeight' \(did you mean 'needWeights'\?/);
  });
});

describe('nn.TransformerEncoderLayer and nn.TransformerEncoder', () => {
  it("have PyTorch's submodule and parameter names; the encoder's layers are copies of the layer", () => {
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    expect(layer.namedChildren().map(([n]) => n)).toEqual(['selfAttn', 'linear1', 'dropout', 'linear2', 'norm1', 'norm2', 'dropout1', 'dropout2']);
    const encoder = new nn.TransformerEncoder(layer, 3, { norm: new nn.LayerNorm(8) });
    const names = Object.keys(encoder.stateDict());
    expect(names.slice(0, 3)).toEqual(['layers.0.selfAttn.inProjWeight', 'layers.0.selfAttn.inProjBias', 'layers.0.selfAttn.outProj.weight']);
    expect(names.filter((n) => n.endsWith('linear1.weight'))).toEqual(['layers.0.linear1.weight', 'layers.1.linear1.weight', 'layers.2.linear1.weight']);
    expect(names.slice(-2)).toEqual(['norm.weight', 'norm.bias']);
    const dict = encoder.stateDict();
    expect(Array.from(dict['layers.2.linear1.weight'].data)).toEqual(Array.from(layer.linear1.weight.data));
    expect(dict['layers.1.linear1.weight'].data).not.toBe(dict['layers.2.linear1.weight'].data);
  });

  it('has gradients that match central differences (post-norm relu with masks, pre-norm gelu causal)', () => {
    manualSeed(11);
    const post = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0 });
    const pre = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, activation: 'gelu', normFirst: true, batchFirst: true });
    const x = randn([3, 2, 4], { requiresGrad: true });
    const padding = [[false, false, true], [false, false, false]];
    const srcMask = [[false, true, false], [false, false, true], [true, false, false]];
    expect(gradcheck((a) => post.forward(a, { srcKeyPaddingMask: padding, srcMask }), [x, ...post.parameters()])).toBe(true);
    expect(gradcheck((a) => pre.forward(a, { isCausal: true }), [x, ...pre.parameters()])).toBe(true);
  });

  it('refuses bad options', () => {
    expect(() => new nn.TransformerEncoderLayer(8, 2, { activation: 'tanh' as never })).toThrow("TransformerEncoderLayer: activation must be one of 'relu', 'gelu', got \"tanh\"");
    expect(() => new nn.TransformerEncoderLayer(8, 3)).toThrow('MultiheadAttention: embedDim 8 must be divisible by numHeads 3');
    expect(() => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2), 0)).toThrow('TransformerEncoder: numLayers must be an integer ≥ 1, got 0');
    expect(() => new nn.TransformerEncoder(new nn.Linear(2, 2) as never, 1)).toThrow('TransformerEncoder: encoderLayer must be a TransformerEncoderLayer, got object');
  });
});

describe('CharGPT', () => {
  it('has 823,381 parameters at vocab 85, context 64, width 128, 4 layers of 4 heads (as the PyTorch model)', () => {
    const m = new CharGPT(85, { context: 64, width: 128, layers: 4, heads: 4 });
    expect(m.parameters().reduce((n, p) => n + p.size, 0)).toBe(823381);
  });

  it('maps ids [B, T] to logits [B, T, vocab]; a position sees only itself and the past', () => {
    manualSeed(12);
    const m = new CharGPT(11, { context: 6, width: 8, layers: 2, heads: 2 }).eval();
    const ids = tensor([[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]]);
    const logits = noGrad(() => m.forward(ids));
    expect(logits.shape).toEqual([2, 5, 11]);
    const changed = noGrad(() => m.forward(tensor([[1, 2, 3, 9, 5], [5, 4, 3, 2, 1]])));
    expect(Array.from(changed.data.subarray(0, 3 * 11))).toEqual(Array.from(logits.data.subarray(0, 3 * 11)));
    expect(Array.from(changed.data.subarray(3 * 11, 4 * 11))).not.toEqual(Array.from(logits.data.subarray(3 * 11, 4 * 11)));
    expect(() => m.forward(tensor([[1, 2, 3, 4, 5, 6, 7]]))).toThrow('CharGPT: expected ids [batch, length] with 1 ≤ length ≤ context 6, got shape [1,7]');
    expect(() => m.forward(tensor([1, 2]))).toThrow('CharGPT: expected ids [batch, length] with 1 ≤ length ≤ context 6, got shape [2]');
    expect(() => new CharGPT(11, { context: 6, width: 8, layers: 2, heads: 3 })).toThrow('CharGPT: width 8 must be divisible by heads 3');
    expect(() => new CharGPT(11, { context: 6, width: 8, heads: 2 } as never)).toThrow('CharGPT: layers is required');
  });

  it('is rebuilt by loadModel (and so are MultiheadAttention, TransformerEncoderLayer and TransformerEncoder)', () => {
    manualSeed(13);
    const dir = mkdtempSync(join(tmpdir(), 'nabla-attention-'));
    const x = randn([2, 3, 8]);
    type Run = (m: never) => Tensor;
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 12, activation: 'gelu', normFirst: true, layerNormEps: 1e-3 });
    const models: [string, nn.Module, Run][] = [
      ['gpt', new CharGPT(11, { context: 6, width: 8, layers: 2, heads: 2, dropout: 0.2 }), ((m: CharGPT) => m.forward(tensor([[1, 2, 3], [4, 5, 6]]))) as Run],
      ['mha', new nn.MultiheadAttention(8, 4, { bias: false, batchFirst: true, dropout: 0.1 }), ((m: nn.MultiheadAttention) => m.forward(x, x, x, { needWeights: false })[0]) as Run],
      ['layer', layer, ((m: nn.TransformerEncoderLayer) => m.forward(x, { isCausal: true })) as Run],
      ['encoder', new nn.TransformerEncoder(layer, 2, { norm: new nn.LayerNorm(8, { eps: 1e-4 }) }), ((m: nn.TransformerEncoder) => m.forward(x)) as Run],
    ];
    for (const [name, model, run] of models) {
      for (const p of model.parameters()) p.data.set(randn(p.shape).data);
      const path = join(dir, `${name}.safetensors`);
      saveModel(model, path);
      const loaded = loadModel(path).model;
      expect(loaded.constructor).toBe(model.constructor);
      expect(String(loaded)).toBe(String(model));
      expect(loaded.training).toBe(false);
      const expected = noGrad(() => run(model.eval() as never));
      expect(Array.from(noGrad(() => run(loaded as never)).data)).toEqual(Array.from(expected.data));
    }
  });
});
