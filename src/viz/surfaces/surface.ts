/** A 2-D loss surface for the optimizer race: the function twice (tensors for autograd, numbers for the contour grid) and where to race. */
import type { Tensor } from '../../tensor.js';
import type { RacerName } from '../race.js';

export type Point = [x: number, y: number];

export interface Surface {
  /** The --surface name. */
  name: string;
  /** A title for plots. */
  title: string;
  /** The formula, as plain text for plot subtitles. */
  formula: string;
  /** f on scalar tensors: what the optimizers differentiate. */
  f(x: Tensor, y: Tensor): Tensor;
  /** The same f on numbers (float64): the contour grid and the distance table. */
  fNumber(x: number, y: number): number;
  /** The plotted window. */
  domain: { x: Point; y: Point };
  start: Point;
  /** The global minimum (the one reachable from `start` when there are several). */
  minimum: Point;
  /** Every local minimum in the window, `minimum` included: marked on the map. */
  minima: Point[];
  /** How many steps make an informative race. */
  steps: number;
  /** Per optimizer, a learning rate under which it visibly moves without blowing up on this surface. */
  learningRates: Readonly<Record<RacerName, number>>;
}
