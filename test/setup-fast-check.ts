/**
 * Property tests draw from a fixed seed, so every run of `npm test` checks the same cases and a
 * failure reproduces. FC_SEED=<n> checks another sample; FC_SEED=random draws a fresh one each run.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed === undefined ? 20261127 : Number(seed) });
