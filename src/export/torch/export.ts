/**
 * exportTorch: a nabla model as PyTorch code and weights. `modelPy` is model.py (model-py.ts),
 * `weights` the chunks of model.safetensors: the state dict under PyTorch's names (names.ts),
 * float32, plus BatchNorm's `num_batches_tracked` (int64, 0) where PyTorch's module has one.
 */
import { Module } from '../../nn/module.js';
import { BatchNormBase } from '../../nn/batch-norm.js';
import { checkPreprocess, type Preprocess } from '../../serialize/preprocess.js';
import { encodeSafetensors, type StoredTensor } from '../../train/safetensors.js';
import { modelPySource } from './model-py.js';
import { NUM_BATCHES_TRACKED, toTorchName } from './names.js';
import { idsInputModule, torchCall } from './torch-modules.js';

export interface TorchExportInfo {
  /** How raw input becomes the model's input; model.py's forward applies it. */
  preprocess?: Preprocess;
  /** classes[k] names output k (model.py's CLASSES). */
  classes?: string[];
}

export interface TorchExport {
  /** The text of model.py. */
  modelPy: string;
  /** The bytes of model.safetensors, in chunks. */
  weights: Uint8Array[];
}

/** The state dict as PyTorch names it, num_batches_tracked after each BatchNorm's running_var. */
export function torchStateDict(model: Module): Record<string, StoredTensor> {
  const counted = new Set<string>();
  for (const [prefix, m] of model.namedModules()) {
    if (m instanceof BatchNormBase && m.runningVar !== null) counted.add(prefix ? `${prefix}.runningVar` : 'runningVar');
  }
  const out: Record<string, StoredTensor> = {};
  for (const [name, t] of Object.entries(model.stateDict())) {
    out[toTorchName(name)] = { data: t.data, shape: t.shape.slice() };
    if (counted.has(name)) {
      const prefix = name.slice(0, -'runningVar'.length);
      out[prefix + NUM_BATCHES_TRACKED] = { data: new BigInt64Array(1), shape: [] };
    }
  }
  return out;
}

export function exportTorch(model: Module, info: TorchExportInfo = {}): TorchExport {
  if (!(model instanceof Module)) throw new Error(`exportTorch: expected a Module, got ${model === null ? 'null' : typeof model}`);
  if (info === null || typeof info !== 'object') throw new Error(`exportTorch: options must be an object { preprocess, classes }, got ${String(info)}`);
  const preprocess = info.preprocess === undefined ? null : checkPreprocess('exportTorch', info.preprocess);
  const { classes } = info;
  if (classes !== undefined && (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string'))) {
    throw new Error(`exportTorch: classes must be a non-empty list of strings, got ${JSON.stringify(classes)}`);
  }
  const root = torchCall(model);
  const ids = idsInputModule(model);
  if (ids !== null && preprocess !== null && (preprocess.mean.some((v) => v !== 0) || preprocess.std.some((v) => v !== 1))) {
    throw new Error(`exportTorch: the model's first module is an ${ids}, which takes integer ids; preprocess standardizes float input `
      + `(mean ${JSON.stringify(preprocess.mean)}, std ${JSON.stringify(preprocess.std)}), which ids must not be: give mean [0] and std [1], or no preprocess`);
  }
  return {
    modelPy: modelPySource(root, preprocess, classes === undefined ? null : classes.slice(), ids !== null),
    weights: encodeSafetensors(torchStateDict(model), { format: 'pt' }),
  };
}
