/**
 * `npm run bench`: trains each workload for a fixed number of steps on every available system —
 * nabla (native and js backends), PyTorch (1 and 2 threads, glibc malloc tuned) and TensorFlow.js
 * (cpu and wasm backends) — each run in its own child process, best of several trials; prints
 * samples/s, GFLOP/s, the fraction of the machine's limit, peak RSS and the ratios, and writes
 * bench/results/<date>-<workload>.json with the machine's description. The end-to-end workload
 * (`e2e`, first in `all`) times `nabla train` against a PyTorch script instead (see e2e.ts).
 *
 *   npm run bench -- [--workloads e2e,mlp,cnn | all] [--systems nabla-native,nabla-js,pytorch,tfjs-cpu,tfjs-wasm]
 *                    [--steps 200] [--trials 3] [--rounds 2] [--quick] [--no-write]
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataFile } from './data-file.js';
import { writeTokenFile } from './token-data.js';
import { describeMachine, torchVersion } from './machine.js';
import { buildWorkers, type Workers } from './build-workers.js';
import type { WorkerJob, WorkerResult } from './protocol.js';
import { WORKLOADS, findWorkload, flopsPerSample, type GptWorkload, type LstmWorkload, type Workload } from './workloads.js';
import { PYTHON, TORCH_MALLOC, threads } from './torch-env.js';
import { NODE_FLAGS } from './node-env.js';
import { fmt, mb, writeRecord } from './format.js';
import { E2E_NAME, finishE2e, runE2e, type BareStep } from './e2e.js';
import { SPARSE_NAME, SPARSE_DESCRIPTION, runSparse } from './sparse.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = 4096;

/** A system as the tables name it, with the child process that runs one of its variants. */
interface System {
  name: string;
  /** Variants measured separately (threads, backends); the system's figure is the best. */
  variants: { variant: string; label: string; env: Record<string, string> }[];
  /** Fraction of --steps this system runs (the slow ones run fewer steps, still a fixed number). */
  stepScale: number;
  /** Slow systems run one trial in the first round only. */
  oneShot?: boolean;
  /** Why the system cannot train a workload, if it cannot. */
  unsupported?(w: Workload): string | null;
  command(workers: Workers, job: WorkerJob): [string, string[]];
}

function noAttention(w: Workload): string | null {
  return w.kind === 'gpt' ? 'TensorFlow.js has no attention layer (nor AdamW)' : null;
}

const SYSTEMS: System[] = [
  {
    name: 'nabla-native',
    variants: [
      { variant: 'native', label: 'nabla native, 2 threads', env: threads(2) },
      { variant: 'native', label: 'nabla native, 1 thread', env: threads(1) },
    ],
    stepScale: 1,
    command: (w, job) => [process.execPath, [...NODE_FLAGS, w.nabla, JSON.stringify(job)]],
  },
  {
    name: 'nabla-js',
    variants: [{ variant: 'js', label: 'nabla js', env: {} }],
    stepScale: 0.25,
    command: (w, job) => [process.execPath, [...NODE_FLAGS, w.nabla, JSON.stringify(job)]],
  },
  {
    name: 'pytorch',
    variants: [
      { variant: '1', label: 'PyTorch, 1 thread', env: { ...TORCH_MALLOC, ...threads(1) } },
      { variant: '2', label: 'PyTorch, 2 threads', env: { ...TORCH_MALLOC, ...threads(2) } },
    ],
    stepScale: 1,
    command: (_w, job) => [PYTHON, [join(root, 'bench/workers/torch_worker.py'), JSON.stringify(job)]],
  },
  {
    name: 'tfjs-wasm',
    variants: [{ variant: 'wasm', label: 'TensorFlow.js wasm', env: {} }],
    stepScale: 0.05,
    unsupported: (w) => (w.kind === 'cnn' ? "tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel (it cannot train a CNN)"
      : w.kind === 'lstm' ? "tfjs-backend-wasm 4.22 has no UnsortedSegmentSum kernel (an Embedding's gradient)" : noAttention(w)),
    command: (w, job) => [process.execPath, [...NODE_FLAGS, w.tfjs, JSON.stringify(job)]],
  },
  {
    name: 'tfjs-cpu',
    variants: [{ variant: 'cpu', label: 'TensorFlow.js cpu', env: {} }],
    stepScale: 0.01,
    oneShot: true,
    unsupported: noAttention,
    command: (w, job) => [process.execPath, [...NODE_FLAGS, w.tfjs, JSON.stringify(job)]],
  },
];

