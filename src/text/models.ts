/**
 * The text models of `nabla train --model logistic | bag`, on sparse sets of feature ids (a batch as
 * EmbeddingBag takes it: ids end to end and each sample's offset):
 *
 * - `SparseLogistic(buckets, classes)`: logistic regression on hashed features, logits = Σ W[id] + b, one
 *   weight per feature and class (`EmbeddingBag(buckets, classes, { mode: 'sum', sparse: true })`) plus a
 *   bias; every weight starts at zero, as FTRL expects (McMahan et al. 2013).
 * - `BagClassifier(buckets, hidden, classes)`: fastText's shape, the mean of the features' embeddings
 *   (`EmbeddingBag(buckets, hidden, { mode: 'mean', sparse: true })`, N(0, 1) at first as PyTorch) →
 *   ReLU → Linear(hidden, classes).
 *
 * Both build their children from their constructor arguments, so a model file records only those
 * (module-spec.ts registers them as composite types); state-dict names are `bag.weight`, `bias`, `fc.weight`, `fc.bias`.
 */
import { Module } from '../nn/module.js';
import { Linear } from '../nn/linear.js';
import { EmbeddingBag } from '../nn/embedding.js';
import { zeros } from '../creation.js';
import type { Tensor } from '../tensor.js';

export type SparseInput = Int32Array | Tensor;

function checkSize(owner: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${owner}: ${name} must be a positive integer, got ${String(v)}`);
}

export class SparseLogistic extends Module {
  readonly buckets: number;
  readonly classes: number;
  bag: EmbeddingBag;
  bias: Tensor;

  constructor(buckets: number, classes: number) {
    super();
    checkSize('SparseLogistic', 'buckets', buckets);
    checkSize('SparseLogistic', 'classes', classes);
    this.buckets = buckets;
    this.classes = classes;
    this.bag = this.registerModule('bag', new EmbeddingBag(buckets, classes, { mode: 'sum', sparse: true }));
    this.bag.weight.data.fill(0);
    this.bias = this.registerParameter('bias', zeros([classes]));
  }

  /** ids of every sample end to end, offsets[i] where sample i's start → logits [samples, classes]. */
  forward(ids: SparseInput, offsets: SparseInput): Tensor {
    return this.bag.forward(ids, offsets).add(this.bias);
  }

  override extraRepr(): string {
    return `buckets=${this.buckets}, classes=${this.classes}`;
  }
}

export class BagClassifier extends Module {
  readonly buckets: number;
  readonly hidden: number;
  readonly classes: number;
  bag: EmbeddingBag;
  fc: Linear;

  constructor(buckets: number, hidden: number, classes: number) {
    super();
    checkSize('BagClassifier', 'buckets', buckets);
    checkSize('BagClassifier', 'hidden', hidden);
    checkSize('BagClassifier', 'classes', classes);
    this.buckets = buckets;
    this.hidden = hidden;
    this.classes = classes;
    this.bag = this.registerModule('bag', new EmbeddingBag(buckets, hidden, { mode: 'mean', sparse: true }));
    this.fc = this.registerModule('fc', new Linear(hidden, classes));
  }

  forward(ids: SparseInput, offsets: SparseInput): Tensor {
    return this.fc.forward(this.bag.forward(ids, offsets).relu());
  }

  override extraRepr(): string {
    return `buckets=${this.buckets}, hidden=${this.hidden}, classes=${this.classes}`;
  }
}

export type TextModel = SparseLogistic | BagClassifier;

/**
 * Weights of the feature table that are exactly zero or not: `nonzero` counts features (rows) with
 * any nonzero weight, `nonzeroWeights` the weights themselves; `total` the buckets.
 */
export function tableSparsity(model: TextModel): { nonzero: number; nonzeroWeights: number; total: number } {
  const w = model.bag.weight.data;
  const d = model.bag.embeddingDim;
  let rows = 0;
  let weights = 0;
  for (let r = 0; r < model.buckets; r++) {
    let any = false;
    for (let j = r * d; j < (r + 1) * d; j++) if (w[j] !== 0) (weights++, (any = true));
    if (any) rows++;
  }
  return { nonzero: rows, nonzeroWeights: weights, total: model.buckets };
}
