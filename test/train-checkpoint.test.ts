import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint, saveCheckpoint } from '../src/train/checkpoint.js';
import { decodeSafetensors } from '../src/train/safetensors.js';
import { Tensor, tensor } from '../src/index.js';

function sample() {
  return {
    model: { '0.weight': tensor([[1.5, -2], [3, 4.25]]), '0.bias': tensor([0.5, -0.5]) },
    optimizer: { state: [{ step: 3, expAvg: Float32Array.from([0.1, 0.2]) }], best: Infinity, counts: Int32Array.from([7, -1]) },
    rng: { s: [1, 2, 3, 4294967295], spare: null },
    epoch: 2,
    note: 'ok',
  };
}

describe('checkpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-ckpt-'));

  it('round-trips tensors, typed arrays, non-finite numbers and plain values', () => {
    const path = join(dir, 'a.safetensors');
    saveCheckpoint(path, sample());
    const back = loadCheckpoint(path) as ReturnType<typeof sample>;
    expect(back.model['0.weight']).toBeInstanceOf(Tensor);
    expect(back.model['0.weight'].shape).toEqual([2, 2]);
    expect(Array.from(back.model['0.weight'].data)).toEqual([1.5, -2, 3, 4.25]);
    expect(back.optimizer.state[0].expAvg).toBeInstanceOf(Float32Array);
    expect(Array.from(back.optimizer.state[0].expAvg)).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    expect(back.optimizer.best).toBe(Infinity);
    expect(Array.from(back.optimizer.counts)).toEqual([7, -1]);
    expect(back.rng).toEqual({ s: [1, 2, 3, 4294967295], spare: null });
    expect(back.epoch).toBe(2);
    expect(back.note).toBe('ok');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('is a valid safetensors file', () => {
    const path = join(dir, 'b.safetensors');
    saveCheckpoint(path, sample());
    const { tensors, metadata } = decodeSafetensors(readFileSync(path), 'x');
    expect(metadata.format).toBe('nabla-checkpoint/2');
    expect(tensors['model/0.weight'].shape).toEqual([2, 2]);
    const headerLength = Number(readFileSync(path).readBigUInt64LE(0));
    expect((8 + headerLength) % 8).toBe(0);
  });

  it('refuses a truncated file with one line naming it', () => {
    const path = join(dir, 'c.safetensors');
    saveCheckpoint(path, sample());
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 5));
    expect(() => loadCheckpoint(path)).toThrow(new RegExp(`^checkpoint ${path}: truncated`));
    writeFileSync(path, bytes.subarray(0, 6));
    expect(() => loadCheckpoint(path)).toThrow(/truncated \(6 bytes, no header\)/);
  });

  it('refuses an altered byte (checksum) and a foreign file', () => {
    const path = join(dir, 'd.safetensors');
    saveCheckpoint(path, sample());
    const bytes = Buffer.from(readFileSync(path));
    bytes[bytes.length - 3] ^= 0x40;
    writeFileSync(path, bytes);
    expect(() => loadCheckpoint(path)).toThrow(`checkpoint ${path}: corrupted (checksum mismatch)`);
    writeFileSync(path, 'hello world, not a checkpoint');
    expect(() => loadCheckpoint(path)).toThrow(new RegExp(`^checkpoint ${path}: `));
    expect(() => loadCheckpoint(join(dir, 'missing.safetensors'))).toThrow(/cannot be read \(ENOENT\)/);
  });

  it('refuses values it cannot store', () => {
    expect(() => saveCheckpoint(join(dir, 'e.safetensors'), { f: () => 1 })).toThrow("saveCheckpoint: cannot store a function at 'f'");
  });
});

describe('checkpoint temporary files', () => {
  it('removes a temporary file left by a killed writer, and keeps a live writer\'s', async () => {
    const { spawnSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'nabla-ckpt-tmp-'));
    const path = join(dir, 'c.safetensors');
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    writeFileSync(join(dir, `.c.safetensors.${dead}.tmp`), 'half a checkpoint');
    writeFileSync(join(dir, `.c.safetensors.${process.ppid}.tmp`), 'a live writer');
    saveCheckpoint(path, sample());
    expect(readdirSync(dir).sort()).toEqual([`.c.safetensors.${process.ppid}.tmp`, 'c.safetensors']);
  });
});
