/**
 * The optimizer base: parameter groups with per-group options, per-parameter state, step(),
 * zeroGrad(), stateDict()/loadStateDict() — torch.optim.Optimizer's contract. The math lives in
 * an UpdateRule (one per optimizer file): `init(size, options)` makes a parameter's state,
 * `update(param, grad, state, options)` does one step in place in one pass over memory. The rule
 * works on bare Float32Arrays, so the optimizer race and the lab run the very same update.
 * A rule whose pass also checks its results (Adam, AdamW, SGD: the backend's kernels) returns whether
 * every updated value is finite; step() keeps the answer for fit's anomaly guard (checkedFinite), which
 * then scans only the parameters no rule vouched for.
 */
import { Tensor } from '../tensor.js';
import type { SparseGrad } from '../autograd/sparse-grad.js';
import { checkOptions, withDefaults, type Checks } from './options.js';

/** Every optimizer has a learning rate (the schedulers change it per group). */
export interface BaseOptions {
  lr: number;
}

/** One field of a parameter's state: a counter, or a buffer (null while not yet needed). */
export type StateValue = number | Float32Array | null;

export interface UpdateRule<O extends BaseOptions, S extends object> {
  /** The optimizer's name, as errors report it. */
  readonly name: string;
  /** Default options; SGD has no default lr (it is required). */
  readonly defaults: Partial<O>;
  /** One check per option: ranges and types. */
  readonly checks: Checks<O>;
  /** Checks between options (e.g. SGD's nesterov needs momentum), on complete options. */
  validate?(options: O): void;
  /** A fresh state for a parameter of `size` elements. */
  init(size: number, options: O): S;
  /**
   * One step: updates param (and state) in place from grad. Returns whether every value of param is
   * now finite, when the pass checked (nothing when it did not).
   */
  update(param: Float32Array, grad: Float32Array, state: S, options: O): boolean | void;
  /**
   * One step from a row-sparse gradient (an embedding's with sparse: true): updates only the rows
   * in grad.indices, at a cost ∝ grad.nnz. Absent when the rule has none (the optimizer then refuses).
   */
  sparseUpdate?(param: Float32Array, grad: SparseRows, state: S, options: O): void;
  /** Why these options cannot take a sparse gradient (e.g. SGD's momentum), or null when they can. */
  sparseRefusal?(options: O): string | null;
  /**
   * For a rule that stores its state otherwise than stateDict() shows it (FTRL keeps n and z
   * interleaved): the state as the dict's fields (numbers, null, or buffers as long as the parameter;
   * fresh arrays), and back into a fresh state (from init) that it fills and returns (its fields' buffers may
   * be plain number arrays, as after JSON). Without them the state is its own dict.
   */
  toDict?(state: S): Record<string, StateValue>;
  fromDict?(fields: Record<string, StateValue>, fresh: S): S;
}

/** A row-sparse gradient as the rules see it: unique rows, ascending, their values [nnz, rowSize]. */
export interface SparseRows {
  indices: Int32Array;
  values: Float32Array;
  rowSize: number;
}

/** What to use instead, in the error for a sparse gradient. */
export const SPARSE_OPTIMIZERS = 'use SparseAdam, Adagrad, FTRL or SGD without momentum';

export type ParamGroup<O> = O & { params: Tensor[] };

/** A parameter group as given to a constructor: its params, and options overriding the defaults. */
export type ParamGroupInput<O> = Partial<O> & { params: Tensor | Iterable<Tensor> };

export type ParamsInput<O> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

