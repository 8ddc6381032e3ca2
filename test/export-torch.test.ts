/**
 * The PyTorch export and import against real PyTorch (/usr/bin/python3 with torch; a missing torch
 * fails these tests): nabla → model.py + model.safetensors → PyTorch gives nabla's outputs; PyTorch
 * trains → safetensors → loadTorchStateDict gives PyTorch's outputs; and examples/ddp/train_ddp.py
 * trains an export on 2 processes with DistributedDataParallel, whose weights come back to nabla.
 *
 * Python starts twice (the machine is slow): once for every export and import check
 * (test/python/torch_check.py), once for the DDP example.
 * Closeness: max |nabla − torch| / max |torch| over a model's outputs ≤ 1e-5.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { concat, data, exportTorch, loadTorchStateDict, manualSeed, nn, noGrad, rand, saveTorchExport, Tensor, type Preprocess } from '../src/index.js';
import { buildCnn, buildMlp, type MlpSpec } from '../src/train/models.js';
import { standardize } from '../src/serialize/preprocess.js';
import { decodeSafetensors, encodeSafetensors } from '../src/train/safetensors.js';
import { torchStateDict, toTorchName } from '../src/export/torch/index.js';
import { CharGPT } from '../src/text/char-gpt.js';
import { CharRNN, type CharRnnCell } from '../src/text/char-rnn.js';

const PYTHON = '/usr/bin/python3';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MNIST: Preprocess = { inputShape: [784], mean: [0.1307], std: [0.3081], image: { channels: 1, height: 28, width: 28 } };
const MNIST_IMAGE: Preprocess = { ...MNIST, inputShape: [1, 28, 28] };
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const MLP: MlpSpec = { inputs: 784, hidden: [32, 16], classes: 10, activation: 'relu', batchNorm: true };
const CNN = { channels: 1, height: 28, width: 28, filters: [4, 8], classes: 10, activation: 'relu' as const, batchNorm: true };

const work = mkdtempSync(join(tmpdir(), 'nabla-torch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function python(args: string[], timeout: number): string {
  const run = spawnSync(PYTHON, args, { encoding: 'utf8', timeout, cwd: ROOT, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (run.error) throw new Error(`${PYTHON} did not run (${run.error.message}); these tests need Python 3 with torch (Debian: python3-torch)`);
  if (run.status !== 0) throw new Error(`${PYTHON} ${args.join(' ')} exited with ${run.status}:\n${run.stderr}`);
  return run.stdout;
}

function readTensors(path: string): Record<string, Tensor> {
  const { tensors } = decodeSafetensors(readFileSync(path), path);
  const floats = Object.entries(tensors).filter(([, t]) => t.data instanceof Float32Array);
  return Object.fromEntries(floats.map(([k, t]) => [k, new Tensor(t.data as Float32Array, t.shape)]));
}

function writeTensors(path: string, tensors: Record<string, Tensor>): void {
  const stored = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, { data: t.data, shape: t.shape }]));
  writeFileSync(path, Buffer.concat(encodeSafetensors(stored, {})));
}

/** max |a − b| / max |b|. */
function relativeError(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.size; i++) {
    diff = Math.max(diff, Math.abs(a.data[i] - b.data[i]));
    scale = Math.max(scale, Math.abs(b.data[i]));
  }
  // An all-zero output compares nothing: a case must be built so that it is not.
  expect(scale, 'the reference output is all zeros').toBeGreaterThan(0);
  return diff / scale;
}

/** A recurrent layer's [output, h] or [output, [h, c]] as one tensor, each part flattened (torch_check.py's flat). */
function flat(y: Tensor | (Tensor | Tensor[])[]): Tensor {
  if (y instanceof Tensor) return y;
  return concat(y.flat().map((t) => t.reshape([-1])));
}

/** The model's eval output on raw input (standardized first, as model.py's forward does). */
function evalRaw(model: nn.Module, raw: Tensor, preprocess: Preprocess | null): Tensor {
  const x = new Tensor(Float32Array.from(raw.data), raw.shape.slice());
  if (preprocess) standardize(preprocess, x.data);
  model.eval();
  return noGrad(() => flat(model.forward(x)));
}

/** Moves BatchNorm's running statistics and affine parameters away from their initial values. */
function perturbBatchNorms(model: nn.Module, inputShape: number[], preprocess: Preprocess): void {
  model.train();
  for (let i = 0; i < 3; i++) {
    const x = rand([16, ...inputShape]);
    standardize(preprocess, x.data);
    noGrad(() => model.forward(x));
  }
  for (const m of model.modules()) {
    if (m instanceof nn.BatchNorm1d || m instanceof nn.BatchNorm2d) {
      for (const p of [m.weight, m.bias]) if (p) p.data.set(rand(p.shape).mul(0.5).add(0.75).data);
    }
  }
  model.eval();
}

