/**
 * What RNN, LSTM and GRU share (torch.nn.RNNBase): the constructor options, the parameters under
 * PyTorch's names (`weightIhL0`, `weightHhL0`, `biasIhL0`, `biasHhL0`, then `…L0Reverse` for the
 * reverse direction, then layer 1), the input and state checks, and the loop over layers and
 * directions. Each layer in each direction is one op (ops/lstm-layer.ts, gru-layer.ts, rnn-layer.ts)
 * on time-first input; batchFirst and unbatched input are a transpose or a reshape around them.
 */
import { Tensor } from '../tensor.js';
import { empty, zeros } from '../creation.js';
import { formatShape } from '../shape.js';
import { Module } from './module.js';
import { uniform } from './init.js';
import { checkLayerInput } from './checks.js';
import { dropout as dropoutFn } from './functional/dropout.js';
import { boolean, checkOptionsObject, inRange, integerAtLeast, type Check } from '../optim/options.js';
import { concat } from '../ops/concat.js';
import { stack } from '../ops/stack.js';
import { reshape } from '../ops/reshape.js';
import { transpose } from '../ops/transpose.js';
import { rowRange } from '../ops/row-range.js';
import type { RecurrentWeights } from '../ops/recurrent-layer.js';

export interface RecurrentOptions {
  /** Stacked layers, each taking the previous one's output sequence (default 1). */
  numLayers?: number;
  /** The b_ih and b_hh biases (default true). */
  bias?: boolean;
  /** Input and output are [batch, steps, features] instead of [steps, batch, features] (states are not affected). */
  batchFirst?: boolean;
  /** Dropout on each layer's output except the last one's, in training mode (default 0). */
  dropout?: number;
  /** A second pass over the sequence in reverse per layer, its output concatenated to the forward one's. */
  bidirectional?: boolean;
}

/** What one layer op returns for one direction. */
export interface LayerResult {
  output: Tensor;
  hN: Tensor;
  cN?: Tensor;
}

/** Runs one layer in one direction over input [T, B, I] from its initial states ([B, H] each). */
export type LayerFn = (input: Tensor, states: Tensor[], weights: RecurrentWeights, reverse: boolean) => LayerResult;

export const RECURRENT_CHECKS: Record<keyof RecurrentOptions, Check> = {
  numLayers: integerAtLeast(1),
  bias: boolean,
  batchFirst: boolean,
  dropout: inRange(0, 1),
  bidirectional: boolean,
};

