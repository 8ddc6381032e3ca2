/**
 * The safetensors container (https://github.com/huggingface/safetensors): an 8-byte
 * little-endian header length, a JSON header naming each tensor's dtype, shape and byte
 * range, then the raw little-endian bytes. `__metadata__` holds string-to-string extras.
 */

export type StoredArray = Float32Array | Float64Array | Int32Array | BigInt64Array;

export interface StoredTensor {
  data: StoredArray;
  shape: number[];
  /** Set by decodeSafetensors: the dtype in the file (F16 and BF16 are widened to a Float32Array). */
  dtype?: string;
}

type StoredArrayConstructor = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | BigInt64ArrayConstructor;

const DTYPE: Record<string, { name: string; ctor: StoredArrayConstructor }> = {
  Float32Array: { name: 'F32', ctor: Float32Array },
  Float64Array: { name: 'F64', ctor: Float64Array },
  Int32Array: { name: 'I32', ctor: Int32Array },
  BigInt64Array: { name: 'I64', ctor: BigInt64Array },
};
const BY_NAME: Record<string, StoredArrayConstructor> = Object.fromEntries(Object.values(DTYPE).map((d) => [d.name, d.ctor]));

/** 16-bit floats (read only, widened exactly to float32): IEEE half precision and bfloat16. */
const HALF: Record<string, (bits: number) => number> = {
  F16: halfToFloat,
  BF16: (bits) => new Float32Array(new Uint32Array([bits << 16]).buffer)[0],
};

/** The dtypes decodeSafetensors reads, for error messages. */
export const READABLE_DTYPES = [...Object.keys(BY_NAME), ...Object.keys(HALF)];

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Serializes tensors and metadata into safetensors chunks (header, then each tensor's bytes). */
export function encodeSafetensors(tensors: Record<string, StoredTensor>, metadata: Record<string, string>): Uint8Array[] {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const dtype = DTYPE[t.data.constructor.name];
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype: dtype.name, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  // Pad the header with spaces to a multiple of 8 so the data starts aligned.
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((json.length + 8) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  return [prefix, headerBytes, ...chunks];
}

/** Parses safetensors bytes; throws a one-line Error (prefixed by `what`) on anything malformed. */
export function decodeSafetensors(bytes: Uint8Array, what: string): { tensors: Record<string, StoredTensor>; metadata: Record<string, string> } {
  const fail = (why: string): never => {
    throw new Error(`${what}: ${why}`);
  };
  if (bytes.length < 8) fail(`truncated (${bytes.length} bytes, no header)`);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLength > bytes.length - 8) fail(`truncated (header of ${headerLength} bytes, file of ${bytes.length})`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    return fail('corrupted header (not valid JSON)');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('corrupted header (not an object)');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const tensors: Record<string, StoredTensor> = {};
  let end = 0;
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (entry === null || typeof entry !== 'object') fail(`corrupted header (entry '${name}' is not an object)`);
    const { dtype, shape, data_offsets: range } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const ctor = Object.hasOwn(BY_NAME, dtype) ? BY_NAME[dtype] : undefined;
    const half = Object.hasOwn(HALF, dtype) ? HALF[dtype] : undefined;
    if (!ctor && !half) fail(`tensor '${name}' has dtype ${String(dtype)}, which nabla does not read (it reads ${READABLE_DTYPES.join(', ')})`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(range) || range.length !== 2 || !range.every((o) => Number.isSafeInteger(o) && o >= 0) || range[1] < range[0]) {
      fail(`tensor '${name}' has invalid data_offsets`);
    }
    if (range[1] > dataLength) fail(`truncated (tensor '${name}' ends at byte ${dataStart + range[1]}, file has ${bytes.length})`);
    const count = (range[1] - range[0]) / (half ? 2 : ctor!.BYTES_PER_ELEMENT);
    const expected = shape.reduce((a, b) => a * b, 1);
    if (count !== expected) fail(`tensor '${name}' has ${count} elements for shape [${shape.join(',')}]`);
    // Copy so the arrays are aligned and independent of the file buffer.
    const raw = new Uint8Array(bytes.subarray(dataStart + range[0], dataStart + range[1]));
    let data: StoredArray;
    if (half) {
      const view = new DataView(raw.buffer);
      data = Float32Array.from({ length: count }, (_, i) => half(view.getUint16(2 * i, true)));
    } else {
      data = new ctor!(raw.buffer, 0, count);
    }
    tensors[name] = { data, shape, dtype };
    end = Math.max(end, range[1]);
  }
  if (end !== dataLength) fail(`has ${dataLength - end} unexpected trailing bytes`);
  return { tensors, metadata };
}
