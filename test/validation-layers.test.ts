/**
 * Bad input to the nn layers: every constructor option is checked for type and range, unknown
 * option names are refused, and every forward names the layer with the expected and actual input.
 */
import { describe, expect, it } from 'vitest';
import { nn, tensor, zeros } from '../src/index.js';

type Case = [string, () => unknown, string];

function expectErrors(cases: Case[]): void {
  for (const [what, fn, message] of cases) {
    let thrown: unknown;
    try {
      fn();
    } catch (err) {
      thrown = err;
    }
    expect(thrown, what).toBeInstanceOf(Error);
    expect((thrown as Error).constructor, what).toBe(Error);
    expect((thrown as Error).message, what).toBe(message);
  }
}

describe('layer constructors refuse bad options', () => {
  it('Linear', () => expectErrors([
    ['typo', () => new nn.Linear(2, 3, { bais: false } as never), "Linear: unknown option 'bais' (did you mean 'bias'? known options: bias)"],
    ['bias not boolean', () => new nn.Linear(2, 3, { bias: 'no' } as never), 'Linear: bias must be true or false, got "no"'],
    ['options null', () => new nn.Linear(2, 3, null as never), 'Linear: options must be an object, got null'],
    ['options a number', () => new nn.Linear(2, 3, 5 as never), 'Linear: options must be an object, got number'],
    ['inFeatures 0', () => new nn.Linear(0, 3), 'Linear: inFeatures must be a positive integer, got 0'],
    ['outFeatures 2.5', () => new nn.Linear(2, 2.5), 'Linear: outFeatures must be a positive integer, got 2.5'],
    ['inFeatures a string', () => new nn.Linear('2' as never, 3), 'Linear: inFeatures must be a positive integer, got 2'],
  ]));

  it('BatchNorm1d and BatchNorm2d', () => expectErrors([
    ['typo', () => new nn.BatchNorm1d(3, { momentom: 0.1 } as never),
      "BatchNorm1d: unknown option 'momentom' (did you mean 'momentum'? known options: eps, momentum, affine, trackRunningStats)"],
    ['affine a number', () => new nn.BatchNorm1d(3, { affine: 1 } as never), 'BatchNorm1d: affine must be true or false, got 1'],
    ['trackRunningStats a string', () => new nn.BatchNorm2d(3, { trackRunningStats: 'yes' } as never), 'BatchNorm2d: trackRunningStats must be true or false, got "yes"'],
    ['eps negative', () => new nn.BatchNorm2d(3, { eps: -1 }), 'BatchNorm2d: eps must be a finite number ≥ 0, got -1'],
    ['eps NaN', () => new nn.BatchNorm1d(3, { eps: NaN }), 'BatchNorm1d: eps must be a finite number ≥ 0, got NaN'],
    ['momentum above 1', () => new nn.BatchNorm1d(3, { momentum: 1.5 }), 'BatchNorm1d: momentum must be a number in [0, 1], got 1.5'],
    ['numFeatures 0', () => new nn.BatchNorm1d(0), 'BatchNorm1d: numFeatures must be a positive integer, got 0'],
    ['options an array', () => new nn.BatchNorm1d(3, [] as never), 'BatchNorm1d: options must be an object, got an array'],
  ]));

  it('Conv2d', () => expectErrors([
    ['typo', () => new nn.Conv2d(1, 2, 3, { strides: 2 } as never),
      "Conv2d: unknown option 'strides' (did you mean 'stride'? known options: stride, padding, dilation, bias)"],
    ['bias a number', () => new nn.Conv2d(1, 2, 3, { bias: 0 } as never), 'Conv2d: bias must be true or false, got 0'],
    ['stride 0', () => new nn.Conv2d(1, 2, 3, { stride: 0 }), 'Conv2d: stride must be an integer ≥ 1 or a pair [h, w] of them, got 0'],
    ['padding negative', () => new nn.Conv2d(1, 2, 3, { padding: [1, -1] }), 'Conv2d: padding must be an integer ≥ 0 or a pair [h, w] of them, got [1,-1]'],
    ['dilation a triple', () => new nn.Conv2d(1, 2, 3, { dilation: [1, 1, 1] as never }), 'Conv2d: dilation must be an integer ≥ 1 or a pair [h, w] of them, got [1,1,1]'],
    ['kernel 1.5', () => new nn.Conv2d(1, 2, 1.5), 'Conv2d: kernelSize must be an integer ≥ 1 or a pair [h, w] of them, got 1.5'],
    ['outChannels -1', () => new nn.Conv2d(1, -1, 3), 'Conv2d: outChannels must be a positive integer, got -1'],
  ]));

  it('MaxPool2d and AvgPool2d', () => expectErrors([
    ['typo', () => new nn.MaxPool2d(2, { strde: 1 } as never), "MaxPool2d: unknown option 'strde' (did you mean 'stride'? known options: stride, padding)"],
    ['dilation (not supported)', () => new nn.AvgPool2d(2, { dilation: 2 } as never), "AvgPool2d: unknown option 'dilation' (known options: stride, padding)"],
    ['kernel 0', () => new nn.MaxPool2d(0), 'MaxPool2d: kernelSize must be an integer ≥ 1 or a pair [h, w] of them, got 0'],
    ['stride a string', () => new nn.AvgPool2d(2, { stride: '2' as never }), 'AvgPool2d: stride must be an integer ≥ 1 or a pair [h, w] of them, got "2"'],
    ['options null', () => new nn.MaxPool2d(2, null as never), 'MaxPool2d: options must be an object, got null'],
  ]));

  it('Dropout and the activations', () => expectErrors([
    ['Dropout p 2', () => new nn.Dropout(2), 'Dropout: p must be a probability in [0, 1], got 2'],
    ['Dropout p NaN', () => new nn.Dropout(NaN), 'Dropout: p must be a probability in [0, 1], got NaN'],
    ['LeakyReLU slope Infinity', () => new nn.LeakyReLU(Infinity), 'LeakyReLU: negativeSlope must be a finite number, got Infinity'],
    ['ELU alpha a string', () => new nn.ELU('1' as never), 'ELU: alpha must be a finite number, got 1'],
    ['Softmax axis 0.5', () => new nn.Softmax(0.5), 'Softmax: axis must be an integer, got 0.5'],
    ['Flatten startDim a string', () => new nn.Flatten('1' as never), 'Flatten: startDim and endDim must be integers, got 1 and -1'],
    ['Sequential of a number', () => new nn.Sequential(3 as never), 'Sequential: element 0 must be a Module'],
  ]));
});

