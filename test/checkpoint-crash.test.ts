/**
 * Crash safety of checkpoints: a child process writing 8 MB checkpoints in a loop is killed with
 * SIGKILL at random moments during a write, several times; the checkpoint on disk is always the
 * previous complete one (or the new one, if the rename happened) and loads. A truncated or altered
 * file is refused in one line naming it, and `nabla train --resume` on it prints that line, exit 2.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCheckpoint, saveCheckpoint } from '../src/train/checkpoint.js';
import { Tensor, zeros } from '../src/index.js';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nabla-crash-'));
const ELEMENTS = 2 ** 21; // 8 MB of float32: a write takes tens of milliseconds

/** The child: writes checkpoint `step` (every element = step) in a loop, saying "writing N" before and "saved N" after. */
const writer = join(dir, 'writer.mts');
writeFileSync(writer, `
import { saveCheckpoint } from ${JSON.stringify(pathToFileURL(join(root, 'src/train/checkpoint.ts')).href)};
import { Tensor } from ${JSON.stringify(pathToFileURL(join(root, 'src/tensor.ts')).href)};
const [path, first] = [process.argv[2], Number(process.argv[3])];
for (let step = first; ; step++) {
  process.stdout.write('writing ' + step + '\\n');
  saveCheckpoint(path, { step, w: new Tensor(new Float32Array(${ELEMENTS}).fill(step), [${ELEMENTS}]) });
  process.stdout.write('saved ' + step + '\\n');
}
`);

interface Killed {
  lastSaved: number;
  writing: number;
  midWrite: boolean;
}

/**
 * Starts the writer at step `first` and, once it is writing step `killAt`, SIGKILLs it 0–3 ms after
 * its temporary file appears (inside writeFileAtomic's write), or as soon as the step is saved.
 */
function runAndKill(path: string, first: number, killAt: number): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path, String(first)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastSaved = first - 1;
    let writing = first - 1;
    let buffered = '';
    let stderr = '';
    let midWrite = false;
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [what, n] = line.split(' ');
        if (what === 'saved') lastSaved = Number(n);
        if (what === 'writing') {
          writing = Number(n);
          if (writing === killAt) {
            const hasTmp = () => readdirSync(dir).some((f) => f.endsWith('.tmp') && f.includes(String(child.pid)));
            const poll = setInterval(() => {
              if (!hasTmp() && lastSaved < killAt) return;
              clearInterval(poll);
              setTimeout(() => {
                // A temporary file beside the target means the kill lands inside writeFileAtomic's write.
                midWrite = hasTmp();
                child.kill('SIGKILL');
              }, Math.random() * 3);
            }, 1);
          }
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code ?? signal}: ${stderr}`));
      else resolve({ lastSaved, writing, midWrite });
    });
  });
}

describe('checkpoints survive SIGKILL in the middle of a write', () => {
  it('the previous checkpoint always loads, complete, after each of several kills', async () => {
    const path = join(dir, 'checkpoint.safetensors');
    let next = 0;
    let midWrites = 0;
    for (let round = 0; round < 5; round++) {
      const killed = await runAndKill(path, next, next + 1 + Math.floor(Math.random() * 2));
      const state = loadCheckpoint(path);
      const step = state.step as number;
      // The file is the last one reported saved, or the one being written if its rename had happened.
      expect([killed.lastSaved, killed.writing]).toContain(step);
      expect(step).toBeGreaterThanOrEqual(next);
      const w = state.w as Tensor;
      expect(w.shape).toEqual([ELEMENTS]);
      expect(w.data.every((v) => v === step)).toBe(true);
      if (killed.midWrite) midWrites++;
      next = step + 1;
    }
    // Most kills land inside a write (a write takes tens of ms); at least one must have, or the test proved nothing.
    expect(midWrites).toBeGreaterThan(0);
  }, 60_000);
});

describe('damaged checkpoints are refused in one line naming the file', () => {
  const good = () => {
    const path = join(dir, `c${Math.random().toString(36).slice(2)}.safetensors`);
    saveCheckpoint(path, { step: 3, w: zeros([64, 64]), note: 'x' });
    return { path, bytes: readFileSync(path) };
  };

  it.each([
    ['cut to 0 bytes', (b: Buffer) => b.subarray(0, 0), /truncated \(0 bytes, no header\)$/],
    ['cut in the header', (b: Buffer) => b.subarray(0, 40), /truncated \(header of \d+ bytes, file of 40\)$/],
    ['cut in the data', (b: Buffer) => b.subarray(0, b.length - 1000), /truncated \(tensor 'w' ends at byte \d+, file has \d+\)$/],
    ['one data byte flipped', (b: Buffer) => { const c = Buffer.from(b); c[c.length - 7] ^= 1; return c; }, /corrupted \(checksum mismatch\)$/],
    ['a value of the state edited', (b: Buffer) => {
      const text = b.toString('latin1');
      expect(text).toContain('\\"note\\":\\"x\\"');
      return Buffer.from(text.replace('\\"note\\":\\"x\\"', '\\"note\\":\\"y\\"'), 'latin1');
    }, /corrupted \(checksum mismatch\)$/],
    ['header length bytes zeroed', (b: Buffer) => { const c = Buffer.from(b); c.fill(0, 0, 8); return c; }, /corrupted header \(not valid JSON\)$/],
    ['bytes appended', (b: Buffer) => Buffer.concat([b, Buffer.from('garbage')]), /has 7 unexpected trailing bytes$/],
  ])('%s', (_what, damage, reason) => {
    const { path, bytes } = good();
    writeFileSync(path, damage(bytes));
    let message = '';
    try {
      loadCheckpoint(path);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.startsWith(`checkpoint ${path}: `)).toBe(true);
    expect(message).toMatch(reason);
    expect(message).not.toContain('\n');
  });

  it('nabla train --resume on a damaged checkpoint prints one line and exits with 2, no stack trace', () => {
    for (const [name, damage] of [
      ['truncated', (b: Buffer) => b.subarray(0, b.length - 100)],
      ['altered', (b: Buffer) => { const c = Buffer.from(b); c[c.length - 1] ^= 0x80; return c; }],
    ] as const) {
      const run = mkdtempSync(join(dir, `run-${name}-`));
      const path = join(run, 'checkpoint.safetensors');
      saveCheckpoint(path, { step: 1, epoch: 1, model: { w: zeros([8, 8]) } });
      writeFileSync(path, damage(readFileSync(path)));
      const r = spawnSync(process.execPath, ['bin/nabla.js', 'train', '--resume', run], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^nabla train: checkpoint ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: (truncated|corrupted) `));
    }
  }, 60_000);
});
