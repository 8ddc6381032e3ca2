import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { dropout } from './functional/dropout.js';
import { checkLayerInput } from './checks.js';

/** Zeroes each element with probability p in training (scaling the rest by 1/(1 − p)); the identity in eval(). */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new Error(`Dropout: p must be a probability in [0, 1], got ${String(p)}`);
  }

  forward(x: Tensor): Tensor {
    checkLayerInput(`Dropout(p=${this.p})`, x, 'a Tensor');
    return dropout(x, this.p, this.training);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
