/**
 * Checkpoints: any tree of plain values, Tensors and typed arrays (model and optimizer state
 * dicts, scheduler, random-generator state, epoch and step) in one safetensors file.
 *
 * Format: every Tensor / Float32Array / Float64Array / Int32Array in the tree is stored as a
 * safetensors entry keyed by its path in the tree ("model/0.weight"); the tree itself, with those
 * leaves replaced by {"$tensor" | "$f32" | "$f64" | "$i32": key} and non-finite numbers by
 * {"$num": "Infinity"}, is the JSON string in `__metadata__.state`. `__metadata__.format` is
 * "nabla-checkpoint/2" and `__metadata__.sha256` the SHA-256 of the state string followed by
 * every tensor's name, dtype, shape and bytes (in name order), so a truncated or altered file is
 * refused (format 1 files, whose checksum left out dtype and shape, still load). Files are written atomically.
 */
import { nodeCrypto, nodeFs } from '../node-builtins.js';
import { Tensor } from '../tensor.js';
import { writeFileAtomic } from './atomic-write.js';
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from './safetensors.js';

export const CHECKPOINT_FORMAT = 'nabla-checkpoint/2';
const FORMAT_1 = 'nabla-checkpoint/1';

type Tree = unknown;

function checksum(state: string, tensors: Record<string, StoredTensor>, layout = true): string {
  const hash = nodeCrypto('checkpoint').createHash('sha256').update(state);
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name];
    hash.update(name);
    if (layout) hash.update(`\0${t.data.constructor.name}[${t.shape.join(',')}]`);
    hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return hash.digest('hex');
}

function flatten(value: Tree, path: string, tensors: Record<string, StoredTensor>): unknown {
  if (value instanceof Tensor) {
    tensors[path] = { data: value.data, shape: value.shape.slice() };
    return { $tensor: path };
  }
  for (const [tag, ctor] of [['$f32', Float32Array], ['$f64', Float64Array], ['$i32', Int32Array]] as const) {
    if (value instanceof ctor) {
      tensors[path] = { data: value, shape: [value.length] };
      return { [tag]: path };
    }
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { $num: String(value) };
  if (Array.isArray(value)) return value.map((v, i) => flatten(v, `${path}/${i}`, tensors));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = flatten(v, path ? `${path}/${k}` : k, tensors);
    return out;
  }
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    throw new Error(`saveCheckpoint: cannot store a ${typeof value} at '${path}'`);
  }
  return value;
}

function restore(value: unknown, tensors: Record<string, StoredTensor>, what: string): Tree {
  if (Array.isArray(value)) return value.map((v) => restore(v, tensors, what));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const [tag] = keys;
    if (tag === '$num') return Number(obj.$num);
    if (tag === '$tensor' || tag === '$f32' || tag === '$f64' || tag === '$i32') {
      const stored = tensors[obj[tag] as string];
      if (!stored) throw new Error(`${what}: corrupted (missing tensor '${String(obj[tag])}')`);
      if (tag === '$tensor') return new Tensor(stored.data as Float32Array, stored.shape);
      return stored.data;
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = restore(obj[k], tensors, what);
  return out;
}

/** Writes `state` to `path` atomically (temporary file, fsync, rename). */
export function saveCheckpoint(path: string, state: Record<string, unknown>): void {
  const tensors: Record<string, StoredTensor> = {};
  const json = JSON.stringify(flatten(state, '', tensors));
  const chunks = encodeSafetensors(tensors, { format: CHECKPOINT_FORMAT, state: json, sha256: checksum(json, tensors) });
  try {
    writeFileAtomic(path, chunks);
  } catch (err) {
    throw new Error(`saveCheckpoint: ${(err as Error).message}`);
  }
}

/** Reads a checkpoint; a missing, truncated, altered or foreign file is refused with a one-line Error naming it. */
export function loadCheckpoint(path: string): Record<string, unknown> {
  const what = `checkpoint ${path}`;
  let bytes: Uint8Array;
  try {
    bytes = nodeFs('loadCheckpoint').readFileSync(path);
  } catch (err) {
    throw new Error(`${what}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const { tensors, metadata } = decodeSafetensors(bytes, what);
  if (metadata.format !== CHECKPOINT_FORMAT && metadata.format !== FORMAT_1) {
    throw new Error(`${what}: not a nabla checkpoint (format ${JSON.stringify(metadata.format ?? null)}, expected ${CHECKPOINT_FORMAT})`);
  }
  if (typeof metadata.state !== 'string' || checksum(metadata.state, tensors, metadata.format !== FORMAT_1) !== metadata.sha256) {
    throw new Error(`${what}: corrupted (checksum mismatch)`);
  }
  return restore(JSON.parse(metadata.state), tensors, what) as Record<string, unknown>;
}