interface Options {
  /** Run the end-to-end workload (before the others). */
  e2e: boolean;
  sparse: boolean;
  workloads: Workload[];
  systems: System[];
  steps: number;
  trials: number;
  rounds: number;
  write: boolean;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`bench: --${name} needs a value`);
    return v;
  };
  const known = new Set(['--workloads', '--systems', '--steps', '--trials', '--rounds', '--quick', '--no-write', '--help']);
  for (const a of argv) if (a.startsWith('--') && !known.has(a)) throw new Error(`bench: unknown option ${a} (options: ${[...known].join(' ')})`);
  if (argv.includes('--help')) {
    console.log(readUsage());
    process.exit(0);
  }
  const quick = argv.includes('--quick');
  const positive = (name: string, fallback: number): number => {
    const v = value(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench: --${name} must be a positive integer, got ${v}`);
    return n;
  };
  const list = value('workloads') ?? (quick ? 'mlp' : 'all');
  const names = list === 'all' ? [E2E_NAME, ...WORKLOADS.map((w) => w.name), SPARSE_NAME] : list.split(',');
  const workloads = names.filter((n) => n !== E2E_NAME && n !== SPARSE_NAME).map(findWorkload);
  // 'torch' is accepted for 'pytorch'
  const systemNames = value('systems')?.split(',').map((n) => (n === 'torch' ? 'pytorch' : n)) ?? SYSTEMS.map((s) => s.name);
  const systems = systemNames.map((name) => {
    const s = SYSTEMS.find((x) => x.name === name);
    if (!s) throw new Error(`bench: unknown system '${name}'; available: ${SYSTEMS.map((x) => x.name).join(', ')}`);
    return s;
  });
  return {
    e2e: names.includes(E2E_NAME),
    sparse: names.includes(SPARSE_NAME),
    workloads,
    systems,
    steps: positive('steps', quick ? 60 : 200),
    trials: positive('trials', quick ? 2 : 3),
    rounds: positive('rounds', quick ? 1 : 2),
    write: !argv.includes('--no-write'),
  };
}

function readUsage(): string {
  return [
    'npm run bench -- [options]',
    '  --workloads a,b   workloads to run, or all (default all, e2e first; --quick: mlp). Available:',
    `                    ${E2E_NAME.padEnd(12)} what users run: \`nabla train\` with its defaults (MNIST, the mlp model, 3 epochs) vs the same`,
    '                                 job as a PyTorch script, wall clock from start to exit; nabla-native and pytorch only',
    ...WORKLOADS.map((w) => `                    ${w.name.padEnd(12)} ${w.description}`),
    `                    ${SPARSE_NAME.padEnd(12)} ${SPARSE_DESCRIPTION}`,
    `  --systems a,b     default ${SYSTEMS.map((s) => s.name).join(',')} (torch = pytorch)`,
    '  --steps N         timed steps per trial for nabla native and PyTorch (others run a fixed fraction); default 200, --quick 60',
    '  --trials N        trials per child process (the best counts); default 3, --quick 2.',
    '                    e2e: processes per system variant, interleaved (the fastest counts)',
    '  --rounds N        child processes per system variant, interleaved across systems; default 2, --quick 1 (not e2e)',
    '  --quick           the reference workload only, short: under a minute',
    '  --no-write        do not write bench/results/*.json',
  ].join('\n');
}

interface Row extends WorkerResult {
  system: string;
  label: string;
  gflops: number;
}

/** Runs one child; its result is the last JSON line it prints. */
function runChild(system: System, variant: System['variants'][number], job: WorkerJob, workers: Workers): WorkerResult | { error: string } {
  const [command, args] = system.command(workers, job);
  const child = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...variant.env },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 15 * 60 * 1000,
  });
  const lines = (child.stdout ?? '').trim().split('\n');
  const last = lines[lines.length - 1];
  if (child.status === 0 && last?.startsWith('{')) return JSON.parse(last) as WorkerResult;
  const why = (child.stderr || child.error?.message || `exit code ${child.status}`).trim().split('\n').slice(-3).join(' | ');
  return { error: why.slice(0, 300) };
}

/** GFLOP/s of the reference step's products alone, best of 300 (measured again before each workload; the run keeps its best). */
function machineLimit(workers: Workers): number | null {
  const child = spawnSync(process.execPath, [...NODE_FLAGS, workers.gemmPeak, '300'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...threads(2) } });
  if (child.status !== 0) return null;
  return (JSON.parse(child.stdout.trim().split('\n').pop()!) as { gflops: number }).gflops;
}

