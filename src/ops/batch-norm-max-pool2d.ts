import type { Tensor } from '../tensor.js';
import { empty, emptyUninitialized, uninitializedInts } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { exclusiveGrad } from '../autograd/exclusive-grad.js';
import { checkBatchNormArgs, type BatchNormOptions } from './batch-norm.js';
import type { Pool2dOptions } from './max-pool2d.js';
import { poolWindow, type Size2 } from './window2d.js';

export interface BatchNormMaxPool2dOptions extends BatchNormOptions, Pool2dOptions {
  /** The pool's window. */
  kernelSize: Size2;
}

/**
 * maxPool2d(batchNorm(x, …), kernelSize, { stride, padding }) — with `activation: 'relu'` (the
 * only activation it fuses), maxPool2d(relu(batchNorm(x, …))) — as one op ('batchNormMaxPool2d'): the same values,
 * gradients and running statistics, without the normalized batch as an array (the native kernel
 * normalizes and pools one plane at a time in cache). What `Sequential` runs for a BatchNorm2d
 * (→ ReLU) → MaxPool2d block. x is [N, C, H, W].
 */
export function batchNormMaxPool2d(
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null,
  weight: Tensor | null | undefined, bias: Tensor | null | undefined, options: BatchNormMaxPool2dOptions,
): Tensor {
  const { training, momentum, eps, activation, n, c } = checkBatchNormArgs(x, runningMean, runningVar, weight, bias, options, 'batchNormMaxPool2d');
  if (activation !== null && activation !== 'relu') {
    throw new Error(`batchNormMaxPool2d: activation must be 'relu' or none (sigmoid and tanh are not fused with the pool), got '${activation}'`);
  }
  const relu = activation === 'relu';
  const { win, kernel, stride, padding } = poolWindow('batchNormMaxPool2d', x, options.kernelSize, options);

  const w = weight ?? null;
  const b = bias ?? null;
  const out = emptyUninitialized([n, c, win.outH, win.outW]);
  const argmax = uninitializedInts(out.size);
  const mean = new Float32Array(c);
  const invStd = new Float32Array(c);
  backend().batchNormMaxPool2d(
    x.data, n, c, w?.data ?? null, b?.data ?? null, runningMean?.data ?? null, runningVar?.data ?? null,
    { training, momentum, eps, activation }, win, out.data, argmax, mean, invStd,
  );

  const inputs = [x];
  if (w) inputs.push(w);
  if (b) inputs.push(b);
  return record('batchNormMaxPool2d', out, inputs, (g) => {
    const dx = x.requiresGrad ? emptyUninitialized(x.shape.slice()) : null;
    const dw = w?.requiresGrad ? empty([c]) : null;
    const db = b?.requiresGrad ? empty([c]) : null;
    backend().batchNormMaxPool2dBackward(
      x.data, g.data, argmax, relu ? out.data : null, n, c, win, w?.data ?? null, mean, invStd, training,
      dx?.data ?? null, dw?.data ?? null, db?.data ?? null,
    );
    const grads: (Tensor | null)[] = [exclusiveGrad(dx)];
    if (w) grads.push(exclusiveGrad(dw));
    if (b) grads.push(exclusiveGrad(db));
    return grads;
  }, { training, momentum, eps, relu, kernelSize: kernel, stride, padding });
}
