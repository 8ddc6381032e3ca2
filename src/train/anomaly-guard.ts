/**
 * fit()'s anomaly detection at the price of a few scans per step. Each step runs without
 * op-level checks; the guard looks only at what is cheap — the loss, every parameter's gradient
 * and, after the update, every parameter. When the loss or a gradient is not finite, it rewinds
 * the model to where the step began (its buffers, such as BatchNorm's running statistics, and
 * the random generator that dropout draws from) and replays the step's forward and backward
 * passes under op-level anomaly detection, whose error names the op, its input shapes and the
 * line that called it. So the report is as precise as running every step under detection,
 * while a finite step costs one vectorized scan of the gradients and one of the parameters; and not even
 * that one for a parameter whose optimizer checked its update in the update's own pass (Adam, AdamW, SGD).
 *
 * What it does not see: a NaN/Infinity inside the graph that reaches neither the loss nor any
 * gradient (an Infinity that a sigmoid saturates to 1, say); op-level detection would stop there.
 */
import type { Tensor } from '../tensor.js';
import type { Module } from '../nn/module.js';
import { formatShape } from '../shape.js';
import type { SparseGrad } from '../autograd/sparse-grad.js';
import { AnomalyError, firstNonFinite, withAnomalyDetection } from '../autograd/anomaly.js';
import { getRngState, setRngState, type RngState } from '../random.js';
import type { TrainableOptimizer } from './callbacks/callback.js';

export class AnomalyGuard {
  private readonly model: Module;
  private readonly optimizer: TrainableOptimizer | null;
  /** The trainable parameters and the buffers as the step found them (a module may replace a tensor between steps). */
  private params: [string, Tensor][] = [];
  /** Each buffer's values when the step began, by name. */
  private saved = new Map<string, Float32Array>();
  private rng: RngState | null = null;

  constructor(model: Module, optimizer: TrainableOptimizer | null = null) {
    this.model = model;
    this.optimizer = optimizer;
  }

  /** Remembers the state a step starts from; called before its forward pass. */
  mark(): void {
    // Parameters that do not train (requiresGrad off) may hold any stale gradient: not this step's.
    this.params = this.model.namedParameters().filter(([, p]) => p.requiresGrad);
    for (const [name, b] of this.model.namedBuffers()) {
      let kept = this.saved.get(name);
      if (kept?.length !== b.size) this.saved.set(name, (kept = new Float32Array(b.size)));
      kept.set(b.data);
    }
    this.rng = getRngState();
  }

  /** 'name' [shape] of the first parameter whose gradient holds a NaN or ±Infinity, or null. */
  brokenGradient(): string | null {
    for (const [name, p] of this.params) {
      if (p.grad && firstNonFinite(p.grad.data) >= 0) return `'${name}' ${formatShape(p.shape)}`;
    }
    return null;
  }

  /** 'name' [shape] of the first parameter holding a NaN or ±Infinity (after an update), or null. */
  brokenParameter(): string | null {
    for (const [name, p] of this.params) {
      const checked = this.optimizer?.checkedFinite?.(p);
      // A parameter with a sparse gradient changed only in its touched rows: scan those (O(nnz), not O(rows)).
      const broken = checked !== undefined ? !checked : p.grad?.isSparse ? brokenRow(p.data, p.grad as SparseGrad) : firstNonFinite(p.data) >= 0;
      if (broken) return `'${name}' ${formatShape(p.shape)}`;
    }
    return null;
  }

  /**
   * Rewinds to mark(), reruns `pass` under op-level detection, and rewinds again, so the model is
   * left as the step found it. Returns the anomaly's message, or null when the replay ran clean.
   */
  replay(pass: () => void): string | null {
    this.rewind();
    try {
      withAnomalyDetection(pass);
      return null;
    } catch (err) {
      if (err instanceof AnomalyError) return err.message;
      throw err;
    } finally {
      this.rewind();
    }
  }

  /** Buffers back to their values at mark(), found by name: a module may have replaced one with a new tensor. */
  private rewind(): void {
    for (const [name, b] of this.model.namedBuffers()) {
      const kept = this.saved.get(name);
      if (kept?.length === b.size) b.data.set(kept);
    }
    if (this.rng) setRngState(this.rng);
  }
}

/** Whether a touched row of param holds a NaN or ±Infinity. */
function brokenRow(param: Float32Array, grad: SparseGrad): boolean {
  const d = grad.rowSize;
  for (const r of grad.indices) {
    for (let i = r * d; i < (r + 1) * d; i++) if (param[i] - param[i] !== 0) return true;
  }
  return false;
}
