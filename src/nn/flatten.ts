import type { Tensor } from '../tensor.js';
import { formatShape } from '../shape.js';
import { flatten } from '../ops/flatten.js';
import { Module } from './module.js';
import { checkLayerInput } from './checks.js';

/** Merges dimensions startDim..endDim into one (default: everything after the batch dimension). */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
    if (!Number.isInteger(startDim) || !Number.isInteger(endDim)) {
      throw new Error(`Flatten: startDim and endDim must be integers, got ${String(startDim)} and ${String(endDim)}`);
    }
  }

  forward(x: Tensor): Tensor {
    checkLayerInput(`Flatten(startDim=${this.startDim}, endDim=${this.endDim})`, x, 'a Tensor');
    const rank = x.ndim;
    const inRange = (d: number) => d >= -rank && d < rank;
    if (!inRange(this.startDim) || !inRange(this.endDim)) {
      const need = Math.max(this.startDim >= 0 ? this.startDim + 1 : -this.startDim, this.endDim >= 0 ? this.endDim + 1 : -this.endDim);
      throw new Error(`Flatten(startDim=${this.startDim}, endDim=${this.endDim}): expected input with at least ${need} dimensions, got shape ${formatShape(x.shape)}`);
    }
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}
