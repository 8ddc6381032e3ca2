/** `nabla generate RUN_DIR`: text from a character language model a run saved, one character at a time. */
import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { openRun, type Run } from './run-dir.js';
import { MODEL_FILE } from '../train/run-folder.js';
import { CharVocabulary, quoteChars } from '../text/char-vocab.js';
import { defaultPrompt, sampleText } from '../text/char-sample.js';

const DEFAULTS = { length: 300, temperature: 0.8, topK: 0, seed: 0 };

const HELP = `Usage: nabla generate RUN_DIR [options]

Writes text with the character language model a run saved (RUN_DIR/${MODEL_FILE}, from
nabla train --dataset brown | words | text:PATH): the prompt, then --length characters drawn one
at a time, each from the model's distribution for the next character given the text so far (a GPT
reads the last --context characters, the window it trained on; a recurrent model carries its
state from the start). The same seed gives the same text.

Options:
  --prompt TEXT         where the text starts (default: a new line, when the vocabulary has one);
                        every character must be in the model's vocabulary
  --length N            characters to generate (default ${DEFAULTS.length})
  --temperature T       > 0: the logits are divided by T before the softmax; below 1 the text is
                        more predictable, above 1 more varied (default ${DEFAULTS.temperature})
  --top-k K             draw only among the K likeliest characters; 0 = all (default ${DEFAULTS.topK})
  --seed N              random seed (default ${DEFAULTS.seed})
  -h, --help            this help`;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv, strict: true, allowPositionals: true,
      options: { prompt: { type: 'string' }, length: { type: 'string' }, temperature: { type: 'string' }, 'top-k': { type: 'string' }, seed: { type: 'string' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

function integer(name: string, value: string | undefined, fallback: number, min: number, what: string): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${name} must be ${what}, got '${value}'`);
  return Number(value);
}

/** The run's vocabulary and window length; a run that is not a character language model is refused. */
export function charModelOf(runDir: Run): { vocab: CharVocabulary; context: number } {
  const context = runDir.preprocess?.characters?.context;
  if (context === undefined) {
    throw new UsageError(`the model in ${runDir.dir} is not a character language model (those come from nabla train --dataset brown | words | text:PATH)`);
  }
  try {
    return { vocab: CharVocabulary.fromClasses(`${runDir.dir}/${MODEL_FILE}`, runDir.classes), context };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function run(argv: string[]): number {
  const { values: v, positionals } = parse(argv);
  if (positionals.length > 1) throw new UsageError(`expected one run folder, got ${positionals.length}: ${positionals.join(' ')} (quote a prompt with spaces: --prompt "The ")`);
  const length = integer('length', v.length, DEFAULTS.length, 0, 'a non-negative integer');
  const topK = integer('top-k', v['top-k'], DEFAULTS.topK, 0, 'an integer ≥ 1, or 0 for all characters');
  const seed = integer('seed', v.seed, DEFAULTS.seed, 0, 'a non-negative integer');
  let temperature = DEFAULTS.temperature;
  if (v.temperature !== undefined) {
    temperature = Number(v.temperature);
    if (v.temperature.trim() === '' || !Number.isFinite(temperature) || temperature <= 0) throw new UsageError(`--temperature must be a number > 0, got '${v.temperature}'`);
  }
  const runDir = openRun('generate', positionals[0]);
  const { vocab, context } = charModelOf(runDir);
  const prompt = v.prompt ?? defaultPrompt(vocab);
  if (prompt === '') throw new UsageError('--prompt must have at least one character');
  const unknown = vocab.unknownIn(prompt);
  if (unknown.length > 0) {
    throw new UsageError(`--prompt has ${unknown.length === 1 ? 'a character' : 'characters'} outside the model's vocabulary: ${quoteChars(unknown)} (it knows ${vocab.size - 1}: ${quoteChars(vocab.chars.slice(1, 21) as string[])}${vocab.size > 21 ? ', …' : ''})`);
  }
  const text = sampleText(runDir.model, vocab, prompt, { length, temperature, topK, seed, context });
  process.stdout.write(prompt + text + (text.endsWith('\n') ? '' : '\n'));
  return 0;
}

export const generateCommand: Command = { name: 'generate', summary: "write text with a run's character language model", help: HELP, run };
