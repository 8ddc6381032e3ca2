/**
 * Embedding: Gather(weight, ids) on axis 0, [...ids, dim]. EmbeddingBag on 2-D ids [N, L] (N bags
 * of L; 1-D ids with offsets are not exportable, the graph has one input): Gather, then ReduceSum
 * (axes as an input) or ReduceMean (axes as an attribute) over axis 1. With paddingIdx the padding
 * ids are left out of the sum and of the mean's count, as nabla and PyTorch do: a 0/1 mask
 * (Equal, Not, Cast) multiplies the rows, and the mean divides by max(count, 1) (a bag of padding
 * only is zeros). Ids are int64: the graph's input when the layer comes first, else a Cast of
 * the float values the previous layer made.
 */
import { Embedding, EmbeddingBag } from '../../../nn/embedding.js';
import { int, ints } from '../graph-builder.js';
import { FLOAT, INT64 } from '../proto.js';
import { registerOnnxExporter, type OnnxExportContext, type OnnxValue } from '../registry.js';

function idsOf(x: OnnxValue, { graph, path }: OnnxExportContext): string {
  return x.int64 ? x.name : graph.node('Cast', [x.name], { to: int(INT64) }, `${path}/Cast`);
}

function gather(m: Embedding | EmbeddingBag, ids: string, { graph, path }: OnnxExportContext): string {
  const weight = graph.initializer(`${path}.weight`, m.weight.data, m.weight.shape);
  return graph.node('Gather', [weight, ids], { axis: int(0) }, `${path}/Gather`);
}

registerOnnxExporter(Embedding, (m, x, ctx) => gather(m, idsOf(x, ctx), ctx));

registerOnnxExporter(EmbeddingBag, (m, x, ctx) => {
  const { graph, path } = ctx;
  if (x.shape.length !== 2) {
    throw new Error(`exportOnnx: module '${path}' (EmbeddingBag) exports with 2-D ids [N, ids per bag] only (1-D ids with offsets are not exportable), got ids of rank ${x.shape.length}`);
  }
  const node = (op: string, inputs: string[], attrs = {}) => graph.node(op, inputs, attrs, `${path}/${op}`);
  const ids = idsOf(x, ctx);
  const rows = gather(m, ids, ctx); // [N, L, dim]
  const bagAxis = () => graph.int64s(`${path}.axes`, [1]);
  if (m.paddingIdx === null) {
    return m.mode === 'mean'
      ? node('ReduceMean', [rows], { axes: ints([1]), keepdims: int(0) })
      : node('ReduceSum', [rows, bagAxis()], { keepdims: int(0) });
  }
  const keep = node('Cast', [node('Not', [node('Equal', [ids, graph.int64s(`${path}.paddingIdx`, [m.paddingIdx])])])], { to: int(FLOAT) }); // [N, L]
  const kept = node('Mul', [rows, node('Unsqueeze', [keep, graph.int64s(`${path}.rowAxis`, [2])])]);
  const sum = node('ReduceSum', [kept, bagAxis()], { keepdims: int(0) }); // [N, dim]
  if (m.mode === 'sum') return sum;
  const count = node('ReduceSum', [keep, bagAxis()], { keepdims: int(1) }); // [N, 1]
  return node('Div', [sum, node('Max', [count, graph.scalar(`${path}.one`, 1)])]);
});
