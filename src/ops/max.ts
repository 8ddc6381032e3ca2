import type { Tensor } from '../tensor.js';
import { extremum } from './extremum.js';

/**
 * The largest value over `axis` (a number, a list, or all axes when omitted). Returns the values
 * only (use argmax for the positions); the gradient goes to the maxima, split evenly among ties.
 */
export function max(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  return extremum('max', x, axis, keepDims);
}
