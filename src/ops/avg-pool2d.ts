import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { checkTensor } from './util.js';
import { poolWindow, type Size2 } from './window2d.js';
import type { Pool2dOptions } from './max-pool2d.js';

/**
 * Mean over each kernelSize window of x [N, C, H, W] (torch.nn.functional.avg_pool2d with its
 * default count_include_pad=True: zero padding counts in the divisor kH·kW). The backward
 * spreads each output's gradient evenly over its window.
 */
export function avgPool2d(x: Tensor, kernelSize: Size2, options: Pool2dOptions = {}): Tensor {
  checkTensor('avgPool2d', x);
  const { win, kernel, stride, padding } = poolWindow('avgPool2d', x, kernelSize, options);
  const [n, c] = x.shape;
  const out = empty([n, c, win.outH, win.outW]);
  backend().avgPool2d(x.data, n * c, win, out.data);
  return record('avgPool2d', out, [x], (g) => {
    const dx = empty(x.shape.slice());
    backend().avgPool2dBackward(g.data, n * c, win, dx.data);
    return [dx];
  }, { kernelSize: kernel, stride, padding });
}
