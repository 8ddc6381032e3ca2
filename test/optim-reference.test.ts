/**
 * What the golden file does not cover (weight decay everywhere, AMSGrad, AdamW, centered RMSprop
 * with momentum, Nesterov, dampening, Adagrad's lrDecay, FTRL's l2 / shrinkage / beta / lrPower),
 * against float64 references written here from the algorithm boxes of the PyTorch docs (and the
 * Keras Ftrl docstring) as plain loops, independent of src/optim.
 */
import { describe, it } from 'vitest';
import { optim, tensor, type Tensor } from '../src/index.js';
import { expectClose } from './helpers.js';

type Options = Record<string, any>;
/** One step of a reference: updates theta (and its own state) in float64. */
type RefStep = (theta: number[], g: number[], t: number, o: Options) => void;

const sqrt = Math.sqrt;
const zerosN = (n: number) => new Array<number>(n).fill(0);

function sgdRef(): RefStep {
  let b: number[] | null = null;
  return (theta, grad, t, { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false }) => {
    for (let i = 0; i < theta.length; i++) {
      let g = grad[i];
      if (weightDecay !== 0) g += weightDecay * theta[i];
      if (momentum !== 0) {
        b ??= zerosN(theta.length);
        b[i] = t > 1 ? momentum * b[i] + (1 - dampening) * g : g;
        g = nesterov ? g + momentum * b[i] : b[i];
      }
      theta[i] -= lr * g;
    }
  };
}

function adagradRef(): RefStep {
  let sum: number[] | null = null;
  return (theta, grad, t, { lr = 0.01, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10 }) => {
    sum ??= new Array<number>(theta.length).fill(initialAccumulatorValue);
    const clr = lr / (1 + (t - 1) * lrDecay);
    for (let i = 0; i < theta.length; i++) {
      let g = grad[i];
      if (weightDecay !== 0) g += weightDecay * theta[i];
      sum[i] += g * g;
      theta[i] -= (clr * g) / (sqrt(sum[i]) + eps);
    }
  };
}

function rmspropRef(): RefStep {
  let v: number[] | null = null;
  let gAve: number[] | null = null;
  let b: number[] | null = null;
  return (theta, grad, _t, { lr = 0.01, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false }) => {
    v ??= zerosN(theta.length);
    gAve ??= zerosN(theta.length);
    b ??= zerosN(theta.length);
    for (let i = 0; i < theta.length; i++) {
      let g = grad[i];
      if (weightDecay !== 0) g += weightDecay * theta[i];
      v[i] = alpha * v[i] + (1 - alpha) * g * g;
      let vTilde = v[i];
      if (centered) {
        gAve[i] = alpha * gAve[i] + (1 - alpha) * g;
        vTilde -= gAve[i] * gAve[i];
      }
      if (momentum > 0) {
        b[i] = momentum * b[i] + g / (sqrt(vTilde) + eps);
        theta[i] -= lr * b[i];
      } else {
        theta[i] -= (lr * g) / (sqrt(vTilde) + eps);
      }
    }
  };
}

/** Adam and AdamW; AMSGrad keeps the running max of v and bias-corrects it (torch ≥ 1.13's box). */
function adamRef(decoupled: boolean): RefStep {
  let m: number[] | null = null;
  let v: number[] | null = null;
  let vMax: number[] | null = null;
  return (theta, grad, t, { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = decoupled ? 1e-2 : 0, amsgrad = false }) => {
    const [b1, b2] = betas;
    m ??= zerosN(theta.length);
    v ??= zerosN(theta.length);
    vMax ??= zerosN(theta.length);
    for (let i = 0; i < theta.length; i++) {
      let g = grad[i];
      if (decoupled) theta[i] -= lr * weightDecay * theta[i];
      else if (weightDecay !== 0) g += weightDecay * theta[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const mHat = m[i] / (1 - b1 ** t);
      let vHat = v[i] / (1 - b2 ** t);
      if (amsgrad) {
        vMax[i] = Math.max(vMax[i], v[i]);
        vHat = vMax[i] / (1 - b2 ** t);
      }
      theta[i] -= (lr * mHat) / (sqrt(vHat) + eps);
    }
  };
}

function adadeltaRef(): RefStep {
  let v: number[] | null = null;
  let u: number[] | null = null;
  return (theta, grad, _t, { lr = 1, rho = 0.9, eps = 1e-6, weightDecay = 0 }) => {
    v ??= zerosN(theta.length);
    u ??= zerosN(theta.length);
    for (let i = 0; i < theta.length; i++) {
      let g = grad[i];
      if (weightDecay !== 0) g += weightDecay * theta[i];
      v[i] = rho * v[i] + (1 - rho) * g * g;
      const dx = (sqrt(u[i] + eps) / sqrt(v[i] + eps)) * g;
      u[i] = rho * u[i] + (1 - rho) * dx * dx;
      theta[i] -= lr * dx;
    }
  };
}

/**
 * The Keras Ftrl docstring's rule, generalised to lrPower (n^(−lrPower) for √n) and shrinkage
 * (g + 2·l2Shrinkage·w in z). Its λ2 is Keras's 2·l2_regularization_strength.
 */
function ftrlRef(): RefStep {
  let n: number[] | null = null;
  let z: number[] | null = null;
  return (w, grad, _t, { lr = 1e-3, lrPower = -0.5, initialAccumulatorValue = 0.1, l1 = 0, l2 = 0, l2Shrinkage = 0, beta = 0 }) => {
    n ??= new Array<number>(w.length).fill(initialAccumulatorValue);
    z ??= zerosN(w.length);
    for (let i = 0; i < w.length; i++) {
      const g = grad[i];
      const prevN = n[i];
      n[i] += g * g;
      const sigma = (n[i] ** -lrPower - prevN ** -lrPower) / lr;
      z[i] += g + 2 * l2Shrinkage * w[i] - sigma * w[i];
      w[i] = Math.abs(z[i]) <= l1 ? 0 : (Math.sign(z[i]) * l1 - z[i]) / ((beta + n[i] ** -lrPower) / lr + 2 * l2);
    }
  };
}

/** Deterministic pseudo-random numbers in [−1, 1) (a small LCG, so the test needs nothing else). */
function sequence(seed: number, count: number): number[] {
  const out: number[] = [];
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(s / 2 ** 31 - 1);
  }
  return out;
}

