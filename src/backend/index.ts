/** Registers the built-in backends. The native backend (a later addon) registers with a higher priority. */
import { registerBackend } from './registry.js';
import { jsBackend } from './js/index.js';

registerBackend('js', () => jsBackend, 0);

export { setBackend, getBackend, availableBackends, registerBackend } from './registry.js';
export type { Backend, UnaryOp, BinaryOp, ReduceOp, UnaryParams } from './backend.js';
