import type { Tensor } from '../tensor.js';
import { extremum } from './extremum.js';

/**
 * The smallest value over `axis` (a number, a list, or all axes when omitted). Returns the values
 * only (use argmin for the positions); the gradient goes to the minima, split evenly among ties.
 */
export function min(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  return extremum('min', x, axis, keepDims);
}
