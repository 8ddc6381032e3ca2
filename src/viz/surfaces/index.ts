/** The loss surfaces of the optimizer race, by name. Pure TypeScript (no Node imports): the web lab uses them too. */
import type { Surface } from './surface.js';
import { quadratic } from './quadratic.js';
import { rosenbrock } from './rosenbrock.js';
import { beale } from './beale.js';
import { saddle } from './saddle.js';
import { wells } from './wells.js';

export type { Point, Surface } from './surface.js';
export { quadratic, rosenbrock, beale, saddle, wells };

export const SURFACE_NAMES = ['quadratic', 'rosenbrock', 'beale', 'saddle', 'wells'] as const;
export type SurfaceName = (typeof SURFACE_NAMES)[number];

export interface SurfaceOptions {
  /** κ of the quadratic (default 50); the other surfaces take no options. */
  condition?: number;
}

export function makeSurface(name: SurfaceName, options: SurfaceOptions = {}): Surface {
  if (!SURFACE_NAMES.includes(name)) {
    throw new Error(`makeSurface: unknown surface '${String(name)}'; expected one of ${SURFACE_NAMES.join(', ')}`);
  }
  if (options.condition !== undefined && name !== 'quadratic') {
    throw new Error(`makeSurface: condition applies to the quadratic only, got it for '${name}'`);
  }
  switch (name) {
    case 'quadratic': return quadratic(options.condition);
    case 'rosenbrock': return rosenbrock();
    case 'beale': return beale();
    case 'saddle': return saddle();
    case 'wells': return wells();
  }
}
