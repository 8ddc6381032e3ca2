/**
 * A full disk or a read-only folder while `nabla train`, `evaluate` or `export` writes: one line on
 * stderr naming the file, a non-zero exit, and every file written before left byte for byte as it was
 * (no half-written checkpoint, model, metrics or export; no temporary files left behind). The failures
 * are simulated in the child process by test/fixtures/failing-fs.mjs (ENOSPC after a byte budget, EROFS
 * under a folder), preloaded with --import.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'nabla-storage-'));
const base = join(tmp, 'base');
const fixture = join(root, 'test/fixtures/failing-fs.mjs');

function nabla(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', fixture, 'bin/nabla.js', ...args], {
    cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under dir (recursively) with its bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(p.slice(dir.length), readFileSync(p));
    }
  };
  walk(dir);
  return files;
}

function expectUnchanged(dir: string, before: Map<string, Buffer>): void {
  const after = snapshot(dir);
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
}

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(() => {
  const r = nabla(['train', '--dataset', 'spiral', '--samples', '200', '--hidden', '8', '--epochs', '2', '--quiet', '--out', base]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const onnx = nabla(['export', base, '--format', 'onnx']);
  expect(onnx.code).toBe(0);
  const torch = nabla(['export', base, '--format', 'torch']);
  expect(torch.code).toBe(0);
  const evaluation = nabla(['evaluate', base]);
  expect(evaluation.code).toBe(0);
}, 180_000);

/** A fresh copy of the finished run, so each case starts from the same files. */
function copyOfRun(name: string): string {
  const dir = join(tmp, name);
  cpSync(base, dir, { recursive: true });
  return dir;
}

describe('storage failures', () => {
  for (const [failure, env, code] of [
    ['a full disk', (_dir: string) => ({ NABLA_TEST_ENOSPC_AFTER: '0' }), 'ENOSPC'],
    ['a read-only run folder', (dir: string) => ({ NABLA_TEST_READONLY: dir }), 'EROFS'],
  ] as const) {
    it(`nabla train --resume on ${failure}: one line, the last good checkpoint and every file intact`, () => {
      const dir = copyOfRun(`train-${code}`);
      const before = snapshot(dir);
      const r = nabla(['train', '--resume', dir, '--epochs', '4', '--quiet'], env(dir));
      expect(r.code).not.toBe(0);
      expectOneLine(r.stderr, new RegExp(`^nabla train: .*cannot write ${dir}/[\\w.]+ \\(${code}\\); nothing was changed there$`));
      expectUnchanged(dir, before);
    }, 60_000);

    it(`nabla export (onnx and torch) on ${failure}: one line, the earlier export intact`, () => {
      const dir = copyOfRun(`export-${code}`);
      const before = snapshot(dir);
      const onnx = nabla(['export', dir, '--format', 'onnx'], env(dir));
      expect(onnx.code).not.toBe(0);
      expectOneLine(onnx.stderr, new RegExp(`^nabla export: .*cannot write ${dir}/model\\.onnx \\(${code}\\)`));
      const torch = nabla(['export', dir, '--format', 'torch'], env(dir));
      expect(torch.code).not.toBe(0);
      expectOneLine(torch.stderr, new RegExp(`^nabla export: .*${dir}/torch.*${code}`));
      expectUnchanged(dir, before);
    }, 60_000);

    it(`nabla evaluate on ${failure}: one line, the earlier eval.json intact`, () => {
      const dir = copyOfRun(`evaluate-${code}`);
      const before = snapshot(dir);
      const r = nabla(['evaluate', dir], env(dir));
      expect(r.code).not.toBe(0);
      expectOneLine(r.stderr, new RegExp(`^nabla evaluate: cannot write ${dir}/eval\\.json \\(${code}\\); nothing was changed there$`));
      expectUnchanged(dir, before);
    }, 60_000);
  }

  it('nabla train into a new run folder under a read-only folder: one line, nothing created', () => {
    const parent = join(tmp, 'readonly-parent');
    mkdirSync(parent);
    writeFileSync(join(parent, 'keep.txt'), 'earlier file');
    const r = nabla(['train', '--dataset', 'spiral', '--samples', '100', '--epochs', '1', '--quiet', '--out', join(parent, 'run')], { NABLA_TEST_READONLY: parent });
    expect(r.code).not.toBe(0);
    expectOneLine(r.stderr, /^nabla train: cannot create the run folder .*readonly-parent\/run \(EROFS\)$/);
    expect(readdirSync(parent)).toEqual(['keep.txt']);
  }, 60_000);
});
