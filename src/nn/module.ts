/**
 * Module: the base class of every layer, like torch.nn.Module.
 *
 * A module owns parameters (tensors the optimizer trains), buffers (state that is saved but
 * not trained, e.g. BatchNorm's runningMean) and child modules. Registration is explicit:
 *
 *   this.weight = this.registerParameter('weight', randn([out, inp]));
 *   this.runningMean = this.registerBuffer('runningMean', zeros([c]));
 *   this.encoder = this.registerModule('encoder', new Sequential(...));
 *
 * Each call records the name and stores the value in the property of that name; the
 * traversals (parameters(), stateDict(), …) read the property at call time, so reassigning
 * `this.weight = t` later is seen by them.
 */
import { Tensor } from '../tensor.js';
import { formatShape, sameShape } from '../shape.js';

export interface LoadStateDictOptions {
  /** Missing and unexpected keys are errors (default true). Shape mismatches always are. */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

type Slot = Tensor | null;

function checkName(owner: string, kind: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '' || name.includes('.')) {
    throw new Error(`${owner}.register${kind}: name must be a non-empty string without '.', got ${JSON.stringify(name)}`);
  }
}

function countFormatted(n: number): string {
  return n.toLocaleString('en-US');
}

export abstract class Module {
  /** True in training mode (the default), false after eval(). Read by Dropout and BatchNorm. */
  training = true;

  private readonly parameterNames: string[] = [];
  private readonly bufferNames: string[] = [];
  private readonly moduleNames: string[] = [];

  /**
   * Most layers take and return Tensors; some take or return more (the recurrent layers: `[output,
   * hN]` from `(x, h0?)`), so the base signature leaves the types to each class.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  abstract forward(...inputs: any[]): any;

  /** Registers a trainable tensor (or null, e.g. a disabled bias); sets requiresGrad on it. */
  protected registerParameter<T extends Slot>(name: string, value: T): T {
    this.register('Parameter', name, value, this.parameterNames);
    if (value !== null) value.requiresGrad_(true);
    return value;
  }

  /** Registers a state tensor that is saved in stateDict() but not trained. */
  protected registerBuffer<T extends Slot>(name: string, value: T): T {
    this.register('Buffer', name, value, this.bufferNames);
    return value;
  }

  /** Registers a child module; its parameters appear under `name.`. */
  protected registerModule<M extends Module | null>(name: string, module: M): M {
    checkName(this.typeName, 'Module', name);
    if (module !== null && !(module instanceof Module)) {
      throw new Error(`${this.typeName}.registerModule: '${name}' must be a Module or null`);
    }
    this.claim('Module', name, this.moduleNames);
    this.slots()[name] = module;
    return module;
  }

  private register(kind: string, name: string, value: Slot, names: string[]): void {
    checkName(this.typeName, kind, name);
    if (value !== null && !(value instanceof Tensor)) {
      throw new Error(`${this.typeName}.register${kind}: '${name}' must be a Tensor or null`);
    }
    this.claim(kind, name, names);
    this.slots()[name] = value;
  }

  private claim(kind: string, name: string, names: string[]): void {
    const taken = [this.parameterNames, this.bufferNames, this.moduleNames].find((list) => list.includes(name));
    if (taken && taken !== names) throw new Error(`${this.typeName}.register${kind}: '${name}' is already registered as another kind`);
    if (!taken) names.push(name);
  }

  private slots(): Record<string, unknown> {
    return this as unknown as Record<string, unknown>;
  }

  private slot(name: string): Slot {
    return this.slots()[name] as Slot;
  }

  /** The class name, used in summaries and error messages. */
  get typeName(): string {
    return this.constructor.name;
  }

