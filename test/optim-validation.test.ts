/** Every constructor checks its options and params before anything is built; messages name the class, the option, the range and the value. */
import { describe, expect, it } from 'vitest';
import { optim, tensor, type Tensor } from '../src/index.js';

const params = (): Tensor[] => [tensor([1, 2], { requiresGrad: true })];
const { lrScheduler } = optim;
const sgd = () => new optim.SGD(params(), { lr: 1 });

describe('optimizer option validation', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['SGD without lr', () => new optim.SGD(params()), 'SGD: lr is required (it has no default), got undefined'],
    ['negative lr', () => new optim.SGD(params(), { lr: -0.1 }), 'SGD: lr must be in [0, ∞), got -0.1'],
    ['NaN lr', () => new optim.Adam(params(), { lr: NaN }), 'Adam: lr must be in [0, ∞), got NaN'],
    ['lr not a number', () => new optim.Adam(params(), { lr: '0.1' as unknown as number }), 'Adam: lr must be a number in [0, ∞), got "0.1"'],
    ['negative momentum', () => new optim.SGD(params(), { lr: 0.1, momentum: -0.5 }), 'SGD: momentum must be in [0, ∞), got -0.5'],
    ['dampening above 1', () => new optim.SGD(params(), { lr: 0.1, momentum: 0.9, dampening: 2 }), 'SGD: dampening must be in [0, 1], got 2'],
    ['nesterov without momentum', () => new optim.SGD(params(), { lr: 0.1, nesterov: true }),
      'SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0 and dampening 0'],
    ['nesterov with dampening', () => new optim.SGD(params(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
      'SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0.9 and dampening 0.1'],
    ['negative SGD weightDecay', () => new optim.SGD(params(), { lr: 0.1, weightDecay: -1 }), 'SGD: weightDecay must be in [0, ∞), got -1'],
    ['Adagrad negative lrDecay', () => new optim.Adagrad(params(), { lrDecay: -0.1 }), 'Adagrad: lrDecay must be in [0, ∞), got -0.1'],
    ['Adagrad negative initialAccumulatorValue', () => new optim.Adagrad(params(), { initialAccumulatorValue: -1 }),
      'Adagrad: initialAccumulatorValue must be in [0, ∞), got -1'],
    ['Adagrad negative weightDecay', () => new optim.Adagrad(params(), { weightDecay: -0.1 }), 'Adagrad: weightDecay must be in [0, ∞), got -0.1'],
    ['RMSprop alpha above 1', () => new optim.RMSprop(params(), { alpha: 1.1 }), 'RMSprop: alpha must be in [0, 1], got 1.1'],
    ['RMSprop negative eps', () => new optim.RMSprop(params(), { eps: -1e-8 }), 'RMSprop: eps must be in [0, ∞), got -1e-8'],
    ['RMSprop negative weightDecay', () => new optim.RMSprop(params(), { weightDecay: -0.1 }), 'RMSprop: weightDecay must be in [0, ∞), got -0.1'],
    ['RMSprop centered not boolean', () => new optim.RMSprop(params(), { centered: 'yes' as unknown as boolean }),
      'RMSprop: centered must be true or false, got "yes"'],
    ['Adam betas[0] = 1.2', () => new optim.Adam(params(), { betas: [1.2, 0.999] }), 'Adam: betas[0] must be in [0, 1), got 1.2'],
    ['Adam betas[1] = 1', () => new optim.Adam(params(), { betas: [0.9, 1] }), 'Adam: betas[1] must be in [0, 1), got 1'],
    ['Adam betas not a pair', () => new optim.Adam(params(), { betas: [0.9] as unknown as [number, number] }),
      'Adam: betas must be a pair [number, number], got [0.9]'],
    ['Adam negative eps', () => new optim.Adam(params(), { eps: -1 }), 'Adam: eps must be in [0, ∞), got -1'],
    ['Adam negative weightDecay', () => new optim.Adam(params(), { weightDecay: -0.01 }), 'Adam: weightDecay must be in [0, ∞), got -0.01'],
    ['AdamW betas', () => new optim.AdamW(params(), { betas: [0.9, -0.1] }), 'AdamW: betas[1] must be in [0, 1), got -0.1'],
    ['AdamW negative weightDecay', () => new optim.AdamW(params(), { weightDecay: -0.01 }), 'AdamW: weightDecay must be in [0, ∞), got -0.01'],
    ['Adadelta rho above 1', () => new optim.Adadelta(params(), { rho: 1.5 }), 'Adadelta: rho must be in [0, 1], got 1.5'],
    ['Adadelta negative eps', () => new optim.Adadelta(params(), { eps: -1 }), 'Adadelta: eps must be in [0, ∞), got -1'],
    ['Adadelta negative weightDecay', () => new optim.Adadelta(params(), { weightDecay: -1 }), 'Adadelta: weightDecay must be in [0, ∞), got -1'],
    ['FTRL positive lrPower', () => new optim.FTRL(params(), { lrPower: 0.5 }), 'FTRL: lrPower must be in (-∞, 0], got 0.5'],
    ['FTRL zero lr', () => new optim.FTRL(params(), { lr: 0 }), 'FTRL: lr must be in (0, ∞), got 0'],
    ['FTRL negative l1', () => new optim.FTRL(params(), { l1: -1 }), 'FTRL: l1 must be in [0, ∞), got -1'],
    ['FTRL negative l2', () => new optim.FTRL(params(), { l2: -0.1 }), 'FTRL: l2 must be in [0, ∞), got -0.1'],
    ['FTRL negative l2Shrinkage', () => new optim.FTRL(params(), { l2Shrinkage: -0.1 }), 'FTRL: l2Shrinkage must be in [0, ∞), got -0.1'],
    ['FTRL negative beta', () => new optim.FTRL(params(), { beta: -1 }), 'FTRL: beta must be in [0, ∞), got -1'],
    ['FTRL negative initialAccumulatorValue', () => new optim.FTRL(params(), { initialAccumulatorValue: -0.1 }),
      'FTRL: initialAccumulatorValue must be in [0, ∞), got -0.1'],
    ['a typo in an option name', () => new optim.Adam(params(), { weightdecay: 0.1 } as object),
      "Adam: unknown option 'weightdecay' (did you mean 'weightDecay'? known options: lr, betas, eps, weightDecay, amsgrad)"],
    ['a typo in a group option', () => new optim.SGD([{ params: params(), lr: 0.1, momentun: 0.9 } as optim.ParamGroupInput<optim.SGDOptions>]),
      "SGD: unknown option 'momentun' (did you mean 'momentum'? known options: lr, momentum, dampening, weightDecay, nesterov)"],
    ['an option no optimizer has', () => new optim.Adagrad(params(), { nesterov: true } as object),
      "Adagrad: unknown option 'nesterov' (known options: lr, lrDecay, weightDecay, initialAccumulatorValue, eps)"],
    ['options not an object', () => new optim.SGD(params(), null as unknown as object), 'SGD: options must be an object like { lr: 0.01 }, got null'],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => expect(make).toThrow(message));
  }
});

