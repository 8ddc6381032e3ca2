/**
 * exportOnnx(model, { inputShape, preprocess, classes }): a model as ONNX bytes (opset 17, IR 8)
 * that ONNX Runtime and other runtimes run. The graph takes the user's raw input `input`
 * [N, ...inputShape] (N symbolic), applies the preprocessing's (x − mean)/std, then the model in
 * eval form, and returns `logits`. Class names and the preprocessing go in the metadata.
 *
 * The module tree is walked with each module's exporter (registry.ts); each leaf module also runs
 * once in eval mode on a zero batch of 2 samples (the probe) so exporters know their shapes and a
 * model that does not take this input fails here, naming the module.
 *
 * A model whose first leaf module is an Embedding or EmbeddingBag takes integer ids: `input` is
 * then int64 [N, ...inputShape], never standardized (a preprocess that would is refused). Zero
 * ids are valid ids, so the probe's zero batch suits these layers too.
 */
import { Module } from '../../nn/module.js';
import type { Tensor } from '../../tensor.js';
import { zeros } from '../../creation.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { checkedByOwner, checkOptionsObject } from '../../optim/options.js';
import { checkPreprocess, identityPreprocess, type Preprocess } from '../../serialize/preprocess.js';
import { OnnxGraphBuilder } from './graph-builder.js';
import { exportableTypes, onnxExporterOf, type OnnxExportContext, type OnnxValue } from './registry.js';
import { standardizeInGraph } from './standardize.js';
import { FLOAT, INT64, IR_VERSION, OPSET, onnx, type OnnxTypes } from './proto.js';
import { Embedding, EmbeddingBag } from '../../nn/embedding.js';
import './layers/index.js';

export interface OnnxExportOptions {
  /** One raw sample's shape, without the batch dimension ([784], [1, 28, 28]); default preprocess.inputShape. */
  inputShape?: number[];
  /** Standardization put inside the graph, so the exported model takes raw input; none when absent. */
  preprocess?: Preprocess;
  /** classes[k] names output k; stored as the `classes` metadata entry (JSON). */
  classes?: string[];
}

const OWNER = 'exportOnnx';
/** The batch size of the probe each module runs on to learn its output shape. */
const PROBE_BATCH = 2;

const showShape = (shape: number[]) => `[${shape.map((d, i) => (i > 0 ? d : d === PROBE_BATCH ? 'N' : `${d / PROBE_BATCH}·N`)).join(', ')}]`;

function checkInputShape(value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${OWNER}: inputShape must be a non-empty list of positive integers (one sample's shape, without the batch dimension), got ${JSON.stringify(value)}`);
  }
  return value.slice();
}

function checkClasses(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((c) => typeof c === 'string')) {
    throw new Error(`${OWNER}: classes must be a non-empty list of strings, got ${JSON.stringify(value)}`);
  }
  return value.slice();
}

/** The preprocessing from the options: `preprocess`, or the identity on `inputShape`; they must agree. */
function resolvePreprocess(options: OnnxExportOptions): Preprocess {
  const shape = options.inputShape === undefined ? undefined : checkInputShape(options.inputShape);
  if (options.preprocess === undefined) {
    if (!shape) throw new Error(`${OWNER}: the input shape is unknown: give options.inputShape (one sample's shape, e.g. [784] or [1, 28, 28]) or options.preprocess`);
    return identityPreprocess(shape);
  }
  const preprocess = checkPreprocess(OWNER, options.preprocess);
  if (shape && shape.join() !== preprocess.inputShape.join()) {
    throw new Error(`${OWNER}: inputShape ${JSON.stringify(shape)} disagrees with preprocess.inputShape ${JSON.stringify(preprocess.inputShape)}`);
  }
  return preprocess;
}

function exportModule(graph: OnnxGraphBuilder, m: Module, path: string, input: OnnxValue): OnnxValue {
  const where = path ? `module '${path}'` : 'the model';
  const exporter = onnxExporterOf(m);
  if (!exporter) {
    throw new Error(`${OWNER}: ${where} is a ${m.typeName}, which has no ONNX export; exportable: ${exportableTypes().join(', ')} (registerOnnxExporter adds a type)`);
  }
  let outputShape: number[] | undefined;
  const probe = (): number[] => {
    if (outputShape) return outputShape;
    try {
      outputShape = (m.forward(zeros(input.shape)) as Tensor).shape.slice();
    } catch (err) {
      throw new Error(`${OWNER}: ${where} (${m.typeName}) does not take its input, of shape ${showShape(input.shape)}: ${(err as Error).message}`);
    }
    return outputShape;
  };
  const context: OnnxExportContext = {
    graph,
    path,
    get outputShape() { return probe(); },
    exportChild: (name, child, x) => exportModule(graph, child, path ? `${path}.${name}` : name, x),
  };
  if (m.namedChildren().length === 0) probe(); // a leaf's exporter sees an input the module takes
  const out = exporter(m, input, context);
  return typeof out === 'string' ? { name: out, shape: probe() } : out;
}