describe('layer forwards name the layer, the expected and the actual input', () => {
  it('Linear', () => expectErrors([
    ['wrong last dimension', () => new nn.Linear(4, 2).forward(zeros([3, 5])), 'Linear(4, 2): expected input with last dimension 4, got shape [3,5]'],
    ['0-d', () => new nn.Linear(4, 2).forward(tensor(1)), 'Linear(4, 2): expected input with last dimension 4, got shape []'],
    ['a number', () => new nn.Linear(4, 2).forward(3 as never), 'Linear(4, 2): expected input with last dimension 4, got a number'],
    ['nested arrays', () => new nn.Linear(2, 2).forward([[1, 2]] as never), 'Linear(2, 2): expected input with last dimension 2, got an array (wrap it with tensor())'],
  ]));

  it('BatchNorm', () => expectErrors([
    ['a number', () => new nn.BatchNorm1d(3).forward(3 as never), 'BatchNorm1d(3): expected a 2-D or 3-D input tensor [N, C] or [N, C, L], got a number'],
    ['undefined', () => new nn.BatchNorm2d(3).forward(undefined as never), 'BatchNorm2d(3): expected a 4-D input tensor [N, C, H, W], got undefined'],
    ['2-D into BatchNorm2d', () => new nn.BatchNorm2d(3).forward(zeros([2, 3])), 'BatchNorm2d(3): expected a 4-D input [N, C, H, W], got shape [2,3]'],
    ['channels', () => new nn.BatchNorm1d(3).forward(zeros([2, 4])), 'BatchNorm1d(3): expected 3 channels in dimension 1, got 4 (input shape [2,4])'],
    ['one value per channel in training', () => new nn.BatchNorm1d(3).forward(zeros([1, 3])), 'BatchNorm1d(3): expected more than 1 value per channel when training, got input of shape [1,3]'],
  ]));

  it('Conv2d', () => expectErrors([
    ['3-D', () => new nn.Conv2d(1, 2, 3).forward(zeros([1, 5, 5])), 'Conv2d(1, 2): expected input [N, 1, H, W], got shape [1,5,5]'],
    ['channels', () => new nn.Conv2d(1, 2, 3).forward(zeros([1, 3, 5, 5])), 'Conv2d(1, 2): expected input [N, 1, H, W], got shape [1,3,5,5]'],
    ['too small for the kernel', () => new nn.Conv2d(1, 2, 3).forward(zeros([1, 1, 2, 5])), 'Conv2d(1, 2): expected input [N, 1, H ≥ 3, W ≥ 3] (the kernel must fit), got shape [1,1,2,5]'],
    ['too small for the dilated kernel with padding', () => new nn.Conv2d(1, 2, 3, { dilation: 3, padding: 1 }).forward(zeros([1, 1, 4, 4])),
      'Conv2d(1, 2): expected input [N, 1, H ≥ 5, W ≥ 5] (the kernel with padding must fit), got shape [1,1,4,4]'],
    ['a number', () => new nn.Conv2d(1, 2, 3).forward(1 as never), 'Conv2d(1, 2): expected input [N, 1, H, W], got a number'],
  ]));

  it('pools', () => expectErrors([
    ['3-D', () => new nn.MaxPool2d(2).forward(zeros([1, 4, 4])), 'MaxPool2d(kernelSize=[2,2]): expected a 4-D input [N, C, H, W], got shape [1,4,4]'],
    ['too small', () => new nn.MaxPool2d(3).forward(zeros([1, 1, 2, 2])), 'MaxPool2d(kernelSize=[3,3]): expected input [N, C, H ≥ 3, W ≥ 3] (the window must fit), got shape [1,1,2,2]'],
    ['too small with padding', () => new nn.AvgPool2d(3, { padding: 1 }).forward(zeros([1, 1, 0, 0])), 'AvgPool2d(kernelSize=[3,3]): expected input [N, C, H ≥ 1, W ≥ 1] (the window must fit), got shape [1,1,0,0]'],
    ['a number', () => new nn.AvgPool2d(2).forward(2 as never), 'AvgPool2d(kernelSize=[2,2]): expected a 4-D input [N, C, H, W], got a number'],
  ]));

  it('Dropout, Flatten, Softmax and the activations', () => expectErrors([
    ['Dropout', () => new nn.Dropout(0.5).forward(2 as never), 'Dropout(p=0.5): expected a Tensor, got a number'],
    ['Flatten', () => new nn.Flatten().forward(null as never), 'Flatten(startDim=1, endDim=-1): expected a Tensor, got null'],
    ['Flatten rank', () => new nn.Flatten(2).forward(zeros([4, 5])), 'Flatten(startDim=2, endDim=-1): expected input with at least 3 dimensions, got shape [4,5]'],
    ['Softmax', () => new nn.Softmax().forward(2 as never), 'Softmax(axis=-1): expected a Tensor, got a number'],
    ['Softmax axis', () => new nn.Softmax(2).forward(zeros([2, 3])), 'Softmax(axis=2): axis 2 is out of range for input of shape [2,3]'],
    ['ReLU', () => new nn.ReLU().forward(2 as never), 'ReLU: expected a Tensor, got a number'],
    ['Sigmoid', () => new nn.Sigmoid().forward('x' as never), 'Sigmoid: expected a Tensor, got a string'],
    ['Tanh', () => new nn.Tanh().forward([1] as never), 'Tanh: expected a Tensor, got an array (wrap it with tensor())'],
    ['GELU', () => new nn.GELU().forward(undefined as never), 'GELU: expected a Tensor, got undefined'],
    ['LeakyReLU', () => new nn.LeakyReLU(0.2).forward({} as never), 'LeakyReLU(negativeSlope=0.2): expected a Tensor, got an object'],
    ['ELU', () => new nn.ELU().forward(true as never), 'ELU(alpha=1): expected a Tensor, got a boolean'],
    ['inside Sequential', () => new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(4, 1)).forward(zeros([5, 2])),
      'Linear(4, 1): expected input with last dimension 4, got shape [5,3]'],
  ]));

  it('valid inputs still pass (the checks only refuse)', () => {
    expect(new nn.Conv2d(1, 2, 3, { padding: 1 }).forward(zeros([1, 1, 1, 1])).shape).toEqual([1, 2, 1, 1]);
    expect(new nn.MaxPool2d(3, { padding: 1 }).forward(zeros([1, 1, 1, 1])).shape).toEqual([1, 1, 1, 1]);
    expect(new nn.ReLU().forward(tensor([-1, 2])).toArray()).toEqual([0, 2]);
  });
});
