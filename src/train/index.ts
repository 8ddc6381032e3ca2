/** Training: the fit loop, evaluation, metrics, callbacks and checkpoints (browser-safe; the CLI's progress bar and run folder live beside it). */
export { fit, type FitOptions, type FitData, type History } from './fit.js';
export { evaluate, type EvaluateOptions, type Evaluation } from './evaluate.js';
export { accuracy, predictions, correctCount, confusionMatrix } from './metrics.js';
export type { LossFn, LossOption } from './loss.js';
export type { Callback, TrainContext, EpochLogs, BatchLogs, Scheduler, TrainableOptimizer } from './callbacks/callback.js';
export { EarlyStopping, type EarlyStoppingOptions, type Monitor } from './callbacks/early-stopping.js';
export { GradientFlow, probeActivations, type DiagnosticsRecord, type LayerStats, type ParamStats } from './callbacks/gradient-flow.js';
export { ModelCheckpoint, trainingState, type ModelCheckpointOptions } from './callbacks/model-checkpoint.js';
export { saveCheckpoint, loadCheckpoint, CHECKPOINT_FORMAT } from './checkpoint.js';
export { makeOptimizer, OPTIMIZER_NAMES, type OptimizerName } from './optimizers.js';
