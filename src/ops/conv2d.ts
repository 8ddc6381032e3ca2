import type { Tensor } from '../tensor.js';
import { emptyUninitialized } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { exclusiveGrad } from '../autograd/exclusive-grad.js';
import { formatShape } from '../shape.js';
import { checkTensor } from './util.js';
import { checkNCHW, pair, window2d, type Size2 } from './window2d.js';

export interface Conv2dOptions {
  stride?: Size2;
  padding?: Size2;
  dilation?: Size2;
}

/**
 * 2-D cross-correlation (torch.nn.functional.conv2d, groups = 1): x [N, C, H, W], weight
 * [O, C, kH, kW], bias [O] → [N, O, outH, outW]: the backend's conv2d kernel (per image, im2col
 * then W·colsᵢ). Backward, one conv2dBackward call: dW = Σ dYᵢ·colsᵢᵀ, dX = col2im(Wᵀ·dYᵢ), db = Σ dY.
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  checkTensor('conv2d', x);
  checkTensor('conv2d', weight, 'weight');
  checkNCHW('conv2d', x);
  if (weight.ndim !== 4) {
    throw new Error(`conv2d: weight must be 4-D [outChannels, inChannels, kH, kW], got shape ${formatShape(weight.shape)}`);
  }
  const [n, c] = x.shape;
  const [o, wc, kh, kw] = weight.shape;
  if (wc !== c) {
    throw new Error(`conv2d: input ${formatShape(x.shape)} has ${c} channels but weight ${formatShape(weight.shape)} expects ${wc}`);
  }
  if (bias != null) {
    checkTensor('conv2d', bias, 'bias');
    if (bias.ndim !== 1 || bias.shape[0] !== o) {
      throw new Error(`conv2d: bias must have shape [${o}] (one per output channel), got ${formatShape(bias.shape)}`);
    }
  }
  const stride = pair('conv2d', 'stride', options.stride ?? 1, 1);
  const padding = pair('conv2d', 'padding', options.padding ?? 0, 0);
  const dilation = pair('conv2d', 'dilation', options.dilation ?? 1, 1);
  const win = window2d('conv2d', x.shape, [kh, kw], stride, padding, dilation);

  const be = backend();
  const out = emptyUninitialized([n, o, win.outH, win.outW]);
  be.conv2d(x.data, n, c, win, weight.data, o, bias?.data ?? null, out.data);

  const inputs = bias != null ? [x, weight, bias] : [x, weight];
  return record('conv2d', out, inputs, (g) => {
    const dx = x.requiresGrad ? emptyUninitialized(x.shape.slice()) : null;
    const dw = weight.requiresGrad ? emptyUninitialized(weight.shape.slice()) : null;
    const db = bias?.requiresGrad ? emptyUninitialized([o]) : null;
    be.conv2dBackward(x.data, g.data, n, c, win, weight.data, o, dx?.data ?? null, dw?.data ?? null, db?.data ?? null);
    const grads: (Tensor | null)[] = [exclusiveGrad(dx), exclusiveGrad(dw)];
    if (bias != null) grads.push(exclusiveGrad(db));
    return grads;
  }, { stride, padding, dilation });
}
