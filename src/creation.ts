/** Creating tensors: from values, filled, random (seeded by manualSeed) and ranges. */
import { Tensor, type NestedArray } from './tensor.js';
import { checkShape, formatShape, sizeOf } from './shape.js';
import { normal, uniform } from './random.js';
import { stepFloats } from './recycling-step.js';

export interface TensorOptions {
  shape?: number[];
  requiresGrad?: boolean;
  name?: string;
}

function inferShape(value: NestedArray, path: string): number[] {
  if (typeof value === 'number') return [];
  if (!Array.isArray(value)) throw new Error(`tensor: expected numbers or nested arrays, got ${value === null ? 'null' : typeof value} at ${path}`);
  if (value.length === 0) return [0];
  return [value.length, ...inferShape(value[0], `${path}[0]`)];
}

function flatten(value: NestedArray, shape: number[], dim: number, out: Float32Array, offset: number, path: string): number {
  if (dim === shape.length) {
    if (Array.isArray(value)) throw new Error(`tensor: ragged nested array: expected a number at ${path}, got an array`);
    if (typeof value !== 'number') throw new Error(`tensor: expected numbers or nested arrays, got ${value === null ? 'null' : typeof value} at ${path}`);
    out[offset] = value;
    return offset + 1;
  }
  if (!Array.isArray(value) || value.length !== shape[dim]) {
    const got = Array.isArray(value) ? `length ${value.length}` : typeof value;
    throw new Error(`tensor: ragged nested array: expected length ${shape[dim]} at ${path}, got ${got}`);
  }
  for (let i = 0; i < value.length; i++) offset = flatten(value[i], shape, dim + 1, out, offset, `${path}[${i}]`);
  return offset;
}

function finish(t: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad = true;
  if (options.name !== undefined) t.name = options.name;
  return t;
}

/** Typed arrays (Float64Array, Int32Array, …) and, with a shape, other array-likes: flat values. */
function isFlat(value: unknown, shape: number[] | undefined): value is ArrayLike<number> {
  if (ArrayBuffer.isView(value)) return !(value instanceof DataView);
  return shape !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value) && 'length' in value;
}

/**
 * A tensor from a number, nested arrays, or flat values (a typed array, or number[] with
 * `{ shape }`). Values are copied into new float32 storage, except a Float32Array, which is used as is.
 */
export function tensor(value: NestedArray | Float32Array | ArrayLike<number> | Tensor, options: TensorOptions = {}): Tensor {
  if (value instanceof Tensor) return finish(new Tensor(value.data.slice(), value.shape.slice()), options);
  if (options.shape !== undefined) checkShape('tensor', options.shape);
  let data: Float32Array;
  let inferred: number[];
  if (isFlat(value, options.shape)) {
    data = value instanceof Float32Array ? value : Float32Array.from(value);
    inferred = [data.length];
  } else {
    inferred = inferShape(value as NestedArray, 'value');
    data = new Float32Array(sizeOf(inferred));
    flatten(value as NestedArray, inferred, 0, data, 0, 'value');
  }
  const shape = options.shape ? options.shape.slice() : inferred;
  if (sizeOf(shape) !== data.length) {
    throw new Error(`tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`);
  }
  return finish(new Tensor(data, shape), options);
}

/** An uninitialized-by-contract (zero-filled) tensor: the output buffer ops write into. */
export function empty(shape: number[]): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)), shape);
}

/** Node's Buffer, when there is one (never imported: browser bundles must not see `node:` modules). */
const NodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(bytes: number): { buffer: ArrayBuffer } } }).Buffer;

/** Arrays below this many bytes are zero-filled as usual (cheap, and V8 allocates them faster). */
const UNINITIALIZED_MIN_BYTES = 64 * 1024;

/**
 * A Float32Array whose contents are unspecified, for a kernel that overwrites every element: in
 * Node, a large one is Buffer.allocUnsafeSlow's memory (malloc without the zero-fill, which cost
 * the CNN's step ~60 MB of memset); elsewhere, and when small, a zeroed array. Inside a recycling step
 * (recycling-step.ts), a large one may be an array of an earlier step.
 */
export function uninitializedFloats(size: number): Float32Array {
  if (size * 4 < UNINITIALIZED_MIN_BYTES) return new Float32Array(size);
  return stepFloats(size, () => (NodeBuffer === undefined ? new Float32Array(size) : new Float32Array(NodeBuffer.allocUnsafeSlow(size * 4).buffer, 0, size)));
}

/** As uninitializedFloats, for Int32 indices (a pool's argmax). */
export function uninitializedInts(size: number): Int32Array {
  if (NodeBuffer === undefined || size * 4 < UNINITIALIZED_MIN_BYTES) return new Int32Array(size);
  return new Int32Array(NodeBuffer.allocUnsafeSlow(size * 4).buffer, 0, size);
}

/** A tensor of unspecified contents (see uninitializedFloats): only for an output a kernel fully overwrites. */
export function emptyUninitialized(shape: number[]): Tensor {
  return new Tensor(uninitializedFloats(sizeOf(shape)), shape);
}

type CreateOptions = Omit<TensorOptions, 'shape'>;

function filled(op: string, shape: number[], options: CreateOptions, fill: (data: Float32Array) => void): Tensor {
  checkShape(op, shape);
  const t = new Tensor(new Float32Array(sizeOf(shape)), shape.slice());
  fill(t.data);
  return finish(t, options);
}

export function zeros(shape: number[], options: CreateOptions = {}): Tensor {
  return filled('zeros', shape, options, () => {});
}

export function ones(shape: number[], options: CreateOptions = {}): Tensor {
  return filled('ones', shape, options, (d) => d.fill(1));
}

export function full(shape: number[], value: number, options: CreateOptions = {}): Tensor {
  if (typeof value !== 'number') throw new Error(`full: fill value must be a number, got ${typeof value}`);
  return filled('full', shape, options, (d) => d.fill(value));
}

function checkLike(op: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${t === null ? 'null' : typeof t}`);
}

export function zerosLike(t: Tensor, options: CreateOptions = {}): Tensor {
  checkLike('zerosLike', t);
  return zeros(t.shape, options);
}

export function onesLike(t: Tensor, options: CreateOptions = {}): Tensor {
  checkLike('onesLike', t);
  return ones(t.shape, options);
}

/** Uniform on [0, 1), from the seeded generator. */
export function rand(shape: number[], options: CreateOptions = {}): Tensor {
  return filled('rand', shape, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = uniform();
  });
}

/** Standard normal, from the seeded generator. */
export function randn(shape: number[], options: CreateOptions = {}): Tensor {
  return filled('randn', shape, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = normal();
  });
}

/** Values start, start+step, … below end (like torch.arange); arange(n) counts 0…n−1. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (![start, end, step].every(Number.isFinite)) throw new Error(`arange: start, end and step must be finite numbers, got ${start}, ${end}, ${step}`);
  if (step === 0) throw new Error('arange: step must be non-zero');
  if ((end - start) * step < 0) throw new Error(`arange: step ${step} goes away from end ${end} (start ${start}); use a step of the other sign`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  return filled('arange', [n], options, (d) => {
    for (let i = 0; i < n; i++) d[i] = start + i * step;
  });
}

/** `steps` values evenly spaced from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new Error(`linspace: start and end must be finite numbers, got ${start}, ${end}`);
  return filled('linspace', [steps], options, (d) => {
    const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
    for (let i = 0; i < steps; i++) d[i] = start + i * delta;
    if (steps > 1) d[steps - 1] = end;
  });
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  return filled('eye', [n, m], options, (d) => {
    for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  });
}
