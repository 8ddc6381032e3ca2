/**
 * gradcheck: compares the analytic gradients of fn with central differences. The inputs are
 * float32, so the forward runs in float32, but perturbations and differences are taken in
 * float64 and the output is reduced as Σ w·f(x) in float64 with fixed random weights w, so
 * that every output element is checked at once.
 */
import { Tensor } from '../tensor.js';
import { noGrad } from './grad-mode.js';
import { formatShape } from '../shape.js';

export interface GradcheckOptions {
  /** Perturbation (default 1e-3, suited to float32 forwards). */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw an Error describing the first mismatch (default true); otherwise return false. */
  raiseException?: boolean;
}

function weightsFor(size: number): Float64Array {
  // A fixed pseudo-random pattern (not the global generator, so gradcheck never shifts a seeded run).
  const w = new Float64Array(size);
  for (let i = 0; i < size; i++) w[i] = 0.5 + ((Math.sin(i * 12.9898 + 78.233) * 43758.5453) % 1 + 1) % 1;
  return w;
}

function weightedSum(out: Tensor, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < out.data.length; i++) s += w[i] * out.data[i];
  return s;
}

export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): boolean {
  const { eps = 1e-3, atol = 1e-2, rtol = 1e-2, raiseException = true } = options;
  const checked = inputs.filter((t) => t.requiresGrad);
  if (checked.length === 0) throw new Error('gradcheck: no input requires grad');

  for (const t of checked) t.grad = null;
  const out = fn(...inputs);
  if (!(out instanceof Tensor)) throw new Error(`gradcheck: fn must return a Tensor, got ${out === null ? 'null' : typeof out}`);
  const w = weightsFor(out.size);
  if (!out.requiresGrad) throw new Error('gradcheck: the output does not depend on any input that requires grad');
  out.backward(new Tensor(Float32Array.from(w), out.shape.slice()));
  const analytic = checked.map((t) => (t.grad ? t.grad.data.slice() : new Float32Array(t.size)));

  for (let k = 0; k < checked.length; k++) {
    const t = checked[k];
    for (let i = 0; i < t.size; i++) {
      const original = t.data[i];
      const [plus, minus] = noGrad(() => {
        t.data[i] = original + eps;
        const fp = weightedSum(fn(...inputs), w);
        t.data[i] = original - eps;
        const fm = weightedSum(fn(...inputs), w);
        return [fp, fm];
      });
      t.data[i] = original;
      const xp = Math.fround(original + eps);
      const xm = Math.fround(original - eps);
      const numeric = (plus - minus) / (xp - xm);
      const a = analytic[k][i];
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
        const msg = `gradcheck: input ${inputs.indexOf(t)} (shape ${formatShape(t.shape)}) element ${i}: analytic ${a} vs numeric ${numeric}`;
        if (raiseException) throw new Error(msg);
        return false;
      }
    }
  }
  return true;
}