function positiveInteger(owner: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${owner}: ${name} must be a positive integer, got ${String(v)}`);
}

export abstract class RecurrentBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Parameter names per layer and direction (index layer·directions + direction). */
  private readonly weightNames: { wIh: string; wHh: string; bIh: string; bHh: string }[] = [];

  /**
   * `gates`: how many blocks of hiddenSize rows the weights have (RNN 1, GRU 3, LSTM 4); `checks`:
   * the options the class takes (RECURRENT_CHECKS and its own).
   */
  protected constructor(type: string, gates: number, inputSize: number, hiddenSize: number, options: RecurrentOptions, checks: Record<string, Check>) {
    super();
    checkOptionsObject(type, options, checks as never);
    positiveInteger(type, 'inputSize', inputSize);
    positiveInteger(type, 'hiddenSize', hiddenSize);
    const { numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false } = options;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    const bound = 1 / Math.sqrt(hiddenSize);
    const init = (shape: number[]) => uniform(empty(shape), -bound, bound);
    for (let layer = 0; layer < numLayers; layer++) {
      for (let d = 0; d < this.directions; d++) {
        const suffix = `L${layer}${d === 1 ? 'Reverse' : ''}`;
        const names = { wIh: `weightIh${suffix}`, wHh: `weightHh${suffix}`, bIh: `biasIh${suffix}`, bHh: `biasHh${suffix}` };
        const layerInput = layer === 0 ? inputSize : hiddenSize * this.directions;
        this.registerParameter(names.wIh, init([gates * hiddenSize, layerInput]));
        this.registerParameter(names.wHh, init([gates * hiddenSize, hiddenSize]));
        if (bias) {
          this.registerParameter(names.bIh, init([gates * hiddenSize]));
          this.registerParameter(names.bHh, init([gates * hiddenSize]));
        }
        this.weightNames.push(names);
      }
    }
  }

  /** 2 when bidirectional, else 1. */
  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  private param(name: string): Tensor | null {
    return ((this as unknown as Record<string, Tensor | null | undefined>)[name]) ?? null;
  }

  /** The weights of one layer and direction (read at call time, so a reassigned parameter is used). */
  protected layerWeights(layer: number, direction: number): RecurrentWeights {
    const names = this.weightNames[layer * this.directions + direction];
    return {
      wIh: this.param(names.wIh)!, wHh: this.param(names.wHh)!,
      bIh: this.bias ? this.param(names.bIh) : null, bHh: this.bias ? this.param(names.bHh) : null,
    };
  }

  /** Per layer and direction, its parameters in PyTorch's order (torch's `all_weights`). */
  get allWeights(): Tensor[][] {
    return this.weightNames.map((n) => [n.wIh, n.wHh, n.bIh, n.bHh].map((name) => this.param(name)).filter((t): t is Tensor => t !== null));
  }

  /** `LSTM(3, 4, numLayers: 2, bidirectional: true)`: how errors name the layer. */
  protected label(): string {
    return `${this.typeName}(${this.inputSize}, ${this.hiddenSize}${this.optionsText(': ')})`;
  }

  private optionsText(sep: string): string {
    const parts: string[] = [];
    if (this.numLayers !== 1) parts.push(`numLayers${sep}${this.numLayers}`);
    if (!this.bias) parts.push(`bias${sep}false`);
    if (this.batchFirst) parts.push(`batchFirst${sep}true`);
    if (this.dropout !== 0) parts.push(`dropout${sep}${this.dropout}`);
    if (this.bidirectional) parts.push(`bidirectional${sep}true`);
    parts.push(...this.extraOptions(sep));
    return parts.map((p) => `, ${p}`).join('');
  }

  /** Options a subclass adds to its label and repr (RNN's nonlinearity). */
  protected extraOptions(_sep: string): string[] {
    return [];
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.optionsText('=')}`;
  }

  /**
   * The layers over x ([T, B, I], [B, T, I] with batchFirst, or unbatched [T, I]) from the given
   * initial states (each [layers·directions, B, H], or [layers·directions, H] unbatched; none: zeros):
   * the last layer's output sequence and every layer's final states, stacked as the initial ones.
   */
  protected runLayers(x: Tensor, given: { name: string; state: unknown }[], stateCount: number, layerFn: LayerFn): { output: Tensor; states: Tensor[] } {
    const name = this.label();
    const I = this.inputSize;
    const H = this.hiddenSize;
    const expected = `input of shape [steps, batch, ${I}]${this.batchFirst ? ` (batchFirst: [batch, steps, ${I}])` : ''} or unbatched [steps, ${I}]`;
    checkLayerInput(name, x, expected, (t) => (t.ndim === 2 || t.ndim === 3) && t.shape[t.ndim - 1] === I);
    const unbatched = x.ndim === 2;
    const steps = unbatched || !this.batchFirst ? x.shape[0] : x.shape[1];
    const batch = unbatched ? 1 : x.shape[this.batchFirst ? 0 : 1];
    if (steps === 0) throw new Error(`${name}: the input has no time steps (shape ${formatShape(x.shape)})`);
    const slots = this.numLayers * this.directions;
    const stateShape = unbatched ? [slots, H] : [slots, batch, H];
    for (const { name: stateName, state } of given) {
      if (!(state instanceof Tensor) || state.shape.length !== stateShape.length || state.shape.some((d, i) => d !== stateShape[i])) {
        const got = state instanceof Tensor ? `shape ${formatShape(state.shape)}` : state === null ? 'null' : typeof state;
        const what = unbatched ? '(layers·directions, hiddenSize) for unbatched input' : '(layers·directions, batch, hiddenSize)';
        throw new Error(`${name}: expected ${stateName} of shape ${formatShape(stateShape)} ${what}, got ${got}`);
      }
    }
    const initial = given.map((g) => g.state as Tensor);
    const zeroState = initial.length === 0 ? zeros([batch, H]) : null;

    let input = unbatched ? reshape(x, [steps, 1, I]) : this.batchFirst ? transpose(x, 0, 1) : x;
    const finals: Tensor[][] = Array.from({ length: stateCount }, () => []);
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outputs: Tensor[] = [];
      for (let d = 0; d < this.directions; d++) {
        const slot = layer * this.directions + d;
        const states = zeroState ? Array.from({ length: stateCount }, () => zeroState) : initial.map((s) => rowRange(s, slot, 1, [batch, H]));
        const r = layerFn(input, states, this.layerWeights(layer, d), d === 1);
        outputs.push(r.output);
        finals[0].push(r.hN);
        if (stateCount > 1) finals[1].push(r.cN!);
      }
      input = outputs.length === 1 ? outputs[0] : concat(outputs, 2);
      if (this.dropout > 0 && this.training && layer < this.numLayers - 1) input = dropoutFn(input, this.dropout, true);
    }
    const width = H * this.directions;
    const output = unbatched ? reshape(input, [steps, width]) : this.batchFirst ? transpose(input, 0, 1) : input;
    const states = finals.map((list) => reshape(list.length === 1 ? list[0] : stack(list, 0), stateShape));
    return { output, states };
  }
}