export interface OptimizerStateDict {
  /** Per parameter index (counted over the groups in order): its state fields. */
  state: Record<number, Record<string, StateValue | number[]>>;
  /** Each group's options, with its parameters as indices. */
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

function copyValue<T>(value: T): T {
  if (value instanceof Float32Array) return value.slice() as T;
  if (Array.isArray(value)) return value.map(copyValue) as T;
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * Complete, checked options for a rule: the defaults overridden by `options`. Use it to run a
 * rule directly: `const o = resolveOptions(adamRule, { lr: 0.1 })`.
 */
export function resolveOptions<O extends BaseOptions, S extends object>(rule: UpdateRule<O, S>, options: Partial<O>): O {
  const resolved = withDefaults(rule.name, options, rule.defaults, rule.checks);
  rule.validate?.(resolved);
  return resolved;
}

export class Optimizer<O extends BaseOptions, S extends object> {
  /** The constructor's options over the rule's defaults: what a group's omitted options take. */
  readonly defaults: Partial<O>;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Each parameter's state, created at its first step with a gradient. */
  readonly state = new Map<Tensor, S>();
  /** What the last step's update pass found, per parameter it checked: every value finite, or not. */
  private readonly finite = new Map<Tensor, boolean>();

  constructor(readonly rule: UpdateRule<O, S>, params: ParamsInput<O>, options: Partial<O> = {}) {
    const name = rule.name;
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new Error(`${name}: options must be an object like { lr: 0.01 }, got ${describe(options)}`);
    }
    checkOptions(name, options, rule.checks);
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.defaults = { ...rule.defaults, ...given } as Partial<O>;

    if (params instanceof Tensor) {
      throw new Error(`${name}: params must be a list of Tensors or parameter groups, got a single Tensor (wrap it in a list: [t])`);
    }
    if (params === null || typeof params !== 'object' || !(Symbol.iterator in params)) {
      throw new Error(`${name}: params must be a list of Tensors or parameter groups, got ${describe(params)}`);
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new Error(`${name}: params must be a non-empty list, got an empty list`);
    if (list[0] instanceof Tensor) {
      list.forEach((p, i) => {
        if (!(p instanceof Tensor)) throw new Error(`${name}: params[${i}] must be a Tensor, got ${describe(p)}`);
      });
      this.addParamGroup({ params: list as Tensor[] } as unknown as ParamGroupInput<O>);
    } else {
      list.forEach((g, i) => {
        if (g === null || typeof g !== 'object' || !('params' in g)) {
          throw new Error(`${name}: params[${i}] must be a Tensor or a parameter group { params, ...options }, got ${describe(g)}`);
        }
      });
      for (const g of list) this.addParamGroup(g as ParamGroupInput<O>);
    }
  }

  /** Adds a group of parameters with its own options (the rest from `defaults`). */
  addParamGroup(group: ParamGroupInput<O>): void {
    const name = this.rule.name;
    const { params, ...options } = group;
    const tensors = params instanceof Tensor ? [params] : params && typeof params === 'object' && Symbol.iterator in params ? [...params] : null;
    const where = `param group ${this.paramGroups.length}`;
    if (tensors === null) throw new Error(`${name}: ${where}: params must be a Tensor or a list of Tensors, got ${describe(params)}`);
    if (tensors.length === 0) throw new Error(`${name}: ${where}: params must be a non-empty list, got an empty list`);
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    tensors.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new Error(`${name}: ${where}: params[${i}] must be a Tensor, got ${describe(p)}`);
      if (!p.isLeaf) throw new Error(`${name}: ${where}: params[${i}] is not a leaf tensor (it was computed by ${p.node!.op}); optimize leaves only`);
      if (seen.has(p)) throw new Error(`${name}: ${where}: params[${i}] appears more than once across the parameter groups`);
      seen.add(p);
    });
    const resolved = resolveOptions(this.rule, { ...this.defaults, ...options } as Partial<O>);
    this.paramGroups.push({ ...resolved, params: tensors });
  }

