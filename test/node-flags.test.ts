// nabla's command runs with V8 flags (DESIGN.md, "Node's GC threads"): the same whether a user types
// `npm start` or `npx nabla`, and ones this Node accepts.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');
const startFlags = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string).split(/\s+/).filter((a) => a.startsWith('--'));
const shebang = readFileSync(join(root, 'bin/nabla.js'), 'utf8').split('\n')[0];

describe('the nabla command’s Node flags', () => {
  it('npm start and the bin script’s shebang pass the same flags, GC on one thread among them', () => {
    expect(shebang.startsWith('#!/usr/bin/env -S node ')).toBe(true);
    expect(shebang.split(/\s+/).filter((a) => a.startsWith('--'))).toEqual(startFlags);
    expect(startFlags).toContain('--single-threaded-gc');
  });

  it('this Node accepts them', () => {
    const r = spawnSync(process.execPath, [...startFlags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ok');
  });

  it('nabla train runs under them, through the shebang, on MNIST for one epoch (GC on one thread while training)', () => {
    const out = mkdtempSync(join(tmpdir(), 'nabla-node-flags-'));
    try {
      const r = spawnSync(join(root, 'bin/nabla.js'), ['train', '--samples', '6000', '--epochs', '1', '--quiet', '--out', out], { encoding: 'utf8', timeout: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(summary.steps).toBeGreaterThan(40);
      expect(summary.testAccuracy).toBeGreaterThan(0.9);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the bin script runs through its shebang', () => {
    const r = spawnSync(join(root, 'bin/nabla.js'), ['--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: nabla');
  });
});
