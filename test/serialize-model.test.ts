/**
 * saveModel / loadModel: a model rebuilt from its file alone gives the same outputs, for every
 * library module type; custom modules, damaged files and bad options are refused in one line;
 * a failed write (ENOSPC, read-only) leaves the earlier file intact.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fs, { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, nn, randn, rand, Tensor, saveModel, loadModel, noGrad } from '../src/index.js';
import { buildCnn, buildMlp } from '../src/train/models.js';
import { saveCheckpoint } from '../src/train/checkpoint.js';
import { MODULE_TYPES } from '../src/serialize/module-spec.js';
import type { Module } from '../src/nn/module.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-model-file-'));
afterEach(() => vi.restoreAllMocks());

/** Non-trivial BatchNorm statistics: a few forward passes in training mode. */
function warmUp(model: Module, shape: number[]): void {
  noGrad(() => {
    for (let i = 0; i < 3; i++) model.forward(randn(shape).mul(2).add(0.5));
  });
}

function roundTrip(model: Module, inputShape: number[], name: string) {
  const path = join(dir, `${name}.safetensors`);
  saveModel(model, path, { preprocess: { inputShape: inputShape.slice(1), mean: [0.5], std: [2] }, classes: undefined });
  const loaded = loadModel(path);
  const x = randn(inputShape);
  const expected = noGrad(() => model.eval().forward(x));
  const actual = noGrad(() => loaded.model.forward(x));
  expect(loaded.model.training).toBe(false);
  expect(actual.shape).toEqual(expected.shape);
  expect(Array.from(actual.data)).toEqual(Array.from(expected.data));
  expect(String(loaded.model)).toBe(String(model));
  return loaded;
}