interface Measured {
  /** Each variant's best child process. */
  rows: Map<string, Row>;
  /** Each system's best variant. */
  best: Map<string, Row>;
  errors: string[];
  notes: string[];
}

/** A sequence workload's character stream (token-data.ts), written once per run. */
function tokenFile(w: GptWorkload | LstmWorkload): string {
  const context = w.kind === 'gpt' ? w.context : w.sequence;
  const path = join(tmpdir(), `nabla-bench-tokens-${SAMPLES}x${context}-${w.vocab}.bin`);
  writeTokenFile(path, SAMPLES, context, w.vocab);
  return path;
}

/** Runs every variant of every system on one workload, rounds interleaved across systems. */
function measureWorkload(workload: Workload, systems: System[], options: Options, workers: Workers, dataFile: string): Measured {
  const flops = flopsPerSample(workload);
  const rows = new Map<string, Row>();
  const errors: string[] = [];
  const notes: string[] = [];
  for (const system of systems) {
    const why = system.unsupported?.(workload);
    if (why) notes.push(`${system.name} skipped: ${why}`);
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const system of systems) {
      if (system.unsupported?.(workload) || (system.oneShot && round > 0)) continue;
      for (const variant of system.variants) {
        const workloadScale = workload.kind === 'cnn' ? 0.5 : workload.stepScale ?? 1;
        const steps = Math.max(2, Math.round(options.steps * system.stepScale * workloadScale));
        const job: WorkerJob = {
          workload, variant: variant.variant, dataFile: workload.kind === 'gpt' || workload.kind === 'lstm' ? tokenFile(workload) : dataFile, samples: SAMPLES,
          warmup: Math.max(1, Math.min(200, Math.round(steps / 5))), steps, trials: system.oneShot ? 1 : options.trials,
        };
        const result = runChild(system, variant, job, workers);
        if ('error' in result) {
          errors.push(`${variant.label}: ${result.error}`);
          continue;
        }
        const prev = rows.get(variant.label);
        if (!prev || result.samplesPerSec > prev.samplesPerSec) {
          rows.set(variant.label, { ...result, system: system.name, label: variant.label, gflops: (result.samplesPerSec * flops) / 1e9, peakRss: Math.max(result.peakRss, prev?.peakRss ?? 0) });
        } else {
          prev.peakRss = Math.max(prev.peakRss, result.peakRss);
        }
      }
    }
  }
  const best = new Map<string, Row>();
  for (const row of rows.values()) {
    const b = best.get(row.system);
    if (!b || row.samplesPerSec > b.samplesPerSec) best.set(row.system, row);
  }
  return { rows, best, errors, notes };
}

