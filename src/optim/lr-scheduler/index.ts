/** Learning-rate schedulers (torch.optim.lr_scheduler): `new StepLR(optimizer, { stepSize: 30 })`. */
export { LRScheduler, type LRSchedulerStateDict, type ScheduledOptimizer } from './lr-scheduler.js';
export { StepLR, type StepLROptions } from './step-lr.js';
export { MultiStepLR, type MultiStepLROptions } from './multi-step-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { LinearLR, type LinearLROptions } from './linear-lr.js';
export {
  ReduceLROnPlateau, type ReduceLROnPlateauOptions, type ReduceLROnPlateauStateDict,
} from './reduce-lr-on-plateau.js';
