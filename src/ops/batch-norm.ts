import { Tensor } from '../tensor.js';
import { empty, emptyUninitialized } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { exclusiveGrad } from '../autograd/exclusive-grad.js';
import { formatShape } from '../shape.js';
import { checkTensor } from './util.js';

export interface BatchNormOptions {
  /** Batch statistics (and running-statistics update) when true; running statistics when false (default). */
  training?: boolean;
  /** Weight of the new batch statistic in the running average: r ← (1 − momentum)·r + momentum·batch. */
  momentum?: number;
  eps?: number;
  /**
   * relu(batchNorm(x)) as one op ('batchNormRelu'): one pass forward, and a backward that reads
   * the output instead of a separate ReLU's. What `Sequential` runs for a BatchNorm followed by a ReLU.
   */
  relu?: boolean;
}

/** PyTorch's rule: a batch variance needs more than one value per channel. */
export function checkValuesPerChannel(name: string, x: Tensor): void {
  if (x.size / (x.shape[1] ?? 1) <= 1) {
    throw new Error(`${name}: expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)}`);
  }
}

function checkPerChannel(name: string, t: Tensor | null | undefined, channels: number): void {
  if (t == null) return;
  checkTensor('batchNorm', t, name);
  if (t.ndim !== 1 || t.shape[0] !== channels) {
    throw new Error(`batchNorm: ${name} must have shape [${channels}] (one per channel), got ${formatShape(t.shape)}`);
  }
}

/**
 * Batch normalization over dimension 1 of x ([N, C], [N, C, L], [N, C, H, W], …), as one fused
 * op (torch.nn.functional.batch_norm): y = (x − mean)/√(var + eps)·weight + bias per channel.
 * Training uses the batch mean and biased variance and updates runningMean/runningVar in place
 * (unbiased variance in the running estimate); eval uses the running statistics. The backward
 * is the closed form, with gradients for x, weight and bias; the running statistics get none.
 */
export function batchNorm(
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null,
  weight?: Tensor | null, bias?: Tensor | null, options: BatchNormOptions = {},
): Tensor {
  const { training = false, momentum = 0.1, eps = 1e-5, relu = false } = options;
  checkTensor('batchNorm', x);
  if (x.ndim < 2) throw new Error(`batchNorm: input must have at least 2 dimensions [N, C, …], got shape ${formatShape(x.shape)}`);
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) throw new Error(`batchNorm: momentum must be a number in [0, 1], got ${String(momentum)}`);
  if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps)) throw new Error(`batchNorm: eps must be a finite number ≥ 0, got ${String(eps)}`);
  if (typeof relu !== 'boolean') throw new Error(`batchNorm: relu must be a boolean, got ${String(relu)}`);
  const [n, c] = x.shape;
  const inner = n * c === 0 ? 0 : x.size / (n * c);
  checkPerChannel('runningMean', runningMean, c);
  checkPerChannel('runningVar', runningVar, c);
  checkPerChannel('weight', weight, c);
  checkPerChannel('bias', bias, c);
  if ((runningMean == null) !== (runningVar == null)) {
    throw new Error('batchNorm: runningMean and runningVar must be given together (or both null)');
  }
  if (training) checkValuesPerChannel('batchNorm', x);
  else if (runningMean == null) throw new Error('batchNorm: eval mode (training: false) needs runningMean and runningVar');

  const w = weight ?? null;
  const b = bias ?? null;
  const out = emptyUninitialized(x.shape.slice());
  const mean = new Float32Array(c);
  const invStd = new Float32Array(c);
  backend().batchNorm(
    x.data, n, c, inner, w?.data ?? null, b?.data ?? null, runningMean?.data ?? null, runningVar?.data ?? null,
    { training, momentum, eps, relu }, out.data, mean, invStd,
  );

  const inputs = [x];
  if (w) inputs.push(w);
  if (b) inputs.push(b);
  return record(relu ? 'batchNormRelu' : 'batchNorm', out, inputs, (g) => {
    const dx = x.requiresGrad ? emptyUninitialized(x.shape.slice()) : null;
    const dw = w?.requiresGrad ? empty([c]) : null;
    const db = b?.requiresGrad ? empty([c]) : null;
    backend().batchNormBackward(
      x.data, g.data, n, c, inner, w?.data ?? null, mean, invStd, training, dx?.data ?? null, dw?.data ?? null, db?.data ?? null,
      relu ? out.data : null,
    );
    const grads: (Tensor | null)[] = [exclusiveGrad(dx)];
    if (w) grads.push(exclusiveGrad(dw));
    if (b) grads.push(exclusiveGrad(db));
    return grads;
  }, { training, momentum, eps });
}
