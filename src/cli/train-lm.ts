/**
 * `nabla train` for the character language models (--dataset brown | words | text:PATH; --model gpt | lstm |
 * gru | bigram): random windows of the training text, AdamW, warm-up then cosine decay over the budget
 * (epochs, --steps or --time-limit), gradients clipped to norm 1. After each epoch: the model file (the
 * vocabulary as its classes), metrics.csv, curves.svg and samples/epoch-N.txt; at the end the held-out
 * bits per character in summary.json (`testBitsPerChar`) and the summary table.
 */
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { UsageError } from './command.js';
import { positiveInt, type Flags, type TrainOptions } from './train-options.js';
import { summaryTable } from './summary-table.js';
import { getRngState, manualSeed, setRngState, type RngState } from '../random.js';
import { RngStream } from '../data/rng-stream.js';
import { saveCheckpoint } from '../train/checkpoint.js';
import type { EpochLogs } from '../train/callbacks/callback.js';
import type { Tensor } from '../tensor.js';
import { getBackend } from '../backend/registry.js';
import type { Module } from '../nn/module.js';
import { makeOptimizer } from '../train/optimizers.js';
import { saveModel } from '../serialize/model-file.js';
import type { Preprocess } from '../serialize/preprocess.js';
import { CHECKPOINT_FILE, ensureDir, MODEL_FILE, runSummary, writeMetrics, writeRunFile, writeSummary } from '../train/run-folder.js';
import { loadCharCorpus, type CharCorpus } from '../text/char-corpus.js';
import { CharVocabulary } from '../text/char-vocab.js';
import { buildCharModel, describeCharModel, type CharModelName } from '../text/char-models.js';
import { BudgetSchedule, type BudgetScheduleStateDict } from '../text/lm-schedule.js';
import { evaluateCharModel, fitCharModel } from '../text/train-lm.js';
import { defaultPrompt, sampleText } from '../text/char-sample.js';

/** What the run writes to samples/epoch-N.txt after each epoch: this many characters at this temperature. */
const SAMPLE = { length: 500, temperature: 0.8 };

const count = (n: number) => n.toLocaleString('en-US');
const bits = (nats: number) => nats / Math.LN2;

