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
import { sub } from './sub.js';
import { div } from './div.js';
import { neg } from './neg.js';
import { pow } from './pow.js';
import { exp } from './exp.js';
import { log } from './log.js';
import { sqrt } from './sqrt.js';
import { abs } from './abs.js';
import { reciprocal } from './reciprocal.js';
import { square } from './square.js';
import { tanh } from './tanh.js';
import { relu } from './relu.js';
import { leakyRelu } from './leaky-relu.js';
import { elu } from './elu.js';
import { gelu } from './gelu.js';
import { softmax } from './softmax.js';
import { logSoftmax } from './log-softmax.js';
import { where } from './where.js';
import { clamp } from './clamp.js';
import { maximum } from './maximum.js';
import { minimum } from './minimum.js';
import { eq, gt, ge, lt, le } from './compare.js';

declare module '../tensor.js' {
  interface Tensor {
    add(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    matmul(other: Tensor): Tensor;
    sum(axis?: number | number[], keepDims?: boolean): Tensor;
    reshape(shape: number[]): Tensor;
    sigmoid(): Tensor;
    sub(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    neg(): Tensor;
    pow(exponent: TensorLike): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    reciprocal(): Tensor;
    square(): Tensor;
    tanh(): Tensor;
    relu(): Tensor;
    leakyRelu(negativeSlope?: number): Tensor;
    elu(alpha?: number): Tensor;
    gelu(): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    /** torch's Tensor.where: this where condition holds, other elsewhere. */
    where(condition: Tensor, other: TensorLike): Tensor;
    clamp(min?: number, max?: number): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    eq(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
  }
}

const proto = Tensor.prototype;
proto.add = function (other) { return add(this, other); };
proto.mul = function (other) { return mul(this, other); };
proto.matmul = function (other) { return matmul(this, other); };
proto.sum = function (axis, keepDims) { return sum(this, axis, keepDims); };
proto.reshape = function (shape) { return reshape(this, shape); };
proto.sigmoid = function () { return sigmoid(this); };
proto.sub = function (other) { return sub(this, other); };
proto.div = function (other) { return div(this, other); };
proto.neg = function () { return neg(this); };
proto.pow = function (exponent) { return pow(this, exponent); };
proto.exp = function () { return exp(this); };
proto.log = function () { return log(this); };
proto.sqrt = function () { return sqrt(this); };
proto.abs = function () { return abs(this); };
proto.reciprocal = function () { return reciprocal(this); };
proto.square = function () { return square(this); };
proto.tanh = function () { return tanh(this); };
proto.relu = function () { return relu(this); };
proto.leakyRelu = function (negativeSlope) { return leakyRelu(this, negativeSlope); };
proto.elu = function (alpha) { return elu(this, alpha); };
proto.gelu = function () { return gelu(this); };
proto.softmax = function (axis) { return softmax(this, axis); };
proto.logSoftmax = function (axis) { return logSoftmax(this, axis); };
proto.where = function (condition, other) { return where(condition, this, other); };
proto.clamp = function (min, max) { return clamp(this, min, max); };
proto.maximum = function (other) { return maximum(this, other); };
proto.minimum = function (other) { return minimum(this, other); };
proto.eq = function (other) { return eq(this, other); };
proto.gt = function (other) { return gt(this, other); };
proto.ge = function (other) { return ge(this, other); };
proto.lt = function (other) { return lt(this, other); };
proto.le = function (other) { return le(this, other); };
