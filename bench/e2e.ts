/**
 * The end-to-end workload: what a user runs. Wall clock from process start to exit of
 * `npm start`'s command (`node --single-threaded-gc bin/nabla.js train`) with `--out DIR` against the same job
 * as a plain PyTorch script (bench/workers/torch_train.py) at 1 and 2 threads; trials interleaved
 * so machine noise hits both, the fastest trial counts. Also nabla's training throughput as a
 * fraction of its bare step (the `mlp` workload) for the same model, and of a bare loop over the same job
 * (bench/workers/nabla_bare_train.ts: the same data, model, batches and epochs from process start, steps
 * only), run in the same interleaved trials: what the training loop around the step costs, warm-up on both sides.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, mb, writeRecord } from './format.js';
import type { Machine } from './machine.js';
import { PYTHON, TORCH_MALLOC, threads } from './torch-env.js';
import { NODE_FLAGS, npmStartArgs } from './node-env.js';

export const E2E_NAME = 'e2e';
export const E2E_DESCRIPTION =
  '`nabla train` with its defaults (MNIST, MLP 784-512-BN-ReLU-256-BN-ReLU-10, Adam lr 0.001, cosine over 3 epochs, batch 128, ' +
  '10% validation, test at the end, run folder) vs the same job as a plain PyTorch script; wall clock from process start to exit';
/** The systems e2e compares; the others have no `nabla train` counterpart here. */
export const E2E_SYSTEMS = ['nabla-native', 'pytorch'];
/** Training throughput of `nabla train` as a fraction of its bare step that counts as on target. */
const BARE_STEP_TARGET = 0.85;
const TIME = '/usr/bin/time';

interface Variant {
  system: 'nabla-native' | 'pytorch';
  label: string;
  /** nabla's bare loop over the same job: a reference for `nabla train`'s throughput, not a system's variant. */
  bareLoop?: true;
  command: (out: string) => [string, string[]];
  env: Record<string, string>;
}

/** One process's figures: wall seconds, and what its run folder's summary.json says. */
interface Trial {
  wallSeconds: number;
  testAccuracy: number;
  /** Training samples per second, validation excluded (nabla: the mean of its epochs'). */
  samplesPerSec: number;
  /** nabla: its fastest epoch's samples/s (metrics.csv), what a best-of-trials bare step compares with. */
  bestEpochSamplesPerSec?: number;
  /** From /usr/bin/time, when the machine has it. */
  peakRss: number | null;
}

export interface E2eRow {
  system: Variant['system'];
  label: string;
  /** The fastest trial's wall seconds; its test accuracy. */
  wallSeconds: number;
  testAccuracy: number;
  /** The best trial's training samples/s. */
  samplesPerSec: number;
  peakRss: number | null;
  trials: Trial[];
}

export interface E2eRun {
  rows: E2eRow[];
  /** Each system's best variant (fastest wall). */
  best: Map<string, E2eRow>;
  /** nabla's bare loop over the same job, when nabla ran. */
  bareLoop: E2eRow | null;
  notes: string[];
  errors: string[];
  trials: number;
}

export interface BareStep {
  samplesPerSec: number;
  source: string;
}

function variants(root: string, systems: string[], bareLoopWorker: string): Variant[] {
  const torchVariant = (n: number): Variant => ({
    system: 'pytorch',
    label: `PyTorch script, ${n} thread${n > 1 ? 's' : ''}`,
    command: (out) => [PYTHON, [join(root, 'bench/workers/torch_train.py'), '--out', out, '--threads', String(n)]],
    env: { ...TORCH_MALLOC, ...threads(n) },
  });
  const all: Variant[] = [
    {
      system: 'nabla-native',
      label: 'nabla train (defaults)',
      command: (out) => [process.execPath, [...npmStartArgs(), '--out', out]],
      env: {},
    },
    {
      system: 'nabla-native',
      label: 'nabla bare loop, same job',
      bareLoop: true,
      command: (out) => [process.execPath, [...NODE_FLAGS, bareLoopWorker, '--out', out]],
      env: {},
    },
    torchVariant(1),
    torchVariant(2),
  ];
  return all.filter((v) => systems.includes(v.system));
}

