/**
 * The character language models (src/text/char-rnn.ts, char-gpt.ts) on int64 ids [N, T] → logits [N, T, V].
 *
 * CharRNN: Gather, Transpose to [T, N, W] (ONNX's recurrent ops are time-major), one ONNX LSTM/GRU/RNN op
 * per layer (Y [T, 1, N, H], Squeezed), Transpose back, the Linear. PyTorch's gate blocks are reordered to
 * ONNX's: LSTM i, f, g, o → i, o, f, c; GRU r, z, n → z, r, h with linear_before_reset = 1 (PyTorch applies
 * the reset gate to W_hn·h + b_hn); B is [W-bias, R-bias]. Dropout between layers is off in eval.
 *
 * CharGPT: Gather + the first T rows of the position table, each TransformerEncoderLayer composed from
 * MatMul/Add/Reshape/Transpose/Softmax (q, k, v from the in-projection's three row blocks; scores scaled by
 * 1/√headDim plus the causal mask, a [context, context] constant with −∞ above the diagonal), LayerNormalization,
 * the erf GELU, then the final LayerNorm and head. The sequence length T is the input's (any T ≤ context: the
 * position rows and the mask are Sliced to Shape(input)[1]); exportOnnx declares it symbolic for character models.
 */
import { CharRNN } from '../../../text/char-rnn.js';
import { CharGPT } from '../../../text/char-gpt.js';
import { LSTM } from '../../../nn/lstm.js';
import { GRU } from '../../../nn/gru.js';
import type { TransformerEncoderLayer } from '../../../nn/transformer-encoder.js';
import type { Tensor } from '../../../tensor.js';
import { int, ints } from '../graph-builder.js';
import { registerOnnxExporter, type OnnxExportContext, type OnnxValue } from '../registry.js';
import { geluNodes } from './activations.js';

