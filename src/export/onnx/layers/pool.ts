/**
 * MaxPool2d and AvgPool2d: MaxPool and AveragePool, floor mode. nabla's average counts zero
 * padding in the divisor (PyTorch's default), hence count_include_pad = 1.
 */
import { AvgPool2d, MaxPool2d } from '../../../nn/pool.js';
import { int, ints, type Attribute } from '../graph-builder.js';
import { registerOnnxExporter } from '../registry.js';

function window(m: MaxPool2d | AvgPool2d): Record<string, Attribute> {
  const [ph, pw] = m.padding;
  return { kernel_shape: ints(m.kernelSize), pads: ints([ph, pw, ph, pw]), strides: ints(m.stride) };
}

registerOnnxExporter(MaxPool2d, (m, x, { graph, path }) => graph.node('MaxPool', [x.name], window(m), `${path}/MaxPool`));
registerOnnxExporter(AvgPool2d, (m, x, { graph, path }) => (
  graph.node('AveragePool', [x.name], { ...window(m), count_include_pad: int(1) }, `${path}/AveragePool`)
));
