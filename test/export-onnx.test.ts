/**
 * exportOnnx against a real runtime: every model is exported, run by ONNX Runtime (onnxruntime-web
 * on WebAssembly, in Node) at two batch sizes, and its output compared with nabla's eval-mode
 * forward of the standardized input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import onnxProto, { type onnx as OnnxTypes } from 'onnx-proto';
import {
  exportOnnx, manualSeed, nn, noGrad, optim, rand, randn, registerOnnxExporter, tensor, Tensor, type Preprocess,
} from '../src/index.js';
import { standardize } from '../src/serialize/preprocess.js';
import { buildCnn, buildMlp } from '../src/train/models.js';
import { CharGPT } from '../src/text/char-gpt.js';
import { CharRNN } from '../src/text/char-rnn.js';

const { onnx } = onnxProto;
const { Sequential, Linear, Conv2d, BatchNorm1d, BatchNorm2d, MaxPool2d, AvgPool2d, Flatten, Dropout } = nn;

/** Relative tolerance, plus this absolute one for values near zero. */
const RTOL = 1e-5;
const ATOL = 1e-6;
let largestRelativeError = 0;
let largestAbsoluteError = 0;

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

afterAll(() => {
  console.log(`export-onnx: largest relative error (where |expected| ≥ 1e-3) ${largestRelativeError.toExponential(2)}, largest absolute error ${largestAbsoluteError.toExponential(2)}`);
});

/** Raw samples [n, ...inputShape]: pixels in [0, 1] for images, N(0, 2²) values otherwise. */
function rawBatch(n: number, inputShape: number[], image: boolean): Tensor {
  const shape = [n, ...inputShape];
  return image ? rand(shape) : randn(shape).mul(2);
}

/** nabla's eval-mode output for raw input x: the model on (x − mean)/std. */
function nablaOutput(model: nn.Module, x: Tensor, preprocess?: Preprocess): Tensor {
  model.eval();
  const input = preprocess ? new Tensor(standardize(preprocess, x.data.slice()), x.shape) : x;
  return noGrad(() => model.forward(input));
}

function expectAgree(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    if (!(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e))) {
      throw new Error(`${what}: element ${i}: ONNX Runtime gave ${a}, nabla ${e} (rtol ${RTOL}, atol ${ATOL})`);
    }
    largestAbsoluteError = Math.max(largestAbsoluteError, Math.abs(a - e));
    if (Math.abs(e) >= 1e-3) largestRelativeError = Math.max(largestRelativeError, Math.abs(a - e) / Math.abs(e));
  }
}

interface Case {
  inputShape?: number[];
  preprocess?: Preprocess;
  classes?: string[];
  image?: boolean;
  batches?: number[];
}

/** Exports the model, runs it in ONNX Runtime at each batch size and compares with nabla; returns the bytes and session. */
async function checkAgainstRuntime(model: nn.Module, c: Case, seed = 1) {
  const inputShape = c.inputShape ?? c.preprocess!.inputShape;
  const bytes = exportOnnx(model, { inputShape: c.inputShape, preprocess: c.preprocess, classes: c.classes });
  const session = await ort.InferenceSession.create(bytes);
  expect(session.inputNames).toEqual(['input']);
  expect(session.outputNames).toEqual(['logits']);
  manualSeed(seed);
  for (const n of c.batches ?? [1, 5]) {
    const x = rawBatch(n, inputShape, c.image ?? inputShape.length > 1);
    const { logits } = await session.run({ input: new ort.Tensor('float32', x.data.slice(), x.shape) });
    const expected = nablaOutput(model, x, c.preprocess);
    expect(logits.dims).toEqual(expected.shape);
    expectAgree(logits.data as Float32Array, expected.data, `batch ${n}`);
  }
  return { bytes, session };
}

/** Gives BatchNorm layers non-trivial running statistics and affine parameters. */
function randomizeBatchNorm(model: nn.Module): void {
  for (const m of model.modules()) {
    if (!(m instanceof BatchNorm1d || m instanceof BatchNorm2d)) continue;
    const c = m.numFeatures;
    m.runningMean?.data.set(randn([c]).data);
    m.runningVar?.data.set(rand([c]).add(0.3).data);
    m.weight?.data.set(randn([c]).mul(0.5).add(1).data);
    m.bias?.data.set(randn([c]).mul(0.5).data);
  }
}

