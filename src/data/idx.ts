/**
 * The IDX file format (MNIST's): two zero bytes, a data-type byte, a dimension count byte,
 * then each dimension as a big-endian uint32, then the values, big-endian, row-major.
 */

export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  type: IdxType;
  shape: number[];
  /** Row-major values. For 8-bit types, a view of the input buffer (no copy). */
  data: IdxData;
}

const TYPES: Partial<Record<number, { type: IdxType; bytes: number }>> = {
  0x08: { type: 'uint8', bytes: 1 },
  0x09: { type: 'int8', bytes: 1 },
  0x0b: { type: 'int16', bytes: 2 },
  0x0c: { type: 'int32', bytes: 4 },
  0x0d: { type: 'float32', bytes: 4 },
  0x0e: { type: 'float64', bytes: 8 },
};

const hex = (v: number) => `0x${v.toString(16).padStart(2, '0')}`;

/** Decodes an IDX file. `name` (the file's path, say) is named in errors, with the byte offset at fault. */
export function readIdx(buffer: Uint8Array | ArrayBuffer, name?: string): IdxArray {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const fail: (offset: number, what: string) => never = (offset, what) => {
    throw new Error(`readIdx: ${name ? `${name}: ` : ''}${what} at byte ${offset}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) fail(bytes.length, `file too short for the 4-byte magic number (${bytes.length} bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(0, `bad magic number ${Array.from(bytes.subarray(0, 4), hex).join(' ')} (an IDX file starts with 0x00 0x00)`);
  }
  const kind = TYPES[bytes[2]];
  if (!kind) fail(2, `unknown data type ${hex(bytes[2])} (expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e)`);
  const { type, bytes: width } = kind;
  const ndim = bytes[3];
  if (ndim === 0) fail(3, 'zero dimensions');
  const headerSize = 4 + 4 * ndim;
  if (bytes.length < headerSize) fail(bytes.length, `file too short for ${ndim} dimension sizes (header needs ${headerSize} bytes, file has ${bytes.length})`);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const dataBytes = bytes.length - headerSize;
  if (dataBytes !== count * width) {
    fail(headerSize, `size mismatch: shape [${shape.join(',')}] of ${type} needs ${count * width} data bytes, found ${dataBytes}`);
  }
  return { type, shape, data: decode(type, bytes, view, headerSize, count) };
}

function decode(type: IdxType, bytes: Uint8Array, view: DataView, offset: number, count: number): IdxData {
  switch (type) {
    case 'uint8':
      return bytes.subarray(offset, offset + count);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}
