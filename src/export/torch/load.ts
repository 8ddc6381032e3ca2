/**
 * loadTorchStateDict(model, path, { strict }): weights PyTorch wrote (a state dict saved as
 * safetensors) into the equivalent nabla model. Names are mapped (names.ts), BatchNorm's
 * num_batches_tracked ignored, F64/F16/BF16 values rounded to float32. Every key and shape is
 * checked before anything is written: on an Error the model is unchanged.
 */
import { Module, type LoadStateDictOptions, type LoadStateDictResult } from '../../nn/module.js';
import { Tensor } from '../../tensor.js';
import { formatShape, sameShape } from '../../shape.js';
import { nodeFs } from '../../node-builtins.js';
import { boolean, checkOptionsObject } from '../../optim/options.js';
import { decodeSafetensors } from '../../train/safetensors.js';
import { fromTorchName, isBatchCount, toTorchName } from './names.js';

const OWNER = 'loadTorchStateDict';
const FLOAT_DTYPES = ['F32', 'F64', 'F16', 'BF16'];

/**
 * Loads `path` into `model` in place. With strict (default) missing and unexpected keys are
 * errors; shape mismatches always are. Returns the missing and unexpected keys (PyTorch's names).
 */
export function loadTorchStateDict(model: Module, path: string, options: LoadStateDictOptions = {}): LoadStateDictResult {
  if (!(model instanceof Module)) throw new Error(`${OWNER}: expected a Module, got ${model === null ? 'null' : typeof model}`);
  if (typeof path !== 'string' || path === '') throw new Error(`${OWNER}: path must be a non-empty string, got ${JSON.stringify(path)}`);
  checkOptionsObject(OWNER, options, { strict: boolean });
  const { strict = true } = options;
  let bytes: Uint8Array;
  try {
    bytes = nodeFs(OWNER).readFileSync(path);
  } catch (err) {
    throw new Error(`${OWNER}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const { tensors } = decodeSafetensors(bytes, `${OWNER}: ${path}`);

  const dict: Record<string, Tensor> = {};
  const torchNames = new Map<string, string>();
  for (const [name, t] of Object.entries(tensors)) {
    if (isBatchCount(name)) continue;
    const dtype = t.dtype ?? 'F32';
    if (!FLOAT_DTYPES.includes(dtype)) {
      throw new Error(`${OWNER}: ${path}: tensor '${name}' has dtype ${dtype}; model weights must be floats (${FLOAT_DTYPES.join(', ')})`);
    }
    const key = fromTorchName(name);
    const data = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as Float64Array);
    dict[key] = new Tensor(data, t.shape);
    torchNames.set(key, name);
  }

  const own = model.stateDict();
  const missingKeys = Object.keys(own).filter((k) => !(k in dict)).map(toTorchName);
  const unexpectedKeys = Object.keys(dict).filter((k) => !(k in own)).map((k) => torchNames.get(k)!);
  const problems: string[] = [];
  for (const [key, target] of Object.entries(own)) {
    const source = dict[key];
    if (source && !sameShape(source.shape, target.shape)) {
      problems.push(`'${toTorchName(key)}' has shape ${formatShape(source.shape)} in the file but ${formatShape(target.shape)} in the model`);
    }
  }
  if (strict) {
    const list = (keys: string[], shapes: (k: string) => number[]) => keys.map((k) => `'${k}' ${formatShape(shapes(k))}`).join(', ');
    if (missingKeys.length > 0) problems.push(`missing keys ${list(missingKeys, (k) => own[fromTorchName(k)].shape)}`);
    if (unexpectedKeys.length > 0) problems.push(`unexpected keys ${list(unexpectedKeys, (k) => tensors[k].shape)}`);
  }
  if (problems.length > 0) {
    const wrapped = unexpectedKeys.length > 0 && unexpectedKeys.every((k) => k.startsWith('module.'));
    const hint = wrapped ? ' (saved from a DistributedDataParallel wrapper? save model.module.state_dict())' : '';
    throw new Error(`${OWNER}: ${path} does not fit the model (${model.typeName}): ${problems.join('; ')}${hint}`);
  }
  model.loadStateDict(dict, { strict: false });
  return { missingKeys, unexpectedKeys };
}
