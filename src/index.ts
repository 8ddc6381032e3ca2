/** nabla: tensors with reverse-mode autodiff, layers, optimizers and training, in TypeScript. */
import './backend/index.js';
import './ops/methods.js';

export { Tensor, type NestedArray } from './tensor.js';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, rand, randn, arange, linspace, eye, type TensorOptions,
} from './creation.js';
export { manualSeed, getRngState, setRngState, type RngState } from './random.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode.js';
export { gradcheck, type GradcheckOptions } from './autograd/gradcheck.js';
export { SparseGrad } from './autograd/sparse-grad.js';
export { detectAnomaly, withAnomalyDetection, isAnomalyEnabled, AnomalyError, type AnomalyPhase } from './autograd/anomaly.js';
export { inspect, Graph, type GraphNodeInfo, type GraphEdgeInfo, type GraphJSON } from './autograd/inspect.js';
export type { TextOptions } from './autograd/inspect-text.js';
export type { DotOptions } from './autograd/inspect-dot.js';
export {
  parseExpression, buildExpression, variablesOf, ExpressionError,
  type Expr, type ExpressionOptions, type ExpressionGraph,
} from './autograd/expression.js';
export { customOp, CustomOpContext, type CustomOpDefinition } from './autograd/custom-op.js';
export * from './ops/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * as train from './train/index.js';
export * as text from './text/index.js';
export { fit, evaluate } from './train/index.js';
export {
  saveModel, loadModel, encodeModel, decodeModel, registerModuleType, type ModelInfo, type LoadedModel, type Preprocess, type ModuleSpec,
} from './serialize/index.js';
export { exportOnnx, registerOnnxExporter, type OnnxExportOptions, type OnnxExporter } from './export/onnx/index.js';
export { setBackend, getBackend, availableBackends, registerBackend } from './backend/index.js';
export type { Backend } from './backend/index.js';
export { exportTorch, saveTorchExport, loadTorchStateDict, type TorchExport, type TorchExportInfo } from './export/torch/index.js';