/** A weight [gates·H, ...] with its gate blocks (rows of H) in `order` (indices into PyTorch's blocks). */
function reorderGates(t: Tensor, gates: number, order: number[]): Float32Array {
  const block = t.data.length / gates;
  const out = new Float32Array(t.data.length);
  order.forEach((from, to) => out.set(t.data.subarray(from * block, (from + 1) * block), to * block));
  return out;
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

registerOnnxExporter(CharRNN, (m, x, ctx) => {
  const { graph, path } = ctx;
  const node = (op: string, inputs: string[], attrs = {}, hint = op) => graph.node(op, inputs, attrs, `${path}/${hint}`);
  const rnn = m.rnn;
  const [op, gates, order]: [string, number, number[]] = rnn instanceof LSTM ? ['LSTM', 4, [0, 3, 1, 2]]
    : rnn instanceof GRU ? ['GRU', 3, [1, 0, 2]] : ['RNN', 1, [0]]; // CharRNN's RNN is tanh, ONNX RNN's default
  const H = rnn.hiddenSize;
  const params = Object.fromEntries(rnn.namedParameters());
  const embedded = ctx.exportChild('embedding', m.embedding, x); // [N, T, W]
  const [n, steps] = embedded.shape;
  let h = node('Transpose', [embedded.name], { perm: ints([1, 0, 2]) }); // [T, N, W]
  const at = join(path, 'rnn');
  for (let l = 0; l < rnn.numLayers; l++) {
    const w = params[`weightIhL${l}`];
    const r = params[`weightHhL${l}`];
    const inputs = [
      h,
      graph.initializer(`${at}.weight_ih_l${l}`, reorderGates(w, gates, order), [1, ...w.shape]),
      graph.initializer(`${at}.weight_hh_l${l}`, reorderGates(r, gates, order), [1, ...r.shape]),
    ];
    if (rnn.bias) {
      const bias = new Float32Array(2 * gates * H);
      bias.set(reorderGates(params[`biasIhL${l}`], gates, order));
      bias.set(reorderGates(params[`biasHhL${l}`], gates, order), gates * H);
      inputs.push(graph.initializer(`${at}.bias_l${l}`, bias, [1, 2 * gates * H]));
    }
    const attrs = { hidden_size: int(H), ...(op === 'GRU' ? { linear_before_reset: int(1) } : {}) };
    const y = graph.node(op, inputs, attrs, `${at}/${op}_l${l}`); // [T, 1, N, H]
    h = graph.node('Squeeze', [y, graph.int64s(`${at}.directionAxis`, [1])], {}, `${at}/Squeeze_l${l}`);
  }
  const out = node('Transpose', [h], { perm: ints([1, 0, 2]) }); // [N, T, H]
  return ctx.exportChild('fc', m.fc, { name: out, shape: [n, steps, H] });
});

/** Self-attention of x [N, T, W] under the additive mask `mask` [T, T]: the selfAttn of the layer at `path` (relative to ctx's module). */
function selfAttention(layer: TransformerEncoderLayer, x: OnnxValue, mask: string, path: string, ctx: OnnxExportContext): OnnxValue {
  const { graph } = ctx;
  const mha = layer.selfAttn;
  const relative = join(path, 'selfAttn');
  const at = join(ctx.path, relative);
  const node = (op: string, inputs: string[], attrs = {}) => graph.node(op, inputs, attrs, `${at}/${op}`);
  const [W, H, D] = [mha.embedDim, mha.numHeads, mha.headDim];
  const heads = graph.int64s(`${at}.headShape`, [0, 0, H, D]);
  const project = (k: number, perm: number[]) => {
    const w = mha.inProjWeight.data.subarray(k * W * W, (k + 1) * W * W);
    const transposed = new Float32Array(W * W);
    for (let o = 0; o < W; o++) for (let i = 0; i < W; i++) transposed[i * W + o] = w[o * W + i];
    let y = node('MatMul', [x.name, graph.initializer(`${at}.inProjWeightT${k}`, transposed, [W, W])]);
    if (mha.inProjBias) y = node('Add', [y, graph.initializer(`${at}.inProjBias${k}`, mha.inProjBias.data.subarray(k * W, (k + 1) * W), [W])]);
    return node('Transpose', [node('Reshape', [y, heads])], { perm: ints(perm) });
  };
  const q = project(0, [0, 2, 1, 3]); // [N, H, T, D]
  const kT = project(1, [0, 2, 3, 1]); // [N, H, D, T]
  const v = project(2, [0, 2, 1, 3]); // [N, H, T, D]
  const scores = node('Add', [node('Mul', [node('MatMul', [q, kT]), graph.scalar(`${at}.scale`, 1 / Math.sqrt(D))]), mask]);
  const weighted = node('MatMul', [node('Softmax', [scores], { axis: int(-1) }), v]); // [N, H, T, D]
  const merged = node('Reshape', [node('Transpose', [weighted], { perm: ints([0, 2, 1, 3]) }), graph.int64s(`${at}.mergedShape`, [0, 0, W])]);
  return ctx.exportChild(`${relative}.outProj`, mha.outProj, { name: merged, shape: x.shape });
}

registerOnnxExporter(CharGPT, (m, x, ctx) => {
  const { graph, path } = ctx;
  const W = m.width;
  const C = m.context;
  const add = (a: OnnxValue, b: OnnxValue, hint: string): OnnxValue => ({ name: graph.node('Add', [a.name, b.name], {}, `${hint}/Add`), shape: a.shape });
  const tokens = ctx.exportChild('tokenEmbedding', m.tokenEmbedding, x); // [N, T, W]
  const node = (op: string, inputs: string[], attrs = {}) => graph.node(op, inputs, attrs, `${path}/${op}`);
  const steps = node('Shape', [x.name], { start: int(1), end: int(2) }); // [T]
  const zeros = graph.int64s(`${join(path, 'zeros')}`, [0, 0]);
  const table = graph.initializer(`${join(path, 'positionEmbedding')}.weight`, m.positionEmbedding.weight.data, [C, W]);
  const positions = node('Slice', [table, graph.int64s(`${join(path, 'zero')}`, [0]), steps]); // [T, W]
  let h: OnnxValue = { name: node('Add', [tokens.name, positions]), shape: tokens.shape };
  const causal = new Float32Array(C * C);
  for (let i = 0; i < C; i++) for (let j = i + 1; j < C; j++) causal[i * C + j] = -Infinity;
  const fullMask = graph.initializer(`${join(path, 'causalMask')}`, causal, [C, C]);
  const mask = node('Slice', [fullMask, zeros, node('Concat', [steps, steps], { axis: int(0) })]); // [T, T]
  // CharGPT's layers are pre-norm with GELU (its constructor builds them so): x + attention(norm1(x)), then
  // x + linear2(gelu(linear1(norm2(x)))); dropout is off in eval.
  m.encoder.layers.children().forEach((module, i) => {
    const layer = module as TransformerEncoderLayer;
    const at = `encoder.layers.${i}`;
    const full = join(path, at);
    h = add(h, selfAttention(layer, ctx.exportChild(`${at}.norm1`, layer.norm1, h), mask, at, ctx), `${full}/attention`);
    const hidden = ctx.exportChild(`${at}.linear1`, layer.linear1, ctx.exportChild(`${at}.norm2`, layer.norm2, h));
    const activated = { name: geluNodes(graph, join(full, 'gelu'), hidden.name), shape: hidden.shape };
    h = add(h, ctx.exportChild(`${at}.linear2`, layer.linear2, activated), `${full}/feedForward`);
  });
  return ctx.exportChild('head', m.head, ctx.exportChild('norm', m.norm, h));
});
