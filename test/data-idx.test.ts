import { describe, expect, it } from 'vitest';
import { data } from '../src/index.js';

const { readIdx } = data;

/** An IDX file built by hand: zero magic bytes, type code, dimension count, big-endian sizes and values. */
function idxFile(typeCode: number, shape: number[], values: number[], width: number, write: (v: DataView, offset: number, value: number) => void): Uint8Array {
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + values.length * width);
  const view = new DataView(bytes.buffer);
  bytes[2] = typeCode;
  bytes[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  values.forEach((v, i) => write(view, header + i * width, v));
  return bytes;
}

describe('readIdx', () => {
  const cases = [
    { type: 'uint8', code: 0x08, width: 1, values: [0, 1, 127, 128, 254, 255], write: (v: DataView, o: number, x: number) => v.setUint8(o, x) },
    { type: 'int8', code: 0x09, width: 1, values: [-128, -1, 0, 1, 64, 127], write: (v: DataView, o: number, x: number) => v.setInt8(o, x) },
    { type: 'int16', code: 0x0b, width: 2, values: [-32768, -300, 0, 1, 258, 32767], write: (v: DataView, o: number, x: number) => v.setInt16(o, x, false) },
    { type: 'int32', code: 0x0c, width: 4, values: [-2147483648, -70000, 0, 1, 65536, 2147483647], write: (v: DataView, o: number, x: number) => v.setInt32(o, x, false) },
    { type: 'float32', code: 0x0d, width: 4, values: [-1.5, 0, 0.25, 3.14, 1e30, -2e-20].map(Math.fround), write: (v: DataView, o: number, x: number) => v.setFloat32(o, x, false) },
    { type: 'float64', code: 0x0e, width: 8, values: [-1.5, 0, 0.1, Math.PI, 1e300, -5e-324], write: (v: DataView, o: number, x: number) => v.setFloat64(o, x, false) },
  ];
  for (const c of cases) {
    it(`decodes ${c.type} (type byte 0x${c.code.toString(16)}) with its big-endian shape`, () => {
      const file = idxFile(c.code, [2, 3], c.values, c.width, c.write);
      const out = readIdx(file);
      expect(out.type).toBe(c.type);
      expect(out.shape).toEqual([2, 3]);
      expect(Array.from(out.data)).toEqual(c.values);
    });
  }

  it('reads 1-D and 3-D files, from an ArrayBuffer or a Uint8Array view with an offset', () => {
    const labels = idxFile(0x08, [4], [5, 0, 4, 1], 1, (v, o, x) => v.setUint8(o, x));
    expect(readIdx(labels.buffer as ArrayBuffer).shape).toEqual([4]);
    const images = idxFile(0x08, [2, 2, 3], [...Array(12).keys()], 1, (v, o, x) => v.setUint8(o, x));
    const padded = new Uint8Array(images.length + 5);
    padded.set(images, 5);
    const out = readIdx(padded.subarray(5));
    expect(out.shape).toEqual([2, 2, 3]);
    expect(Array.from(out.data)).toEqual([...Array(12).keys()]);
  });

  it('reads dimensions above 2^16 (a 70,000-label file header)', () => {
    const file = new Uint8Array(8 + 70000);
    file[2] = 0x08;
    file[3] = 1;
    new DataView(file.buffer).setUint32(4, 70000, false);
    file[8 + 69999] = 9;
    const out = readIdx(file);
    expect(out.shape).toEqual([70000]);
    expect(out.data[69999]).toBe(9);
  });

  it('refuses a file too short for the magic number, naming the file and byte', () => {
    expect(() => readIdx(new Uint8Array([0, 0]), 'short.idx')).toThrow('readIdx: short.idx: file too short for the 4-byte magic number (2 bytes) at byte 2');
  });

  it('refuses a bad magic number', () => {
    const file = idxFile(0x08, [1], [1], 1, (v, o, x) => v.setUint8(o, x));
    file[0] = 0x1f;
    expect(() => readIdx(file, 'a.gz')).toThrow('readIdx: a.gz: bad magic number 0x1f 0x00 0x08 0x01 (an IDX file starts with 0x00 0x00) at byte 0');
  });

  it('refuses an unknown data type', () => {
    const file = idxFile(0x0a, [1], [1], 1, (v, o, x) => v.setUint8(o, x));
    expect(() => readIdx(file, 'x.idx')).toThrow(/readIdx: x\.idx: unknown data type 0x0a .* at byte 2/);
  });

  it('refuses a header cut short and zero dimensions', () => {
    const file = idxFile(0x08, [2, 2], [1, 2, 3, 4], 1, (v, o, x) => v.setUint8(o, x));
    expect(() => readIdx(file.subarray(0, 9), 'h.idx')).toThrow('readIdx: h.idx: file too short for 2 dimension sizes (header needs 12 bytes, file has 9) at byte 9');
    expect(() => readIdx(new Uint8Array([0, 0, 8, 0]), 'z.idx')).toThrow('readIdx: z.idx: zero dimensions at byte 3');
  });

  it('refuses data shorter or longer than the shape says', () => {
    const file = idxFile(0x0b, [2, 2], [1, 2, 3, 4], 2, (v, o, x) => v.setInt16(o, x, false));
    expect(() => readIdx(file.subarray(0, file.length - 1), 't.idx')).toThrow('readIdx: t.idx: size mismatch: shape [2,2] of int16 needs 8 data bytes, found 7 at byte 12');
    const longer = new Uint8Array(file.length + 2);
    longer.set(file);
    expect(() => readIdx(longer)).toThrow('readIdx: size mismatch: shape [2,2] of int16 needs 8 data bytes, found 10 at byte 12');
  });
});