/** The corpus of a language-model run (also what `nabla evaluate` reloads): load errors are the user's. */
export function charRunCorpus(dataset: string, context: number): CharCorpus {
  try {
    return loadCharCorpus(dataset, context);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The model file's preprocessing for a character model: ids are indices into its classes, windows of ≤ context. */
export function charPreprocess(context: number): Preprocess {
  return { inputShape: [context], mean: [0], std: [1], characters: { context } };
}

/**
 * The options of a language-model run resumed from its checkpoint: the saved ones, with a new total budget
 * from --steps, --epochs or --time-limit (each replaces the budget of its kind); the budget must not be spent.
 */
export function resumedLmOptions(saved: TrainOptions, state: Record<string, unknown>, v: Flags, dir: string): TrainOptions {
  const o: TrainOptions = { ...saved, lm: { ...saved.lm! } };
  const lm = o.lm!;
  if (v.steps !== undefined && v.epochs !== undefined) throw new UsageError('--steps and --epochs exclude each other (an epoch is a number of steps)');
  if (v.steps !== undefined) [lm.steps, o.epochs] = [positiveInt('steps', v.steps), 0];
  if (v.epochs !== undefined) [o.epochs, lm.steps] = [positiveInt('epochs', v.epochs), undefined];
  if (v['time-limit'] !== undefined) {
    const seconds = Number(v['time-limit']);
    if (v['time-limit'].trim() === '' || !(seconds > 0) || !Number.isFinite(seconds)) throw new UsageError(`--time-limit must be a positive number, got '${v['time-limit']}'`);
    lm.timeLimit = seconds;
  }
  const steps = state.step as number;
  const seconds = state.seconds as number;
  const stepBudget = lm.steps ?? (o.epochs > 0 ? o.epochs * (state.stepsPerEpoch as number) : undefined);
  if ((stepBudget !== undefined && steps >= stepBudget) || (lm.timeLimit !== undefined && seconds >= lm.timeLimit)) {
    const spent = [stepBudget !== undefined ? `${count(steps)} of ${count(stepBudget)} steps` : '', lm.timeLimit !== undefined ? `${seconds.toFixed(1)} of ${lm.timeLimit} s` : ''].filter(Boolean).join(', ');
    throw new UsageError(`--resume: the run in ${dir} has spent its budget (${spent}); pass --steps, --epochs or --time-limit to train longer`);
  }
  return o;
}

/** On a terminal, a bar for the epoch in progress (its steps, running loss, time left), on stderr. */
function epochBar(quiet: boolean, stepsPerEpoch: number) {
  let bar: cliProgress.SingleBar | null = null;
  let lossSum = 0;
  let steps = 0;
  let epoch = 1;
  return {
    step(loss: number): void {
      if (quiet || !process.stderr.isTTY) return;
      if (!bar) {
        bar = new cliProgress.SingleBar({
          stream: process.stderr, format: `epoch ${epoch} {bar} {value}/{total} | loss {loss} ({bits} bits/char) | ETA {eta_formatted}`,
          barsize: 24, hideCursor: true, clearOnComplete: true, etaBuffer: 50,
        }, cliProgress.Presets.shades_classic);
        bar.start(stepsPerEpoch, 0, { loss: '—', bits: '—' });
      }
      lossSum += loss;
      steps++;
      bar.update(steps, { loss: (lossSum / steps).toFixed(4), bits: bits(lossSum / steps).toFixed(3) });
    },
    endEpoch(): void {
      bar?.stop();
      bar = null;
      [lossSum, steps] = [0, 0];
      epoch++;
    },
  };
}

/** What a language-model run's checkpoint holds (checkpoint.safetensors, after each epoch): enough to resume exactly. */
interface LmCheckpoint {
  options: TrainOptions;
  classes: string[];
  model: Record<string, Tensor>;
  optimizer: unknown;
  schedule: BudgetScheduleStateDict;
  rng: RngState;
  windows: RngState;
  step: number;
  seconds: number;
  stepsPerEpoch: number;
  epoch: number;
  history: EpochLogs[];
}

export function runLmTraining(o: TrainOptions, out: string, log: (line: string) => void, quiet = false, resumed?: Record<string, unknown>): number {
  const lm = o.lm!;
  const name = o.model as CharModelName;
  const loadStart = performance.now();
  const corpus = charRunCorpus(o.dataset, lm.context);
  const vocab = CharVocabulary.fromText(corpus.train);
  const trainIds = vocab.encode(corpus.train);
  const testIds = vocab.encode(corpus.test);
  if (trainIds.length < lm.context + 1) {
    throw new UsageError(`--context ${lm.context} needs training windows of ${count(lm.context + 1)} characters; ${o.dataset}'s training text has ${count(trainIds.length)}`);
  }
  const unseen = vocab.unknownIn(corpus.test).length;
  log(`nabla train: ${o.dataset} (${count(trainIds.length)} training, ${count(testIds.length)} test characters${corpus.units ? `; ${corpus.units}` : ''}; vocabulary ${vocab.size - 1} characters + unknown${unseen ? ` (${unseen} held-out character${unseen === 1 ? '' : 's'} unseen in training)` : ''}; loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s), backend ${getBackend()}`);

  manualSeed(o.seed);
  const modelOptions = { context: lm.context, width: lm.width, layers: lm.layers, heads: lm.heads, dropout: lm.dropout };
  const model: Module = buildCharModel(name, vocab.size, modelOptions);
  const params = model.parameters();
  const paramCount = params.reduce((n, p) => n + p.size, 0);
  const optimizer = makeOptimizer(o.optimizer, params, o.lr, o.optimizer === 'ftrl' ? { l1: o.l1, l2: o.l2, beta: o.beta } : undefined);
  const stepsPerEpoch = Math.max(1, Math.round(trainIds.length / (o.batchSize * lm.context)));
  const steps = lm.steps ?? (o.epochs > 0 ? o.epochs * stepsPerEpoch : undefined);
  const schedule = new BudgetSchedule(optimizer as never, { steps, seconds: lm.timeLimit, decay: o.lrSchedule });
  const windows = new RngStream(o.seed, 'fitCharModel');
  const saved = resumed as unknown as LmCheckpoint | undefined;
  if (saved) {
    if (saved.classes.join('\u0000') !== vocab.chars.join('\u0000') || saved.stepsPerEpoch !== stepsPerEpoch) {
      throw new UsageError(`--resume: ${o.dataset}'s training text is not the one the run started on (its characters or length changed)`);
    }
    model.loadStateDict(saved.model);
    optimizer.loadStateDict(saved.optimizer as never);
    schedule.loadStateDict(saved.schedule);
    setRngState(saved.rng);
    windows.setState(saved.windows);
  }
  const budget = [steps !== undefined ? `${count(steps)} steps (${(steps / stepsPerEpoch).toFixed(2)} epochs of ${count(stepsPerEpoch)})` : '', lm.timeLimit !== undefined ? `${lm.timeLimit} s` : ''].filter(Boolean).join(' or ');
  const modelText = describeCharModel(name, modelOptions);
  const optimizerText = `${o.optimizer}, lr ${o.lr} (warm-up ${schedule.warmupSteps} steps, ${o.lrSchedule === 'cosine' ? `cosine to ${+(o.lr / 10).toPrecision(3)}` : 'then constant'}), batch ${o.batchSize}, clip 1`;
  log(`model: ${modelText}, ${count(paramCount)} parameters; optimizer ${optimizerText}; budget ${budget}`);
  if (saved) log(`resuming ${out} at step ${count(saved.step)} (${(saved.step / stepsPerEpoch).toFixed(2)} epochs, ${saved.seconds.toFixed(1)} s)`);

  const title = `${o.dataset} · ${name} · ${o.optimizer}`;
  const preprocess = charPreprocess(lm.context);
  const prompt = defaultPrompt(vocab);
  const totalEpochs = steps !== undefined ? Math.ceil(steps / stepsPerEpoch) : null;
  ensureDir(join(out, 'samples'));
  const bar = epochBar(quiet, stepsPerEpoch);
  const history = fitCharModel(model, optimizer, trainIds, {
    context: lm.context, batchSize: o.batchSize, seed: o.seed, stepsPerEpoch, steps, seconds: lm.timeLimit, schedule, windows,
    recycleArrays: true, // the library's own models keep no tensor of a step
    start: saved ? { steps: saved.step, seconds: saved.seconds, epochs: saved.history } : undefined,
    onStep: (_step, _seconds, loss) => bar.step(loss),
    onEpochEnd: (logs, h) => {
      bar.endEpoch();
      saveModel(model, join(out, MODEL_FILE), { preprocess, classes: [...vocab.chars] });
      const checkpoint: LmCheckpoint = {
        options: o, classes: [...vocab.chars], model: model.stateDict(), optimizer: optimizer.stateDict(), schedule: schedule.stateDict(),
        rng: getRngState(), windows: windows.getState(), step: h.steps, seconds: h.seconds, stepsPerEpoch, epoch: h.epochs.length, history: h.epochs,
      };
      saveCheckpoint(join(out, CHECKPOINT_FILE), checkpoint as unknown as Record<string, unknown>);
      writeMetrics(out, h.epochs, title, false);
      const text = sampleText(model, vocab, prompt, { ...SAMPLE, seed: o.seed, context: lm.context });
      writeRunFile(join(out, 'samples'), `epoch-${logs.epoch}.txt`, prompt + text + (text.endsWith('\n') ? '' : '\n'));
      const of = totalEpochs !== null ? `/${totalEpochs}` : '';
      log(`epoch ${logs.epoch}${of} | step ${count(h.steps)} | loss ${logs.loss.toFixed(4)} (${bits(logs.loss).toFixed(3)} bits/char) | acc ${(logs.accuracy * 100).toFixed(2)}% | lr ${logs.lr.toPrecision(3)} | ${count(Math.round(logs.samplesPerSec))} chars/s | ${h.seconds.toFixed(1)} s`);
    },
  });
  const evalStart = performance.now();
  const test = evaluateCharModel(model, testIds, lm.context, undefined, { recycleArrays: true });
  const evalSeconds = (performance.now() - evalStart) / 1000;
  const epochs = history.epochs;
  const last = epochs[epochs.length - 1];
  const charsPerSec = history.seconds > 0 ? (history.steps * o.batchSize * lm.context) / history.seconds : 0;
  const uniform = Math.log2(vocab.size);
  writeSummary(out, {
    ...runSummary({ test, history, seconds: history.seconds, parameters: paramCount, options: o, classes: [...vocab.chars], backend: getBackend() }),
    testBitsPerChar: test.bitsPerChar,
    uniformBitsPerChar: uniform,
    charactersPerSec: charsPerSec,
    stepsPerEpoch,
    data: { train: trainIds.length, test: testIds.length, vocabulary: vocab.size, testUnseen: unseen },
  });
  writeMetrics(out, epochs, title);

  console.log(summaryTable([
    ['data set', `${o.dataset} (${count(trainIds.length)} train / ${count(testIds.length)} test characters; vocabulary ${vocab.size})`],
    ['model', `${modelText} (${count(paramCount)} params)`],
    ['optimizer', optimizerText],
    ['steps', `${count(history.steps)} (${(history.steps / stepsPerEpoch).toFixed(2)} epochs)${history.stopReason ? `, stopped: ${history.stopReason}` : ''}`],
    ['train loss', last ? `${last.loss.toFixed(4)} (${bits(last.loss).toFixed(3)} bits/char, last epoch)` : '—'],
    ['test loss', `${test.loss.toFixed(4)} (${test.bitsPerChar.toFixed(3)} bits/char; uniform ${uniform.toFixed(3)}), accuracy ${(test.accuracy * 100).toFixed(2)}%`],
    ['throughput', `${count(Math.round(charsPerSec))} characters/s on ${getBackend()}`],
    ['time', `${history.seconds.toFixed(1)} s training, ${evalSeconds.toFixed(1)} s evaluating ${count(test.characters)} characters`],
    ['run folder', out],
  ]));
  if (history.diverged) {
    console.error(`nabla train: training ${history.stopReason}; ${epochs.length > 0 ? `the model of epoch ${epochs.length} is ${join(out, MODEL_FILE)}` : 'no model was saved (no epoch finished)'}`);
    return 1;
  }
  return 0;
}
