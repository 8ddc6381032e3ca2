/**
 * The activations, Softmax/LogSoftmax and Dropout (the identity in eval). Opset 17 has no Gelu:
 * nabla's GELU is the exact (erf) form, x·½(1 + erf(x/√2)), composed from Erf.
 */
import { ELU, GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from '../../../nn/activation-modules.js';
import { Dropout } from '../../../nn/dropout.js';
import { float, int, type OnnxGraphBuilder } from '../graph-builder.js';
import { registerOnnxExporter } from '../registry.js';

registerOnnxExporter(ReLU, (_m, x, { graph, path }) => graph.node('Relu', [x.name], {}, `${path}/Relu`));
registerOnnxExporter(Sigmoid, (_m, x, { graph, path }) => graph.node('Sigmoid', [x.name], {}, `${path}/Sigmoid`));
registerOnnxExporter(Tanh, (_m, x, { graph, path }) => graph.node('Tanh', [x.name], {}, `${path}/Tanh`));
registerOnnxExporter(LeakyReLU, (m, x, { graph, path }) => graph.node('LeakyRelu', [x.name], { alpha: float(m.negativeSlope) }, `${path}/LeakyRelu`));
registerOnnxExporter(ELU, (m, x, { graph, path }) => graph.node('Elu', [x.name], { alpha: float(m.alpha) }, `${path}/Elu`));
registerOnnxExporter(Softmax, (m, x, { graph, path }) => graph.node('Softmax', [x.name], { axis: int(m.axis) }, `${path}/Softmax`));
registerOnnxExporter(LogSoftmax, (m, x, { graph, path }) => graph.node('LogSoftmax', [x.name], { axis: int(m.axis) }, `${path}/LogSoftmax`));
registerOnnxExporter(Dropout, (_m, x) => x.name);

/** x·½(1 + erf(x/√2)) of the value `x`, nodes named under `path` (also the Transformer layers' activation). */
export function geluNodes(graph: OnnxGraphBuilder, path: string, x: string): string {
  const node = (op: string, inputs: string[]) => graph.node(op, inputs, {}, `${path}/${op}`);
  const erf = node('Erf', [node('Mul', [x, graph.scalar(`${path}.sqrt1_2`, Math.SQRT1_2)])]);
  const phi = node('Mul', [node('Add', [erf, graph.scalar(`${path}.one`, 1)]), graph.scalar(`${path}.half`, 0.5)]);
  return node('Mul', [x, phi]);
}

registerOnnxExporter(GELU, (_m, x, { graph, path }) => geluNodes(graph, path, x.name));