describe('optimizer params validation', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['an empty list', () => new optim.Adam([]), 'Adam: params must be a non-empty list, got an empty list'],
    ['not a list', () => new optim.Adam(5 as unknown as Tensor[]), 'Adam: params must be a list of Tensors or parameter groups, got number'],
    ['a bare tensor', () => new optim.Adam(tensor([1]) as unknown as Tensor[]),
      'Adam: params must be a list of Tensors or parameter groups, got a single Tensor (wrap it in a list: [t])'],
    ['a non-tensor in the list', () => new optim.RMSprop([tensor([1]), 3] as unknown as Tensor[]), 'RMSprop: params[1] must be a Tensor, got number'],
    ['a number first', () => new optim.Adam([3] as unknown as Tensor[]),
      'Adam: params[0] must be a Tensor or a parameter group { params, ...options }, got number'],
    ['a group without params', () => new optim.Adam([{ params: [] }]), 'Adam: param group 0: params must be a non-empty list, got an empty list'],
    ['a non-tensor in a group', () => new optim.SGD([{ params: params() }, { params: ['w'] as unknown as Tensor[] }], { lr: 1 }),
      'SGD: param group 1: params[0] must be a Tensor, got string'],
    ['a tensor twice', () => {
      const t = tensor([1]);
      return new optim.SGD([{ params: [t] }, { params: [t] }], { lr: 1 });
    }, 'SGD: param group 1: params[0] appears more than once across the parameter groups'],
    ['a computed (non-leaf) tensor', () => new optim.Adam([tensor([1], { requiresGrad: true }).mul(2)]),
      'Adam: param group 0: params[0] is not a leaf tensor (it was computed by mul); optimize leaves only'],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => expect(make).toThrow(message));
  }
});

