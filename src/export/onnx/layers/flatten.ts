/**
 * Flatten: ONNX Flatten (axis 1) for the usual startDim 1 → last dimension, whose output is 2-D
 * as ONNX's always is; any other range is a Reshape to the output shape (0 copies the batch
 * dimension, −1 infers it when the batch is merged with others).
 */
import { Flatten } from '../../../nn/flatten.js';
import { int } from '../graph-builder.js';
import { registerOnnxExporter } from '../registry.js';

registerOnnxExporter(Flatten, (m, x, { graph, path, outputShape }) => {
  const rank = x.shape.length;
  const start = m.startDim < 0 ? m.startDim + rank : m.startDim;
  const end = m.endDim < 0 ? m.endDim + rank : m.endDim;
  if (start === 1 && end === rank - 1) return graph.node('Flatten', [x.name], { axis: int(1) }, `${path}/Flatten`);
  const target = [start === 0 ? -1 : 0, ...outputShape.slice(1)];
  return graph.node('Reshape', [x.name, graph.int64s(`${path}.shape`, target)], {}, `${path}/Reshape`);
});
