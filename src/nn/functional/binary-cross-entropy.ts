import type { Tensor } from '../../tensor.js';
import { empty } from '../../creation.js';
import { backend } from '../../backend/registry.js';
import { record } from '../../autograd/node.js';
import { checkReduction, checkSameShape, reduceLoss, type LossOptions } from './reduction.js';

const ONE = Float32Array.of(1);
const EPS = Float32Array.of(1e-12);

/**
 * Binary cross-entropy of probabilities p against targets y in [0, 1]:
 * −(y·log p + (1 − y)·log(1 − p)), each log clamped to ≥ −100 as in PyTorch, so p = 0 or 1
 * gives a finite loss. Gradient for p: (p − y) / max(p(1 − p), 1e-12); for y: log(1 − p) − log p.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const { reduction = 'mean' } = options;
  checkReduction('binaryCrossEntropy', reduction);
  checkSameShape('binaryCrossEntropy', input, target);
  const be = backend();
  const shape = input.shape;
  if (input.size > 0) {
    const lo = new Float32Array(1);
    const hi = new Float32Array(1);
    const all = shape.map((_, i) => i);
    be.reduce('min', input.data, shape, all, lo);
    be.reduce('max', input.data, shape, all, hi);
    if (!(lo[0] >= 0 && hi[0] <= 1)) {
      throw new Error(`binaryCrossEntropy: input must be probabilities in [0, 1], got values from ${lo[0]} to ${hi[0]} (use binaryCrossEntropyWithLogits for logits)`);
    }
  }
  const p = input.data;
  const y = target.data;
  const logP = new Float32Array(p.length);
  const logQ = new Float32Array(p.length); // log(1 − p)
  be.unary('log', p, logP);
  be.unary('clamp', logP, logP, { min: -100 });
  be.binary('sub', ONE, [], p, shape, logQ, shape);
  be.unary('log', logQ, logQ);
  be.unary('clamp', logQ, logQ, { min: -100 });
  // loss = −(y·(log p − log q) + log q)
  const diff = new Float32Array(p.length);
  be.binary('sub', logP, shape, logQ, shape, diff, shape);
  const loss = empty(shape.slice());
  be.binary('mul', y, shape, diff, shape, loss.data, shape);
  be.binary('add', loss.data, shape, logQ, shape, loss.data, shape);
  be.unary('neg', loss.data, loss.data);

  const elementwise = record('binaryCrossEntropy', loss, [input, target], (g) => {
    let dp: Tensor | null = null;
    let dy: Tensor | null = null;
    if (input.requiresGrad) {
      dp = empty(shape.slice());
      const den = new Float32Array(p.length);
      be.binary('sub', ONE, [], p, shape, den, shape);
      be.binary('mul', den, shape, p, shape, den, shape);
      be.binary('maximum', den, shape, EPS, [], den, shape);
      be.binary('sub', p, shape, y, shape, dp.data, shape);
      be.binary('div', dp.data, shape, den, shape, dp.data, shape);
      be.binary('mul', dp.data, shape, g.data, shape, dp.data, shape);
    }
    if (target.requiresGrad) {
      dy = empty(shape.slice());
      be.binary('mul', g.data, shape, diff, shape, dy.data, shape);
      be.unary('neg', dy.data, dy.data);
    }
    return [dp, dy];
  });
  return reduceLoss(elementwise, reduction);
}