/** A few SGD steps in training mode on random data (moves weights and BatchNorm's running statistics). */
function trainFewSteps(model: nn.Module, inputShape: number[], classes: number, steps = 5): void {
  model.train();
  const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  for (let s = 0; s < steps; s++) {
    const x = randn([16, ...inputShape]);
    const y = Array.from({ length: 16 }, (_, i) => (i * 7 + s) % classes);
    opt.zeroGrad();
    nn.functional.crossEntropy(model.forward(x), y).backward();
    opt.step();
  }
}

const decode = (bytes: Uint8Array) => onnx.ModelProto.decode(bytes);
const opTypes = (bytes: Uint8Array) => decode(bytes).graph!.node!.map((n) => n.opType);
const MNIST: Preprocess = { inputShape: [1, 28, 28], mean: [0.1307], std: [0.3081], image: { channels: 1, height: 28, width: 28 } };
const DIGITS = [...'0123456789'];

describe('exportOnnx: the networks nabla train builds', () => {
  it('the MLP with BatchNorm, trained a few steps, with MNIST standardization on flattened input', async () => {
    manualSeed(11);
    const mlp = buildMlp({ inputs: 784, hidden: [64, 32], classes: 10, activation: 'relu', batchNorm: true });
    trainFewSteps(mlp, [784], 10);
    const bn = mlp.at(1) as nn.BatchNorm1d;
    expect(Math.max(...bn.runningMean!.data.map(Math.abs))).toBeGreaterThan(1e-3);
    const preprocess: Preprocess = { inputShape: [784], mean: [0.1307], std: [0.3081] };
    const { bytes } = await checkAgainstRuntime(mlp, { preprocess, classes: DIGITS, image: true });
    expect(opTypes(bytes)).toEqual(['Sub', 'Div', 'Gemm', 'BatchNormalization', 'Relu', 'Gemm', 'BatchNormalization', 'Relu', 'Gemm']);
  });

  it('MLPs with sigmoid and tanh, per-feature standardization ([1, F] constants)', async () => {
    for (const activation of ['sigmoid', 'tanh'] as const) {
      manualSeed(12);
      const mlp = buildMlp({ inputs: 6, hidden: [8, 8], classes: 3, activation, batchNorm: true });
      randomizeBatchNorm(mlp);
      const preprocess: Preprocess = { inputShape: [6], mean: [0, 1, -2, 0.5, 3, 0], std: [1, 2, 0.5, 1, 4, 0.25] };
      const { bytes } = await checkAgainstRuntime(mlp, { preprocess, classes: ['a', 'b', 'c'], image: false });
      const consts = decode(bytes).graph!.initializer!.filter((t) => t.name!.startsWith('preprocess.'));
      expect(consts.map((t) => [t.name, t.dims!.map(Number)])).toEqual([['preprocess.mean', [1, 6]], ['preprocess.std', [1, 6]]]);
    }
  });

  it('the CNN with BatchNorm (MNIST standardization) and a 3-channel CNN with per-channel constants [1, C, 1, 1]', async () => {
    manualSeed(13);
    const cnn = buildCnn({ channels: 1, height: 28, width: 28, filters: [4, 8], classes: 10, activation: 'relu', batchNorm: true });
    randomizeBatchNorm(cnn);
    const { bytes } = await checkAgainstRuntime(cnn, { preprocess: MNIST, classes: DIGITS });
    expect(opTypes(bytes)).toEqual(['Sub', 'Div', 'Conv', 'BatchNormalization', 'Relu', 'MaxPool', 'Conv', 'BatchNormalization', 'Relu', 'MaxPool', 'Flatten', 'Gemm']);

    const rgb = buildCnn({ channels: 3, height: 10, width: 12, filters: [5], classes: 4, activation: 'tanh', batchNorm: true });
    randomizeBatchNorm(rgb);
    const preprocess: Preprocess = { inputShape: [3, 10, 12], mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] };
    const rgbBytes = (await checkAgainstRuntime(rgb, { preprocess })).bytes;
    const mean = decode(rgbBytes).graph!.initializer!.find((t) => t.name === 'preprocess.mean')!;
    expect(mean.dims!.map(Number)).toEqual([1, 3, 1, 1]);
  });

  it('writes opset 17, IR 8, a symbolic batch dimension and the metadata', async () => {
    manualSeed(14);
    const mlp = buildMlp({ inputs: 784, hidden: [16], classes: 10, activation: 'relu', batchNorm: false });
    const preprocess: Preprocess = { inputShape: [784], mean: [0.1307], std: [0.3081] };
    const bytes = exportOnnx(mlp, { preprocess, classes: DIGITS });
    const model = decode(bytes);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport!.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    expect(model.producerName).toBe('nabla');
    const meta = Object.fromEntries(model.metadataProps!.map((p) => [p.key, p.value]));
    expect(JSON.parse(meta.classes!)).toEqual(DIGITS);
    expect(JSON.parse(meta.preprocess!)).toEqual(preprocess);
    expect(meta.producer).toBe('nabla');
    const dims = (v: OnnxTypes.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(dims(model.graph!.input![0])).toEqual(['N', 784]);
    expect(dims(model.graph!.output![0])).toEqual(['N', 10]);
    const session = await ort.InferenceSession.create(bytes);
    const out = session.outputMetadata[0] as ort.InferenceSession.TensorValueMetadata;
    expect(out.shape).toEqual(['N', 10]);
    // No preprocess: the identity is recorded and no Sub/Div are written; no classes entry.
    const plain = decode(exportOnnx(mlp, { inputShape: [784] }));
    const plainMeta = Object.fromEntries(plain.metadataProps!.map((p) => [p.key, p.value]));
    expect(JSON.parse(plainMeta.preprocess!)).toEqual({ inputShape: [784], mean: [0], std: [1] });
    expect(plainMeta.classes).toBeUndefined();
    expect(plain.graph!.node!.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm']);
  });

  it('leaves the model as it was: training flags restored, running statistics untouched', () => {
    manualSeed(15);
    const cnn = buildCnn({ channels: 1, height: 8, width: 8, filters: [3], classes: 2, activation: 'relu', batchNorm: true });
    randomizeBatchNorm(cnn);
    const before = Object.fromEntries(Object.entries(cnn.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));
    cnn.train();
    (cnn.at(0) as nn.Conv2d).eval();
    exportOnnx(cnn, { inputShape: [1, 8, 8] });
    expect(cnn.modules().map((m) => m.training)).toEqual([true, false, true, true, true, true, true]);
    for (const [k, t] of Object.entries(cnn.stateDict())) expect(Array.from(t.data), k).toEqual(before[k]);
  });
});

describe('exportOnnx: each layer', () => {
  const activations: [string, () => nn.Module][] = [
    ['ReLU', () => new nn.ReLU()], ['Sigmoid', () => new nn.Sigmoid()], ['Tanh', () => new nn.Tanh()],
    ['GELU', () => new nn.GELU()], ['LeakyReLU', () => new nn.LeakyReLU(0.2)], ['ELU', () => new nn.ELU(0.7)],
    ['Softmax', () => new nn.Softmax()], ['Softmax(axis=1)', () => new nn.Softmax(1)],
    ['LogSoftmax', () => new nn.LogSoftmax()], ['LogSoftmax(axis=-2)', () => new nn.LogSoftmax(-2)],
  ];
  for (const [name, make] of activations) {
    it(`${name} after a Linear, and on a 4-D input`, async () => {
      manualSeed(21);
      await checkAgainstRuntime(new Sequential(new Linear(6, 5), make()), { inputShape: [6] });
      await checkAgainstRuntime(new Sequential(make()), { inputShape: [2, 3, 4], image: false });
    });
  }

  it('GELU is the exact (erf) form: agrees over [−6, 6]', async () => {
    const bytes = exportOnnx(new nn.GELU(), { inputShape: [241] });
    const session = await ort.InferenceSession.create(bytes);
    const x = Float32Array.from({ length: 241 }, (_, i) => -6 + i * 0.05);
    const { logits } = await session.run({ input: new ort.Tensor('float32', x.slice(), [1, 241]) });
    expectAgree(logits.data as Float32Array, nablaOutput(new nn.GELU(), tensor(x, { shape: [1, 241] })).data, 'GELU');
  });

  it('Linear without bias (Gemm) and on a 3-D input (MatMul + Add, MatMul alone)', async () => {
    manualSeed(22);
    const gemm = await checkAgainstRuntime(new Sequential(new Linear(7, 4, { bias: false })), { inputShape: [7] });
    expect(opTypes(gemm.bytes)).toEqual(['Gemm']);
    expect(decode(gemm.bytes).graph!.node![0].input).toHaveLength(2);
    const batched = await checkAgainstRuntime(new Sequential(new Linear(7, 4), new nn.ReLU(), new Linear(4, 3, { bias: false })), { inputShape: [5, 7] });
    expect(opTypes(batched.bytes)).toEqual(['MatMul', 'Add', 'Relu', 'MatMul']);
  });

  it('Conv2d with stride, padding and dilation, with and without bias, non-square', async () => {
    manualSeed(23);
    await checkAgainstRuntime(new Conv2d(2, 3, 3, { stride: 2, padding: 1, dilation: 2, bias: false }), { inputShape: [2, 9, 11] });
    await checkAgainstRuntime(new Conv2d(2, 4, [3, 2], { stride: [1, 2], padding: [2, 0] }), { inputShape: [2, 6, 7] });
    await checkAgainstRuntime(new Sequential(new Conv2d(3, 2, 1), new Conv2d(2, 2, 5, { padding: 2 })), { inputShape: [3, 5, 5] });
  });

  it('MaxPool2d and AvgPool2d with padding (zero padding counted in the average)', async () => {
    manualSeed(24);
    for (const Pool of [MaxPool2d, AvgPool2d]) {
      await checkAgainstRuntime(new Pool(3, { stride: 2, padding: 1 }), { inputShape: [2, 7, 9], image: false });
      await checkAgainstRuntime(new Pool([2, 3], { stride: [1, 2], padding: [1, 1] }), { inputShape: [1, 5, 6], image: false });
      await checkAgainstRuntime(new Pool(2), { inputShape: [3, 5, 5] });
    }
  });

  it('BatchNorm1d/2d with running statistics, with and without affine, on 2-D and 3-D input', async () => {
    manualSeed(25);
    for (const affine of [true, false]) {
      const bn2 = new BatchNorm2d(3, { affine, eps: 1e-3 });
      const bn1 = new BatchNorm1d(4, { affine });
      const bn1l = new BatchNorm1d(2, { affine });
      for (const m of [bn2, bn1, bn1l]) randomizeBatchNorm(m);
      await checkAgainstRuntime(bn2, { inputShape: [3, 4, 5], image: false });
      await checkAgainstRuntime(bn1, { inputShape: [4] });
      await checkAgainstRuntime(bn1l, { inputShape: [2, 6], image: false });
    }
  });

  it('BatchNorm without running statistics uses the batch statistics in eval (composed)', async () => {
    manualSeed(26);
    for (const affine of [true, false]) {
      const bn2 = new BatchNorm2d(3, { affine, trackRunningStats: false });
      const bn1 = new BatchNorm1d(4, { affine, trackRunningStats: false });
      const bn1l = new BatchNorm1d(2, { affine, trackRunningStats: false, eps: 0.1 });
      for (const m of [bn2, bn1, bn1l]) randomizeBatchNorm(m);
      const { bytes } = await checkAgainstRuntime(bn2, { inputShape: [3, 4, 5], image: false, batches: [1, 4] });
      expect(opTypes(bytes)).not.toContain('BatchNormalization');
      await checkAgainstRuntime(bn1, { inputShape: [4], batches: [2, 6] });
      await checkAgainstRuntime(bn1l, { inputShape: [2, 6], image: false, batches: [1, 3] });
    }
  });

  it('LayerNorm over 1 and 2 trailing dimensions, with and without elementwise affine (LayerNormalization, axis −len)', async () => {
    manualSeed(30);
    const randomize = (m: nn.LayerNorm) => {
      m.weight?.data.set(randn(m.normalizedShape).mul(0.5).add(1).data);
      m.bias?.data.set(randn(m.normalizedShape).mul(0.5).data);
      return m;
    };
    const model = new Sequential(new Linear(6, 8), randomize(new nn.LayerNorm(8)), new nn.ReLU(), new Linear(8, 3));
    const { bytes } = await checkAgainstRuntime(model, { inputShape: [6] });
    const node = decode(bytes).graph!.node!.find((n) => n.opType === 'LayerNormalization')!;
    expect(node.attribute!.map((a) => [a.name, a.name === 'axis' ? Number(a.i) : a.f])).toEqual([['axis', -1], ['epsilon', Math.fround(1e-5)]]);
    await checkAgainstRuntime(randomize(new nn.LayerNorm([3, 4], { eps: 1e-3 })), { inputShape: [5, 3, 4], image: false });
    const plain = await checkAgainstRuntime(new nn.LayerNorm(4, { elementwiseAffine: false }), { inputShape: [2, 4], image: false });
    expect(decode(plain.bytes).graph!.node![0].input).toHaveLength(2);
  });

  it('Flatten: the default (Flatten op), partial ranges and ranges through the batch dimension (Reshape)', async () => {
    manualSeed(27);
    const flat = await checkAgainstRuntime(new Sequential(new Conv2d(2, 3, 3), new Flatten(), new Linear(3 * 4 * 4, 5)), { inputShape: [2, 6, 6] });
    expect(opTypes(flat.bytes)).toEqual(['Conv', 'Flatten', 'Gemm']);
    const spatial = await checkAgainstRuntime(new Sequential(new Flatten(2), new Linear(12, 3)), { inputShape: [2, 3, 4], image: false });
    expect(opTypes(spatial.bytes)).toEqual(['Reshape', 'MatMul', 'Add']);
    await checkAgainstRuntime(new Flatten(1, 2), { inputShape: [2, 3, 4], image: false });
    await checkAgainstRuntime(new Flatten(-3, -2), { inputShape: [2, 3, 4], image: false });
    const merged = await checkAgainstRuntime(new Sequential(new Flatten(0, 1), new Linear(4, 2)), { inputShape: [3, 4], image: false });
    // The output's first dimension is 3·N: declared unknown (no value, no name), not N.
    const [first, second] = decode(merged.bytes).graph!.output![0].type!.tensorType!.shape!.dim!;
    expect([first.dimParam || null, Number(first.dimValue ?? 0), Number(second.dimValue)]).toEqual([null, 0, 2]);
    await checkAgainstRuntime(new Flatten(0), { inputShape: [3, 4], image: false });
    await checkAgainstRuntime(new Flatten(), { inputShape: [5] });
  });

  it('Dropout is the identity, also as the whole model or the last layer', async () => {
    manualSeed(28);
    const last = await checkAgainstRuntime(new Sequential(new Linear(4, 3), new Dropout(0.5)), { inputShape: [4] });
    expect(opTypes(last.bytes)).toEqual(['Gemm']);
    const alone = await checkAgainstRuntime(new Sequential(new Dropout(0.3)), { inputShape: [4] });
    expect(opTypes(alone.bytes)).toEqual(['Identity']);
    const standardized = await checkAgainstRuntime(new Dropout(), { preprocess: { inputShape: [3], mean: [1], std: [1] } });
    expect(opTypes(standardized.bytes)).toEqual(['Sub']);
  });

  it('nested Sequentials, with unique names for repeated paths and ops', async () => {
    manualSeed(29);
    const block = () => new Sequential(new Linear(5, 5), new BatchNorm1d(5), new nn.GELU(), new Dropout(0.2));
    const model = new Sequential(block(), new Sequential(block(), new Sequential(new Linear(5, 3))), new nn.LogSoftmax());
    randomizeBatchNorm(model);
    const { bytes } = await checkAgainstRuntime(model, { inputShape: [5], classes: ['x', 'y', 'z'] });
    const graph = decode(bytes).graph!;
    const names = [...graph.node!.flatMap((n) => n.output!), ...graph.initializer!.map((t) => t.name!)];
    expect(new Set(names).size).toBe(names.length);
    expect(graph.initializer!.map((t) => t.name)).toContain('1.1.0.weight');
    expect(graph.node!.filter((n) => n.opType === 'Mul').map((n) => n.name)).toEqual(['0.2/Mul', '0.2/Mul_1', '0.2/Mul_2', '1.0.2/Mul', '1.0.2/Mul_1', '1.0.2/Mul_2']);
  });
});

class Double extends nn.Module {
  forward(x: Tensor): Tensor {
    return x.mul(2);
  }
}

describe('exportOnnx: errors and registration', () => {
  it('refuses a module without an exporter, naming its type and dotted path', () => {
    class MyBlock extends nn.Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const model = new Sequential(new Linear(4, 4), new nn.ReLU(), new MyBlock());
    expect(() => exportOnnx(model, { inputShape: [4] })).toThrow(/^exportOnnx: module '2' is a MyBlock, which has no ONNX export; exportable: .*Linear, Conv2d/);
    const nested = new Sequential(new Linear(4, 4), new Sequential(new nn.ReLU(), new MyBlock()));
    expect(() => exportOnnx(nested, { inputShape: [4] })).toThrow(/module '1\.1' is a MyBlock/);
    expect(() => exportOnnx(new MyBlock(), { inputShape: [4] })).toThrow(/the model is a MyBlock/);
    // A subclass of a library layer may compute something else: refused too.
    class ScaledLinear extends Linear {
      override forward(x: Tensor): Tensor {
        return super.forward(x).mul(3);
      }
    }
    expect(() => exportOnnx(new Sequential(new ScaledLinear(4, 2)), { inputShape: [4] })).toThrow(/module '0' is a ScaledLinear/);
  });

  it('registerOnnxExporter adds a module type', async () => {
    expect(() => exportOnnx(new Double(), { inputShape: [3] })).toThrow(/is a Double/);
    registerOnnxExporter(Double, (_m, x, { graph, path }) => graph.node('Mul', [x.name, graph.scalar(`${path}.two`, 2)], {}, `${path}/Mul`));
    await checkAgainstRuntime(new Sequential(new Linear(3, 2), new Double()), { inputShape: [3] });
    expect(() => registerOnnxExporter(Double, 'nope' as never)).toThrow(/registerOnnxExporter: expected an exporter function for Double/);
  });

  it('checks its options, naming the option', () => {
    const mlp = new Sequential(new Linear(4, 3));
    const preprocess: Preprocess = { inputShape: [4], mean: [0], std: [1] };
    expect(() => exportOnnx(mlp, {})).toThrow(/exportOnnx: the input shape is unknown: give options\.inputShape .* or options\.preprocess/);
    expect(() => exportOnnx(mlp)).toThrow(/the input shape is unknown/);
    expect(() => exportOnnx(mlp, { inputShape: [0] })).toThrow(/exportOnnx: inputShape must be a non-empty list of positive integers/);
    expect(() => exportOnnx(mlp, { inputShape: [4.5] })).toThrow(/inputShape must be/);
    expect(() => exportOnnx(mlp, { inputShape: [] })).toThrow(/inputShape must be/);
    expect(() => exportOnnx(mlp, { inputShape: '4' as never })).toThrow(/inputShape must be/);
    expect(() => exportOnnx(mlp, { inputShape: [5], preprocess })).toThrow(/exportOnnx: inputShape \[5\] disagrees with preprocess\.inputShape \[4\]/);
    expect(() => exportOnnx(mlp, { preprocess: { ...preprocess, std: [0] } })).toThrow(/exportOnnx: preprocess ?\.std must be positive/);
    expect(() => exportOnnx(mlp, { preprocess: { ...preprocess, mean: [1, 2] } })).toThrow(/exportOnnx: preprocess ?\.mean must be 1 or 4/);
    expect(() => exportOnnx(mlp, { inputShape: [4], classes: [1, 2, 3] as never })).toThrow(/exportOnnx: classes must be a non-empty list of strings/);
    expect(() => exportOnnx(mlp, { inputShape: [4], classes: [] })).toThrow(/classes must be/);
    expect(() => exportOnnx(mlp, { inputShape: [4], classes: ['a', 'b'] })).toThrow(/exportOnnx: classes has 2 names but the model's output \[N, 3\] has 3 columns/);
    expect(() => exportOnnx(mlp, { inputshape: [4] } as never)).toThrow(/exportOnnx: unknown option 'inputshape' \(did you mean 'inputShape'\?/);
    expect(() => exportOnnx(mlp, null as never)).toThrow(/exportOnnx: options must be an object/);
    expect(() => exportOnnx({} as never, { inputShape: [4] })).toThrow(/exportOnnx: expected a Module/);
  });

  it('refuses an input shape the model does not take, naming the module', () => {
    const mlp = new Sequential(new Flatten(), new Linear(784, 10));
    expect(() => exportOnnx(mlp, { inputShape: [1, 28, 27] })).toThrow(/^exportOnnx: module '1' \(Linear\) does not take its input, of shape \[N, 756\]: Linear\(784, 10\): expected input with last dimension 784/);
    expect(() => exportOnnx(new Conv2d(3, 2, 3), { inputShape: [1, 8, 8] })).toThrow(/the model \(Conv2d\) does not take its input, of shape \[N, 1, 8, 8\]/);
  });
});

describe('exportOnnx: Embedding and EmbeddingBag (int64 ids in)', () => {
  /** Ids [n, ...shape] in [0, num), some of them `pad` when given, as nabla's float tensor and ONNX's int64. */
  function idsBatch(n: number, shape: number[], num: number, pad?: number) {
    const size = n * shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: size }, (_, i) => (pad !== undefined && i % 3 === 0 ? pad : (i * 37 + n * 11 + 5) % num));
    return { nabla: new Tensor(Float32Array.from(values), [n, ...shape]), onnx: new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [n, ...shape]) };
  }

  async function checkIds(model: nn.Module, inputShape: number[], num: number, pad?: number) {
    const bytes = exportOnnx(model, { inputShape });
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['input']);
    for (const n of [1, 6]) {
      const x = idsBatch(n, inputShape, num, pad);
      const { logits } = await session.run({ input: x.onnx });
      const expected = nablaOutput(model, x.nabla);
      expect(logits.dims).toEqual(expected.shape);
      expectAgree(logits.data as Float32Array, expected.data, `batch ${n}`);
    }
    return bytes;
  }

  it('Sequential(Embedding(50, 8), Flatten(), Linear(8·L, 3)) on ids [N, L]: Gather, int64 input, no standardization', async () => {
    manualSeed(31);
    const model = new Sequential(new nn.Embedding(50, 8), new Flatten(), new Linear(8 * 5, 3));
    const bytes = await checkIds(model, [5], 50);
    const graph = decode(bytes).graph!;
    expect(graph.node!.map((n) => n.opType)).toEqual(['Gather', 'Flatten', 'Gemm']);
    expect(graph.input![0].type!.tensorType!.elemType).toBe(7); // INT64
    expect(graph.input![0].type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['N', 5]);
  });

  it('Sequential(EmbeddingBag(50, 8, mode mean), Linear(8, 3)) on 2-D ids [N, L], and mode sum', async () => {
    manualSeed(32);
    const mean = new Sequential(new nn.EmbeddingBag(50, 8, { mode: 'mean' }), new Linear(8, 3));
    expect(opTypes(await checkIds(mean, [7], 50))).toEqual(['Gather', 'ReduceMean', 'Gemm']);
    const sum = new Sequential(new nn.EmbeddingBag(50, 8, { mode: 'sum' }), new Linear(8, 3));
    expect(opTypes(await checkIds(sum, [7], 50))).toEqual(['Gather', 'ReduceSum', 'Gemm']);
  });

  it('paddingIdx: EmbeddingBag leaves padding ids out of the sum and the mean (a mask), a bag of padding only is zeros', async () => {
    manualSeed(33);
    for (const mode of ['mean', 'sum'] as const) {
      const bag = new nn.EmbeddingBag(20, 4, { mode, paddingIdx: 3 });
      bag.weight.data.set(randn([20, 4]).data); // a nonzero padding row: it must still be left out
      const model = new Sequential(bag, new Linear(4, 2));
      await checkIds(model, [4], 20, 3);
      const allPad = new Tensor(new Float32Array(8).fill(3), [2, 4]);
      const session = await ort.InferenceSession.create(exportOnnx(bag, { inputShape: [4] }));
      const { logits } = await session.run({ input: new ort.Tensor('int64', new BigInt64Array(8).fill(3n), [2, 4]) });
      expectAgree(logits.data as Float32Array, nablaOutput(bag, allPad).data, `${mode}: padding only`);
      expectAgree(logits.data as Float32Array, new Float32Array(8), `${mode}: padding only is zeros`);
    }
    // Embedding with paddingIdx returns the padding row as it is (PyTorch's forward): a plain Gather.
    const emb = new nn.Embedding(20, 4, { paddingIdx: 0 });
    emb.weight.data.set(randn([20, 4]).data);
    expect(opTypes(await checkIds(new Sequential(emb, new Flatten(), new Linear(12, 2)), [3], 20, 0))).toEqual(['Gather', 'Flatten', 'Gemm']);
  });

  it('an Embedding after another layer gathers the Cast of its float input', async () => {
    manualSeed(34);
    const model = new Sequential(new nn.ReLU(), new nn.Embedding(10, 3));
    const bytes = exportOnnx(model, { inputShape: [4] });
    expect(opTypes(bytes)).toEqual(['Relu', 'Cast', 'Gather']);
    const session = await ort.InferenceSession.create(bytes);
    const x = new Tensor(Float32Array.from([0, 3, 9, 2, 5, 1, 7, 4]), [2, 4]);
    const { logits } = await session.run({ input: new ort.Tensor('float32', x.data.slice(), x.shape) });
    expectAgree(logits.data as Float32Array, nablaOutput(model, x).data, 'cast ids');
  });

  it('refuses a standardizing preprocess on ids, 3-D ids for an EmbeddingBag, and 1-D ids (offsets)', () => {
    const model = new Sequential(new nn.EmbeddingBag(50, 8), new Linear(8, 3));
    expect(() => exportOnnx(model, { preprocess: { inputShape: [5], mean: [0.5], std: [2] } }))
      .toThrow(/^exportOnnx: the model's first module is an EmbeddingBag, which takes integer ids; preprocess standardizes float input/);
    expect(() => exportOnnx(model, { preprocess: { inputShape: [5], mean: [0], std: [1] } })).not.toThrow();
    expect(() => exportOnnx(model, { inputShape: [2, 5] })).toThrow(/^exportOnnx: module '0' \(EmbeddingBag\) does not take its input, of shape \[N, 2, 5\]: .*ids must be 1-D \(with offsets\) or 2-D/);
    const flat = new Sequential(new Flatten(0), new nn.EmbeddingBag(50, 8));
    expect(() => exportOnnx(flat, { inputShape: [5] })).toThrow(/module '1' \(EmbeddingBag\) does not take its input.*1-D ids need offsets/);
  });
});