  /** Direct children with their names, in registration order. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const name of this.moduleNames) {
      const m = this.slots()[name];
      if (m instanceof Module) out.push([name, m]);
    }
    return out;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, each once, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (m: Module, name: string) => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [child, c] of m.namedChildren()) visit(c, name ? `${name}.${child}` : child);
    };
    visit(this, prefix);
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  private namedTensors(kind: 'parameters' | 'buffers'): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const name of kind === 'parameters' ? m.parameterNames : m.bufferNames) {
        const t = m.slot(name);
        if (t === null || t === undefined || seen.has(t)) continue;
        seen.add(t);
        out.push([prefix ? `${prefix}.${name}` : name, t]);
      }
    }
    return out;
  }

  /** Every parameter with its dotted name (`0.weight`, `encoder.1.bias`); shared ones once. */
  namedParameters(): [string, Tensor][] {
    return this.namedTensors('parameters');
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  namedBuffers(): [string, Tensor][] {
    return this.namedTensors('buffers');
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, t]) => t);
  }

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new Error(`${this.typeName}.train: mode must be a boolean, got ${typeof mode}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (Dropout is the identity, BatchNorm uses its running statistics). */
  eval(): this {
    return this.train(false);
  }

  /** Turns gradient tracking of every parameter on or off (freezing); returns this. */
  requiresGrad_(on = true): this {
    for (const p of this.parameters()) p.requiresGrad_(on);
    return this;
  }

  /** Clears every parameter's gradient (sets it to null, like PyTorch's default). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Calls fn on every module (children first, then this one, like torch's apply); returns this. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Parameters and buffers by dotted name. The values share storage with the module's
   * tensors (detached), as in PyTorch: copy them to keep a snapshot.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [prefix, m] of this.namedModules()) {
      for (const name of [...m.parameterNames, ...m.bufferNames]) {
        const t = m.slot(name);
        if (t instanceof Tensor) out[prefix ? `${prefix}.${name}` : name] = t.detach();
      }
    }
    return out;
  }

  /**
   * Copies values into the existing tensors in place (optimizers keep valid references).
   * Everything is checked before anything is written, so a throw leaves the module unchanged.
   */
  loadStateDict(dict: Record<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const { strict = true } = options;
    if (dict === null || typeof dict !== 'object') throw new Error('loadStateDict: expected an object mapping names to tensors');
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in dict));
    const unexpectedKeys = Object.keys(dict).filter((k) => !(k in own));
    const problems: string[] = [];
    for (const [key, target] of Object.entries(own)) {
      if (!(key in dict)) continue;
      const source = dict[key];
      if (!(source instanceof Tensor)) problems.push(`'${key}' is not a Tensor`);
      else if (!sameShape(source.shape, target.shape)) {
        problems.push(`'${key}' has shape ${formatShape(source.shape)} in the state dict but ${formatShape(target.shape)} in the module`);
      }
    }
    if (strict) {
      if (missingKeys.length > 0) problems.push(`missing keys ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
      if (unexpectedKeys.length > 0) problems.push(`unexpected keys ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
    }
    if (problems.length > 0) throw new Error(`loadStateDict: ${this.typeName}: ${problems.join('; ')}`);
    for (const [key, target] of Object.entries(own)) {
      if (key in dict) target.data.set(dict[key].data);
    }
    return { missingKeys, unexpectedKeys };
  }

  /** The text inside this module's parentheses in the summary (e.g. `inFeatures=784, outFeatures=128`). */
  extraRepr(): string {
    return '';
  }

  /** A summary like PyTorch's repr, followed by the parameter counts. */
  toString(): string {
    const params = this.parameters();
    const total = params.reduce((n, p) => n + p.size, 0);
    const trainable = params.reduce((n, p) => n + (p.requiresGrad ? p.size : 0), 0);
    return `${this.repr()}\nTotal parameters: ${countFormatted(total)} (trainable: ${countFormatted(trainable)})`;
  }

  private repr(): string {
    const children = this.namedChildren();
    const extra = this.extraRepr();
    if (children.length === 0) return `${this.typeName}(${extra})`;
    const lines = [`${this.typeName}(`];
    if (extra) lines.push(`  ${extra}`);
    for (const [name, child] of children) lines.push(`  (${name}): ${child.repr().split('\n').join('\n  ')}`);
    lines.push(')');
    return lines.join('\n');
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