/** `steps`: dimension 1 is a character model's sequence length T, symbolic like N. */
const dims = (shape: number[], steps: boolean): OnnxTypes.TensorShapeProto.IDimension[] => (
  shape.map((d, i) => (i === 1 && steps ? { dimParam: 'T' } : i > 0 ? { dimValue: d } : d === PROBE_BATCH ? { dimParam: 'N' } : {}))
);
const tensorValue = (name: string, shape: number[], docString: string, elemType = FLOAT, steps = false): OnnxTypes.IValueInfoProto => (
  { name, docString, type: { tensorType: { elemType, shape: { dim: dims(shape, steps) } } } }
);

/** The model's first leaf module when it takes integer ids (an Embedding or EmbeddingBag), else null. */
function idsInputModule(model: Module): Module | null {
  const first = model.modules().find((m) => m.namedChildren().length === 0);
  return first instanceof Embedding || first instanceof EmbeddingBag ? first : null;
}

/** The model as the bytes of an .onnx file (browser-safe: nothing is written). */
export function exportOnnx(model: Module, options: OnnxExportOptions = {}): Uint8Array {
  if (!(model instanceof Module)) throw new Error(`${OWNER}: expected a Module, got ${model === null ? 'null' : typeof model}`);
  checkOptionsObject(OWNER, options, { inputShape: checkedByOwner, preprocess: checkedByOwner, classes: checkedByOwner });
  const preprocess = resolvePreprocess(options);
  const classes = options.classes === undefined ? null : checkClasses(options.classes);

  const idsModule = idsInputModule(model);
  if (idsModule && (preprocess.mean.some((v) => v !== 0) || preprocess.std.some((v) => v !== 1))) {
    throw new Error(`${OWNER}: the model's first module is an ${idsModule.typeName}, which takes integer ids; preprocess standardizes float input `
      + `(mean ${JSON.stringify(preprocess.mean)}, std ${JSON.stringify(preprocess.std)}), which ids must not be: give mean [0] and std [1], or only inputShape`);
  }

  // A character model (preprocess.characters) reads any length T ≤ its context: its exporters make nothing depend on T.
  const steps = preprocess.characters !== undefined && idsModule !== null;
  const graph = new OnnxGraphBuilder(['input', 'logits']);
  const inputShape = [PROBE_BATCH, ...preprocess.inputShape];
  const modes = model.modules().map((m) => [m, m.training] as const);
  let out: OnnxValue;
  try {
    model.eval();
    const input: OnnxValue = idsModule ? { name: 'input', shape: inputShape, int64: true } : { name: standardizeInGraph(graph, 'input', preprocess), shape: inputShape };
    out = noGrad(() => exportModule(graph, model, '', input));
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
  const width = out.shape[out.shape.length - 1];
  if (classes && out.shape.length >= 2 && classes.length !== width) {
    throw new Error(`${OWNER}: classes has ${classes.length} names but the model's output ${showShape(out.shape)} has ${width} columns`);
  }
  graph.outputAs(out.name, 'logits');

  const metadata: Record<string, string> = { producer: 'nabla', preprocess: JSON.stringify(preprocess) };
  if (classes) metadata.classes = JSON.stringify(classes);
  const proto = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'nabla',
    docString: idsModule
      ? 'Exported by nabla. Input: int64 ids [N, ...inputShape] (used as they are). Output: the model\'s eval-mode output.'
      : 'Exported by nabla. Input: raw samples (the preprocessing in the metadata is applied inside the graph). Output: the model\'s eval-mode output.',
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: model.typeName,
      input: [
        steps ? tensorValue('input', inputShape, 'int64 character ids [N, T], T ≤ the context', INT64, true)
          : idsModule ? tensorValue('input', inputShape, 'int64 ids [N, ...inputShape]', INT64)
            : tensorValue('input', inputShape, 'raw samples [N, ...inputShape]'),
      ],
      output: [tensorValue('logits', out.shape, steps ? 'logits [N, T, V] of each next character' : 'the model\'s output', FLOAT, steps)],
      initializer: graph.initializers,
      node: graph.nodes,
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}
