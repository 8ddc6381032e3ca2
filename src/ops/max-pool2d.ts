import type { Tensor } from '../tensor.js';
import { empty, emptyUninitialized, uninitializedInts } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { checkTensor } from './util.js';
import { poolWindow, type Size2 } from './window2d.js';

export interface Pool2dOptions {
  /** Defaults to the kernel size (non-overlapping windows). */
  stride?: Size2;
  padding?: Size2;
}

/**
 * Max over each kernelSize window of x [N, C, H, W] (torch.nn.functional.max_pool2d; padding
 * counts as −∞). The backward routes each output's gradient to the input that won its window.
 */
export function maxPool2d(x: Tensor, kernelSize: Size2, options: Pool2dOptions = {}): Tensor {
  checkTensor('maxPool2d', x);
  const { win, kernel, stride, padding } = poolWindow('maxPool2d', x, kernelSize, options);
  const [n, c] = x.shape;
  const out = emptyUninitialized([n, c, win.outH, win.outW]);
  const argmax = uninitializedInts(out.size);
  backend().maxPool2d(x.data, n * c, win, out.data, argmax);
  return record('maxPool2d', out, [x], (g) => {
    const dx = empty(x.shape.slice());
    backend().maxPool2dBackward(g.data, argmax, n * c, win, dx.data);
    return [dx];
  }, { kernelSize: kernel, stride, padding });
}
