import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { BatchNormBase } from './batch-norm.js';
import { ReLU } from './activation-modules.js';

/**
 * A BatchNorm directly followed by a ReLU runs as one fused op (BatchNormBase.forwardRelu): the
 * same values and gradients, one memory pass instead of two each way. Only for the library's own
 * forwards: a subclass that overrides either runs as written.
 */
function fusesWithRelu(m: Module, next: Module | undefined): m is BatchNormBase {
  return m instanceof BatchNormBase && m.forward === BatchNormBase.prototype.forward &&
    next instanceof ReLU && next.forward === ReLU.prototype.forward;
}

/** Modules applied in order; children are named '0', '1', … (so parameters are `0.weight`, …). */
export class Sequential extends Module {
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m) => this.append(m));
  }

  /** Adds a module at the end; returns this. */
  append(module: Module): this {
    if (!(module instanceof Module)) throw new Error(`Sequential: element ${this.length} must be a Module`);
    this.registerModule(String(this.length), module);
    return this;
  }

  get length(): number {
    return this.children().length;
  }

  /** The i-th module (negative counts from the end). */
  at(i: number): Module {
    const list = this.children();
    const m = list[i < 0 ? list.length + i : i];
    if (!m) throw new Error(`Sequential.at: index ${i} is out of range for ${list.length} modules`);
    return m;
  }

  forward(x: Tensor): Tensor {
    const list = this.children();
    let out = x;
    for (let i = 0; i < list.length; i++) {
      const m = list[i];
      if (fusesWithRelu(m, list[i + 1])) {
        out = m.forwardRelu(out);
        i++;
      } else {
        out = m.forward(out);
      }
    }
    return out;
  }
}