/** The largest samplesPerSec of a nabla run folder's metrics.csv, or null (another program's folder). */
function bestEpochOf(csv: string): number | null {
  if (!existsSync(csv)) return null;
  const [header, ...rows] = readFileSync(csv, 'utf8').trim().split('\n');
  const column = header.split(',').indexOf('samplesPerSec');
  if (column < 0) return null;
  const values = rows.map((r) => Number(r.split(',')[column])).filter(Number.isFinite);
  return values.length ? Math.max(...values) : null;
}

/** Runs one variant once in a fresh output folder; stdout and stderr are captured (not a terminal). */
function runTrial(root: string, variant: Variant): Trial | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-bench-e2e-'));
  const out = join(dir, 'run');
  const rssFile = join(dir, 'rss');
  try {
    const [command, args] = variant.command(out);
    const timed: [string, string[]] = existsSync(TIME) ? [TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
    const start = performance.now();
    const child = spawnSync(timed[0], timed[1], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...variant.env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 30 * 60 * 1000,
    });
    const wallSeconds = (performance.now() - start) / 1000;
    const summaryFile = join(out, 'summary.json');
    if (child.status !== 0 || !existsSync(summaryFile)) {
      const why = (child.stderr || child.error?.message || `exit code ${child.status}`).trim().split('\n').slice(-3).join(' | ');
      return { error: why.slice(0, 300) };
    }
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { testAccuracy: number; samplesPerSec: number };
    const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
    const bestEpoch = bestEpochOf(join(out, 'metrics.csv'));
    return {
      wallSeconds, testAccuracy: summary.testAccuracy, samplesPerSec: summary.samplesPerSec, peakRss: Number.isFinite(kib) ? kib * 1024 : null,
      ...(bestEpoch ? { bestEpochSamplesPerSec: bestEpoch } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function toRow(variant: Variant, trials: Trial[]): E2eRow {
  const fastest = trials.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
  const rss = trials.map((t) => t.peakRss).filter((r): r is number => r !== null);
  return {
    system: variant.system,
    label: variant.label,
    wallSeconds: fastest.wallSeconds,
    testAccuracy: fastest.testAccuracy,
    samplesPerSec: Math.max(...trials.map((t) => t.samplesPerSec)),
    peakRss: rss.length ? Math.max(...rss) : null,
    trials,
  };
}

/** Runs the trials and prints the table; the bare-step fraction and the record come after (finishE2e). */
export function runE2e(root: string, systems: string[], trials: number, bareLoopWorker: string): E2eRun {
  console.log(`\n${E2E_NAME}: ${E2E_DESCRIPTION}`);
  const notes = systems.filter((s) => !E2E_SYSTEMS.includes(s)).map((s) =>
    `${s} skipped: e2e compares \`nabla train\` (whose default backend is native) with a PyTorch script`);
  if (!existsSync(TIME)) notes.push(`peak RSS not measured: no ${TIME}`);
  // What `npm start` runs first: the command's bundle, rebuilt when a source changed (scripts/build-cli.mjs).
  const build = spawnSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) notes.push(`the CLI bundle did not build (${build.stderr.trim().split('\n').pop()}); nabla ran from its sources`);
  const chosen = variants(root, systems, bareLoopWorker);
  const done = new Map<Variant, Trial[]>(chosen.map((v) => [v, []]));
  const errors: string[] = [];
  for (let t = 0; t < trials; t++) {
    // Alternate the order, so neither system always runs right after the other's heavy phase.
    for (const variant of t % 2 === 0 ? chosen : [...chosen].reverse()) {
      const result = runTrial(root, variant);
      if ('error' in result) errors.push(`${variant.label}: ${result.error}`);
      else done.get(variant)!.push(result);
    }
  }
  const measured = chosen.filter((v) => done.get(v)!.length > 0);
  const rows = measured.filter((v) => !v.bareLoop).map((v) => toRow(v, done.get(v)!));
  const bareVariant = measured.find((v) => v.bareLoop);
  const bareLoop = bareVariant ? toRow(bareVariant, done.get(bareVariant)!) : null;
  const best = new Map<string, E2eRow>();
  for (const row of rows) {
    const b = best.get(row.system);
    if (!b || row.wallSeconds < b.wallSeconds) best.set(row.system, row);
  }

  for (const e of errors) console.log(`  failed: ${e}`);
  for (const n of notes) console.log(`  ${n}`);
  console.log(`  ${'system'.padEnd(26)}${'wall s'.padStart(8)}  ${'all trials'.padEnd(20)}${'test acc'.padStart(9)}${'train samples/s'.padStart(17)}${'peak RSS'.padStart(10)}`);
  for (const row of bareLoop ? [...rows, bareLoop] : rows) {
    const mark = best.get(row.system) === row ? '*' : ' ';
    const all = row.trials.map((x) => fmt(x.wallSeconds, 1)).join(', ');
    console.log(
      `${mark} ${row.label.padEnd(26)}${fmt(row.wallSeconds, 1).padStart(8)}  ${all.padEnd(20)}${`${fmt(100 * row.testAccuracy, 2)}%`.padStart(9)}` +
      `${fmt(row.samplesPerSec).padStart(17)}${(row.peakRss === null ? '-' : mb(row.peakRss)).padStart(10)}`,
    );
  }
  for (const row of rows) {
    if (row.testAccuracy < 0.98) console.log(`  warning: ${row.label} reached ${fmt(100 * row.testAccuracy, 2)}% test accuracy, under 98%`);
  }
  const ratio = wallRatio(best);
  console.log(`  (* = the system's best variant; wall s and test acc of the fastest trial) PyTorch wall / nabla wall ${ratio === null ? 'n/a' : `${fmt(ratio, 2)}×`}`);
  return { rows, best, bareLoop, notes, errors, trials };
}

function wallRatio(best: Map<string, E2eRow>): number | null {
  const nabla = best.get('nabla-native');
  const pytorch = best.get('pytorch');
  return nabla && pytorch ? pytorch.wallSeconds / nabla.wallSeconds : null;
}

/** Prints `nabla train`'s throughput against its bare step, and writes bench/results/<date>-e2e.json. */
export function finishE2e(run: E2eRun, bareStep: BareStep | null, record: { root: string; machine: Machine } | null): void {
  const nabla = run.best.get('nabla-native');
  const fraction = nabla && bareStep ? nabla.samplesPerSec / bareStep.samplesPerSec : null;
  const bestEpoch = nabla ? Math.max(0, ...nabla.trials.map((t) => t.bestEpochSamplesPerSec ?? 0)) : 0;
  const bestEpochFraction = bestEpoch && bareStep ? bestEpoch / bareStep.samplesPerSec : null;
  const bareLoop = run.bareLoop;
  const loopFraction = nabla && bareLoop ? nabla.samplesPerSec / bareLoop.samplesPerSec : null;
  if (nabla && bareStep && fraction !== null) {
    console.log(
      `\n${E2E_NAME}: \`nabla train\` trains at ${fmt(nabla.samplesPerSec)} samples/s (mean of its epochs), ${fmt(100 * fraction)}% of the bare step's ` +
      `${fmt(bareStep.samplesPerSec)} (${bareStep.source}); its fastest epoch ${fmt(bestEpoch)}, ${fmt(100 * (bestEpochFraction ?? 0))}% ` +
      `(best against best); target ≥ ${fmt(100 * BARE_STEP_TARGET)}%`,
    );
  }
  if (nabla && bareLoop && loopFraction !== null) {
    console.log(
      `${E2E_NAME}: against a bare loop over the same job (same data, batches and epochs from process start; best trial each), ` +
      `${fmt(nabla.samplesPerSec)} / ${fmt(bareLoop.samplesPerSec)} samples/s = ${fmt(100 * loopFraction)}%: what the loop around the step costs`,
    );
  }
  if (!record) return;
  const file = writeRecord(record.root, E2E_NAME, {
    date: new Date().toISOString(),
    workload: { name: E2E_NAME, description: E2E_DESCRIPTION },
    machine: record.machine,
    options: { trials: run.trials },
    results: run.rows,
    best: Object.fromEntries([...run.best].map(([k, v]) => [k, v.label])),
    ratios: { pytorchWallOverNablaWall: wallRatio(run.best) },
    bareStep,
    trainingOverBareStep: fraction,
    bestEpochSamplesPerSec: bestEpoch || null,
    bestEpochOverBareStep: bestEpochFraction,
    bareLoop,
    trainingOverBareLoop: loopFraction,
    bareStepTarget: BARE_STEP_TARGET,
    notes: run.notes,
    errors: run.errors,
  });
  console.log(`  wrote ${file}`);
}
