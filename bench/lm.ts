/**
 * The language-model budget run (issue 14's target): the character GPT on the Brown corpus for the same
 * wall-clock budget in nabla and in PyTorch, one after the other in one run, and the held-out bits per
 * character each reaches.
 *
 *   npx tsx bench/lm.ts [--seconds 300] [--threads 1] [--openblas-autodetect] [--no-write]
 *
 * --openblas-autodetect runs both systems without the environment's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
 * (this machine pins OpenBLAS to its Haswell kernels; see README): a reference run, written to
 * <date>-lm-openblas-autodetect.json, never the standard result. Each record names the kernels that ran.
 *
 * nabla: `node bin/nabla.js train --dataset brown --model gpt --context 64 --layers 4 --width 128 --heads 4
 * --time-limit S` (its defaults: batch 32, AdamW lr 3e-3, warm-up and cosine over the budget, clipping at 1).
 * PyTorch 1.13: bench/workers/torch_char_lm.py, the same model (pre-norm nn.TransformerEncoder, GELU, causal
 * mask), the same training and test text and vocabulary (written here from nabla's own brown loader), AdamW at
 * a constant lr 3e-3 (as the issue's reference run), clipping at 1, glibc malloc tuned. Both score the test
 * text the same way: non-overlapping windows of 64 characters.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CharVocabulary, loadCharCorpus } from '../src/text/index.js';
import { fmt, writeRecord } from './format.js';
import { describeMachine, openblasCore, torchVersion, withoutOpenblasPin } from './machine.js';
import { PYTHON, TORCH_MALLOC, threads } from './torch-env.js';
import { NODE_FLAGS } from './node-env.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({
  options: { seconds: { type: 'string', default: '300' }, threads: { type: 'string', default: '1' }, 'openblas-autodetect': { type: 'boolean', default: false }, 'no-write': { type: 'boolean', default: false } },
});
const env = flags['openblas-autodetect'] ? withoutOpenblasPin(process.env) : process.env;
const core = openblasCore(env);
const seconds = Number(flags.seconds);
const torchThreads = Number(flags.threads);
if (!(seconds > 0) || !Number.isInteger(torchThreads) || torchThreads < 1) throw new Error(`bench/lm: --seconds must be > 0 and --threads an integer ≥ 1, got ${flags.seconds} and ${flags.threads}`);
const MODEL = { context: 64, layers: 4, width: 128, heads: 4, batch: 32, lr: 3e-3, seed: 0 };

interface LmRow {
  system: string;
  version: string;
  steps: number;
  seconds: number;
  stepsPerSec: number;
  parameters: number;
  testBitsPerChar: number;
  schedule: string;
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-bench-lm-'));
try {
  const corpus = loadCharCorpus('brown', MODEL.context);
  const vocab = CharVocabulary.fromText(corpus.train);
  const trainFile = join(dir, 'train.txt');
  const testFile = join(dir, 'test.txt');
  writeFileSync(trainFile, corpus.train);
  writeFileSync(testFile, corpus.test);
  console.log(`brown: ${fmt(corpus.train.length)} training / ${fmt(corpus.test.length)} test characters, vocabulary ${vocab.chars.length} (with the unknown character); budget ${seconds} s each`);
  console.log(`OpenBLAS kernels: ${core ?? 'unknown'}${flags['openblas-autodetect'] ? ' (autodetected: the environment\'s OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE dropped for both systems)' : process.env.OPENBLAS_CORETYPE ? ` (the environment's OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE})` : ''}`);

  const out = join(dir, 'run');
  const nablaArgs = [...NODE_FLAGS, 'bin/nabla.js', 'train', '--dataset', 'brown', '--model', 'gpt', '--context', String(MODEL.context), '--layers', String(MODEL.layers),
    '--width', String(MODEL.width), '--heads', String(MODEL.heads), '--time-limit', String(seconds), '--out', out];
  console.log(`nabla: node ${nablaArgs.join(' ')}`);
  const n = spawnSync(process.execPath, nablaArgs, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if (n.status !== 0) throw new Error(`bench/lm: nabla train failed (exit ${n.status})`);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const nabla: LmRow = {
    system: 'nabla-native', version: `nabla (native), Node ${process.versions.node}`,
    steps: summary.steps, seconds: summary.trainSeconds, stepsPerSec: summary.steps / summary.trainSeconds,
    parameters: summary.parameters, testBitsPerChar: summary.testBitsPerChar, schedule: 'AdamW, warm-up + cosine over the budget',
  };

  const job = { trainFile, testFile, vocab: vocab.chars, seconds, threads: torchThreads, ...MODEL };
  console.log(`PyTorch: ${PYTHON} bench/workers/torch_char_lm.py (${torchThreads} thread${torchThreads > 1 ? 's' : ''})`);
  const t = spawnSync(PYTHON, [join(root, 'bench/workers/torch_char_lm.py'), JSON.stringify(job)], {
    encoding: 'utf8', env: { ...env, ...TORCH_MALLOC, ...threads(torchThreads) }, maxBuffer: 64 << 20,
  });
  if (t.status !== 0) throw new Error(`bench/lm: the PyTorch worker failed (exit ${t.status}): ${t.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const tr = JSON.parse(t.stdout.trim().split('\n').pop()!);
  const torch: LmRow = {
    system: 'pytorch', version: tr.version, steps: tr.steps, seconds: tr.seconds, stepsPerSec: tr.stepsPerSec,
    parameters: tr.parameters, testBitsPerChar: tr.testBitsPerChar, schedule: 'AdamW, constant lr',
  };

  const rows = [nabla, torch];
  console.log('\n| system | steps in budget | steps/s | parameters | held-out bits/char |\n|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.version} (${r.schedule}) | ${fmt(r.steps)} | ${fmt(r.stepsPerSec, 2)} | ${fmt(r.parameters)} | ${r.testBitsPerChar.toFixed(3)} |`);
  console.log(`\nsteps/s ratio nabla / PyTorch: ${(nabla.stepsPerSec / torch.stepsPerSec).toFixed(2)}x; target: nabla ≤ 2.12 bits/char → ${nabla.testBitsPerChar <= 2.12 ? 'met' : 'not met'}`);
  if (!flags['no-write']) {
    const name = flags['openblas-autodetect'] ? 'lm-openblas-autodetect' : 'lm';
    const path = writeRecord(root, name, { workload: 'lm', seconds, model: MODEL, openblasCore: core, openblasPin: flags['openblas-autodetect'] ? null : process.env.OPENBLAS_CORETYPE ?? null, machine: describeMachine(torchVersion(PYTHON)), rows });
    console.log(`wrote ${path}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
