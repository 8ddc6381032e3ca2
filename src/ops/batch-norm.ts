import { Tensor } from '../tensor.js';
import { empty, emptyUninitialized } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { exclusiveGrad } from '../autograd/exclusive-grad.js';
import { formatShape } from '../shape.js';
import { checkTensor } from './util.js';
import type { BatchNormActivation } from '../backend/backend.js';

export type { BatchNormActivation };

/** The graph's name of batchNorm with each fused activation. */
const FUSED_OP: Record<BatchNormActivation, string> = { relu: 'batchNormRelu', sigmoid: 'batchNormSigmoid', tanh: 'batchNormTanh' };
const ACTIVATIONS = Object.keys(FUSED_OP) as BatchNormActivation[];

export interface BatchNormOptions {
  /** Batch statistics (and running-statistics update) when true; running statistics when false (default). */
  training?: boolean;
  /** Weight of the new batch statistic in the running average: r ← (1 − momentum)·r + momentum·batch. */
  momentum?: number;
  eps?: number;
  /**
   * act(batchNorm(x)) as one op ('batchNormRelu', 'batchNormSigmoid', 'batchNormTanh'): the
   * activation applied as the output is written, and a backward that turns the upstream gradient
   * into dy·f'(y) from that output inside BatchNorm's own passes: the values and gradients of
   * batchNorm followed by relu/sigmoid/tanh, without the intermediate array or the second node.
   * What `Sequential` runs for a BatchNorm followed by a ReLU, Sigmoid or Tanh module. Default none.
   */
  activation?: BatchNormActivation | null;
}

/** PyTorch's rule: a batch variance needs more than one value per channel. */
export function checkValuesPerChannel(name: string, x: Tensor): void {
  if (x.size / (x.shape[1] ?? 1) <= 1) {
    throw new Error(`${name}: expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)}`);
  }
}

function checkPerChannel(op: string, name: string, t: Tensor | null | undefined, channels: number): void {
  if (t == null) return;
  checkTensor(op, t, name);
  if (t.ndim !== 1 || t.shape[0] !== channels) {
    throw new Error(`${op}: ${name} must have shape [${channels}] (one per channel), got ${formatShape(t.shape)}`);
  }
}

/** batchNorm's argument checks (shared with batchNormMaxPool2d); returns the options with their defaults and x's [n, c, inner]. */
export function checkBatchNormArgs(
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null,
  weight: Tensor | null | undefined, bias: Tensor | null | undefined, options: BatchNormOptions, op = 'batchNorm',
): Required<Omit<BatchNormOptions, 'activation'>> & { activation: BatchNormActivation | null; n: number; c: number; inner: number } {
  const { training = false, momentum = 0.1, eps = 1e-5, activation = null } = options;
  checkTensor(op, x);
  if (x.ndim < 2) throw new Error(`${op}: input must have at least 2 dimensions [N, C, …], got shape ${formatShape(x.shape)}`);
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) throw new Error(`${op}: momentum must be a number in [0, 1], got ${String(momentum)}`);
  if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps)) throw new Error(`${op}: eps must be a finite number ≥ 0, got ${String(eps)}`);
  if (activation !== null && !ACTIVATIONS.includes(activation)) {
    throw new Error(`${op}: activation must be 'relu', 'sigmoid' or 'tanh' (or null), got ${typeof activation === 'string' ? `'${activation}'` : String(activation)}`);
  }
  if ('relu' in options) throw new Error(`${op}: the relu option is now activation: 'relu'`);
  const [n, c] = x.shape;
  const inner = n * c === 0 ? 0 : x.size / (n * c);
  checkPerChannel(op, 'runningMean', runningMean, c);
  checkPerChannel(op, 'runningVar', runningVar, c);
  checkPerChannel(op, 'weight', weight, c);
  checkPerChannel(op, 'bias', bias, c);
  if ((runningMean == null) !== (runningVar == null)) {
    throw new Error(`${op}: runningMean and runningVar must be given together (or both null)`);
  }
  if (training) checkValuesPerChannel(op, x);
  else if (runningMean == null) throw new Error(`${op}: eval mode (training: false) needs runningMean and runningVar`);
  return { training, momentum, eps, activation, n, c, inner };
}

/**
 * Batch normalization over dimension 1 of x ([N, C], [N, C, L], [N, C, H, W], …), as one fused
 * op (torch.nn.functional.batch_norm): y = (x − mean)/√(var + eps)·weight + bias per channel.
 * Training uses the batch mean and biased variance and updates runningMean/runningVar in place
 * (unbiased variance in the running estimate); eval uses the running statistics. The backward
 * is the closed form, with gradients for x, weight and bias; the running statistics get none.
 * `activation` fuses a ReLU, sigmoid or tanh after it (see BatchNormOptions).
 */
export function batchNorm(
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null,
  weight?: Tensor | null, bias?: Tensor | null, options: BatchNormOptions = {},
): Tensor {
  const { training, momentum, eps, activation, n, c, inner } = checkBatchNormArgs(x, runningMean, runningVar, weight, bias, options);
  const w = weight ?? null;
  const b = bias ?? null;
  const out = emptyUninitialized(x.shape.slice());
  const mean = new Float32Array(c);
  const invStd = new Float32Array(c);
  backend().batchNorm(
    x.data, n, c, inner, w?.data ?? null, b?.data ?? null, runningMean?.data ?? null, runningVar?.data ?? null,
    { training, momentum, eps, activation }, out.data, mean, invStd,
  );

  const inputs = [x];
  if (w) inputs.push(w);
  if (b) inputs.push(b);
  return record(activation ? FUSED_OP[activation] : 'batchNorm', out, inputs, (g) => {
    const dx = x.requiresGrad ? emptyUninitialized(x.shape.slice()) : null;
    const dw = w?.requiresGrad ? empty([c]) : null;
    const db = b?.requiresGrad ? empty([c]) : null;
    backend().batchNormBackward(
      x.data, g.data, n, c, inner, w?.data ?? null, mean, invStd, training, dx?.data ?? null, dw?.data ?? null, db?.data ?? null,
      activation, activation ? out.data : null,
    );
    const grads: (Tensor | null)[] = [exclusiveGrad(dx)];
    if (w) grads.push(exclusiveGrad(dw));
    if (b) grads.push(exclusiveGrad(db));
    return grads;
  }, { training, momentum, eps });
}
