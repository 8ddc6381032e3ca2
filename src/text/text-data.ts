/** The text data sets `nabla train` knows: the SpamAssassin corpus and a CSV with a text column, hashed into sparse features and split 80/20. */
import { randomSplit } from '../data/split.js';
import { TextFeaturizer, type TextPreprocess } from './hashing.js';
import { SparseDataset } from './sparse-dataset.js';
import { loadSpamAssassin, type TextCorpus } from './spam.js';
import { loadTextCsv } from './text-csv.js';

export interface TextDataRequest {
  /** 'spam' or 'csv:PATH'. */
  dataset: string;
  text: TextPreprocess;
  textColumn?: string;
  labelColumn?: string;
  seed: number;
  /** Use only this many documents of the training split (its first ones). */
  samples?: number;
}

export interface TextData {
  train: SparseDataset;
  test: SparseDataset;
  classes: string[];
  featurizer: TextFeaturizer;
}

export function loadCorpus(req: TextDataRequest): TextCorpus {
  if (req.dataset === 'spam') return loadSpamAssassin();
  if (req.dataset.startsWith('csv:')) {
    if (req.textColumn === undefined) throw new Error('a text model on a CSV file needs --text-column NAME');
    return loadTextCsv(req.dataset.slice(4), { textColumn: req.textColumn, labelColumn: req.labelColumn });
  }
  throw new Error(`dataset '${req.dataset}' is not a text data set (spam, csv:PATH with --text-column)`);
}

/** The corpus hashed, and split 80/20 (train/test) by a seeded permutation: the same split for the same seed. */
export function loadTextData(req: TextDataRequest): TextData {
  const corpus = loadCorpus(req);
  const featurizer = new TextFeaturizer(req.text);
  const all = new SparseDataset(corpus.texts.map((t) => featurizer.features(t)), corpus.y, featurizer.buckets);
  const [trainPart, testPart] = randomSplit({ length: all.length, get: (i: number) => i }, [0.8, 0.2], { seed: req.seed });
  const trainIdx = req.samples !== undefined ? trainPart.indices.subarray(0, req.samples) : trainPart.indices;
  return { train: all.subset(trainIdx), test: all.subset(testPart.indices), classes: corpus.classes, featurizer };
}
