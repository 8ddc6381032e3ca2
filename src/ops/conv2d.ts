import { Tensor } from '../tensor.js';
import { empty, emptyUninitialized, uninitializedFloats } from '../creation.js';
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
 * [O, C, kH, kW], bias [O] → [N, O, outH, outW]. im2col turns the batch into cols
 * [N, C·kH·kW, outH·outW] and one gemmBatch computes W·colsᵢ for every image. Backward: dW = Σ dYᵢ·colsᵢᵀ
 * (cols kept from the forward; one gemmBatch summing), dX = col2im(Wᵀ·dYᵢ) over the batch, db = Σ dY.
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
  const patch = c * kh * kw;
  const positions = win.outH * win.outW;
  const imageCols = patch * positions;
  const imageOut = o * positions;
  // One im2col call for the batch (cols [N, C·kH·kW, outH·outW]), kept for the backward's dW
  // instead of being recomputed; then the N products W·colsᵢ in one gemmBatch call (the native
  // backend threads both over the images).
  const cols = uninitializedFloats(n * imageCols);
  be.im2col(x.data, c, win, cols, n);
  const out = emptyUninitialized([n, o, win.outH, win.outW]);
  // every output row starts at its channel's bias, and the products add W·colsᵢ onto it
  if (bias != null) be.copyStrided(bias.data, 0, [0, 1, 0], out.data, 0, [imageOut, positions, 1], [n, o, positions], false);
  be.gemmBatch(false, false, o, positions, patch, 1, weight.data, 0, cols, imageCols, bias != null ? 1 : 0, out.data, imageOut, n);

  const inputs = bias != null ? [x, weight, bias] : [x, weight];
  return record('conv2d', out, inputs, (g) => {
    let dw: Tensor | null = null;
    if (weight.requiresGrad) {
      dw = emptyUninitialized(weight.shape.slice());
      be.gemmBatch(false, true, o, patch, positions, 1, g.data, imageOut, cols, imageCols, 0, dw.data, 0, n); // dW = Σ dYᵢ·colsᵢᵀ
    }
    let dcols: Float32Array | null = null;
    if (x.requiresGrad) {
      dcols = uninitializedFloats(n * imageCols);
      be.gemmBatch(true, false, patch, positions, o, 1, weight.data, 0, g.data, imageOut, 0, dcols, imageCols, n); // dcolsᵢ = Wᵀ·dYᵢ
    }
    let dx: Tensor | null = null;
    if (dcols) {
      dx = empty(x.shape.slice());
      be.col2im(dcols, c, win, dx.data, n);
    }
    const grads: (Tensor | null)[] = [exclusiveGrad(dx), exclusiveGrad(dw)];
    if (bias != null) {
      let db: Tensor | null = null;
      if (bias.requiresGrad) {
        db = empty([o]);
        be.reduce('sum', g.data, [n, o, positions], [0, 2], db.data);
      }
      grads.push(exclusiveGrad(db));
    }
    return grads;
  }, { stride, padding, dilation });
}
