/** Conv2d: Conv with the layer's padding (same on both sides), stride and dilation, one group. */
import { Conv2d } from '../../../nn/conv2d.js';
import { int, ints } from '../graph-builder.js';
import { registerOnnxExporter } from '../registry.js';

registerOnnxExporter(Conv2d, (m, x, { graph, path }) => {
  const weight = graph.initializer(`${path}.weight`, m.weight.data, m.weight.shape);
  const inputs = [x.name, weight];
  if (m.bias) inputs.push(graph.initializer(`${path}.bias`, m.bias.data, m.bias.shape));
  const [ph, pw] = m.padding;
  return graph.node('Conv', inputs, {
    kernel_shape: ints(m.kernelSize), pads: ints([ph, pw, ph, pw]), strides: ints(m.stride), dilations: ints(m.dilation), group: int(1),
  }, `${path}/Conv`);
});
