import { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { BatchNorm2d, BatchNormBase } from './batch-norm.js';
import { ReLU, Sigmoid, Tanh } from './activation-modules.js';
import { MaxPool2d } from './pool.js';
import type { BatchNormActivation } from '../ops/batch-norm.js';

// The library's own forwards, as loaded: a module fuses only when it runs one of these (not a
// subclass's override, nor a patched or spied-on prototype method).
const OWN_FORWARD = new Map<abstract new (...args: never[]) => Module, Module['forward']>([
  [BatchNormBase, BatchNormBase.prototype.forward],
  [ReLU, ReLU.prototype.forward],
  [Sigmoid, Sigmoid.prototype.forward],
  [Tanh, Tanh.prototype.forward],
  [MaxPool2d, MaxPool2d.prototype.forward],
]);

function isOwn<T extends Module>(m: Module | undefined, type: abstract new (...args: never[]) => T): m is T {
  return m instanceof type && m.forward === OWN_FORWARD.get(type);
}

/** The activation a module applies, when it is one BatchNorm fuses and runs the library's own forward. */
function fusableActivation(m: Module | undefined): BatchNormActivation | null {
  return isOwn(m, ReLU) ? 'relu' : isOwn(m, Sigmoid) ? 'sigmoid' : isOwn(m, Tanh) ? 'tanh' : null;
}

/**
 * Blocks that run as one fused op, with the same values and gradients as the modules one by one
 * but fewer passes over memory and fewer activation-sized arrays: BatchNorm2d (→ ReLU) → MaxPool2d
 * (BatchNormBase.forwardMaxPool) and BatchNorm1d/2d → ReLU, Sigmoid or Tanh (forwardActivation;
 * a pool after a Sigmoid or Tanh then runs on its own). The pool fuses only when it would accept
 * its input; otherwise the modules run one by one and report their own errors.
 * Returns the block's output and how many modules it covered, or null.
 */
function fusedBlock(list: Module[], i: number, x: Tensor): { out: Tensor; used: number } | null {
  const norm = list[i];
  if (!(x instanceof Tensor) || !isOwn(norm, BatchNormBase)) return null;
  const activation = fusableActivation(list[i + 1]);
  const pool = list[i + (activation ? 2 : 1)];
  if (norm instanceof BatchNorm2d && (activation === null || activation === 'relu') && isOwn(pool, MaxPool2d) && pool.accepts(x)) {
    const { kernelSize, stride, padding } = pool;
    return { out: norm.forwardMaxPool(x, { kernelSize, stride, padding }, activation), used: activation ? 3 : 2 };
  }
  return activation ? { out: norm.forwardActivation(x, activation), used: 2 } : null;
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
      const fused = fusedBlock(list, i, out);
      if (fused) {
        out = fused.out;
        i += fused.used - 1;
      } else {
        out = list[i].forward(out);
      }
    }
    return out;
  }
}
