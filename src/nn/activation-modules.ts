/** The activation functions as modules, for use in Sequential. */
import type { Tensor } from '../tensor.js';
import { relu } from '../ops/relu.js';
import { sigmoid } from '../ops/sigmoid.js';
import { tanh } from '../ops/tanh.js';
import { leakyRelu } from '../ops/leaky-relu.js';
import { elu } from '../ops/elu.js';
import { gelu } from '../ops/gelu.js';
import { softmax } from '../ops/softmax.js';
import { logSoftmax } from '../ops/log-softmax.js';
import { formatShape } from '../shape.js';
import { Module } from './module.js';
import { checkLayerInput } from './checks.js';

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    checkLayerInput('ReLU', x, 'a Tensor');
    return relu(x);
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    checkLayerInput('Sigmoid', x, 'a Tensor');
    return sigmoid(x);
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    checkLayerInput('Tanh', x, 'a Tensor');
    return tanh(x);
  }
}

export class GELU extends Module {
  forward(x: Tensor): Tensor {
    checkLayerInput('GELU', x, 'a Tensor');
    return gelu(x);
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
      throw new Error(`LeakyReLU: negativeSlope must be a finite number, got ${String(negativeSlope)}`);
    }
  }

  forward(x: Tensor): Tensor {
    checkLayerInput(`LeakyReLU(negativeSlope=${this.negativeSlope})`, x, 'a Tensor');
    return leakyRelu(x, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new Error(`ELU: alpha must be a finite number, got ${String(alpha)}`);
  }

  forward(x: Tensor): Tensor {
    checkLayerInput(`ELU(alpha=${this.alpha})`, x, 'a Tensor');
    return elu(x, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** Softmax along `axis` (default the last). */
export class Softmax extends Module {
  constructor(readonly axis = -1) {
    super();
    if (!Number.isInteger(axis)) throw new Error(`Softmax: axis must be an integer, got ${String(axis)}`);
  }

  forward(x: Tensor): Tensor {
    checkLayerInput(`Softmax(axis=${this.axis})`, x, 'a Tensor');
    const rank = Math.max(x.ndim, 1);
    if (this.axis >= rank || this.axis < -rank) {
      throw new Error(`Softmax(axis=${this.axis}): axis ${this.axis} is out of range for input of shape ${formatShape(x.shape)}`);
    }
    return softmax(x, this.axis);
  }

  override extraRepr(): string {
    return `axis=${this.axis}`;
  }
}

/** log(softmax(x)) along `axis` (default the last), computed stably. */
export class LogSoftmax extends Module {
  constructor(readonly axis = -1) {
    super();
    if (!Number.isInteger(axis)) throw new Error(`LogSoftmax: axis must be an integer, got ${String(axis)}`);
  }

  forward(x: Tensor): Tensor {
    checkLayerInput(`LogSoftmax(axis=${this.axis})`, x, 'a Tensor');
    const rank = Math.max(x.ndim, 1);
    if (this.axis >= rank || this.axis < -rank) {
      throw new Error(`LogSoftmax(axis=${this.axis}): axis ${this.axis} is out of range for input of shape ${formatShape(x.shape)}`);
    }
    return logSoftmax(x, this.axis);
  }

  override extraRepr(): string {
    return `axis=${this.axis}`;
  }
}