const SIZE = 6;
const STEPS = 30;
const init = sequence(1, SIZE).map((x) => 2 * x);
// Large gradients for 8 steps, then small ones: v shrinks below its maximum, so AMSGrad differs from Adam.
const grads = Array.from({ length: STEPS }, (_, t) => sequence(100 + t, SIZE).map((x) => (t < 8 ? 3 * x : 0.05 * x)));

type OptimizerClass = new (params: Tensor[], options: Options) => optim.Optimizer<{ lr: number }, object>;

const cases: Array<[keyof typeof optim, Options, () => RefStep]> = [
  ['SGD', { lr: 0.05, weightDecay: 0.1 }, sgdRef],
  ['SGD', { lr: 0.05, momentum: 0.9, dampening: 0.2, weightDecay: 0.05 }, sgdRef],
  ['SGD', { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.1 }, sgdRef],
  ['Adagrad', { lr: 0.1, weightDecay: 0.1 }, adagradRef],
  ['Adagrad', { lr: 0.2, lrDecay: 0.05, initialAccumulatorValue: 0.5, eps: 1e-6, weightDecay: 0.01 }, adagradRef],
  ['RMSprop', { lr: 0.01, weightDecay: 0.1 }, rmspropRef],
  ['RMSprop', { lr: 0.005, momentum: 0.9 }, rmspropRef],
  ['RMSprop', { lr: 0.005, alpha: 0.9, centered: true, momentum: 0.8, weightDecay: 0.05 }, rmspropRef],
  ['Adam', { lr: 0.05, weightDecay: 0.1 }, () => adamRef(false)],
  ['Adam', { lr: 0.05, amsgrad: true }, () => adamRef(false)],
  ['Adam', { lr: 0.05, betas: [0.8, 0.95], amsgrad: true, weightDecay: 0.05 }, () => adamRef(false)],
  ['AdamW', { lr: 0.05 }, () => adamRef(true)],
  ['AdamW', { lr: 0.05, weightDecay: 0.2, amsgrad: true }, () => adamRef(true)],
  ['Adadelta', { weightDecay: 0.1 }, adadeltaRef],
  ['Adadelta', { lr: 0.5, rho: 0.8, eps: 1e-4, weightDecay: 0.02 }, adadeltaRef],
  ['FTRL', { lr: 0.1, l2: 0.1 }, ftrlRef],
  ['FTRL', { lr: 0.1, l1: 0.05, l2Shrinkage: 0.05, beta: 0.5 }, ftrlRef],
  ['FTRL', { lr: 0.05, lrPower: -0.3, initialAccumulatorValue: 0.5, l2: 0.05 }, ftrlRef],
  ['FTRL', { lr: 0.05, lrPower: 0, l1: 0.01 }, ftrlRef],
];

describe('optimizers match float64 references from the documented algorithms', () => {
  for (const [name, options, makeRef] of cases) {
    it(`${name} ${JSON.stringify(options)}`, () => {
      const p = tensor(init.slice(), { requiresGrad: true });
      const opt = new (optim[name] as unknown as OptimizerClass)([p], options);
      const thetaRef = Array.from(Float32Array.from(init));
      const ref = makeRef();
      grads.forEach((g, t) => {
        p.grad = tensor(g);
        opt.step();
        ref(thetaRef, Array.from(Float32Array.from(g)), t + 1, options);
        try {
          expectClose(p.data, thetaRef, 1e-5, 1e-4);
        } catch (e) {
          throw new Error(`step ${t + 1}: ${(e as Error).message}`);
        }
      });
    });
  }
});
