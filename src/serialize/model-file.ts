/**
 * A self-describing model file: `saveModel(model, path, { preprocess, classes })` writes one
 * safetensors file holding the weights (stateDict names), the architecture (module-spec.ts), the
 * preprocessing and the class names; `loadModel(path)` rebuilds the model from it alone.
 *
 * `__metadata__`: format "nabla-model/1", `model` (the spec as JSON), `preprocess` and `classes`
 * (JSON, or "null"), and `sha256` over those strings and every tensor's name, dtype, shape and
 * bytes, so a truncated or altered file is refused. The file is written atomically.
 */
import { nodeCrypto, nodeFs } from '../node-builtins.js';
import { Tensor } from '../tensor.js';
import type { Module } from '../nn/module.js';
import { writeFileAtomic } from '../train/atomic-write.js';
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from '../train/safetensors.js';
import { buildModule, moduleSpec, type ModuleSpec } from './module-spec.js';
import { checkPreprocess, type Preprocess } from './preprocess.js';

export const MODEL_FORMAT = 'nabla-model/1';

export interface ModelInfo {
  /** How raw input becomes the model's input (recommended: evaluate, predict and export need it). */
  preprocess?: Preprocess;
  /** classes[k] names output k. */
  classes?: string[];
}

export interface LoadedModel {
  /** The rebuilt model with its weights, in eval mode. */
  model: Module;
  spec: ModuleSpec;
  preprocess: Preprocess | null;
  classes: string[] | null;
}

function checksum(texts: string[], tensors: Record<string, StoredTensor>): string {
  const hash = nodeCrypto('model file').createHash('sha256');
  for (const t of texts) hash.update(t).update('\0');
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name];
    hash.update(`${name}\0${t.data.constructor.name}[${t.shape.join(',')}]`);
    hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return hash.digest('hex');
}

function checkClasses(owner: string, classes: unknown): string[] {
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string')) {
    throw new Error(`${owner}: classes must be a non-empty list of strings, got ${JSON.stringify(classes)}`);
  }
  return classes.slice();
}

/** The file's bytes (as safetensors chunks): what saveModel writes. */
export function encodeModel(model: Module, info: ModelInfo = {}): Uint8Array[] {
  if (info === null || typeof info !== 'object') throw new Error(`saveModel: options must be an object { preprocess, classes }, got ${String(info)}`);
  const spec = moduleSpec(model, 'saveModel');
  const preprocess = info.preprocess === undefined ? null : checkPreprocess('saveModel', info.preprocess);
  const classes = info.classes === undefined ? null : checkClasses('saveModel', info.classes);
  const tensors: Record<string, StoredTensor> = {};
  for (const [name, t] of Object.entries(model.stateDict())) tensors[name] = { data: t.data, shape: t.shape.slice() };
  const texts = [JSON.stringify(spec), JSON.stringify(preprocess), JSON.stringify(classes)];
  const [modelJson, preprocessJson, classesJson] = texts;
  return encodeSafetensors(tensors, { format: MODEL_FORMAT, model: modelJson, preprocess: preprocessJson, classes: classesJson, sha256: checksum(texts, tensors) });
}

/** Writes the model, its architecture, preprocessing and class names to `path`, atomically. */
export function saveModel(model: Module, path: string, info: ModelInfo = {}): void {
  if (typeof path !== 'string' || path === '') throw new Error(`saveModel: path must be a non-empty string, got ${JSON.stringify(path)}`);
  const chunks = encodeModel(model, info);
  try {
    writeFileAtomic(path, chunks);
  } catch (err) {
    throw new Error(`saveModel: ${(err as Error).message}`);
  }
}

/** Rebuilds a model from bytes saveModel wrote; `what` names the source in errors. */
export function decodeModel(bytes: Uint8Array, what = 'model file'): LoadedModel {
  const { tensors, metadata } = decodeSafetensors(bytes, what);
  if (metadata.format !== MODEL_FORMAT) {
    const hint = metadata.format?.startsWith('nabla-checkpoint') ? ' (a training checkpoint: its run folder has model.safetensors)' : '';
    throw new Error(`${what}: not a nabla model file (format ${JSON.stringify(metadata.format ?? null)}, expected ${MODEL_FORMAT})${hint}`);
  }
  const texts = [metadata.model, metadata.preprocess, metadata.classes];
  if (!texts.every((t) => typeof t === 'string') || checksum(texts, tensors) !== metadata.sha256) throw new Error(`${what}: corrupted (checksum mismatch)`);
  const spec = JSON.parse(metadata.model) as ModuleSpec;
  const model = buildModule(spec, what);
  const preprocessRaw = JSON.parse(metadata.preprocess);
  const classesRaw = JSON.parse(metadata.classes);
  const dict: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) dict[name] = new Tensor(t.data as Float32Array, t.shape);
  try {
    model.loadStateDict(dict);
  } catch (err) {
    throw new Error(`${what}: the weights do not fit the architecture: ${(err as Error).message}`);
  }
  return {
    model: model.eval(),
    spec,
    preprocess: preprocessRaw === null ? null : checkPreprocess(what, preprocessRaw),
    classes: classesRaw === null ? null : checkClasses(what, classesRaw),
  };
}

/** Reads a model file; a missing, truncated, altered or foreign file is refused with a one-line Error naming it. */
export function loadModel(path: string): LoadedModel {
  const what = `model file ${path}`;
  let bytes: Uint8Array;
  try {
    bytes = nodeFs('loadModel').readFileSync(path);
  } catch (err) {
    throw new Error(`${what}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return decodeModel(bytes, what);
}
