import type { Tensor } from '../../tensor.js';
import { empty } from '../../creation.js';
import { backend } from '../../backend/registry.js';
import { record } from '../../autograd/node.js';
import { checkReduction, checkSameShape, reduceLoss, type LossOptions } from './reduction.js';

const ONE = Float32Array.of(1);

/**
 * Binary cross-entropy of logits x against targets y, in the stable form
 * max(x, 0) − x·y + log(1 + e^−|x|) (no overflow for large |x|). One op whose gradient is
 * σ(x) − y for x (exact at x = 0 too) and −x for y.
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const { reduction = 'mean' } = options;
  checkReduction('binaryCrossEntropyWithLogits', reduction);
  checkSameShape('binaryCrossEntropyWithLogits', input, target);
  const be = backend();
  const shape = input.shape;
  const x = input.data;
  const y = target.data;
  const softplus = new Float32Array(x.length); // log(1 + e^−|x|)
  be.unary('abs', x, softplus);
  be.unary('neg', softplus, softplus);
  be.unary('exp', softplus, softplus);
  be.binary('add', softplus, shape, ONE, [], softplus, shape);
  be.unary('log', softplus, softplus);
  const loss = empty(shape.slice());
  const xy = new Float32Array(x.length);
  be.unary('relu', x, loss.data);
  be.binary('mul', x, shape, y, shape, xy, shape);
  be.binary('sub', loss.data, shape, xy, shape, loss.data, shape);
  be.binary('add', loss.data, shape, softplus, shape, loss.data, shape);

  const elementwise = record('binaryCrossEntropyWithLogits', loss, [input, target], (g) => {
    let dx: Tensor | null = null;
    let dy: Tensor | null = null;
    if (input.requiresGrad) {
      dx = empty(shape.slice());
      be.unary('sigmoid', x, dx.data);
      be.binary('sub', dx.data, shape, y, shape, dx.data, shape);
      be.binary('mul', dx.data, shape, g.data, shape, dx.data, shape);
    }
    if (target.requiresGrad) {
      dy = empty(shape.slice());
      be.binary('mul', g.data, shape, x, shape, dy.data, shape);
      be.unary('neg', dy.data, dy.data);
    }
    return [dx, dy];
  });
  return reduceLoss(elementwise, reduction);
}
