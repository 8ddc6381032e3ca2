/**
 * The character stream the sequence workloads (`gpt`, `lstm`) train on, written once per run as raw little-endian int32
 * ids so that Python and Node read the same bytes: a seeded Markov chain over the vocabulary in which
 * each character has 4 equally likely successors (a text whose best loss is ln 4 ≈ 1.39 nats, so the
 * last loss shows the model learning; the speed does not depend on the text). Sample i is positions
 * [i·context, (i + 1)·context) and its targets the same positions shifted by one.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** mulberry32: the bench's own small generator (nabla's global one stays untouched). */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tokenCount(samples: number, context: number): number {
  return samples * context + 1;
}

export function writeTokenFile(path: string, samples: number, context: number, vocab: number): void {
  const random = mulberry32(14);
  const successors = Array.from({ length: vocab }, () => Array.from({ length: 4 }, () => Math.floor(random() * vocab)));
  const ids = new Int32Array(tokenCount(samples, context));
  for (let i = 1; i < ids.length; i++) ids[i] = successors[ids[i - 1]][Math.floor(random() * 4)];
  writeFileSync(path, new Uint8Array(ids.buffer));
}

/** Inputs x [samples, context] (ids as floats, as CharGPT and CharRNN take them) and targets y [samples·context]. */
export function readTokenFile(path: string, samples: number, context: number): { x: Float32Array; y: Int32Array } {
  const bytes = readFileSync(path);
  const n = tokenCount(samples, context);
  if (bytes.length !== n * 4) throw new Error(`bench: ${path} holds ${bytes.length} bytes, expected ${n * 4}`);
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
  const ids = new Int32Array(aligned.buffer, aligned.byteOffset, n);
  return { x: Float32Array.from(ids.subarray(0, n - 1)), y: ids.slice(1) };
}