/** The reference workload's nabla-native samples/s, for e2e when the run does not include it. */
function measureBareStep(nabla: System, options: Options, workers: Workers, dataFile: string): BareStep | null {
  const mlp = findWorkload('mlp');
  const { best, errors } = measureWorkload(mlp, [nabla], { ...options, rounds: 1 }, workers, dataFile);
  for (const e of errors) console.log(`  failed: ${e}`);
  const row = best.get('nabla-native');
  return row ? { samplesPerSec: row.samplesPerSec, source: `mlp workload, ${row.label}, ${options.steps} steps × ${options.trials} trials after e2e` } : null;
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const workers = buildWorkers(root);
  const dataFile = join(tmpdir(), `nabla-bench-mnist-${SAMPLES}.bin`);
  writeDataFile(dataFile, SAMPLES);

  const torch = torchVersion(PYTHON);
  const systems = options.systems.filter((s) => {
    if (s.name === 'pytorch' && !torch) {
      console.log(`PyTorch skipped: \`${PYTHON} -c "import torch"\` failed (apt-get install python3-torch to compare).`);
      return false;
    }
    return true;
  });
  const machine = describeMachine(torch);
  const measureLimit = systems.some((s) => s.name === 'nabla-native');
  let peakGflops: number | null = null;
  console.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}${torch ? `, PyTorch ${torch}` : ''}, TensorFlow.js ${machine.tfjs}`);

  const e2eRecord = options.write ? { root, machine } : null;
  const e2e = options.e2e ? runE2e(root, systems.map((s) => s.name), options.trials, workers.nablaBareTrain) : null;
  const nablaSystem = systems.find((s) => s.name === 'nabla-native');
  // e2e's bare-step reference: the mlp workload's figure when this run measures it, else a measurement now.
  const bareStepFromRun = options.workloads.some((w) => w.name === 'mlp') && nablaSystem !== undefined;
  if (e2e && !bareStepFromRun) {
    finishE2e(e2e, e2e.best.has('nabla-native') && nablaSystem ? measureBareStep(nablaSystem, options, workers, dataFile) : null, e2eRecord);
  }

  for (const workload of options.workloads) {
    if (measureLimit) {
      const now = machineLimit(workers);
      if (now && (!peakGflops || now > peakGflops)) peakGflops = now;
      if (peakGflops) console.log(`\nmachine limit: the reference step's matrix products alone, best so far: ${fmt(peakGflops)} GFLOP/s (OpenBLAS, 2 threads)`);
    }
    const flops = flopsPerSample(workload);
    const limit = peakGflops ? (peakGflops * 1e9) / flops : null;
    console.log(`${measureLimit ? '' : '\n'}${workload.name}: ${workload.description}; ${fmt(flops / 1e6, 2)} MFLOP per sample${limit ? `, limit ${fmt(limit)} samples/s` : ''}`);
    const { rows, best, errors, notes } = measureWorkload(workload, systems, options, workers, dataFile);
    for (const e of errors) console.log(`  failed: ${e}`);
    for (const n of notes) console.log(`  ${n}`);
    console.log(`  ${'system'.padEnd(26)}${'samples/s'.padStart(11)}${'GFLOP/s'.padStart(9)}${'of limit'.padStart(10)}${'CPU ms/step'.padStart(13)}${'peak RSS'.padStart(10)}${'loss'.padStart(9)}`);
    for (const row of rows.values()) {
      const mark = best.get(row.system) === row && row.system !== 'nabla-js' && !row.system.startsWith('tfjs') ? '*' : ' ';
      console.log(
        `${mark} ${row.label.padEnd(26)}${fmt(row.samplesPerSec).padStart(11)}${fmt(row.gflops, 1).padStart(9)}` +
        `${(limit ? `${fmt((100 * row.samplesPerSec) / limit)}%` : '-').padStart(10)}${fmt(row.cpuMsPerStep, 2).padStart(13)}` +
        `${mb(row.peakRss).padStart(10)}${fmt(row.loss, 3).padStart(9)}`,
      );
    }
    const ratio = (a: string, b: string): number | null => {
      const x = best.get(a);
      const y = best.get(b);
      return x && y ? x.samplesPerSec / y.samplesPerSec : null;
    };
    const ratios = {
      nativeOverPytorch: ratio('nabla-native', 'pytorch'),
      jsOverTfjsCpu: ratio('nabla-js', 'tfjs-cpu'),
      jsOverTfjsWasm: ratio('nabla-js', 'tfjs-wasm'),
    };
    const show = (r: number | null) => (r === null ? 'n/a' : `${fmt(r, 2)}×`);
    console.log(`  (* = the system's best variant) nabla native / PyTorch ${show(ratios.nativeOverPytorch)}, nabla js / tfjs cpu ${show(ratios.jsOverTfjsCpu)}, nabla js / tfjs wasm ${show(ratios.jsOverTfjsWasm)}`);
    const native = best.get('nabla-native');
    const pytorch = best.get('pytorch');
    if (native && pytorch) {
      console.log(`  peak RSS: nabla native ${mb(native.peakRss)}, PyTorch ${mb(pytorch.peakRss)}`);
    }

    if (options.write) {
      const record = {
        date: new Date().toISOString(),
        workload,
        flopsPerSample: flops,
        machine,
        machineLimit: peakGflops ? { gflops: peakGflops, samplesPerSec: limit } : null,
        options: { steps: options.steps, trials: options.trials, rounds: options.rounds, samples: SAMPLES },
        results: [...rows.values()],
        best: Object.fromEntries([...best].map(([k, v]) => [k, v.label])),
        ratios,
        notes,
        errors,
      };
      console.log(`  wrote ${writeRecord(root, workload.name, record)}`);
    }
    if (e2e && bareStepFromRun && workload.name === 'mlp') {
      const native = best.get('nabla-native');
      finishE2e(e2e, native ? { samplesPerSec: native.samplesPerSec, source: `mlp workload, ${native.label}, this run` } : null, e2eRecord);
    }
  }
  if (options.sparse) runSparse(root, workers.nablaSparse, systems.map((s) => s.name), options.rounds, options.trials, options.write ? machine : null);
  console.log(`\n${fmt((Date.now() - started) / 1000, 1)} s`);
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
