import { Tensor } from '../tensor.js';
import { empty, emptyUninitialized } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { exclusiveGrad } from '../autograd/exclusive-grad.js';
import { formatShape, sizeOf } from '../shape.js';
import { checkTensor } from './util.js';

/**
 * y = x·Wᵀ + b, fused (nn.Linear's hot path): x [..., in], weight [out, in], bias [out].
 * One gemm with transB for the forward, the bias added by the gemm (its bias epilogue); the
 * backward is two gemms and a column sum.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor('linear', x);
  checkTensor('linear', weight, 'weight');
  if (bias !== null) checkTensor('linear', bias, 'bias');
  if (weight.ndim !== 2) throw new Error(`linear: weight must be 2-D [out, in], got shape ${formatShape(weight.shape)}`);
  const [outF, inF] = weight.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new Error(`linear: input of shape ${formatShape(x.shape)} does not match weight of shape ${formatShape(weight.shape)} (last dimension must be ${inF})`);
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outF)) {
    throw new Error(`linear: bias must have shape [${outF}], got ${formatShape(bias.shape)}`);
  }
  const m = sizeOf(x.shape.slice(0, -1)); // rows of x viewed as [m, in]
  const out = emptyUninitialized([...x.shape.slice(0, -1), outF]);
  const be = backend();
  be.gemm(false, true, m, outF, inF, 1, x.data, weight.data, 0, out.data, bias?.data ?? null);

  const inputs = bias !== null ? [x, weight, bias] : [x, weight];
  return record('linear', out, inputs, (g) => {
    let dx: Tensor | null = null;
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    if (x.requiresGrad) {
      dx = emptyUninitialized(x.shape.slice());
      be.gemm(false, false, m, inF, outF, 1, g.data, weight.data, 0, dx.data); // dX = dY·W
    }
    if (weight.requiresGrad) {
      dw = emptyUninitialized(weight.shape.slice());
      be.gemm(true, false, outF, inF, m, 1, g.data, x.data, 0, dw.data); // dW = dYᵀ·X
    }
    if (bias !== null && bias.requiresGrad) {
      db = empty([outF]);
      be.reduce('sum', g.data, [m, outF], [0], db.data);
    }
    return bias !== null ? [exclusiveGrad(dx), exclusiveGrad(dw), exclusiveGrad(db)] : [exclusiveGrad(dx), exclusiveGrad(dw)];
  }, { inFeatures: inF, outFeatures: outF });
}
