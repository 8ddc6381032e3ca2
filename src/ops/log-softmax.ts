import type { Tensor } from '../tensor.js';
import { softmaxAlong } from './softmax.js';

/** x − log Σ exp(x) along `axis` (default the last): log(softmax(x)) without underflow. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return softmaxAlong('logSoftmax', x, axis);
}
