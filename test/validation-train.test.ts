/** Bad input to the training API: fit's options and the callbacks' options, each refused by name. */
import { describe, expect, it } from 'vitest';
import { nn, optim, zeros } from '../src/index.js';
import { fit } from '../src/train/fit.js';
import { EarlyStopping } from '../src/train/callbacks/early-stopping.js';
import { ModelCheckpoint } from '../src/train/callbacks/model-checkpoint.js';
import { GradientFlow } from '../src/train/callbacks/gradient-flow.js';

const model = new nn.Linear(2, 2);
const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
const d = { x: zeros([4, 2]), y: [0, 1, 0, 1] };

describe('fit and the callbacks refuse bad options', () => {
  it.each([
    ['fit options typo', () => fit(model, opt, d, { epochs: 1, batchsize: 2 } as never),
      "fit: unknown option 'batchsize' (did you mean 'batchSize'? known options: epochs, batchSize, shuffle, validation, loss, callbacks, scheduler, clipGradNorm, initialEpoch, initialStep, history, detectAnomaly, recycleArrays)"],
    ['fit options missing', () => fit(model, opt, d, undefined as never), 'fit: options must be an object, got undefined'],
    ['fit shuffle a string', () => fit(model, opt, d, { epochs: 1, shuffle: 'no' as never }), 'fit: shuffle must be true or false, got no'],
    ['fit recycleArrays a string', () => fit(model, opt, d, { epochs: 1, recycleArrays: 'yes' as never }), 'fit: recycleArrays must be true or false, got yes'],
    ['fit epochs 1.5', () => fit(model, opt, d, { epochs: 1.5 }), 'fit: epochs must be a positive integer, got 1.5'],
    ['fit initialEpoch past epochs', () => fit(model, opt, d, { epochs: 2, initialEpoch: 3 }), 'fit: initialEpoch must be an integer in [0, 2], got 3'],
    ['fit data without x', () => fit(model, opt, { y: [0] } as never, { epochs: 1 }), 'fit: data must be a Dataset or { x: Tensor, y: labels }'],
    ['fit data of the wrong width', () => fit(model, opt, { x: zeros([4, 3]), y: [0, 1, 0, 1] }, { epochs: 1 }), 'Linear(2, 2): expected input with last dimension 2, got shape [4,3]'],
    ['fit a label out of range', () => fit(model, opt, { x: zeros([4, 2]), y: [0, 1, 0, 5] }, { epochs: 1, batchSize: 4, shuffle: false }),
      'crossEntropy: target 3 is class 5, out of range for 2 classes (expected 0 ≤ index < 2)'],
    ['EarlyStopping typo', () => new EarlyStopping({ patiance: 2 } as never),
      "EarlyStopping: unknown option 'patiance' (did you mean 'patience'? known options: monitor, patience, minDelta)"],
    ['EarlyStopping monitor', () => new EarlyStopping({ monitor: 'acc' as never }), 'EarlyStopping: monitor must be loss, valLoss, accuracy or valAccuracy, got "acc"'],
    ['ModelCheckpoint typo', () => new ModelCheckpoint({ path: 'x', extr: () => ({}) } as never),
      "ModelCheckpoint: unknown option 'extr' (did you mean 'extra'? known options: path, extra)"],
    ['ModelCheckpoint extra not a function', () => new ModelCheckpoint({ path: 'x', extra: {} as never }), 'ModelCheckpoint: extra must be a function, got {}'],
    ['ModelCheckpoint no path', () => new ModelCheckpoint({} as never), 'ModelCheckpoint: path must be a non-empty string'],
    ['GradientFlow typo', () => new GradientFlow({ evry: 2 } as never), "GradientFlow: unknown option 'evry' (did you mean 'every'? known options: every, records)"],
    ['GradientFlow every 0', () => new GradientFlow({ every: 0 }), 'GradientFlow: every must be a positive integer, got 0'],
  ])('%s', (_what, fn, expected) => {
    let thrown: unknown;
    try {
      fn();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe(expected);
  });
});