class Identity extends nn.Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** One model with every layer type and option the MLP and CNN leave out. */
function buildZoo(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(3, 6, [3, 5], { stride: [1, 2], padding: [1, 2], dilation: [2, 1], bias: false }), // [N,6,10,6]
    new nn.BatchNorm2d(6, { eps: 1e-3, momentum: 0.2 }),
    new nn.LeakyReLU(0.1),
    new nn.AvgPool2d(3, { stride: 2, padding: 1 }), // [N,6,5,3]
    new nn.Sequential(
      new nn.Conv2d(6, 4, 3, { padding: 1 }),
      new nn.MaxPool2d(2, { stride: 1, padding: 1 }), // [N,4,6,4]
      new nn.ELU(0.7),
    ),
    new nn.Flatten(2, 3), // [N,4,24]
    new nn.BatchNorm1d(4, { affine: false }),
    new nn.Dropout(0.3),
    new nn.Flatten(),
    new nn.Linear(96, 16),
    new nn.BatchNorm1d(16, { trackRunningStats: false }),
    new nn.GELU(),
    new nn.Linear(16, 12, { bias: false }),
    new nn.Sigmoid(),
    new nn.Linear(12, 8),
    new nn.Tanh(),
    new nn.Linear(8, 5),
    new nn.Softmax(-1),
    new nn.LogSoftmax(1),
  );
}

interface ExportReport {
  stateDict: [string, string, number[]][];
  file: [string, string, number[]][];
  classes: string[] | null;
  preprocess: Record<string, unknown> | null;
  training: boolean;
  imports: string[];
  repr: string;
  vocabulary: string[] | null;
  context: number | null;
  encoded: number[][] | null;
  decoded: string | null;
}

interface Report {
  torch: string;
  exports: Record<string, ExportReport>;
  reverse: Record<'mlp' | 'cnn', { losses: number[]; keys: string[]; batchesTracked: number[] }>;
}

/** The nabla models exported, their raw inputs and nabla's outputs. */
const cases: Record<string, {
  model: nn.Module; preprocess: Preprocess | null; classes?: string[]; input: Tensor; output?: Tensor;
  /** The input is integer ids, written as int64. */
  ids?: boolean;
  /** PyTorch also writes its state dict back, which loadTorchStateDict loads into this fresh model. */
  rebuild?: () => nn.Module;
}> = {};

/** Ids [n, l] in [0, num), as a float tensor of integers (nabla's Embedding takes it). */
function idsTensor(n: number, l: number, num: number): Tensor {
  return new Tensor(Float32Array.from({ length: n * l }, (_, i) => (i * 37 + 5) % num), [n, l]);
}

const buildEmbedding = () => new nn.Sequential(new nn.Embedding(50, 8), new nn.Flatten(), new nn.Linear(8 * 6, 3));
const buildBag = () => new nn.Sequential(new nn.EmbeddingBag(50, 8, { mode: 'mean' }), new nn.Linear(8, 3));
const buildBagPadded = () => new nn.Sequential(new nn.EmbeddingBag(50, 8, { mode: 'sum', paddingIdx: 2, sparse: true }), new nn.Linear(8, 3));
// Recurrent layers as the model itself (they return [output, state]: no Sequential around them), every option.
const buildLstm = () => new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, dropout: 0.2 });
const buildGru = () => new nn.GRU(3, 5, { batchFirst: true, bias: false });
const buildRnn = () => new nn.RNN(3, 4, { nonlinearity: 'relu', numLayers: 2 });
// The character language models (model.py defines CharGPT / CharRNN), ids [B, T] → logits [B, T, V].
const CHARS = ['', '\n', ' ', 'a', 'b', 'c', 'é', '😀'];
const CHAR_PREPROCESS: Preprocess = { inputShape: [8], mean: [0], std: [1], characters: { context: 8 } };
const buildGpt = () => new CharGPT(CHARS.length, { context: 8, width: 16, layers: 2, heads: 4, dropout: 0.2 });
const buildCharRnn = (cell: CharRnnCell) => () => new CharRNN(CHARS.length, { cell, width: 6, layers: 2, dropout: 0.1 });
/** Moves every parameter off its initial value (zero biases, unit LayerNorm weights). */
function perturb(model: nn.Module): nn.Module {
  for (const p of model.parameters()) p.data.set(rand(p.shape).sub(0.5).mul(0.4).add(p).data);
  return model;
}
let report: Report;
const largest = { toTorch: 0, fromTorch: 0 };

