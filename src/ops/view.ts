import { Tensor } from '../tensor.js';
import { record } from '../autograd/node.js';

/**
 * x's storage under another shape of the same size (the shared core of squeeze, unsqueeze and
 * flatten); the gradient is the upstream one under x's shape.
 */
export function viewAs(op: string, x: Tensor, shape: number[], attrs?: Record<string, unknown>): Tensor {
  const out = new Tensor(x.data, shape);
  return record(op, out, [x], (g) => [new Tensor(g.data, x.shape.slice())], attrs);
}
