/**
 * Optimizers (torch.optim, plus Keras's FTRL), gradient clipping and lr schedulers. Each
 * optimizer's pure update rule is exported too (`adamRule`, …) to run the same math on bare
 * Float32Arrays: `const o = resolveOptions(adamRule, { lr }); const s = adamRule.init(n, o);
 * adamRule.update(param, grad, s, o);`.
 */
export {
  Optimizer, resolveOptions,
  type BaseOptions, type UpdateRule, type ParamGroup, type ParamGroupInput, type ParamsInput,
  type OptimizerStateDict, type StateValue, type SparseRows,
} from './optimizer.js';
export { SGD, sgdRule, type SGDOptions, type SGDState } from './sgd.js';
export { Adagrad, adagradRule, type AdagradOptions, type AdagradState } from './adagrad.js';
export { RMSprop, rmspropRule, type RMSpropOptions, type RMSpropState } from './rmsprop.js';
export { Adam, adamRule, type AdamOptions, type AdamState } from './adam.js';
export { AdamW, adamwRule, type AdamWOptions } from './adamw.js';
export { Adadelta, adadeltaRule, type AdadeltaOptions, type AdadeltaState } from './adadelta.js';
export { FTRL, ftrlRule, type FTRLOptions, type FTRLState } from './ftrl.js';
export { SparseAdam, sparseAdamRule, type SparseAdamOptions, type SparseAdamState } from './sparse-adam.js';
export { clipGradNorm, clipGradValue } from './clip-grad.js';
export * as lrScheduler from './lr-scheduler/index.js';