describe('saveModel / loadModel', () => {
  it('rebuilds the MLP nabla train makes, with its preprocessing and class names', () => {
    manualSeed(1);
    const model = buildMlp({ inputs: 784, hidden: [32, 16], classes: 10, activation: 'tanh', batchNorm: true });
    warmUp(model, [16, 784]);
    const path = join(dir, 'mlp.safetensors');
    const preprocess = { inputShape: [784], mean: [0.1307], std: [0.3081], image: { channels: 1, height: 28, width: 28 } };
    const classes = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    saveModel(model, path, { preprocess, classes });
    const loaded = loadModel(path);
    expect(loaded.preprocess).toEqual(preprocess);
    expect(loaded.classes).toEqual(classes);
    expect(loaded.spec.type).toBe('Sequential');
    expect(loaded.spec.children?.map((c) => c.type)).toEqual(['Linear', 'BatchNorm1d', 'Tanh', 'Linear', 'BatchNorm1d', 'Tanh', 'Linear']);
    const x = rand([5, 784]);
    expect(Array.from(noGrad(() => loaded.model.forward(x)).data)).toEqual(Array.from(noGrad(() => model.eval().forward(x)).data));
    expect(Array.from((loaded.model.stateDict()['1.runningMean'] as Tensor).data)).toEqual(Array.from(model.stateDict()['1.runningMean'].data));
  });

  it('rebuilds the CNN', () => {
    manualSeed(2);
    const model = buildCnn({ channels: 1, height: 12, width: 12, filters: [3, 4], classes: 5, activation: 'relu', batchNorm: true });
    warmUp(model, [4, 1, 12, 12]);
    roundTrip(model, [2, 1, 12, 12], 'cnn');
  });

  it('rebuilds every library module type, with non-default options and nested Sequentials', () => {
    manualSeed(3);
    const model = new nn.Sequential(
      new nn.Conv2d(2, 3, [3, 2], { stride: [2, 1], padding: 1, dilation: [1, 2], bias: false }),
      new nn.BatchNorm2d(3, { eps: 1e-3, momentum: 0.3, affine: false }),
      new nn.LeakyReLU(0.2),
      new nn.MaxPool2d(2, { stride: 1, padding: 1 }),
      new nn.AvgPool2d([2, 1], { padding: [1, 0] }),
      new nn.Sequential(new nn.ELU(0.7), new nn.GELU(), new nn.Dropout(0.3)),
      new nn.Flatten(1, -1),
      new nn.Linear(96, 8, { bias: false }),
      new nn.LayerNorm(8, { eps: 1e-3 }),
      new nn.BatchNorm1d(8, { trackRunningStats: false }),
      new nn.Sigmoid(),
      new nn.Linear(8, 6),
      new nn.ReLU(),
      new nn.Softmax(-1),
      new nn.LogSoftmax(1),
    );
    warmUp(model, [4, 2, 9, 7]);
    const loaded = roundTrip(model, [3, 2, 9, 7], 'every-layer');
    const types = new Set<string>();
    const visit = (s: { type: string; children?: unknown[] }) => {
      types.add(s.type);
      (s.children as typeof s[] | undefined)?.forEach(visit);
    };
    visit(loaded.spec);
    // Tanh is in the MLP above, the embeddings (integer ids in) in test/nn-embedding.test.ts, the text models
    // (SparseLogistic, BagClassifier) in test/cli-text.test.ts's evaluate and predict, the recurrent layers (they return
    // [output, state]) in test/nn-recurrent.test.ts and CharRNN in test/text-char-rnn.test.ts, attention and the
    // transformer blocks (several inputs, or ids) and CharGPT in test/nn-attention.test.ts; every other registered type is here.
    expect(Object.keys(MODULE_TYPES).filter((t) => !types.has(t)).sort()).toEqual([
      'BagClassifier', 'CharGPT', 'CharRNN', 'Embedding', 'EmbeddingBag', 'GRU', 'LSTM', 'MultiheadAttention', 'RNN', 'SparseLogistic', 'Tanh',
      'TransformerEncoder', 'TransformerEncoderLayer',
    ]);
    expect(loaded.spec.children?.[0].config).toMatchObject({ kernelSize: [3, 2], stride: [2, 1], padding: [1, 1], dilation: [1, 2], bias: false });
  });

  it("refuses a custom module, naming its type and where it is", () => {
    class Doubler extends nn.Module {
      forward(x: Tensor) {
        return x.mul(2);
      }
    }
    const model = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.ReLU(), new Doubler()));
    const path = join(dir, 'custom.safetensors');
    expect(() => saveModel(model, path)).toThrow(/saveModel: module '1\.1' is a Doubler, which can't be rebuilt from a file; only the library's modules can \(Sequential, Linear/);
    class MyLinear extends nn.Linear {}
    expect(() => saveModel(new MyLinear(2, 2), path)).toThrow(/saveModel: the model is a MyLinear/);
    expect(readdirSync(dir)).not.toContain('custom.safetensors');
  });

  it('refuses bad preprocessing and class names, naming the option', () => {
    const model = new nn.Linear(4, 3);
    const path = join(dir, 'bad-options.safetensors');
    expect(() => saveModel(model, path, { preprocess: { inputShape: [4], mean: [0, 1], std: [1] } })).toThrow(/saveModel: preprocess\.mean must be 1 or 4 finite numbers/);
    expect(() => saveModel(model, path, { preprocess: { inputShape: [4], mean: [0], std: [0] } })).toThrow(/saveModel: preprocess\.std must be positive/);
    expect(() => saveModel(model, path, { preprocess: { inputShape: [0], mean: [0], std: [1] } })).toThrow(/saveModel: preprocess\.inputShape/);
    expect(() => saveModel(model, path, { classes: ['a', 3] as never })).toThrow(/saveModel: classes must be a non-empty list of strings/);
  });

  it('refuses a damaged, truncated or foreign file in one line naming it', () => {
    manualSeed(4);
    const path = join(dir, 'intact.safetensors');
    saveModel(new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU()), path, { classes: ['a', 'b', 'c', 'd'] });
    const bytes = readFileSync(path);
    const altered = Uint8Array.from(bytes);
    altered[altered.length - 3] ^= 0x40;
    writeFileSync(join(dir, 'altered.safetensors'), altered);
    expect(() => loadModel(join(dir, 'altered.safetensors'))).toThrow(/^model file .*altered\.safetensors: corrupted \(checksum mismatch\)$/);
    writeFileSync(join(dir, 'truncated.safetensors'), bytes.subarray(0, bytes.length - 10));
    expect(() => loadModel(join(dir, 'truncated.safetensors'))).toThrow(/truncated\.safetensors: truncated/);
    saveCheckpoint(join(dir, 'checkpoint.safetensors'), { step: 1 });
    expect(() => loadModel(join(dir, 'checkpoint.safetensors'))).toThrow(/not a nabla model file \(format "nabla-checkpoint\/2".*a training checkpoint/);
    expect(() => loadModel(join(dir, 'missing.safetensors'))).toThrow(/missing\.safetensors: cannot be read \(ENOENT\)/);
  });

  it('leaves the earlier file intact when the disk is full or the folder read-only', () => {
    manualSeed(5);
    const path = join(dir, 'kept.safetensors');
    const first = new nn.Linear(64, 64);
    saveModel(first, path);
    const before = readFileSync(path);
    const second = new nn.Linear(64, 64);
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    let calls = 0;
    const realWrite = fs.writeSync;
    vi.spyOn(fs, 'writeSync').mockImplementation(((...args: Parameters<typeof fs.writeSync>) => {
      if (++calls > 1) throw enospc;
      return (realWrite as (...a: unknown[]) => number)(...args);
    }) as typeof fs.writeSync);
    expect(() => saveModel(second, path)).toThrow(/^saveModel: cannot write .*kept\.safetensors \(ENOSPC\); nothing was changed there$/);
    vi.restoreAllMocks();
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    vi.spyOn(fs, 'openSync').mockImplementation(() => {
      throw Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS' });
    });
    expect(() => saveModel(second, path)).toThrow(/cannot write .*kept\.safetensors \(EROFS\)/);
    vi.restoreAllMocks();
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(Array.from(loadModel(path).model.stateDict().weight.data)).toEqual(Array.from(first.weight.data));
  });
});
