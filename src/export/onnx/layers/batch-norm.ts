/**
 * BatchNorm1d/BatchNorm2d in eval form. With running statistics: BatchNormalization (scale 1 and
 * bias 0 when affine is false). Without them (trackRunningStats false) eval normalizes with the
 * batch's own statistics, as PyTorch does, composed from ReduceMean over every axis but the
 * channels': (x − mean)/√(biased var + eps)·weight + bias.
 */
import { BatchNorm1d, BatchNorm2d, type BatchNormBase } from '../../../nn/batch-norm.js';
import { float, int, ints } from '../graph-builder.js';
import { registerOnnxExporter, type OnnxExporter } from '../registry.js';

const exportBatchNorm: OnnxExporter<BatchNormBase> = (m, x, { graph, path }) => {
  const c = m.numFeatures;
  const affine = (key: 'weight' | 'bias', fill: number, dims: number[]) => (
    graph.initializer(`${path}.${key}`, m[key]?.data ?? new Float32Array(c).fill(fill), dims)
  );
  if (m.runningMean && m.runningVar) {
    const stats = [affine('weight', 1, [c]), affine('bias', 0, [c]),
      graph.initializer(`${path}.runningMean`, m.runningMean.data, [c]), graph.initializer(`${path}.runningVar`, m.runningVar.data, [c])];
    return graph.node('BatchNormalization', [x.name, ...stats], { epsilon: float(m.eps) }, `${path}/BatchNormalization`);
  }
  const rank = x.shape.length;
  const axes = ints([0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]);
  const perChannel = [1, c, ...Array<number>(rank - 2).fill(1)];
  const node = (op: string, inputs: string[], attrs = {}) => graph.node(op, inputs, attrs, `${path}/${op}`);
  const mean = node('ReduceMean', [x.name], { axes, keepdims: int(1) });
  const centered = node('Sub', [x.name, mean]);
  const variance = node('ReduceMean', [node('Mul', [centered, centered])], { axes, keepdims: int(1) });
  const std = node('Sqrt', [node('Add', [variance, graph.scalar(`${path}.eps`, m.eps)])]);
  const normalized = node('Div', [centered, std]);
  if (!m.weight || !m.bias) return normalized;
  return node('Add', [node('Mul', [normalized, affine('weight', 1, perChannel)]), affine('bias', 0, perChannel)]);
};

registerOnnxExporter(BatchNorm1d, exportBatchNorm);
registerOnnxExporter(BatchNorm2d, exportBatchNorm);
