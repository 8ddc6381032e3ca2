/** Linear: Gemm (transB = 1) on a 2-D input; MatMul with the transposed weight (+ Add) on any other rank. */
import { Linear } from '../../../nn/linear.js';
import { int } from '../graph-builder.js';
import { registerOnnxExporter } from '../registry.js';

registerOnnxExporter(Linear, (m, x, { graph, path }) => {
  const [out, inp] = m.weight.shape;
  const bias = m.bias ? graph.initializer(`${path}.bias`, m.bias.data, [out]) : null;
  if (x.shape.length === 2) {
    const weight = graph.initializer(`${path}.weight`, m.weight.data, [out, inp]);
    return graph.node('Gemm', bias ? [x.name, weight, bias] : [x.name, weight], { transB: int(1) }, `${path}/Gemm`);
  }
  const w = m.weight.data;
  const transposed = new Float32Array(w.length);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) transposed[i * out + o] = w[o * inp + i];
  const product = graph.node('MatMul', [x.name, graph.initializer(`${path}.weightT`, transposed, [inp, out])], {}, `${path}/MatMul`);
  return bias ? graph.node('Add', [product, bias], {}, `${path}/Add`) : product;
});