describe('scheduler and clipping validation', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['StepLR without stepSize', () => new lrScheduler.StepLR(sgd(), {} as { stepSize: number }),
      'StepLR: stepSize is required (it has no default), got undefined'],
    ['StepLR stepSize 0', () => new lrScheduler.StepLR(sgd(), { stepSize: 0 }), 'StepLR: stepSize must be an integer ≥ 1, got 0'],
    ['StepLR negative gamma', () => new lrScheduler.StepLR(sgd(), { stepSize: 2, gamma: -0.1 }), 'StepLR: gamma must be in [0, ∞), got -0.1'],
    ['StepLR on a non-optimizer', () => new lrScheduler.StepLR({} as optim.SGD, { stepSize: 2 }),
      'StepLR: optimizer must be an optimizer (e.g. new optim.SGD(...)), got object'],
    ['MultiStepLR negative milestone', () => new lrScheduler.MultiStepLR(sgd(), { milestones: [2, -1] }),
      'MultiStepLR: milestones[1] must be an integer ≥ 0, got -1'],
    ['MultiStepLR milestones not a list', () => new lrScheduler.MultiStepLR(sgd(), { milestones: 3 as unknown as number[] }),
      'MultiStepLR: milestones must be a list, got 3'],
    ['ExponentialLR without gamma', () => new lrScheduler.ExponentialLR(sgd(), {} as { gamma: number }),
      'ExponentialLR: gamma is required (it has no default), got undefined'],
    ['CosineAnnealingLR fractional tMax', () => new lrScheduler.CosineAnnealingLR(sgd(), { tMax: 2.5 }),
      'CosineAnnealingLR: tMax must be an integer ≥ 1, got 2.5'],
    ['CosineAnnealingLR negative etaMin', () => new lrScheduler.CosineAnnealingLR(sgd(), { tMax: 5, etaMin: -1 }),
      'CosineAnnealingLR: etaMin must be in [0, ∞), got -1'],
    ['LinearLR startFactor 0', () => new lrScheduler.LinearLR(sgd(), { startFactor: 0 }), 'LinearLR: startFactor must be in (0, 1], got 0'],
    ['LinearLR endFactor 2', () => new lrScheduler.LinearLR(sgd(), { endFactor: 2 }), 'LinearLR: endFactor must be in [0, 1], got 2'],
    ['LinearLR typo', () => new lrScheduler.LinearLR(sgd(), { totalIter: 5 } as object),
      "LinearLR: unknown option 'totalIter' (did you mean 'totalIters'? known options: startFactor, endFactor, totalIters)"],
    ['ReduceLROnPlateau factor 1', () => new lrScheduler.ReduceLROnPlateau(sgd(), { factor: 1 }), 'ReduceLROnPlateau: factor must be in [0, 1), got 1'],
    ['ReduceLROnPlateau mode', () => new lrScheduler.ReduceLROnPlateau(sgd(), { mode: 'minimum' as 'min' }),
      "ReduceLROnPlateau: mode must be one of 'min', 'max', got \"minimum\""],
    ['ReduceLROnPlateau thresholdMode', () => new lrScheduler.ReduceLROnPlateau(sgd(), { thresholdMode: 'relative' as 'rel' }),
      "ReduceLROnPlateau: thresholdMode must be one of 'rel', 'abs', got \"relative\""],
    ['ReduceLROnPlateau patience', () => new lrScheduler.ReduceLROnPlateau(sgd(), { patience: -1 }),
      'ReduceLROnPlateau: patience must be an integer ≥ 0, got -1'],
    ['ReduceLROnPlateau minLr per group', () => new lrScheduler.ReduceLROnPlateau(sgd(), { minLr: [0, 0] }),
      'ReduceLROnPlateau: minLr must have one value per parameter group (1), got 2'],
    ['ReduceLROnPlateau step without metric', () => new lrScheduler.ReduceLROnPlateau(sgd()).step(undefined as unknown as number),
      'ReduceLROnPlateau: step(metric) needs the monitored value as a number, got undefined'],
    ['clipGradNorm negative maxNorm', () => optim.clipGradNorm(params(), -1), 'clipGradNorm: maxNorm must be in [0, ∞), got -1'],
    ['clipGradNorm normType 0', () => optim.clipGradNorm(params(), 1, 0), 'clipGradNorm: normType must be in (0, ∞), got 0'],
    ['clipGradNorm params', () => optim.clipGradNorm([1] as unknown as Tensor[], 1), 'clipGradNorm: params[0] must be a Tensor, got number'],
    ['clipGradValue negative', () => optim.clipGradValue(params(), -1), 'clipGradValue: clipValue must be in [0, ∞), got -1'],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => expect(make).toThrow(message));
  }
});
