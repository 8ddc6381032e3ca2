/**
 * Where `nabla train`'s time goes, from process start to exit: runs the command (its defaults
 * unless arguments are given) under V8's sampling profiler and sorts the samples' self time into
 * what a user would name — start-up (loading modules, here through tsx: the command's bundle starts faster), data (loading and batching), the step's
 * kernels and graph (forward, backward, optimizer), anomaly detection, diagnostics, validation
 * and test, the run folder's plots and checkpoint, garbage collection — in ms and per step.
 *
 *   npx tsx bench/train-profile.ts [--repo DIR] [-- nabla train options]
 *
 * --repo profiles another checkout's sources (the code before a change). Writes
 * bench/results/<date>-train-profile.json unless --no-write (or --repo is given).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from './node-env.js';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** A sample goes to the first bucket any frame of its stack matches (so a diagnostics probe's forward pass is diagnostics). */
const BUCKETS: [string, RegExp][] = [
  // Not autograd/anomaly.ts as such: every backward passes through its backwardPhase.
  ['anomaly detection', /train\/anomaly-guard|^(checkForward|checkBackward|captureStack|callSiteOf) /],
  ['diagnostics (gradient flow)', /callbacks\/gradient-flow/],
  ['plots and run folder (PNG, SVG, checkpoint)', /\/viz\/|resvg|run-folder|checkpoint|safetensors|atomic-write/],
  ['validation and test (evaluate)', /train\/evaluate/],
  ['data (load, shuffle, gather)', /\/data\//],
  ['progress and metrics', /progress-bar|cli-progress|train\/metrics/],
  ['optimizer', /\/optim\//],
  ['step: forward and backward (ops, graph, kernels)', /\/ops\/|\/nn\/|\/autograd\/|\/backend\//],
  ['training loop (fit)', /train\/fit/],
];

function bucketOf(stack: string[]): string {
  for (const [name, re] of BUCKETS) if (stack.some((url) => re.test(url))) return name;
  if (stack.length === 0) return 'other';
  return stack.some((u) => /node:internal\/modules|esm\/|tsx|cjs\/loader/.test(u)) ? 'start-up (loading modules)' : 'other';
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const repoAt = argv.indexOf('--repo');
const repo = repoAt >= 0 ? argv[repoAt + 1] : root;
const sep = argv.indexOf('--');
const trainArgs = sep >= 0 ? argv.slice(sep + 1) : [];
const write = repoAt < 0 && !argv.slice(0, sep >= 0 ? sep : argv.length).includes('--no-write');
const dir = mkdtempSync(join(tmpdir(), 'nabla-train-profile-'));
const started = performance.now();
// The sources through tsx, not the command's bundle: the profile's frames then name nabla's files.
const tsx = join(root, 'node_modules/tsx/dist/loader.mjs');
const run = spawnSync(process.execPath, [...NODE_FLAGS, '--cpu-prof', '--cpu-prof-dir', dir, '--import', tsx, join(repo, 'src/cli/main.ts'), 'train', '--out', join(dir, 'run'), ...trainArgs], { cwd: repo, encoding: 'utf8' });
const wall = (performance.now() - started) / 1000;
if (run.status !== 0) throw new Error(`nabla train failed: ${run.stderr}`);
const summary = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8')) as { steps: number; samplesPerSec: number; testAccuracy: number };
const profile = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!), 'utf8')) as Profile;
rmSync(dir, { recursive: true, force: true });

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const totals = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = (profile.timeDeltas[i] ?? 0) / 1000;
  const node = byId.get(id)!;
  const name = node.callFrame.functionName;
  let bucket: string;
  if (name === '(garbage collector)') bucket = 'garbage collection';
  else if (name === '(idle)' || name === '(program)') bucket = 'idle / native threads';
  else {
    const stack: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (frame.url) stack.push(`${frame.functionName} ${frame.url}`);
    }
    bucket = bucketOf(stack);
  }
  totals.set(bucket, (totals.get(bucket) ?? 0) + dt);
  total += dt;
});

console.log(`nabla train ${trainArgs.join(' ')} (${repo}): ${wall.toFixed(2)} s wall, ${summary.steps} steps, ${Math.round(summary.samplesPerSec).toLocaleString('en-US')} samples/s in training, test accuracy ${(summary.testAccuracy * 100).toFixed(2)}%`);
console.log(`${'main thread, by what it was doing'.padEnd(50)}${'ms'.padStart(8)}${'ms/step'.padStart(9)}${'share'.padStart(7)}`);
for (const [name, ms] of [...totals].sort((a, b) => b[1] - a[1])) {
  console.log(`${name.padEnd(50)}${ms.toFixed(0).padStart(8)}${(ms / summary.steps).toFixed(3).padStart(9)}${`${((100 * ms) / total).toFixed(0)}%`.padStart(7)}`);
}

if (write) {
  const file = join(root, 'bench/results', `${new Date().toISOString().slice(0, 10)}-train-profile.json`);
  const buckets = Object.fromEntries([...totals].sort((a, b) => b[1] - a[1]).map(([name, ms]) => [name, { ms, msPerStep: ms / summary.steps, share: ms / total }]));
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), args: trainArgs, wallSeconds: wall, ...summary, buckets }, null, 2)}\n`);
  console.log(`wrote ${file.slice(root.length + 1)}`);
}
