/**
 * longLivedFloats: the arrays behind weights and optimizer state. Values are the ones asked for on
 * every backend; on native, a large one is backed by 2 MB pages (read back from /proc/self/smaps in a
 * child process, so no other test's memory counts), which is what keeps a 2^24-row embedding's first
 * pass from paying a page fault per 4 KB of state.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getBackend, setBackend } from '../src/index.js';
import { longLivedFloats } from '../src/long-lived-floats.js';

const root = new URL('..', import.meta.url).pathname;

describe('longLivedFloats', () => {
  it('is zeroed or filled with the value asked for, small or large, on both backends', () => {
    const initial = getBackend();
    try {
      for (const name of ['js', 'native'] as const) {
        setBackend(name);
        for (const size of [0, 7, 3 << 20]) {
          for (const value of [0, 0.1, -2]) {
            const a = longLivedFloats(size, value);
            expect(a.length).toBe(size);
            expect(a.every((v) => v === Math.fround(value))).toBe(true);
          }
        }
      }
    } finally {
      setBackend(initial as 'js' | 'native');
    }
  });

  it('backs a large array with huge pages on the native backend (Linux, transparent huge pages in madvise mode)', () => {
    const script = join(mkdtempSync(join(tmpdir(), 'nabla-huge-')), 'huge.mts');
    writeFileSync(script, `
import { readFileSync } from 'node:fs';
await import(${JSON.stringify(pathToFileURL(join(root, 'src/index.ts')).href)});
const { longLivedFloats } = await import(${JSON.stringify(pathToFileURL(join(root, 'src/long-lived-floats.ts')).href)});
const huge = () => Number(readFileSync('/proc/self/smaps_rollup', 'utf8').match(/AnonHugePages:\\s+(\\d+)/)[1]);
const before = huge();
const a = longLivedFloats(1 << 24);
console.log(JSON.stringify({ kb: huge() - before, length: a.length }));
`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NABLA_BACKEND: 'native' } });
    expect(r.stderr).toBe('');
    const { kb, length } = JSON.parse(r.stdout);
    expect(length).toBe(1 << 24);
    // 64 MB asked for: all but the unaligned ends (at most 2 × 2 MB) in 2 MB pages.
    expect(kb).toBeGreaterThanOrEqual(60 * 1024);
  });
});
