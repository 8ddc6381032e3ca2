/** Seeded 2-D classification sets for demos and tests. */
export { spiral, type SpiralOptions } from './spiral.js';
export { moons } from './moons.js';
export { circles, type CirclesOptions } from './circles.js';
export { xor } from './xor.js';
export { gaussians, type GaussiansOptions } from './gaussians.js';
export type { Points, SyntheticOptions } from './points.js';
