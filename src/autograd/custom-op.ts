/**
 * User-defined differentiable ops, like torch.autograd.Function: a forward that computes the
 * value (run without recording, so it can use any ops) and a backward that maps the upstream
 * gradient to one gradient per input. Several steps become one graph node with its own local
 * gradient — e.g. σ as a single module whose local gradient is (1 − σ)σ.
 *
 *   const sigmoid = customOp({
 *     name: 'mySigmoid',
 *     forward(ctx, x) { const y = x.neg().exp().add(1).reciprocal(); ctx.save(y); return y; },
 *     backward(ctx, g) { const [y] = ctx.saved; return [g.mul(y).mul(y.neg().add(1))]; },
 *   });
 */
import { Tensor } from '../tensor.js';
import { formatShape, sameShape } from '../shape.js';
import { noGrad } from './grad-mode.js';
import { record } from './node.js';

/** What forward hands to backward. */
export class CustomOpContext {
  private _saved: Tensor[] = [];

  /** Whether each input requires grad (backward may return null for the others). */
  readonly needsInputGrad: readonly boolean[];

  constructor(needsInputGrad: boolean[]) {
    this.needsInputGrad = needsInputGrad;
  }

  /** Keeps tensors for backward (forward's inputs, outputs or intermediates). */
  save(...tensors: Tensor[]): void {
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new Error(`ctx.save: argument ${i} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
    });
    this._saved = tensors;
  }

  /** The tensors passed to save(), in order. */
  get saved(): readonly Tensor[] {
    return this._saved;
  }
}

export interface CustomOpDefinition {
  /** The op's name in the graph (inspect, gradFn=<name>) and in its error messages. */
  name: string;
  forward(ctx: CustomOpContext, ...inputs: Tensor[]): Tensor;
  /** dL/d(output) → dL/d(input) for each input (null for an input that needs none); a lone Tensor for a one-input op. */
  backward(ctx: CustomOpContext, grad: Tensor): (Tensor | null)[] | Tensor;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Tensor) return 'a Tensor';
  return typeof value;
}

/** Returns a function (...inputs) => Tensor that records one graph node named `definition.name`. */
export function customOp(definition: CustomOpDefinition): (...inputs: (Tensor | number)[]) => Tensor {
  const { name, forward, backward } = definition ?? ({} as CustomOpDefinition);
  if (typeof name !== 'string' || name === '') throw new Error(`customOp: name must be a non-empty string, got ${JSON.stringify(name) ?? String(name)}`);
  if (typeof forward !== 'function') throw new Error(`customOp '${name}': forward must be a function`);
  if (typeof backward !== 'function') throw new Error(`customOp '${name}': backward must be a function`);

  return (...args) => {
    const inputs = args.map((a, i) => {
      if (a instanceof Tensor) return a;
      if (typeof a === 'number') return new Tensor(new Float32Array([a]), []);
      throw new Error(`customOp '${name}': input ${i} must be a Tensor or a number, got ${describe(a)}`);
    });
    const ctx = new CustomOpContext(inputs.map((t) => t.requiresGrad));
    const result = noGrad(() => forward.call(definition, ctx, ...inputs));
    if (!(result instanceof Tensor)) {
      throw new Error(`customOp '${name}': forward must return a Tensor, got ${describe(result)}`);
    }
    // A fresh tensor (sharing storage), so recording never rewires an input or a saved tensor.
    const out = new Tensor(result.data, result.shape.slice());

    return record(name, out, inputs, (grad) => {
      const returned = backward.call(definition, ctx, grad);
      const grads = returned instanceof Tensor && inputs.length === 1 ? [returned] : returned;
      if (!Array.isArray(grads)) {
        throw new Error(`customOp '${name}': backward must return an array with one gradient (Tensor or null) per input, got ${describe(returned)}`);
      }
      if (grads.length !== inputs.length) {
        throw new Error(`customOp '${name}': backward returned ${grads.length} gradient${grads.length === 1 ? '' : 's'} for ${inputs.length} inputs`);
      }
      grads.forEach((g, k) => {
        if (g === null) return;
        if (!(g instanceof Tensor)) {
          throw new Error(`customOp '${name}': backward returned ${describe(g)} for input ${k}; expected a Tensor or null`);
        }
        if (!sameShape(g.shape, inputs[k].shape)) {
          throw new Error(
            `customOp '${name}': backward returned a gradient of shape ${formatShape(g.shape)} for input ${k} of shape ${formatShape(inputs[k].shape)}`,
          );
        }
      });
      return grads;
    });
  };
}
