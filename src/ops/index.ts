/** Every differentiable op as a function (also installed as Tensor methods by methods.ts). */
import './methods.js';
export { add } from './add.js';
export { mul } from './mul.js';
export { matmul } from './matmul.js';
export { sum } from './sum.js';
export { reshape } from './reshape.js';
export { sigmoid } from './sigmoid.js';
export type { TensorLike } from './util.js';