beforeAll(() => {
  manualSeed(7);
  const mlp = buildMlp(MLP);
  perturbBatchNorms(mlp, [784], MNIST);
  const cnn = buildCnn(CNN);
  perturbBatchNorms(cnn, [1, 28, 28], MNIST_IMAGE);
  const zooPreprocess: Preprocess = { inputShape: [3, 12, 12], mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] };
  const zoo = buildZoo();
  perturbBatchNorms(zoo, [3, 12, 12], zooPreprocess);
  cases.mlp = { model: mlp, preprocess: MNIST, classes: DIGITS, input: rand([8, 784]) };
  cases.cnn = { model: cnn, preprocess: MNIST_IMAGE, classes: DIGITS, input: rand([8, 1, 28, 28]) };
  cases.zoo = { model: zoo, preprocess: zooPreprocess, classes: ['a', 'b', 'c', 'd', "e's \"é\" 😀"], input: rand([4, 3, 12, 12]) };
  cases.plain = { model: new nn.Sequential(new nn.Linear(3, 2)), preprocess: null, input: rand([2, 3]) };
  // LayerNorm over two trailing dimensions with its affine, and over one without.
  const layerNorms = new nn.Sequential(new nn.LayerNorm([3, 4], { eps: 1e-3 }), new nn.Flatten(), new nn.Linear(12, 6),
    new nn.LayerNorm(6, { elementwiseAffine: false }), new nn.Tanh(), new nn.Linear(6, 3));
  for (const p of [(layerNorms.at(0) as nn.LayerNorm).weight!, (layerNorms.at(0) as nn.LayerNorm).bias!]) p.data.set(rand(p.shape).mul(0.5).add(0.75).data);
  cases.layerNorm = { model: layerNorms, preprocess: null, input: rand([4, 3, 4]).mul(3) };
  // A root that is not a Sequential (class Model(nn.Linear)), standardized per feature.
  cases.linear = { model: new nn.Linear(4, 3), preprocess: { inputShape: [4], mean: [1, 2, 3, 4], std: [0.5, 1, 2, 4] }, input: rand([5, 4]).mul(8) };
  // Integer ids in: an Embedding, an EmbeddingBag (2-D ids, mean; with an identity preprocess, which
  // must not turn the ids into floats) and one with paddingIdx (a nonzero padding row, left out of the sum).
  cases.embedding = { model: buildEmbedding(), preprocess: null, input: idsTensor(4, 6, 50), ids: true, rebuild: buildEmbedding };
  cases.bag = { model: buildBag(), preprocess: { inputShape: [7], mean: [0], std: [1] }, input: idsTensor(5, 7, 50), ids: true, rebuild: buildBag };
  const padded = buildBagPadded();
  (padded.at(0) as nn.EmbeddingBag).weight.data.set(rand([50, 8]).data);
  cases.bagPadded = { model: padded, preprocess: null, input: idsTensor(5, 7, 50), ids: true, rebuild: buildBagPadded };
  cases.lstm = { model: buildLstm(), preprocess: null, input: rand([6, 2, 3]), rebuild: buildLstm };
  cases.gru = { model: buildGru(), preprocess: null, input: rand([2, 6, 3]), rebuild: buildGru };
  // ReLU units with default init can all be 0 on a small input (then nothing is compared): positive weights keep them on.
  const rnn = buildRnn();
  for (const p of rnn.parameters()) p.data.set(rand(p.shape).mul(0.5).data);
  cases.rnn = { model: rnn, preprocess: { inputShape: [2, 3], mean: [0.5], std: [2] }, input: rand([4, 2, 3]), rebuild: buildRnn };
  // T = 7 < context 8: the positions and the causal mask are cut to the input's length.
  cases.charGpt = { model: perturb(buildGpt()), preprocess: CHAR_PREPROCESS, classes: CHARS, input: idsTensor(3, 7, CHARS.length), ids: true, rebuild: buildGpt };
  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    const name = `char${cell.toUpperCase()}`;
    cases[name] = { model: perturb(buildCharRnn(cell)()), preprocess: CHAR_PREPROCESS, classes: CHARS, input: idsTensor(3, 8, CHARS.length), ids: true, rebuild: buildCharRnn(cell) };
  }

  const exports = Object.entries(cases).map(([name, c]) => {
    const dir = join(work, name);
    saveTorchExport(dir, c.model, { ...(c.preprocess ? { preprocess: c.preprocess } : {}), ...(c.classes ? { classes: c.classes } : {}) });
    c.output = evalRaw(c.model, c.input, c.preprocess);
    const input = join(work, `${name}-in.safetensors`);
    if (c.ids) writeFileSync(input, Buffer.concat(encodeSafetensors({ x: { data: BigInt64Array.from(c.input.data, BigInt), shape: c.input.shape } }, {})));
    else writeTensors(input, { x: c.input });
    return { name, dir, input, output: join(work, `${name}-out.safetensors`), ...(c.rebuild ? { state: join(work, `${name}-state.safetensors`) } : {}) };
  });
  mkdirSync(join(work, 'reverse'));
  const job = join(work, 'job.json');
  writeFileSync(job, JSON.stringify({ exports, reverse: { dir: join(work, 'reverse') } }));
  report = JSON.parse(python([join(ROOT, 'test/python/torch_check.py'), job], 120_000)) as Report;
}, 180_000);

