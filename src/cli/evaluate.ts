/** `nabla evaluate RUN_DIR`: the saved model's loss, accuracy, per-class accuracy and confusion matrix on a data set; writes eval.json. */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { openRun, type Run } from './run-dir.js';
import { textRunData } from './train-text.js';
import { evaluateText } from '../text/train-text.js';
import type { TextModel } from '../text/models.js';
import { evaluationData } from './eval-data.js';
import { evaluate } from '../train/evaluate.js';
import { writeFileAtomic } from '../train/atomic-write.js';
import { DATASET_NAMES } from '../train/datasets.js';
import { MODEL_FILE } from '../train/run-folder.js';
import { charModelOf } from './generate.js';
import { charRunCorpus } from './train-lm.js';
import { CHAR_DATASETS, isCharDataset } from '../text/char-corpus.js';
import { evaluateCharModel } from '../text/train-lm.js';

const HELP = `Usage: nabla evaluate RUN_DIR [options]

Scores the model a run saved (RUN_DIR/${MODEL_FILE}) on a data set: loss, accuracy,
accuracy per class and the confusion matrix. Writes them to RUN_DIR/eval.json.
The data is prepared as the run prepared it (its seed and sample count), so on the run's
own data set and the test split the accuracy is the run's summary figure.
A character language model is scored by its bits per character (mean cross-entropy / ln 2)
and loss on the held-out text, read in windows of the run's context, as the run did.

Options:
  --dataset NAME        ${DATASET_NAMES.join(' | ')} (default: the run's);
                        ${CHAR_DATASETS.join(' | ')} for a character language model
  --split test|train    which split (default test)
  --out FILE            where the JSON goes (default RUN_DIR/eval.json)
  -h, --help            this help`;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: true, options: { dataset: { type: 'string' }, split: { type: 'string' }, out: { type: 'string' } } });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function matrixText(classes: string[], m: number[][]): string {
  const labels = classes.map((c) => c.slice(0, 12));
  const w = Math.max(5, ...labels.map((l) => l.length), ...m.flat().map((v) => String(v).length));
  const head = ' '.repeat(w) + labels.map((l) => l.padStart(w + 1)).join('');
  return [head, ...m.map((row, i) => labels[i].padEnd(w) + row.map((v) => String(v).padStart(w + 1)).join(''))].join('\n');
}

function imageOrTableEvaluation(runDir: Run, datasetArg: string | undefined, split: 'train' | 'test') {
  const { dataset, data, classes } = evaluationData(runDir, datasetArg, split);
  return { dataset, classes, result: evaluate(runDir.model, data, { confusion: true }) };
}

/** A text run: the data set hashed with the model file's own text preprocessing, split with the run's seed. */
function textEvaluation(runDir: Run, datasetArg: string | undefined, split: 'train' | 'test') {
  const options = runDir.options;
  const dataset = datasetArg ?? options?.dataset;
  if (dataset === undefined) throw new UsageError(`${runDir.dir} records no data set (no summary.json): pass --dataset`);
  if (dataset !== 'spam' && !dataset.startsWith('csv:')) throw new UsageError(`the model in ${runDir.dir} classifies text: --dataset must be spam or csv:PATH, got '${dataset}'`);
  const own = dataset === options?.dataset;
  const textOptions = own ? options?.text : undefined;
  if (dataset.startsWith('csv:') && textOptions?.textColumn === undefined) throw new UsageError(`--dataset ${dataset}: the run did not train on it, so its text column is unknown`);
  const data = textRunData({ dataset, seed: own ? options?.seed ?? 0 : 0, samples: own ? options?.samples : undefined, text: textOptions }, runDir.preprocess!.text!);
  const model = runDir.model as TextModel;
  if (data.classes.length !== model.classes) throw new UsageError(`the model has ${model.classes} outputs but ${dataset} has ${data.classes.length} classes`);
  const validation = own ? Math.floor((options?.validation ?? 0) * data.train.length) : 0;
  const train = validation > 0 ? data.train.subset(Int32Array.from({ length: data.train.length - validation }, (_, i) => i)) : data.train;
  return { dataset, classes: runDir.classes ?? data.classes, result: evaluateText(model, split === 'test' ? data.test : train) };
}

