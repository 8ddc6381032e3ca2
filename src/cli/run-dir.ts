/** What `nabla evaluate | predict | export` read from a run folder: the model file, and the options the run trained with. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './command.js';
import { loadModel, type LoadedModel } from '../serialize/model-file.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import { CHECKPOINT_FILE, MODEL_FILE } from '../train/run-folder.js';
import type { TrainOptions } from './train-options.js';

export interface Run extends LoadedModel {
  dir: string;
  /** The run's training options (summary.json, else the checkpoint), or null when neither is readable. */
  options: TrainOptions | null;
}

export function openRun(command: string, dirArg: string | undefined): Run {
  if (dirArg === undefined) throw new UsageError(`expected a run folder (written by nabla train), e.g. nabla ${command} runs/mnist-mlp-…`);
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no run folder at ${dir}`);
  const file = join(dir, MODEL_FILE);
  if (!existsSync(file)) {
    throw new UsageError(`${dir} has no ${MODEL_FILE} (nabla train writes it after each epoch; a run made before it existed must be trained again)`);
  }
  let loaded: LoadedModel;
  try {
    loaded = loadModel(file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return { ...loaded, dir, options: readOptions(dir) };
}

function readOptions(dir: string): TrainOptions | null {
  try {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    if (summary?.options?.dataset) return summary.options as TrainOptions;
  } catch {
    // Not finished or not readable: the checkpoint has the same options.
  }
  try {
    return loadCheckpoint(join(dir, CHECKPOINT_FILE)).options as TrainOptions;
  } catch {
    return null;
  }
}