describe('nabla → PyTorch (exportTorch, saveTorchExport)', () => {
  for (const name of ['mlp', 'cnn', 'zoo', 'plain', 'layerNorm', 'linear', 'embedding', 'bag', 'bagPadded', 'lstm', 'gru', 'rnn', 'charGpt', 'charLSTM', 'charGRU', 'charRNN']) {
    it(`${name}: PyTorch's load_model gives nabla's eval outputs on the same raw input (1e-5 relative)`, () => {
      const torchOut = readTensors(join(work, `${name}-out.safetensors`)).y;
      const err = relativeError(cases[name].output!, torchOut);
      largest.toTorch = Math.max(largest.toTorch, err);
      expect(err, `${name}: relative error ${err}`).toBeLessThanOrEqual(1e-5);
      expect(report.exports[name].training).toBe(false);
    });
  }

  it("writes PyTorch's state-dict names, num_batches_tracked as int64, and PyTorch's module agrees", () => {
    const bn = (i: number, c: number): [string, string, number[]][] => [
      [`${i}.weight`, 'torch.float32', [c]], [`${i}.bias`, 'torch.float32', [c]], [`${i}.running_mean`, 'torch.float32', [c]],
      [`${i}.running_var`, 'torch.float32', [c]], [`${i}.num_batches_tracked`, 'torch.int64', []],
    ];
    const expected: [string, string, number[]][] = [
      ['0.weight', 'torch.float32', [32, 784]], ['0.bias', 'torch.float32', [32]], ...bn(1, 32),
      ['3.weight', 'torch.float32', [16, 32]], ['3.bias', 'torch.float32', [16]], ...bn(4, 16),
      ['6.weight', 'torch.float32', [10, 16]], ['6.bias', 'torch.float32', [10]],
    ];
    expect(report.exports.mlp.file).toEqual(expected);
    expect(report.exports.mlp.stateDict).toEqual(expected);
    // The zoo: a BatchNorm without affine has no weight/bias, one without running stats no buffers at all.
    const zooKeys = report.exports.zoo.file.map(([k]) => k);
    expect(zooKeys).toEqual(report.exports.zoo.stateDict.map(([k]) => k));
    expect(zooKeys).toEqual([
      '0.weight', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '4.0.weight', '4.0.bias',
      '6.running_mean', '6.running_var', '6.num_batches_tracked', '9.weight', '9.bias', '10.weight', '10.bias', '12.weight', '14.weight', '14.bias', '16.weight', '16.bias',
    ]);
    const { tensors } = decodeSafetensors(Buffer.concat(exportTorch(cases.mlp.model).weights), 'export');
    expect(tensors['1.num_batches_tracked'].data).toEqual(new BigInt64Array([0n]));
  });

  it('model.py imports only torch and the standard library, and carries CLASSES and PREPROCESS', () => {
    for (const r of Object.values(report.exports)) expect(r.imports).toEqual(['json', 'os', 'struct', 'sys', 'torch']);
    expect(report.exports.mlp.classes).toEqual(DIGITS);
    expect(report.exports.mlp.preprocess).toEqual({ input_shape: [784], mean: [0.1307], std: [0.3081], image: { channels: 1, height: 28, width: 28 } });
    expect(report.exports.zoo.classes).toEqual(cases.zoo.classes);
    expect(report.exports.plain.classes).toBeNull();
    expect(report.exports.plain.preprocess).toBeNull();
    expect(report.exports.linear.stateDict.map(([k]) => k)).toEqual(['weight', 'bias']);
    expect(report.exports.zoo.repr).toContain('Conv2d(3, 6, kernel_size=(3, 5), stride=(1, 2), padding=(1, 2), dilation=(2, 1), bias=False)');
    expect(report.exports.zoo.repr).toContain('AvgPool2d(kernel_size=3, stride=2, padding=1)');
    expect(report.exports.zoo.repr).toContain('BatchNorm1d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=False)');
    const { modelPy } = exportTorch(cases.mlp.model, { preprocess: MNIST, classes: DIGITS });
    expect(modelPy).toMatch(/^"""A nabla model for PyTorch[^]*Written by nabla's exportTorch/);
    expect(modelPy).toContain('def build_model():\n');
    expect(modelPy).toContain('        nn.BatchNorm1d(32, eps=0.00001, momentum=0.1),\n');
  });

  it('LayerNorm: nn.LayerNorm with normalized_shape, eps and elementwise_affine, weight and bias named as in nabla', () => {
    expect(report.exports.layerNorm.repr).toContain('(0): LayerNorm((3, 4), eps=0.001, elementwise_affine=True)');
    expect(report.exports.layerNorm.repr).toContain('(3): LayerNorm((6,), eps=1e-05, elementwise_affine=False)');
    expect(report.exports.layerNorm.file).toEqual([
      ['0.weight', 'torch.float32', [3, 4]], ['0.bias', 'torch.float32', [3, 4]], ['2.weight', 'torch.float32', [6, 12]], ['2.bias', 'torch.float32', [6]],
      ['5.weight', 'torch.float32', [3, 6]], ['5.bias', 'torch.float32', [3]],
    ]);
    expect(report.exports.layerNorm.stateDict).toEqual(report.exports.layerNorm.file);
    expect(exportTorch(cases.layerNorm.model).modelPy).toContain('        nn.LayerNorm((3, 4), eps=0.001),\n');
  });

  it('Embedding and EmbeddingBag: nn.Embedding/nn.EmbeddingBag with padding_idx, sparse and mode, weight named weight, int64 ids used as they are', () => {
    expect(report.exports.embedding.repr).toContain('(0): Embedding(50, 8)');
    expect(report.exports.bag.repr).toContain("(0): EmbeddingBag(50, 8, mode=mean)");
    expect(report.exports.bagPadded.repr).toContain("(0): EmbeddingBag(50, 8, mode=sum, padding_idx=2)");
    expect(report.exports.embedding.file).toEqual([['0.weight', 'torch.float32', [50, 8]], ['2.weight', 'torch.float32', [3, 48]], ['2.bias', 'torch.float32', [3]]]);
    expect(report.exports.bag.stateDict.map(([k]) => k)).toEqual(['0.weight', '1.weight', '1.bias']);
    expect(report.exports.bag.preprocess).toEqual({ input_shape: [7], mean: [0], std: [1] });
    const bagPy = exportTorch(cases.bagPadded.model).modelPy;
    expect(bagPy).toContain("nn.EmbeddingBag(50, 8, mode='sum', padding_idx=2, sparse=True),");
    expect(bagPy).toContain('INPUT_IDS = True');
    expect(exportTorch(cases.mlp.model).modelPy).toContain('INPUT_IDS = False');
    expect(() => exportTorch(cases.bag.model, { preprocess: { inputShape: [7], mean: [0.5], std: [2] } })).toThrow(
      /^exportTorch: the model's first module is an EmbeddingBag, which takes integer ids; preprocess standardizes float input \(mean \[0\.5\], std \[2\]\)/,
    );
  });

  it("RNN, LSTM and GRU: nn.RNN/nn.LSTM/nn.GRU with every option, PyTorch's state-dict names; refused inside a Sequential", () => {
    expect(report.exports.lstm.repr).toBe('Model(3, 4, num_layers=2, dropout=0.2, bidirectional=True)');
    expect(report.exports.gru.repr).toBe('Model(3, 5, bias=False, batch_first=True)');
    expect(report.exports.rnn.repr).toBe('Model(3, 4, num_layers=2)');
    expect(exportTorch(cases.rnn.model).modelPy).toContain("return Model(3, 4, num_layers=2, nonlinearity='relu')");
    expect(report.exports.lstm.file.map(([k]) => k)).toEqual(report.exports.lstm.stateDict.map(([k]) => k));
    expect(report.exports.lstm.file.slice(0, 5)).toEqual([
      ['weight_ih_l0', 'torch.float32', [16, 3]], ['weight_hh_l0', 'torch.float32', [16, 4]], ['bias_ih_l0', 'torch.float32', [16]],
      ['bias_hh_l0', 'torch.float32', [16]], ['weight_ih_l0_reverse', 'torch.float32', [16, 3]],
    ]);
    expect(report.exports.lstm.file.at(-1)).toEqual(['bias_hh_l1_reverse', 'torch.float32', [16]]);
    expect(report.exports.gru.stateDict).toEqual([['weight_ih_l0', 'torch.float32', [15, 3]], ['weight_hh_l0', 'torch.float32', [15, 5]]]);
    expect(() => exportTorch(new nn.Sequential(new nn.GRU(2, 2)))).toThrow(
      "exportTorch: module '0' (GRU) returns [output, state], which a Sequential cannot pass on; export the GRU as the model itself",
    );
  });

  it("CharGPT and CharRNN: model.py defines the class, PyTorch's module tree and names, the vocabulary with encode/decode", () => {
    const gpt = report.exports.charGpt;
    const nablaNames = (m: nn.Module) => Object.entries(m.stateDict()).map(([k, t]) => [toTorchName(k), 'torch.float32', t.shape]);
    expect(gpt.stateDict).toEqual(nablaNames(cases.charGpt.model));
    expect(gpt.file).toEqual(gpt.stateDict);
    expect(gpt.stateDict.map(([k]) => k).slice(0, 8)).toEqual([
      'token_embedding.weight', 'position_embedding.weight', 'encoder.layers.0.self_attn.in_proj_weight', 'encoder.layers.0.self_attn.in_proj_bias',
      'encoder.layers.0.self_attn.out_proj.weight', 'encoder.layers.0.self_attn.out_proj.bias', 'encoder.layers.0.linear1.weight', 'encoder.layers.0.linear1.bias',
    ]);
    expect(gpt.repr).toContain('(encoder): TransformerEncoder(');
    expect(gpt.repr).toContain('(self_attn): MultiheadAttention(');
    expect(gpt.repr).toContain('(out_proj): NonDynamicallyQuantizableLinear(in_features=16, out_features=16, bias=True)');
    expect(gpt.repr).toContain('(norm): LayerNorm((16,), eps=1e-05, elementwise_affine=True)');
    expect(gpt.repr).toContain('(head): Linear(in_features=16, out_features=8, bias=True)');
    expect(exportTorch(cases.charGpt.model, { preprocess: CHAR_PREPROCESS, classes: CHARS }).modelPy).toContain(
      'return Model(8, context=8, width=16, layers=2, heads=4, dropout=0.2)',
    );
    expect(report.exports.charLSTM.repr).toContain('(rnn): LSTM(6, 6, num_layers=2, batch_first=True, dropout=0.1)');
    expect(report.exports.charGRU.repr).toContain('(rnn): GRU(6, 6, num_layers=2, batch_first=True, dropout=0.1)');
    expect(report.exports.charRNN.repr).toContain('(rnn): RNN(6, 6, num_layers=2, batch_first=True, dropout=0.1)');
    expect(report.exports.charLSTM.stateDict).toEqual(nablaNames(cases.charLSTM.model));
    expect(report.exports.charLSTM.stateDict.map(([k]) => k)).toEqual([
      'embedding.weight', ...[0, 1].flatMap((l) => ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((w) => `rnn.${w}_l${l}`)), 'fc.weight', 'fc.bias',
    ]);
    for (const name of ['charGpt', 'charLSTM', 'charGRU', 'charRNN']) {
      const r = report.exports[name];
      expect(r.vocabulary).toEqual(CHARS);
      expect(r.classes).toEqual(CHARS);
      expect(r.context).toBe(8);
      expect(r.preprocess).toEqual({ input_shape: [8], mean: [0], std: [1], characters: { context: 8 } });
      // 'ab é😀\n?': '?' is outside the vocabulary (id 0, decoded to nothing), as char-vocab.ts encodes.
      expect(r.encoded).toEqual([[3, 4, 2, 6, 7, 1, 0]]);
      expect(r.decoded).toBe('ab é😀\n');
    }
    expect(report.exports.mlp.vocabulary).toBeNull();
  });

  it('refuses a module without a PyTorch equivalent, naming its type and dotted path', () => {
    const model = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.ReLU(), new Identity()));
    expect(() => exportTorch(model)).toThrow(/^exportTorch: module '1\.1' \(Identity\): a Identity has no PyTorch equivalent/);
    class MyLinear extends nn.Linear {}
    expect(() => exportTorch(new nn.Sequential(new MyLinear(2, 2)))).toThrow(/module '0' \(MyLinear\)/);
    expect(() => exportTorch(new nn.Sequential(new nn.MaxPool2d(2, { padding: 2 })))).toThrow(/module '0' \(MaxPool2d\): padding \[2,2\] is more than half the kernel size/);
    expect(() => saveTorchExport(join(work, 'refused'), model)).toThrow(/Identity/);
    expect(existsSync(join(work, 'refused'))).toBe(false);
  });
});

describe('PyTorch → nabla (loadTorchStateDict)', () => {
  const reverse = () => join(work, 'reverse');

  for (const [name, build, file] of [
    ['mlp', () => buildMlp(MLP), 'mlp'], ['mlp (F64 weights)', () => buildMlp(MLP), 'mlp-f64'], ['cnn', () => buildCnn(CNN), 'cnn'],
  ] as const) {
    it(`${name} trained by PyTorch gives PyTorch's outputs in nabla (1e-5 relative)`, () => {
      const model = build();
      const result = loadTorchStateDict(model, join(reverse(), `${file}.safetensors`));
      expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
      const { x, y } = readTensors(join(reverse(), `${file}-io.safetensors`));
      const err = relativeError(evalRaw(model, x, null), y);
      largest.fromTorch = Math.max(largest.fromTorch, err);
      expect(err, `${name}: relative error ${err}`).toBeLessThanOrEqual(1e-5);
    });
  }

  for (const name of ['embedding', 'bag', 'bagPadded', 'lstm', 'gru', 'rnn', 'charGpt', 'charLSTM', 'charGRU', 'charRNN']) {
    it(`${name}: the state dict PyTorch wrote loads into a fresh nabla model, which gives PyTorch's outputs`, () => {
      manualSeed(99);
      const model = cases[name].rebuild!();
      const result = loadTorchStateDict(model, join(work, `${name}-state.safetensors`));
      expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
      const err = relativeError(evalRaw(model, cases[name].input, cases[name].preprocess), readTensors(join(work, `${name}-out.safetensors`)).y);
      largest.fromTorch = Math.max(largest.fromTorch, err);
      expect(err, `${name}: relative error ${err}`).toBeLessThanOrEqual(1e-5);
    });
  }

  it('ignores num_batches_tracked, which PyTorch counted', () => {
    expect(report.reverse.mlp.batchesTracked).toEqual([5, 5]);
    expect(report.reverse.mlp.keys).toContain('1.num_batches_tracked');
    const losses = report.reverse.cnn.losses;
    expect(losses.every(Number.isFinite)).toBe(true);
  });

  it('wrong shapes, missing and unexpected keys are one Error naming the keys and shapes; nothing is written', () => {
    const file = join(reverse(), 'mlp.safetensors');
    const narrow = buildMlp({ ...MLP, hidden: [32, 20] });
    const before = Object.values(narrow.stateDict()).map((t) => Float32Array.from(t.data));
    expect(() => loadTorchStateDict(narrow, file)).toThrow(
      /^loadTorchStateDict: .*mlp\.safetensors does not fit the model \(Sequential\): '3\.weight' has shape \[16,32\] in the file but \[20,32\] in the model; '3\.bias' has shape \[16\]/,
    );
    Object.values(narrow.stateDict()).forEach((t, i) => expect(t.data).toEqual(before[i]));

    const longer = buildMlp(MLP).append(new nn.ReLU()).append(new nn.Linear(10, 3));
    expect(() => loadTorchStateDict(longer, file)).toThrow(/missing keys '8\.weight' \[3,10\], '8\.bias' \[3\]$/);

    const shorter = new nn.Sequential(...buildMlp(MLP).children().slice(0, 5));
    expect(() => loadTorchStateDict(shorter, file)).toThrow(/unexpected keys '6\.weight' \[10,16\], '6\.bias' \[10\]$/);
    const relaxed = loadTorchStateDict(shorter, file, { strict: false });
    expect(relaxed).toEqual({ missingKeys: [], unexpectedKeys: ['6.weight', '6.bias'] });
    expect(Array.from(shorter.stateDict()['4.runningVar'].data)).toEqual(Array.from(readTensors(file)['4.running_var'].data));
  });

  it('an unreadable, malformed or non-float file is one Error naming it', () => {
    const model = buildMlp(MLP);
    const missing = join(work, 'nope.safetensors');
    expect(() => loadTorchStateDict(model, missing)).toThrow(`loadTorchStateDict: cannot read ${missing} (ENOENT)`);
    const garbage = join(work, 'garbage.safetensors');
    writeFileSync(garbage, 'not a safetensors file at all');
    expect(() => loadTorchStateDict(model, garbage)).toThrow(/^loadTorchStateDict: .*garbage\.safetensors: truncated/);
    const header = (dtype: string, bytes: number) => {
      const json = Buffer.from(JSON.stringify({ '0.weight': { dtype, shape: [2], data_offsets: [0, bytes] } }));
      const size = Buffer.alloc(8);
      size.writeBigUInt64LE(BigInt(json.length));
      return Buffer.concat([size, json, Buffer.alloc(bytes)]);
    };
    const u8 = join(work, 'u8.safetensors');
    writeFileSync(u8, header('U8', 2));
    expect(() => loadTorchStateDict(model, u8)).toThrow(/tensor '0\.weight' has dtype U8, which nabla does not read \(it reads F32, F64, I32, I64, F16, BF16\)/);
    const i64 = join(work, 'i64.safetensors');
    writeFileSync(i64, header('I64', 16));
    expect(() => loadTorchStateDict(model, i64)).toThrow(/tensor '0\.weight' has dtype I64; model weights must be floats/);
    for (const m of [i64, u8, garbage]) expect(() => loadTorchStateDict(model, m)).not.toThrow(/\n/);
  });
});

describe('safetensors dtypes', () => {
  it('round-trips I64 and reads F16 and BF16 as float32', () => {
    const chunks = encodeSafetensors({ n: { data: new BigInt64Array([0n, -3n, 2n ** 40n]), shape: [3] } }, {});
    expect(decodeSafetensors(Buffer.concat(chunks), 'x').tensors.n).toEqual({ data: new BigInt64Array([0n, -3n, 2n ** 40n]), shape: [3], dtype: 'I64' });
    const json = Buffer.from(JSON.stringify({ h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] }, b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] } }));
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(BigInt(json.length));
    const half = Buffer.from(new Uint16Array([0x3c00, 0xc000, 0x0001, 0x7c00]).buffer); // 1, -2, 2^-24, inf
    const bf = Buffer.from(new Uint16Array([0x3f80, 0xc0a0]).buffer); // 1, -5
    const { tensors } = decodeSafetensors(Buffer.concat([size, json, half, bf]), 'x');
    expect(Array.from(tensors.h.data as Float32Array)).toEqual([1, -2, 2 ** -24, Infinity]);
    expect(Array.from(tensors.b.data as Float32Array)).toEqual([1, -5]);
  });
});

describe('saveTorchExport writes nothing half-way', () => {
  const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');

  it('on ENOSPC an existing folder keeps its earlier files, a new one is not created; one Error line naming the folder', () => {
    const dir = join(work, 'existing');
    saveTorchExport(dir, cases.plain.model);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const before = ['model.py', 'model.safetensors'].map((f) => readFileSync(join(dir, f)));
    const full = vi.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    try {
      expect(() => saveTorchExport(dir, cases.mlp.model, { preprocess: MNIST })).toThrow(`saveTorchExport: cannot write ${dir} (ENOSPC); nothing was changed there`);
      const fresh = join(work, 'fresh');
      expect(() => saveTorchExport(fresh, cases.mlp.model)).toThrow(/^saveTorchExport: cannot write .*fresh \(ENOSPC\)/);
      expect(existsSync(fresh)).toBe(false);
    } finally {
      full.mockRestore();
    }
    ['model.py', 'model.safetensors'].forEach((f, i) => expect(readFileSync(join(dir, f)).equals(before[i])).toBe(true));
    expect(readdirSync(dir).sort()).toEqual(['model.py', 'model.safetensors', 'notes.txt']);
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // A later export replaces both files and leaves the rest.
    saveTorchExport(dir, cases.mlp.model, { preprocess: MNIST });
    expect(readdirSync(dir).sort()).toEqual(['model.py', 'model.safetensors', 'notes.txt']);
    expect(readFileSync(join(dir, 'model.py'), 'utf8')).toContain('nn.BatchNorm1d(32');
  });

  it('a path under a file is one Error line naming it', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, '');
    const under = join(file, 'out');
    expect(() => saveTorchExport(under, cases.plain.model)).toThrow(new RegExp(`^saveTorchExport: cannot write ${under} \\((EEXIST|ENOTDIR)\\); nothing was changed there$`));
    expect(() => saveTorchExport(file, cases.plain.model)).toThrow(/\(ENOTDIR\)/);
  });
});

describe("PyTorch's DistributedDataParallel on 2 processes (examples/ddp/train_ddp.py)", () => {
  it('trains an export on MNIST; the weights come back to nabla with the same test accuracy', () => {
    const spec: MlpSpec = { inputs: 784, hidden: [64], classes: 10, activation: 'relu', batchNorm: true };
    manualSeed(11);
    const dir = join(work, 'ddp');
    saveTorchExport(dir, buildMlp(spec), { preprocess: MNIST, classes: DIGITS });
    const started = Date.now();
    python([join(ROOT, 'examples/ddp/train_ddp.py'), dir, '--steps', '60', '--report', join(dir, 'report.json')], 150_000);
    const seconds = (Date.now() - started) / 1000;
    const ddp = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      lossBefore: number; lossAfter: number; accuracy: number; parametersIdentical: boolean; stateIdentical: boolean; weights: string;
    };
    expect(ddp.parametersIdentical).toBe(true);
    expect(ddp.stateIdentical).toBe(true);
    expect(ddp.lossAfter).toBeLessThan(0.5 * ddp.lossBefore);

    const model = buildMlp(spec);
    loadTorchStateDict(model, ddp.weights);
    const test = data.loadMnist({ split: 'test' });
    const logits = evalRaw(model, test.x, MNIST);
    let correct = 0;
    for (let i = 0; i < test.y.length; i++) {
      const row = logits.data.subarray(i * 10, i * 10 + 10);
      if (row.indexOf(Math.max(...row)) === test.y[i]) correct++;
    }
    const accuracy = correct / test.y.length;
    console.log(`DDP: loss ${ddp.lossBefore.toFixed(3)} → ${ddp.lossAfter.toFixed(3)}, accuracy torch ${(100 * ddp.accuracy).toFixed(2)}% nabla ${(100 * accuracy).toFixed(2)}%, ${seconds.toFixed(1)} s`);
    expect(accuracy).toBeGreaterThan(0.8);
    expect(Math.abs(accuracy - ddp.accuracy)).toBeLessThanOrEqual(0.001);
  }, 180_000);
});

afterAll(() => {
  console.log(`largest relative error: nabla → PyTorch ${largest.toTorch.toExponential(2)}, PyTorch → nabla ${largest.fromTorch.toExponential(2)}`);
});
