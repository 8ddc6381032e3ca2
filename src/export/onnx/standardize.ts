/**
 * The preprocessing inside the graph: (raw − mean)/std as Sub and Div with constants shaped to
 * broadcast over one sample's first dimension ([1, C, 1, 1] for an image's channels, [1, F] for
 * a vector's features, a scalar for one value); a step that changes nothing (mean 0, std 1) is left out.
 */
import type { Preprocess } from '../../serialize/preprocess.js';
import type { OnnxGraphBuilder } from './graph-builder.js';

function constant(graph: OnnxGraphBuilder, name: string, values: number[], inputShape: number[]): string {
  if (values.length === 1) return graph.scalar(name, values[0]);
  return graph.initializer(name, values, [1, values.length, ...inputShape.slice(1).map(() => 1)]);
}

/** Appends the standardization of `input`; returns the name of the model's input. */
export function standardizeInGraph(graph: OnnxGraphBuilder, input: string, p: Preprocess): string {
  let x = input;
  if (p.mean.some((m) => m !== 0)) x = graph.node('Sub', [x, constant(graph, 'preprocess.mean', p.mean, p.inputShape)], {}, 'preprocess/Sub');
  if (p.std.some((s) => s !== 1)) x = graph.node('Div', [x, constant(graph, 'preprocess.std', p.std, p.inputShape)], {}, 'preprocess/Div');
  return x;
}
