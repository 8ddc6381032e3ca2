import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../src/serialize/model-file.js';
import { noGrad, Tensor } from '../src/index.js';
import { CharVocabulary } from '../src/text/char-vocab.js';
import { decodeSafetensors, encodeSafetensors } from '../src/train/safetensors.js';
import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';

ort.env.wasm.numThreads = 1;
import { loadBrown } from '../src/text/brown.js';

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-lm-'));

/** Runs a command without blocking the test worker. */
function command(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(file, args, { cwd: root, timeout: 120_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const nabla = (...args: string[]) => command(process.execPath, ['bin/nabla.js', ...args]);

/** max |a − b| / max |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/**
 * `nabla export RUN --format torch` and `--format onnx`, then PyTorch 1.13 (/usr/bin/python3,
 * test/python/torch_check.py) runs the export's load_model(), and ONNX Runtime (onnxruntime-web) the
 * model.onnx, on ids of `text` in windows of `context`: both logits equal the run's model's in nabla
 * within 1e-5 relative; model.py's VOCABULARY and the ONNX classes metadata are the run's vocabulary.
 */
async function expectExportsMatch(run: string, text: string, context: number): Promise<void> {
  const dir = join(run, 'torch');
  const [x, o] = await Promise.all([nabla('export', run, '--format', 'torch'), nabla('export', run, '--format', 'onnx')]);
  expect(x.stderr).toBe('');
  expect(x.code).toBe(0);
  expect(o.stderr).toBe('');
  expect(o.code).toBe(0);
  expect(o.stdout).toContain(`input int64 character ids [N, T], T ≤ ${context}`);
  const saved = loadModel(join(run, 'model.safetensors'));
  const encoded = CharVocabulary.fromClasses('test', saved.classes).encode(text);
  const windows = Math.floor(encoded.length / context);
  const ids = new Tensor(Float32Array.from(encoded.subarray(0, windows * context)), [windows, context]);
  saved.model.eval();
  const logits = noGrad(() => saved.model.forward(ids) as Tensor);
  const input = join(run, 'ids.safetensors');
  writeFileSync(input, Buffer.concat(encodeSafetensors({ x: { data: BigInt64Array.from(ids.data, BigInt), shape: ids.shape } }, {})));
  const job = join(run, 'torch-job.json');
  const output = join(run, 'torch-logits.safetensors');
  writeFileSync(job, JSON.stringify({ exports: [{ name: 'run', dir, input, output }] }));
  const py = await command('/usr/bin/python3', [join(root, 'test/python/torch_check.py'), job]);
  expect(py.stderr).toBe('');
  expect(py.code).toBe(0);
  expect(JSON.parse(py.stdout).exports.run.vocabulary).toEqual(saved.classes);
  const { y } = decodeSafetensors(readFileSync(output), output).tensors;
  const torchLogits = y.data as Float32Array;
  expect(y.shape).toEqual([windows, context, saved.classes!.length]);
  expect(relativeError(logits.data, torchLogits)).toBeLessThanOrEqual(1e-5);
  const session = await ort.InferenceSession.create(readFileSync(join(run, 'model.onnx')));
  const onnx = await session.run({ input: new ort.Tensor('int64', BigInt64Array.from(ids.data, BigInt), ids.shape) });
  expect(onnx.logits.dims).toEqual(y.shape);
  expect(relativeError(logits.data, onnx.logits.data as Float32Array)).toBeLessThanOrEqual(1e-5);
  const metadata = onnxProto.onnx.ModelProto.decode(readFileSync(join(run, 'model.onnx'))).metadataProps;
  expect(JSON.parse(metadata.find((p) => p.key === 'classes')!.value!)).toEqual(saved.classes);
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** A refused command: exit 2 and one line on stderr holding `message`. */
async function refused(args: string[], message: string): Promise<void> {
  const r = await nabla(...args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toContain(message);
}

describe('nabla train on characters, generate and evaluate', () => {
  it('bigram on words: --steps lowers the held-out bits per character below uniform; the run folder, evaluate and generate', async () => {
    const out = join(tmp, 'words-bigram');
    const r = await nabla('train', '--dataset', 'words', '--model', 'bigram', '--steps', '200', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/words \(2,531,544 training, 281,153 test characters; 247,444 \/ 27,493 words; vocabulary 27 characters \+ unknown/);
    expect(r.stdout).toMatch(/epoch 1\/1 \| step 200 \| loss \d\.\d{4} \(\d\.\d{3} bits\/char\)/);
    const s = readJson(join(out, 'summary.json'));
    expect(s.steps).toBe(200);
    expect(s.data).toEqual({ train: 2531544, test: 281153, vocabulary: 28, testUnseen: 0 });
    expect(s.uniformBitsPerChar).toBeCloseTo(Math.log2(28), 12);
    expect(s.testBitsPerChar).toBeLessThan(s.uniformBitsPerChar - 0.5);
    expect(s.testBitsPerChar).toBeCloseTo(s.testLoss / Math.LN2, 12);
    expect(s.options).toMatchObject({ model: 'bigram', optimizer: 'adamw', lr: 0.03, batchSize: 32, lm: { context: 64, steps: 200 } });
    for (const f of ['model.safetensors', 'metrics.csv', 'curves.svg', 'curves.png', 'samples/epoch-1.txt']) expect(existsSync(join(out, f)), f).toBe(true);
    const sample = readFileSync(join(out, 'samples/epoch-1.txt'), 'utf8');
    expect(sample.startsWith('\n')).toBe(true);
    expect(sample).toMatch(/^[a-z\n]+$/);
    const saved = loadModel(join(out, 'model.safetensors'));
    expect(saved.classes).toEqual(['', '\n', ...'abcdefghijklmnopqrstuvwxyz']);
    expect(saved.preprocess).toEqual({ inputShape: [64], mean: [0], std: [1], characters: { context: 64 } });

    const e = await nabla('evaluate', out);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    expect(e.stdout).toContain(`bits per character ${s.testBitsPerChar.toFixed(4)}   loss ${s.testLoss.toFixed(4)}`);
    expect(readJson(join(out, 'eval.json'))).toMatchObject({ split: 'test', characters: 281152, bitsPerChar: s.testBitsPerChar });

    const g0 = await nabla('generate', out, '--prompt', 'qu', '--length', '120', '--seed', '0');
    expect(g0.stderr).toBe('');
    expect(g0.code).toBe(0);
    expect(g0.stdout.startsWith('qu')).toBe(true);
    expect(g0.stdout.replace(/\n$/, '').length).toBe(122);
    expect((await nabla('generate', out, '--prompt', 'qu', '--length', '120', '--seed', '0')).stdout).toBe(g0.stdout);
    const g1 = await nabla('generate', out, '--prompt', 'qu', '--length', '120', '--seed', '1');
    expect(g1.stdout).not.toBe(g0.stdout);
    const greedy = await nabla('generate', out, '--prompt', 'q', '--length', '5', '--top-k', '1');
    expect(greedy.stdout).toMatch(/^q[a-z\n]{5}\n?$/);
    expect((await nabla('generate', out, '--prompt', 'q', '--length', '5', '--top-k', '1', '--seed', '9')).stdout).toBe(greedy.stdout);

    await refused(['generate', out, '--prompt', 'Qu!'], `--prompt has characters outside the model's vocabulary: "Q", "!"`);
    await refused(['generate', out, '--temperature', '0'], "--temperature must be a number > 0, got '0'");
    await refused(['generate', out, '--top-k=-1'], "--top-k must be an integer ≥ 1, or 0 for all characters, got '-1'");
    await refused(['predict', out, join(out, 'samples/epoch-1.txt')], 'is a character language model: write text with it with nabla generate');
  });

  it('--time-limit stops training at the budget, then evaluates; brown documents', async () => {
    const out = join(tmp, 'brown-time');
    const r = await nabla('train', '--dataset', 'brown', '--model', 'bigram', '--time-limit', '1', '--context', '16', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stopped: time limit \(1 s\)/);
    const s = readJson(join(out, 'summary.json'));
    expect(s.stopReason).toBe('time limit (1 s)');
    expect(s.trainSeconds).toBeGreaterThanOrEqual(1);
    expect(s.options.epochs).toBe(0);
    expect(s.data.train + s.data.test).toBe(loadBrown().reduce((n, d) => n + d.text.length + 1, 0)); // each document ends in a new line
    expect(s.testBitsPerChar).toBeLessThan(s.uniformBitsPerChar);
    expect(existsSync(join(out, 'samples/epoch-1.txt'))).toBe(true);
    const g = await nabla('generate', out, '--prompt', 'The ', '--length', '50');
    expect(g.code).toBe(0);
    expect(g.stdout.startsWith('The ')).toBe(true);
  });

  it('text:PATH: trains on a file, held-out characters it never saw score as unknown', async () => {
    const path = join(tmp, 'song.txt');
    writeFileSync(path, 'la la la, da da da. '.repeat(30) + 'ZZZ!');
    const out = join(tmp, 'song');
    const r = await nabla('train', '--dataset', `text:${path}`, '--model', 'bigram', '--steps', '30', '--context', '8', '--batch', '8', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = readJson(join(out, 'summary.json'));
    expect(s.data).toEqual({ train: 543, test: 61, vocabulary: 7, testUnseen: 2 });
    expect(s.classes).toEqual(['', ' ', ',', '.', 'a', 'd', 'l']);
    const e = await nabla('evaluate', out);
    expect(e.stdout).toContain('2 distinct characters outside the vocabulary, scored as the unknown character');
    await refused(['generate', out, '--prompt', 'Z'], `--prompt has a character outside the model's vocabulary: "Z"`);
  });
});

describe('--resume a character model', () => {
  it('continues from the checkpoint exactly: half the steps and --resume to all of them is the uninterrupted run', async () => {
    let seed = 1;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const words = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'log', 'a', 'big', 'red', 'ran', 'to', 'and', 'with'];
    const path = join(tmp, 'resume.txt');
    writeFileSync(path, Array.from({ length: 8000 }, () => words[Math.floor(rand() * words.length)]).join(' '));
    // A constant lr after the 100 warm-up steps, so the two budgets' schedules agree.
    const args = ['train', '--dataset', `text:${path}`, '--model', 'bigram', '--context', '8', '--batch', '8', '--lr-schedule', 'constant', '--quiet'];
    const whole = join(tmp, 'resume-whole');
    const half = join(tmp, 'resume-half');
    expect((await nabla(...args, '--steps', '2000', '--out', whole)).code).toBe(0);
    expect((await nabla(...args, '--steps', '1000', '--out', half)).code).toBe(0);
    expect(existsSync(join(half, 'checkpoint.safetensors'))).toBe(true);
    const r = await nabla('train', '--resume', half, '--steps', '2000');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`resuming ${half} at step 1,000 (`);
    const [a, b] = [readJson(join(whole, 'summary.json')), readJson(join(half, 'summary.json'))];
    expect(b.steps).toBe(2000);
    expect(b.testLoss).toBe(a.testLoss);
    expect(b.epochs).toBe(a.epochs);
    // Epoch 3 was cut at step 1,000 and finished after the resume: one row, as in the uninterrupted run.
    const rows = (dir: string) => readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 3).map(Number));
    rows(half).forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(rows(whole)[i][j], 12)));
    await refused(['train', '--resume', whole], `--resume: the run in ${whole} has spent its budget (2,000 of 2,000 steps); pass --steps, --epochs or --time-limit to train longer`);
    await refused(['train', '--resume', whole, '--lr', '3'], '--resume takes its options from the checkpoint');
  });
});

describe('the GPT through the CLI', () => {
  it('--model gpt trains on a text file; generate crops a prompt longer than the context; evaluate agrees with the summary', async () => {
    const path = join(tmp, 'gpt.txt');
    writeFileSync(path, 'the cat sat on the mat. the dog sat on the log. '.repeat(40));
    const out = join(tmp, 'gpt');
    const r = await nabla('train', '--dataset', `text:${path}`, '--model', 'gpt', '--steps', '40', '--layers', '1', '--width', '32', '--heads', '2', '--context', '16', '--batch', '16', '--lr', '0.01', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gpt: 1 layer, width 32, 2 heads, context 16');
    const s = readJson(join(out, 'summary.json'));
    expect(s.testBitsPerChar).toBeLessThan(s.uniformBitsPerChar - 1);
    const saved = loadModel(join(out, 'model.safetensors'));
    expect(saved.spec).toEqual({ type: 'CharGPT', config: { vocabSize: 15, context: 16, width: 32, layers: 1, heads: 2, dropout: 0 } });
    expect(saved.preprocess?.characters).toEqual({ context: 16 });
    const e = await nabla('evaluate', out);
    expect(e.stdout).toContain(`bits per character ${s.testBitsPerChar.toFixed(4)}`);
    const prompt = 'the cat sat on the mat. the dog sat on the log. the cat'; // 55 characters, context 16
    const g = await nabla('generate', out, '--prompt', prompt, '--length', '40', '--seed', '4', '--top-k', '3');
    expect(g.stderr).toBe('');
    expect(g.code).toBe(0);
    expect(g.stdout.startsWith(prompt)).toBe(true);
    expect(g.stdout.replace(/\n$/, '')).toHaveLength(prompt.length + 40);
    expect((await nabla('generate', out, '--prompt', prompt, '--length', '40', '--seed', '4', '--top-k', '3')).stdout).toBe(g.stdout);
    expect((await nabla('generate', out, '--prompt', prompt, '--length', '40', '--seed', '5', '--top-k', '3')).stdout).not.toBe(g.stdout);
    await expectExportsMatch(out, prompt, 16);
  }, 180_000);
});

describe('the recurrent models through the CLI', () => {
  it('--model lstm | gru | rnn train on a text file; generate carries the state past the context; evaluate agrees with the summary', async () => {
    const path = join(tmp, 'abc.txt');
    writeFileSync(path, 'the cat sat on the mat. the dog sat on the log. '.repeat(40));
    await Promise.all(['lstm', 'gru', 'rnn'].map(async (cell) => {
      const out = join(tmp, `abc-${cell}`);
      const r = await nabla('train', '--dataset', `text:${path}`, '--model', cell, '--steps', '40', '--width', '32', '--layers', '2', '--context', '16', '--batch', '16', '--lr', '0.01', '--out', out, '--quiet');
      expect(r.stderr, cell).toBe('');
      expect(r.code, cell).toBe(0);
      expect(r.stdout).toContain(`${cell}: 2 layers, width 32`);
      const s = readJson(join(out, 'summary.json'));
      expect(s.testBitsPerChar, cell).toBeLessThan(s.uniformBitsPerChar - 1);
      expect(loadModel(join(out, 'model.safetensors')).spec).toEqual({ type: 'CharRNN', config: expect.objectContaining({ cell, width: 32, layers: 2 }) });
      const e = await nabla('evaluate', out);
      expect(e.stdout).toContain(`bits per character ${s.testBitsPerChar.toFixed(4)}`);
      const g = await nabla('generate', out, '--prompt', 'the cat sat on the mat. the dog', '--length', '60', '--seed', '3');
      expect(g.code).toBe(0);
      expect(g.stdout.replace(/\n$/, '')).toHaveLength(31 + 60);
      expect((await nabla('generate', out, '--prompt', 'the cat sat on the mat. the dog', '--length', '60', '--seed', '3')).stdout).toBe(g.stdout);
      await expectExportsMatch(out, 'the cat sat on the mat. the dog sat on the log. the cat', 16);
    }));
  }, 240_000);
});

describe('nabla train on characters: refused input, one line and exit 2', () => {
  it('names the problem', async () => {
    const three = join(tmp, 'three.txt');
    writeFileSync(three, 'abc');
    // Independent commands: two at a time (the machine's cores).
    const cases: [string[], string][] = [
      [['train', '--dataset', 'brown', '--context', '0'], "--context must be a positive integer, got '0'"],
      [['train', '--dataset', `text:${three}`], `text:${three} has 3 characters; a character model needs at least 73`],
      [['train', '--dataset', `text:${join(tmp, 'none.txt')}`], 'none.txt: cannot be read (no such file)'],
      [['train', '--dataset', 'brown', '--heads', '3'], '--heads 3 must divide --width 128'],
      [['train', '--dataset', 'words', '--model', 'gpt', '--width', '100', '--heads', '8'], '--heads 8 must divide --width 100'],
      [['train', '--dataset', 'mnist', '--model', 'gpt'], "--model gpt is a character language model: --dataset must be brown, words, text:PATH, got 'mnist'"],
      [['train', '--dataset', 'spiral', '--model', 'lstm'], "--model lstm is a character language model: --dataset must be brown, words, text:PATH, got 'spiral'"],
      [['train', '--dataset', 'brown', '--model', 'mlp'], "--dataset brown is text for a character language model: --model must be gpt, lstm, gru, rnn, bigram, got 'mlp'"],
      [['train', '--dataset', 'words', '--model', 'cnn'], "--model must be gpt, lstm, gru, rnn, bigram, got 'cnn'"],
      [['train', '--dataset', 'mnist', '--context', '32'], '--context is for character language models'],
      [['train', '--dataset', 'brown', '--model', 'lstm', '--heads', '4'], '--heads is for --model gpt, got --model lstm'],
      [['train', '--dataset', 'brown', '--steps', '10', '--epochs', '2'], '--steps and --epochs exclude each other'],
      [['train', '--dataset', 'brown', '--time-limit', '0'], "--time-limit must be a positive number, got '0'"],
      [['train', '--dataset', 'brown', '--batch', '8', '--batch-size', '8'], '--batch and --batch-size are the same option'],
      [['train', '--dataset', 'brown', '--hidden', '64'], '--hidden does not apply to a character language model'],
      [['train', '--dataset', 'brown', '--dropout', '1'], "--dropout must be a probability in [0, 1), got '1'"],
    ];
    for (let i = 0; i < cases.length; i += 2) await Promise.all(cases.slice(i, i + 2).map(([args, message]) => refused(args, message)));
  });

  it('generate refuses a run that is not a language model', async () => {
    const out = join(tmp, 'spiral');
    expect((await nabla('train', '--dataset', 'spiral', '--epochs', '1', '--samples', '100', '--out', out, '--quiet')).code).toBe(0);
    await refused(['generate', out], 'is not a character language model');
    await refused(['generate'], 'expected a run folder');
  });

  it('--help documents the options', async () => {
    const t = await nabla('train', '--help');
    for (const flag of ['--context N', '--layers N', '--width N', '--heads N', '--steps N', '--time-limit S', 'brown | words | text:PATH']) expect(t.stdout).toContain(flag);
    const g = await nabla('generate', '--help');
    expect(g.code).toBe(0);
    for (const flag of ['--prompt TEXT', '--length N', '--temperature T', '--top-k K', '--seed N']) expect(g.stdout).toContain(flag);
    expect((await nabla('--help')).stdout).toMatch(/generate\s+write text with a run's character language model/);
  });
});
