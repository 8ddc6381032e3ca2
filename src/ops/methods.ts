/**
 * The chaining API: installs each op as a Tensor method (x.add(y).relu()), like tfjs-core's
 * chained ops. Per op: one line in the interface, one assignment below.
 */
import { Tensor } from '../tensor.js';
import type { TensorLike } from './util.js';
import { add } from './add.js';
import { mul } from './mul.js';
import { matmul } from './matmul.js';
import { sum } from './sum.js';
import { reshape } from './reshape.js';
import { sigmoid } from './sigmoid.js';

declare module '../tensor.js' {
  interface Tensor {
    add(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    matmul(other: Tensor): Tensor;
    sum(axis?: number | number[], keepDims?: boolean): Tensor;
    reshape(shape: number[]): Tensor;
    sigmoid(): Tensor;
  }
}

const proto = Tensor.prototype;
proto.add = function (other) { return add(this, other); };
proto.mul = function (other) { return mul(this, other); };
proto.matmul = function (other) { return matmul(this, other); };
proto.sum = function (axis, keepDims) { return sum(this, axis, keepDims); };
proto.reshape = function (shape) { return reshape(this, shape); };
proto.sigmoid = function () { return sigmoid(this); };
