import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { asTensor, sumTo, type TensorLike } from './util.js';
import { unaryOp } from './elementwise.js';
import { applyBinary } from './compare.js';

const ZERO = asTensor('pow', 0);
const ONE = asTensor('pow', 1);

/** values with 0 wherever cond is nonzero (cond broadcasts to values' shape). */
function zeroWhere(cond: Tensor, values: Tensor): Tensor {
  const out = empty(values.shape.slice());
  backend().where(cond.data, cond.shape, ZERO.data, ZERO.shape, values.data, values.shape, out.data, out.shape);
  return out;
}

/**
 * base^exponent. A number exponent is the fused `powScalar` op (local gradient e·x^(e−1));
 * a tensor exponent broadcasts, with gradients b·a^(b−1) for the base and a^b·ln(a) for the
 * exponent. Like PyTorch, the base gradient is 0 where b = 0 and the exponent gradient 0 where
 * a = 0 and b ≥ 0 (instead of the NaN of 0·∞).
 */
export function pow(base: TensorLike, exponent: TensorLike): Tensor {
  if (typeof exponent === 'number' && typeof base !== 'number') {
    return unaryOp('powScalar', asTensor('pow', base, 'base'), { exponent }, { exponent });
  }
  const a = asTensor('pow', base, 'base');
  const b = asTensor('pow', exponent, 'exponent');
  const out = applyBinary('pow', a, b);
  return record('pow', out, [a, b], (g) => {
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (a.requiresGrad) {
      const local = applyBinary('mul', b, applyBinary('pow', a, applyBinary('sub', b, ONE)));
      da = sumTo(applyBinary('mul', g, zeroWhere(applyBinary('eq', b, ZERO), local)), a.shape);
    }
    if (b.requiresGrad) {
      const local = applyBinary('mul', out, unaryOp('log', a));
      const zeroBase = applyBinary('mul', applyBinary('eq', a, ZERO), applyBinary('ge', b, ZERO));
      db = sumTo(applyBinary('mul', g, zeroWhere(zeroBase, local)), b.shape);
    }
    return [da, db];
  });
}
