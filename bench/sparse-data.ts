/**
 * The sparse workload's data: the SpamAssassin training split hashed into 2^20 buckets (or 2^16, 2^24: the library's
 * tokenizer and hashing trick, as `nabla train --dataset spam` uses them), written once per run as
 * little-endian int32 arrays so Python and Node read the same documents in the same order:
 * [documents, total ids, buckets], starts (documents + 1), ids, labels.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadTextData } from '../src/text/text-data.js';
import { textPreprocess } from '../src/text/hashing.js';

export interface SparseData {
  starts: Int32Array;
  ids: Int32Array;
  y: Int32Array;
  buckets: number;
}

export const SPARSE_HASH_BITS = 20;

export function writeSparseDataFile(path: string, hashBits = SPARSE_HASH_BITS): SparseData {
  const { train } = loadTextData({ dataset: 'spam', text: textPreprocess({ hashBits }), seed: 0 });
  const documents = train.length;
  const header = Int32Array.of(documents, train.starts[documents], train.buckets);
  const parts = [header, train.starts, train.ids.subarray(0, train.starts[documents]), train.y];
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  writeFileSync(path, bytes);
  return { starts: train.starts, ids: train.ids, y: train.y, buckets: train.buckets };
}

export function readSparseDataFile(path: string): SparseData {
  const bytes = new Uint8Array(readFileSync(path));
  const ints = new Int32Array(bytes.buffer, 0, bytes.byteLength / 4);
  const [documents, total, buckets] = ints;
  const starts = ints.subarray(3, 3 + documents + 1);
  const ids = ints.subarray(4 + documents, 4 + documents + total);
  const y = ints.subarray(4 + documents + total, 4 + documents + total + documents);
  if (y.length !== documents) throw new Error(`bench: ${path} is truncated`);
  return { starts, ids, y, buckets };
}