describe('exportOnnx: the character language models (int64 ids [N, T] → logits [N, T, V])', () => {
  const V = 7;
  const T = 6;
  const characters: Preprocess = { inputShape: [T], mean: [0], std: [1], characters: { context: T } };
  /** Moves every parameter off its initial value (zero biases, unit LayerNorm weights). */
  function perturb<M extends nn.Module>(model: M): M {
    for (const p of model.parameters()) p.data.set(rand(p.shape).sub(0.5).mul(0.4).add(p).data);
    return model;
  }

  async function checkChars(model: nn.Module) {
    const bytes = exportOnnx(model, { preprocess: characters, classes: Array.from({ length: V }, (_, i) => (i === 0 ? '' : String.fromCharCode(96 + i))) });
    const session = await ort.InferenceSession.create(bytes);
    // N and T are symbolic: any batch, any length up to the context.
    for (const [n, steps] of [[1, T], [4, T], [3, 2]]) {
      const values = Array.from({ length: n * steps }, (_, i) => (i * 5 + n * 3 + 1) % V);
      const { logits } = await session.run({ input: new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [n, steps]) });
      const expected = nablaOutput(model, new Tensor(Float32Array.from(values), [n, steps]));
      expect(logits.dims).toEqual([n, steps, V]);
      expectAgree(logits.data as Float32Array, expected.data, `${model.typeName} batch ${n}, length ${steps}`);
    }
    const graph = decode(bytes).graph!;
    const declared = (v: OnnxTypes.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(declared(graph.input![0])).toEqual(['N', 'T']);
    expect(declared(graph.output![0])).toEqual(['N', 'T', V]);
    return bytes;
  }

  it('CharRNN lstm, gru, rnn (2 layers): ONNX LSTM/GRU/RNN ops with the gate blocks reordered', async () => {
    manualSeed(41);
    for (const cell of ['lstm', 'gru', 'rnn'] as const) {
      const bytes = await checkChars(perturb(new CharRNN(V, { cell, width: 5, layers: 2, dropout: 0.3 })));
      const op = cell.toUpperCase();
      expect(opTypes(bytes)).toEqual(['Gather', 'Transpose', op, 'Squeeze', op, 'Squeeze', 'Transpose', 'MatMul', 'Add']);
    }
  });

  it('CharGPT (2 pre-norm layers, GELU, causal mask): attention composed from MatMul/Softmax, LayerNormalization, Erf', async () => {
    manualSeed(42);
    const bytes = await checkChars(perturb(new CharGPT(V, { context: T, width: 8, layers: 2, heads: 2, dropout: 0.1 })));
    const ops = opTypes(bytes);
    for (const op of ['Gather', 'LayerNormalization', 'Softmax', 'Erf', 'MatMul']) expect(ops).toContain(op);
    expect(ops.filter((o) => o === 'Softmax')).toHaveLength(2);
  });
});
