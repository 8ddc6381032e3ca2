/** nabla: tensors with reverse-mode autodiff, layers, optimizers and training, in TypeScript. */
import './backend/index.js';
import './ops/methods.js';

export { Tensor, type NestedArray } from './tensor.js';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, rand, randn, arange, linspace, eye, type TensorOptions,
} from './creation.js';
export { manualSeed, getRngState, setRngState, type RngState } from './random.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { gradcheck, type GradcheckOptions } from './autograd/gradcheck.js';
export * from './ops/index.js';
export { setBackend, getBackend, availableBackends, registerBackend } from './backend/index.js';
export type { Backend } from './backend/index.js';
