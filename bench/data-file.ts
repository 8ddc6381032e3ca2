/**
 * The MNIST slice every worker trains on, written once per run as raw little-endian arrays
 * (float32 pixels [samples, 784], standardized, then int32 labels [samples]) so that Python and
 * Node read exactly the same bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadMnist } from '../src/data/mnist.js';

export function writeDataFile(path: string, samples: number): void {
  const { x, y } = loadMnist({ split: 'train', limit: samples, normalize: true });
  const bytes = new Uint8Array(samples * 784 * 4 + samples * 4);
  bytes.set(new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength), 0);
  bytes.set(new Uint8Array(y.buffer, y.byteOffset, y.byteLength), samples * 784 * 4);
  writeFileSync(path, bytes);
}

export function readDataFile(path: string, samples: number): { x: Float32Array; y: Int32Array } {
  const bytes = readFileSync(path);
  if (bytes.length !== samples * 785 * 4) throw new Error(`bench: ${path} holds ${bytes.length} bytes, expected ${samples * 785 * 4}`);
  // Typed-array views need 4-byte alignment; a large file's Buffer starts at offset 0 anyway.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
  return {
    x: new Float32Array(aligned.buffer, aligned.byteOffset, samples * 784),
    y: new Int32Array(aligned.buffer, aligned.byteOffset + samples * 784 * 4, samples),
  };
}
