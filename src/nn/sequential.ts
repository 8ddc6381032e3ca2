import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

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
    let out = x;
    for (const m of this.children()) out = m.forward(out);
    return out;
  }
}
