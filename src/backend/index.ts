/** Registers the built-in backends. The native backend (a later addon) registers with a higher priority. */
import { registerBackend } from './registry.js';
import { jsBackend } from './js/index.js';
import { loadNativeBackend } from './native/load.js';

registerBackend('js', () => jsBackend, 0);
// The OpenBLAS addon, in Node when built at install; otherwise a one-line notice and js.
registerBackend('native', loadNativeBackend, 10);

export { setBackend, getBackend, availableBackends, registerBackend } from './registry.js';
export type { Backend, UnaryOp, BinaryOp, ReduceOp, UnaryParams } from './backend.js';