/** A character language model: bits per character on the data set's held-out (or training) text. */
function lmEvaluation(runDir: Run, datasetArg: string | undefined, split: 'train' | 'test', outArg: string | undefined): number {
  const { vocab, context } = charModelOf(runDir);
  const dataset = datasetArg ?? runDir.options?.dataset;
  if (dataset === undefined) throw new UsageError(`${runDir.dir} records no data set (no summary.json): pass --dataset`);
  if (!isCharDataset(dataset)) throw new UsageError(`the model in ${runDir.dir} is a character language model: --dataset must be ${CHAR_DATASETS.join(', ')}, got '${dataset}'`);
  const corpus = charRunCorpus(dataset, context);
  const text = split === 'test' ? corpus.test : corpus.train;
  const unknown = vocab.unknownIn(text);
  const result = evaluateCharModel(runDir.model, vocab.encode(text), context, undefined, { recycleArrays: true }); // the library's own models
  const report = {
    run: runDir.dir, model: MODEL_FILE, dataset, split, characters: result.characters, loss: result.loss,
    bitsPerChar: result.bitsPerChar, accuracy: result.accuracy, context, vocabulary: vocab.size, unknownCharacters: unknown,
  };
  const out = resolve(outArg ?? join(runDir.dir, 'eval.json'));
  writeFileAtomic(out, [new TextEncoder().encode(JSON.stringify(report, null, 2) + '\n')]);
  console.log([
    `${runDir.dir}: ${dataset} ${split} split, ${result.characters.toLocaleString('en-US')} characters predicted in windows of ${context}${unknown.length ? ` (${unknown.length} distinct characters outside the vocabulary, scored as the unknown character)` : ''}`,
    `bits per character ${result.bitsPerChar.toFixed(4)}   loss ${result.loss.toFixed(4)}   accuracy ${pct(result.accuracy)}`,
    `wrote ${out}`,
  ].join('\n'));
  return 0;
}

function run(argv: string[]): number {
  const { values: v, positionals } = parse(argv);
  if (positionals.length > 1) throw new UsageError(`expected one run folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const split = v.split ?? 'test';
  if (split !== 'test' && split !== 'train') throw new UsageError(`--split must be test or train, got '${split}'`);
  const runDir = openRun('evaluate', positionals[0]);
  if (runDir.preprocess?.characters) return lmEvaluation(runDir, v.dataset, split, v.out);
  const { dataset, result, classes } = runDir.preprocess?.text ? textEvaluation(runDir, v.dataset, split) : imageOrTableEvaluation(runDir, v.dataset, split);
  const confusion = result.confusion ?? [];
  if (confusion.length !== classes.length) {
    throw new UsageError(`the model has ${confusion.length} outputs but ${dataset} has ${classes.length} classes`);
  }
  const perClass = confusion.map((row, i) => {
    const samples = row.reduce((a, b) => a + b, 0);
    return { class: classes[i], samples, correct: row[i], accuracy: samples ? row[i] / samples : null };
  });
  const report = {
    run: runDir.dir, model: MODEL_FILE, dataset, split, samples: result.samples,
    loss: result.loss, accuracy: result.accuracy, perClass, classes, confusionMatrix: confusion,
  };
  const out = resolve(v.out ?? join(runDir.dir, 'eval.json'));
  writeFileAtomic(out, [new TextEncoder().encode(JSON.stringify(report, null, 2) + '\n')]);
  const w = Math.max(5, ...classes.map((c) => c.length));
  console.log([
    `${runDir.dir}: ${dataset} ${split} split, ${result.samples.toLocaleString('en-US')} samples`,
    `loss ${result.loss.toFixed(4)}   accuracy ${pct(result.accuracy)}`,
    '',
    `${'class'.padEnd(w)}  accuracy  samples`,
    ...perClass.map((c) => `${c.class.padEnd(w)}  ${(c.accuracy === null ? '—' : pct(c.accuracy)).padStart(8)}  ${String(c.samples).padStart(7)}`),
    '',
    'confusion matrix (rows: true class, columns: predicted)',
    matrixText(classes, confusion),
    '',
    `wrote ${out}`,
  ].join('\n'));
  return 0;
}

export const evaluateCommand: Command = { name: 'evaluate', summary: "score a run's saved model on a data set (accuracy, per class, confusion matrix; bits per character)", help: HELP, run };
