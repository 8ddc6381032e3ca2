/**
 * Gradient-flow diagnostics — the lecture's questions answered from a real run. Every `every`
 * steps it records, per layer, the activations' mean and spread and the fraction saturated
 * (sigmoid/tanh near their limits) or dead (ReLU units zero for the whole batch), and per
 * parameter tensor the gradient norm and the update-to-weight ratio ‖ΔW‖/‖W‖ of that step.
 *
 * Activations come from a probe pass over the same batch through the model's children in order
 * (Sequential models), with the random-generator state and every buffer (BatchNorm running
 * statistics) restored afterwards, so the probe never changes the training run.
 */
import type { Tensor } from '../../tensor.js';
import type { Module } from '../../nn/module.js';
import { noGrad } from '../../autograd/grad-mode.js';
import type { SparseGrad } from '../../autograd/sparse-grad.js';
import { getRngState, setRngState } from '../../random.js';
import type { Callback, TrainContext } from './callback.js';
import { checkedByOwner, checkOptionsObject, listOf } from '../../optim/options.js';

export interface LayerStats {
  name: string;
  kind: string;
  mean: number;
  std: number;
  /** Sigmoid/Tanh: fraction of outputs within 1% of the limits. */
  saturated?: number;
  /** ReLU: fraction of units that are zero for every sample of the batch. */
  dead?: number;
}

export interface ParamStats {
  name: string;
  /** The type of the module that owns the parameter (Linear, BatchNorm1d, …). */
  kind: string;
  gradNorm: number;
  updateRatio: number;
}

export interface DiagnosticsRecord {
  step: number;
  epoch: number;
  layers: LayerStats[];
  params: ParamStats[];
}

function norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

function moments(a: Float32Array): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  const mean = s / a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / a.length) };
}

function saturatedFraction(kind: string, y: Float32Array): number {
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (kind === 'Sigmoid' ? v < 0.01 || v > 0.99 : Math.abs(v) > 0.99) n++;
  }
  return n / y.length;
}

/** Units (all positions but the batch axis) that are zero for every sample. */
function deadFraction(y: Tensor): number {
  const batch = y.shape[0];
  const units = y.size / batch;
  let dead = 0;
  for (let u = 0; u < units; u++) {
    let alive = false;
    for (let b = 0; b < batch && !alive; b++) if (y.data[b * units + u] > 0) alive = true;
    if (!alive) dead++;
  }
  return dead / units;
}

/** Per-layer activation statistics of one forward pass, without side effects on the model or the generator. */
export function probeActivations(model: Module, x: Tensor): LayerStats[] {
  const children = model.namedChildren();
  if (children.length === 0) return [];
  const buffers = model.buffers().map((b) => [b, b.data.slice()] as const);
  const rng = getRngState();
  try {
    return noGrad(() => {
      const stats: LayerStats[] = [];
      let h = x;
      for (const [name, layer] of children) {
        h = layer.forward(h);
        const kind = layer.typeName;
        const entry: LayerStats = { name, kind, ...moments(h.data) };
        if (kind === 'Sigmoid' || kind === 'Tanh') entry.saturated = saturatedFraction(kind, h.data);
        if (kind === 'ReLU') entry.dead = deadFraction(h);
        stats.push(entry);
      }
      return stats;
    });
  } finally {
    for (const [b, saved] of buffers) b.data.set(saved);
    setRngState(rng);
  }
}

export class GradientFlow implements Callback {
  readonly every: number;
  readonly records: DiagnosticsRecord[] = [];
  private pending: DiagnosticsRecord | null = null;
  /** The parameters before the step being recorded, copied into buffers kept from one record to the next. */
  private before: Float32Array[] = [];

  constructor(options: { every?: number; records?: DiagnosticsRecord[] } = {}) {
    checkOptionsObject('GradientFlow', options, { every: checkedByOwner, records: listOf(checkedByOwner) });
    const { every = 50 } = options;
    if (!Number.isInteger(every) || every < 1) throw new Error(`GradientFlow: every must be a positive integer, got ${String(every)}`);
    this.every = every;
    if (options.records) this.records.push(...options.records);
  }

  onAfterBackward(ctx: TrainContext): void {
    if (ctx.step % this.every !== 0) return;
    const named = ctx.model.namedParameters();
    const kinds = new Map(ctx.model.namedModules().map(([name, m]) => [name, m.typeName]));
    const owner = (name: string) => kinds.get(name.slice(0, Math.max(0, name.lastIndexOf('.')))) ?? ctx.model.typeName;
    this.pending = {
      step: ctx.step,
      epoch: ctx.epoch + 1,
      layers: [],
      params: named.map(([name, p]) => ({ name, kind: owner(name), gradNorm: p.grad ? norm(p.grad.data) : 0, updateRatio: NaN })),
    };
    // A parameter with a sparse gradient: only its touched rows (the only ones a step changes) are copied,
    // and its update ratio is over those rows, ‖ΔW_rows‖/‖W_rows‖ (O(nnz), not O(rows)).
    this.before = named.map(([, p], i) => {
      const rows = p.grad?.isSparse ? (p.grad as SparseGrad) : null;
      const size = rows ? rows.values.length : p.size;
      const kept = this.before[i]?.length === size ? this.before[i] : new Float32Array(size);
      if (rows) gatherRows(p.data, rows, kept);
      else kept.set(p.data);
      return kept;
    });
    this.sparseRows = named.map(([, p]) => (p.grad?.isSparse ? (p.grad as SparseGrad) : null));
  }

  private sparseRows: (SparseGrad | null)[] = [];

  onBatchEnd(ctx: TrainContext): void {
    if (!this.pending) return;
    const record = this.pending;
    this.pending = null;
    ctx.model.parameters().forEach((p, i) => {
      const rows = this.sparseRows[i];
      const after = rows ? gatherRows(p.data, rows, new Float32Array(rows.values.length)) : p.data;
      const { step, weight } = updateAndWeightNorms(this.before[i], after);
      record.params[i].updateRatio = weight > 0 ? step / weight : NaN;
    });
    if (ctx.batch) record.layers = probeActivations(ctx.model, ctx.batch.x);
    this.records.push(record);
  }
}

/** ‖after − before‖ and ‖before‖ in one pass. */
function updateAndWeightNorms(before: Float32Array, after: Float32Array): { step: number; weight: number } {
  let d = 0;
  let w = 0;
  for (let k = 0; k < before.length; k++) {
    const old = before[k];
    const delta = after[k] - old;
    d += delta * delta;
    w += old * old;
  }
  return { step: Math.sqrt(d), weight: Math.sqrt(w) };
}

/** The rows of a sparse gradient's parameter, gathered into out. */
function gatherRows(param: Float32Array, rows: SparseGrad, out: Float32Array): Float32Array {
  const d = rows.rowSize;
  rows.indices.forEach((r, k) => out.set(param.subarray(r * d, (r + 1) * d), k * d));
  return out;
}
