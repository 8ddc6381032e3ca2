/** `nabla predict RUN_DIR INPUT...`: the saved model's top classes for images (PNG, JPEG) or CSV rows. */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { openRun, type Run } from './run-dir.js';
import { decodeImage, imageToInput } from '../data/image-file.js';
import { standardize } from '../serialize/preprocess.js';
import { Tensor } from '../tensor.js';
import { softmax } from '../ops/softmax.js';
import { noGrad } from '../autograd/grad-mode.js';
import { MODEL_FILE } from '../train/run-folder.js';
import { TextFeaturizer } from '../text/hashing.js';
import { decodeText } from '../text/tokenize.js';
import { predictText } from '../text/train-text.js';
import type { TextModel } from '../text/models.js';

const HELP = `Usage: nabla predict RUN_DIR INPUT... [options]

Classifies each INPUT with the model a run saved (RUN_DIR/${MODEL_FILE}) and prints the
top classes with their probabilities.

INPUT: for a text model (nabla train --model logistic | bag), a text file: one document
(an email with its headers), tokenized and hashed as the run's training data was. For image models, an image (PNG or JPEG, any size): converted as the model was
trained (grayscale, padded to a square, resized to 28×28, pixels scaled to [0, 1] and
standardized); a picture that is dark on light (a digit on paper) is inverted to MNIST's
light on dark unless --invert says otherwise. Or a CSV file for tabular and 2-D models: one
sample per row, its feature values in the training order (a header row is skipped).

Options:
  --top K               classes shown per input (default 3)
  --invert auto|yes|no  invert images' brightness (default auto: when the border is light)
  --json                one JSON document on stdout: [{ input, top: [{ class, probability }] }]
  -h, --help            this help

A file that can't be read or converted gets one line on stderr; the others are still
classified, and the exit code is 2.`;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: true, options: { top: { type: 'string' }, invert: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

interface Sample {
  input: string;
  values: Float32Array;
}

function isCsv(path: string, bytes: Uint8Array): boolean {
  return ['.csv', '.txt', '.tsv'].includes(extname(path).toLowerCase()) && !bytes.subarray(0, 512).includes(0);
}

/** The samples in one file, as raw values (before standardization). */
function readSamples(run: Run, path: string, invert: 'auto' | boolean): Sample[] {
  const size = run.preprocess!.inputShape.reduce((a, b) => a * b, 1);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (isCsv(path, bytes)) {
    let rows: string[][];
    try {
      rows = parseCsv(Buffer.from(bytes), { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
    } catch (err) {
      throw new Error(`not a readable CSV file (${(err as Error).message.split('\n')[0]})`);
    }
    const numeric = (row: string[]) => row.every((c) => c !== '' && Number.isFinite(Number(c)));
    const first = rows.length > 0 && !numeric(rows[0]) ? 1 : 0;
    if (rows.length <= first) throw new Error('has no data rows');
    return rows.slice(first).map((row, i) => {
      const line = i + first + 1;
      if (!numeric(row)) throw new Error(`line ${line}: expected ${size} numbers, got ${JSON.stringify(row.join(','))}`);
      if (row.length !== size) throw new Error(`line ${line}: the model takes ${size} feature values per row, got ${row.length}`);
      return { input: `${path}:${line}`, values: Float32Array.from(row, Number) };
    });
  }
  const image = run.preprocess!.image;
  if (!image) throw new Error(`the model takes ${size} feature values, not an image: give a CSV file (one sample per row)`);
  return [{ input: path, values: imageToInput(decodeImage(bytes), image, invert) }];
}

/** A text model: each INPUT file is one document (an email with its headers, say), hashed as the run's were. */
function predictTexts(runDir: Run, inputs: string[], top: number, json: boolean): number {
  const featurizer = new TextFeaturizer(runDir.preprocess!.text!);
  const docs: { input: string; ids: Int32Array }[] = [];
  let failed = 0;
  for (const path of inputs) {
    try {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(path);
      } catch (err) {
        throw new Error(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      docs.push({ input: path, ids: featurizer.features(decodeText(bytes)) });
    } catch (err) {
      console.error(`nabla predict: ${path}: ${(err as Error).message}`);
      failed++;
    }
  }
  const probs = docs.length ? predictText(runDir.model as TextModel, docs.map((d) => d.ids)) : [];
  const results = docs.map((d, i) => {
    const row = Array.from(probs[i], (p, k) => ({ class: runDir.classes?.[k] ?? String(k), probability: p }));
    row.sort((a, b) => b.probability - a.probability);
    return { input: d.input, features: d.ids.length, top: row.slice(0, top) };
  });
  if (json) console.log(JSON.stringify(results, null, 2));
  else {
    const w = Math.max(...results.map((r) => r.input.length), 0);
    for (const r of results) console.log(`${r.input.padEnd(w)}  ${r.top.map((t) => `${t.class} ${(t.probability * 100).toFixed(2)}%`).join('   ')}`);
  }
  return failed > 0 ? 2 : 0;
}

function run(argv: string[]): number {
  const { values: v, positionals } = parse(argv);
  const top = v.top === undefined ? 3 : Number(v.top);
  if (!/^\d+$/.test(v.top ?? '3') || top < 1) throw new UsageError(`--top must be a positive integer, got '${v.top}'`);
  const invertFlag = v.invert ?? 'auto';
  if (!['auto', 'yes', 'no'].includes(invertFlag)) throw new UsageError(`--invert must be auto, yes or no, got '${invertFlag}'`);
  const invert = invertFlag === 'auto' ? 'auto' : invertFlag === 'yes';
  const [dir, ...inputs] = positionals;
  const runDir = openRun('predict', dir);
  if (inputs.length === 0) throw new UsageError('expected at least one INPUT file (an image, or a CSV of samples) after the run folder');
  if (!runDir.preprocess) throw new UsageError(`${runDir.dir}/${MODEL_FILE} records no preprocessing, so its input can't be prepared`);
  const preprocess = runDir.preprocess;
  if (preprocess.characters) throw new UsageError(`the model in ${runDir.dir} is a character language model: write text with it with nabla generate ${dir} --prompt TEXT`);
  if (preprocess.text) return predictTexts(runDir, inputs, top, v.json === true);

  const samples: Sample[] = [];
  let failed = 0;
  for (const path of inputs) {
    try {
      samples.push(...readSamples(runDir, path, invert));
    } catch (err) {
      console.error(`nabla predict: ${path}: ${(err as Error).message}`);
      failed++;
    }
  }
  const results = samples.length === 0 ? [] : noGrad(() => {
    const size = preprocess.inputShape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(samples.length * size);
    samples.forEach((s, i) => data.set(s.values, i * size));
    const logits = runDir.model.forward(new Tensor(standardize(preprocess, data), [samples.length, ...preprocess.inputShape]));
    const probs = softmax(logits, -1).data;
    const width = logits.shape[1];
    return samples.map((s, i) => {
      const row = Array.from(probs.subarray(i * width, (i + 1) * width), (p, k) => ({ class: runDir.classes?.[k] ?? String(k), probability: p }));
      row.sort((a, b) => b.probability - a.probability);
      return { input: s.input, top: row.slice(0, top) };
    });
  });
  if (v.json) console.log(JSON.stringify(results, null, 2));
  else {
    const w = Math.max(...results.map((r) => r.input.length), 0);
    for (const r of results) console.log(`${r.input.padEnd(w)}  ${r.top.map((t) => `${t.class} ${(t.probability * 100).toFixed(2)}%`).join('   ')}`);
  }
  return failed > 0 ? 2 : 0;
}

export const predictCommand: Command = { name: 'predict', summary: "classify images or CSV rows with a run's saved model", help: HELP, run };
