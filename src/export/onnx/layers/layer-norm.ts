/**
 * LayerNorm: LayerNormalization (opset 17) over the trailing normalizedShape, axis =
 * −len(normalizedShape). Scale is a required input there: ones (and no bias) when
 * elementwiseAffine is false.
 */
import { LayerNorm } from '../../../nn/layer-norm.js';
import { float, int } from '../graph-builder.js';
import { registerOnnxExporter } from '../registry.js';

registerOnnxExporter(LayerNorm, (m, x, { graph, path }) => {
  const shape = m.normalizedShape;
  const size = shape.reduce((a, b) => a * b, 1);
  const scale = graph.initializer(`${path}.weight`, m.weight?.data ?? new Float32Array(size).fill(1), shape);
  const inputs = m.bias ? [x.name, scale, graph.initializer(`${path}.bias`, m.bias.data, shape)] : [x.name, scale];
  return graph.node('LayerNormalization', inputs, { axis: int(-shape.length), epsilon: float(m.eps) }, `${path}/LayerNormalization`);
});