  /**
   * One update of every parameter that has a gradient (params whose grad is null are skipped).
   * A closure, if given, is called first (to recompute the loss) and its result returned.
   */
  step<L>(closure?: () => L): L | undefined {
    const loss = closure ? closure() : undefined;
    this.finite.clear();
    let index = 0;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const i = index++;
        const grad = p.grad;
        if (grad === null) continue;
        if (grad.isSparse) this.checkSparse(i, grad as SparseGrad, group);
        const state = this.stateOf(p, group);
        if (grad.isSparse) {
          const g = grad as SparseGrad;
          this.rule.sparseUpdate!(p.data, { indices: g.indices, values: g.values, rowSize: g.rowSize }, state, group);
        } else {
          const finite = this.rule.update(p.data, grad.data, state, group);
          if (typeof finite === 'boolean') this.finite.set(p, finite);
        }
      }
    }
    return loss;
  }

  /**
   * Makes the state of every parameter that has none yet, as its first step() would, without updating
   * anything (PyTorch's Adagrad and Keras's optimizers make theirs when built): the state of a large
   * table (FTRL's n and z of a 2^24-row embedding, 256 MB) is then paid here, not inside the first step.
   */
  initState(): void {
    for (const group of this.paramGroups) for (const p of group.params) this.stateOf(p, group);
  }

  /** p's state, made (rule.init) the first time it is asked for. */
  private stateOf(p: Tensor, group: O): S {
    let state = this.state.get(p);
    if (state === undefined) {
      state = this.rule.init(p.size, group);
      this.state.set(p, state);
    }
    return state;
  }

  /**
   * Whether every value of `param` was finite after the last step(), as its update pass found; undefined
   * when that pass did not check (the rule does not, a sparse gradient) or the step did not update it.
   */
  checkedFinite(param: Tensor): boolean | undefined {
    return this.finite.get(param);
  }

  /** Throws unless the rule updates sparse gradients with these options (before any state is made). */
  private checkSparse(index: number, grad: SparseGrad, group: O): void {
    const why = this.rule.sparseUpdate ? this.rule.sparseRefusal?.(group) ?? null : '';
    if (why === null) return;
    const name = this.rule.name;
    throw new Error(`${name}: parameter ${index} has a sparse gradient (from ${grad.origin}); ${why ? `${why}; ` : ''}${SPARSE_OPTIMIZERS}`);
  }

  /** Clears every parameter's gradient: sets it to null (default) or fills it with zeros. */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) p.grad = null;
        else p.grad?.data.fill(0);
      }
    }
  }

  /** The whole state (copied): step counts and buffers per parameter index, and each group's options. */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const { params, ...options } = group;
      const indices: number[] = [];
      for (const p of params) {
        const s = this.state.get(p);
        if (s !== undefined) {
          // toDict's arrays are fresh already; the state's own are copied.
          state[index] = this.rule.toDict ? this.rule.toDict(s) : Object.fromEntries(Object.entries(s).map(([k, v]) => [k, copyValue(v as StateValue)]));
        }
        indices.push(index++);
      }
      paramGroups.push({ ...copyValue(options as Record<string, unknown>), params: indices });
    }
    return { state, paramGroups };
  }

  /**
   * Restores a stateDict() (buffers may be Float32Arrays or plain number arrays, as after JSON).
   * The groups must hold as many parameters as this optimizer's; everything is checked before
   * anything changes.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const name = `${this.rule.name}.loadStateDict`;
    if (dict === null || typeof dict !== 'object' || !Array.isArray(dict.paramGroups) || dict.state === null || typeof dict.state !== 'object') {
      throw new Error(`${name}: expected { state, paramGroups } as returned by stateDict(), got ${describe(dict)}`);
    }
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${name}: the state dict has ${dict.paramGroups.length} parameter groups, this optimizer has ${this.paramGroups.length}`);
    }
    const params: Tensor[] = [];
    const groupOf: O[] = [];
    const groups = dict.paramGroups.map((saved, g) => {
      const { params: indices, ...options } = saved;
      const own = this.paramGroups[g].params;
      if (!Array.isArray(indices) || indices.length !== own.length) {
        throw new Error(`${name}: parameter group ${g} has ${Array.isArray(indices) ? indices.length : 'no'} parameters in the state dict, ${own.length} here`);
      }
      const resolved = resolveOptions(this.rule, options as Partial<O>);
      for (const p of own) {
        params.push(p);
        groupOf.push(resolved);
      }
      return resolved;
    });
    const states = new Map<Tensor, S>();
    for (const [key, saved] of Object.entries(dict.state)) {
      const i = Number(key);
      if (!Number.isInteger(i) || i < 0 || i >= params.length) {
        throw new Error(`${name}: state for parameter ${key}, but there are ${params.length} parameters`);
      }
      states.set(params[i], this.loadState(`${name}: state[${i}]`, saved, params[i].size, groupOf[i]));
    }
    groups.forEach((options, g) => Object.assign(this.paramGroups[g], options));
    this.state.clear();
    for (const [p, s] of states) this.state.set(p, s);
  }

  /** A checked copy of one parameter's saved state: the same fields as a fresh one, buffers of `size`. */
  private loadState(where: string, saved: unknown, size: number, options: O): S {
    if (saved === null || typeof saved !== 'object') throw new Error(`${where}: expected an object of state fields, got ${describe(saved)}`);
    // The fields' kinds from a state of no coordinates (nothing large made just to read its field names).
    const empty = this.rule.init(0, options);
    const fresh = this.rule.toDict ? this.rule.toDict(empty) : (empty as Record<string, StateValue>);
    const fields = saved as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (!(key in fresh)) throw new Error(`${where}: unknown field '${key}' (fields: ${Object.keys(fresh).join(', ')})`);
    }
    const out: Record<string, StateValue> = {};
    for (const [key, kind] of Object.entries(fresh)) {
      const value = fields[key];
      if (typeof kind === 'number') {
        if (typeof value !== 'number') throw new Error(`${where}.${key} must be a number, got ${describe(value)}`);
        out[key] = value;
      } else if (value === null && kind === null) {
        out[key] = null;
      } else if ((value instanceof Float32Array || Array.isArray(value)) && value.length === size) {
        // fromDict copies into the state it makes; otherwise the dict's values are copied here.
        out[key] = this.rule.fromDict ? (value as Float32Array) : Float32Array.from(value as ArrayLike<number>);
      } else {
        const got = value instanceof Float32Array || Array.isArray(value) ? `${value.length} values` : describe(value);
        throw new Error(`${where}.${key} must be ${kind === null ? 'null or ' : ''}${size} values, got ${got}`);
      }
    }
    return this.rule.fromDict ? this.rule.fromDict(out, this.rule.init(size, options)) : (out as S);
  }
}
