/**
 * The heap every op's output comes from: loading the native backend reserves the main heap's next
 * 256 MB on 2 MB pages (native/src/malloc-tuning.cc), so the heap's growth over the first steps of
 * training costs a page fault per 2 MB, not per 4 KB. Checked in a child process (no other test's
 * memory counts), on Linux with transparent huge pages in madvise mode, as the machine has.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;

/** Runs 64 MB of fresh op outputs (1 MB each, kept alive, each written once) in a child process on `backend`. */
function growHeap(backend: 'native' | 'js'): { hugeKb: number; faults: number; values: number } {
  const script = join(mkdtempSync(join(tmpdir(), 'nabla-heap-')), 'heap.mts');
  writeFileSync(script, `
import { readFileSync } from 'node:fs';
const { setBackend } = await import(${JSON.stringify(pathToFileURL(join(root, 'src/index.ts')).href)});
const { uninitializedFloats } = await import(${JSON.stringify(pathToFileURL(join(root, 'src/creation.ts')).href)});
setBackend(${JSON.stringify(backend)});
const huge = () => Number(readFileSync('/proc/self/smaps_rollup', 'utf8').match(/AnonHugePages:\\s+(\\d+)/)[1]);
const hugeBefore = huge();
const faultsBefore = process.resourceUsage().minorPageFault;
const kept = [];
for (let i = 0; i < 64; i++) kept.push(uninitializedFloats(1 << 18).fill(i));
const faults = process.resourceUsage().minorPageFault - faultsBefore;
console.log(JSON.stringify({ hugeKb: huge() - hugeBefore, faults, values: kept.reduce((s, a) => s + a[a.length - 1], 0) }));
`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('the heap op outputs come from', () => {
  it('grows in 2 MB pages once the native backend is loaded: 64 MB of outputs cost under a quarter of the 16,384 page faults of 4 KB pages', () => {
    const { hugeKb, faults, values } = growHeap('native');
    expect(values).toBe((63 * 64) / 2);
    expect(hugeKb).toBeGreaterThanOrEqual(56 * 1024);
    expect(faults).toBeLessThan(4096);
  });

  it('grows in 4 KB pages without it (the js backend does not load the addon): the cost the reservation removes', () => {
    const { hugeKb, faults } = growHeap('js');
    expect(hugeKb).toBeLessThan(8 * 1024);
    expect(faults).toBeGreaterThan(12000);
  });
});
