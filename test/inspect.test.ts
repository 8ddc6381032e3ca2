import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { customOp, inspect, matmul, tensor, type Graph, type GraphNodeInfo, type Tensor } from '../src/index.js';
import { expectClose } from './helpers.js';

/**
 * The lecture's logistic regression f = σ(w0·x0 + w1·x1 + w2) at w = (2, −3, −3), x = (−1, −2).
 * Reference numbers by hand in float64: s = 2·(−1) + (−3)·(−2) − 3 = 1, f = 1/(1 + e⁻¹),
 * df/ds = (1 − f)f, and each input's gradient is df/ds times its partner in the product.
 */
const S = 1;
const F = 1 / (1 + Math.exp(-S));
const DS = (1 - F) * F;
const EXPECTED_GRADS = { w0: -1 * DS, x0: 2 * DS, w1: -2 * DS, x1: -3 * DS, w2: DS };
// The slides' rounded numbers.
const LECTURE_GRADS = { w0: -0.2, x0: 0.39, w1: -0.39, x1: -0.59, w2: 0.2 };

function leaves() {
  return {
    w0: tensor(2, { requiresGrad: true, name: 'w0' }),
    x0: tensor(-1, { requiresGrad: true, name: 'x0' }),
    w1: tensor(-3, { requiresGrad: true, name: 'w1' }),
    x1: tensor(-2, { requiresGrad: true, name: 'x1' }),
    w2: tensor(-3, { requiresGrad: true, name: 'w2' }),
  };
}

type Leaves = ReturnType<typeof leaves>;

function linear({ w0, x0, w1, x1, w2 }: Leaves): Tensor {
  return w0.mul(x0).add(w1.mul(x1)).add(w2);
}

/** σ as the slides stage it: ×(−1), exp, +1, 1/x. */
function stagedSigmoid(s: Tensor): Tensor {
  return s.neg().exp().add(1).reciprocal();
}

const userSigmoid = customOp({
  name: 'userSigmoid',
  forward(ctx, x) {
    const y = x.neg().exp().add(1).reciprocal();
    ctx.save(y);
    return y;
  },
  backward(ctx, g) {
    const [y] = ctx.saved;
    return [g.mul(y.neg().add(1).mul(y))];
  },
});

function only(graph: Graph, label: string): GraphNodeInfo {
  const found = graph.find(label);
  expect(found).toHaveLength(1);
  return found[0];
}

function expectLeafGrads(graph: Graph, l: Leaves): void {
  for (const [name, expected] of Object.entries(EXPECTED_GRADS)) {
    const node = only(graph, name);
    expect(node.op).toBe('input');
    expect(node.grad as number).toBeCloseTo(expected, 6);
    expect(node.grad as number).toBeCloseTo(LECTURE_GRADS[name as keyof Leaves], 2);
    // the graph reports what the engine accumulated into the leaf
    expect(node.grad).toBeCloseTo(l[name as keyof Leaves].grad!.item(), 7);
  }
}

/** Checks one op node: value, upstream gradient, and per input: local gradient and local × upstream = downstream. */
function expectNode(graph: Graph, node: GraphNodeInfo, value: number, upstream: number, locals: (number | null)[]): void {
  expect(node.value as number).toBeCloseTo(value, 5);
  expect(node.grad as number).toBeCloseTo(upstream, 5);
  expect(node.localGrads).toHaveLength(locals.length);
  const edges = graph.edgesInto(node.id);
  expect(edges.map((e) => e.from)).toEqual(node.inputs);
  locals.forEach((local, k) => {
    if (local === null) {
      expect(node.localGrads![k]).toBeNull();
      expect(edges[k].grad).toBeNull();
      return;
    }
    expect(node.localGrads![k] as number).toBeCloseTo(local, 5);
    expect(edges[k].localGrad as number).toBeCloseTo(local, 5);
    expect(edges[k].grad as number).toBeCloseTo(local * upstream, 5);
  });
}

describe('inspect: the lecture example, staged as on the slides', () => {
  const l = leaves();
  const f = stagedSigmoid(linear(l));
  f.backward();
  const graph = inspect(f);

  it('has the slides’ nodes in topological order, inputs before the ops that use them', () => {
    const ops = graph.nodes.filter((n) => n.op !== 'input').map((n) => n.op);
    expect(ops).toEqual(['mul', 'mul', 'add', 'add', 'neg', 'exp', 'add', 'reciprocal']);
    expect(graph.output.op).toBe('reciprocal');
    for (const n of graph.nodes) for (const i of n.inputs) expect(i).toBeLessThan(n.id);
    const values = graph.nodes.filter((n) => n.op !== 'input').map((n) => n.value as number);
    const slides = [-2, 6, 4, 1, -1, 0.37, 1.37, 0.73];
    values.forEach((v, i) => expect(v).toBeCloseTo(slides[i], 2));
    expect(f.item()).toBeCloseTo(F, 6);
  });

  it('gives every input the lecture’s gradient', () => {
    expectLeafGrads(graph, l);
  });

  it('shows each node’s upstream gradient and its local gradient per input', () => {
    const [mul0, mul1] = graph.byOp('mul');
    const [add0, add1, addOne] = graph.byOp('add');
    const [neg] = graph.byOp('neg');
    const [exp] = graph.byOp('exp');
    const [rec] = graph.byOp('reciprocal');
    const e = Math.exp(-1);
    // 1/x: upstream 1 (the seed), local −1/x² = −0.53
    expectNode(graph, rec, F, 1, [-1 / (1 + e) ** 2]);
    expect(rec.localGrads![0] as number).toBeCloseTo(-0.53, 2);
    // +1: local 1 for x, no gradient for the constant
    expectNode(graph, addOne, 1 + e, -1 / (1 + e) ** 2, [1, null]);
    // exp: local eˣ = 0.37, upstream −0.53, downstream −0.20
    expectNode(graph, exp, e, -1 / (1 + e) ** 2, [e]);
    expect(exp.localGrads![0] as number).toBeCloseTo(0.37, 2);
    expect(exp.grad as number).toBeCloseTo(-0.53, 2);
    expect(graph.edgesInto(exp.id)[0].grad as number).toBeCloseTo(-0.2, 2);
    // ×(−1): local −1
    expectNode(graph, neg, -1, -DS, [-1]);
    // the two adds pass the gradient through
    expectNode(graph, add1, 1, DS, [1, 1]);
    expectNode(graph, add0, 4, DS, [1, 1]);
    // the products swap their inputs' values
    expectNode(graph, mul0, -2, DS, [-1, 2]);
    expectNode(graph, mul1, 6, DS, [-2, -3]);
  });

  it('shows the constant the op made of the number 1 by its value', () => {
    const addOne = graph.byOp('add')[2];
    const constant = graph.nodes[addOne.inputs[1]];
    expect(constant).toMatchObject({ op: 'input', constant: true, requiresGrad: false, label: '1', value: 1, grad: null, shape: [] });
  });

  it('exports JSON that round-trips through stringify/parse with the same numbers', () => {
    const json = JSON.parse(JSON.stringify(graph));
    expect(json).toEqual(graph.toJSON());
    expect(json.output).toBe(graph.output.id);
    expect(json.nodes).toHaveLength(graph.nodes.length);
    expect(json.edges).toHaveLength(graph.edges.length);
    const byName = (name: string) => json.nodes.find((n: GraphNodeInfo) => n.name === name);
    expect(byName('w0').grad).toBeCloseTo(-0.2, 2);
    expect(byName('x1').grad).toBeCloseTo(-0.59, 2);
    const rec = json.nodes[json.output];
    expect(rec.value).toBeCloseTo(0.73, 2);
    expect(rec.localGrads[0]).toBeCloseTo(-0.53, 2);
    const exp = json.nodes.find((n: GraphNodeInfo) => n.op === 'exp');
    expect(exp.value).toBeCloseTo(0.37, 2);
    expect(exp.localGrads[0]).toBeCloseTo(0.37, 2);
    expect(exp.grad).toBeCloseTo(-0.53, 2);
  });

  it('exports DOT with every node and edge and their labels', () => {
    const dot = graph.toDot({ digits: 2 });
    expect(dot.startsWith('digraph nabla {\n')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    const nodeLines = [...dot.matchAll(/^ {2}n(\d+) \[shape=(\w+), label="((?:[^"\\]|\\.)*)"\];$/gm)];
    expect(nodeLines.map((m) => Number(m[1]))).toEqual(graph.nodes.map((n) => n.id));
    const label = (id: number) => nodeLines[id][3];
    expect(label(only(graph, 'w0').id)).toBe('w0\\nvalue 2.00\\ngrad -0.20');
    expect(label(graph.byOp('exp')[0].id)).toBe('exp\\nvalue 0.37\\ngrad -0.53');
    expect(label(graph.output.id)).toBe('reciprocal\\nvalue 0.73\\ngrad 1.00');
    const constantId = graph.byOp('add')[2].inputs[1];
    expect(nodeLines[constantId][2]).toBe('plaintext');
    expect(label(constantId)).toBe('1');

    const edgeLines = [...dot.matchAll(/^ {2}n(\d+) -> n(\d+)(?: \[label="([^"]*)"\])?;$/gm)];
    expect(edgeLines.map((m) => [Number(m[1]), Number(m[2])])).toEqual(graph.edges.map((e) => [e.from, e.to]));
    const edgeLabel = (from: number, to: number) => edgeLines.find((m) => Number(m[1]) === from && Number(m[2]) === to)![3];
    const exp = graph.byOp('exp')[0];
    expect(edgeLabel(exp.inputs[0], exp.id)).toBe('-0.20');
    const mul1 = graph.byOp('mul')[1];
    expect(edgeLabel(only(graph, 'x1').id, mul1.id)).toBe('-0.59');
    expect(edgeLabel(constantId, graph.byOp('add')[2].id)).toBeUndefined();
    // node lines + edge lines + 4 header lines + the closing brace: nothing else
    expect(dot.trimEnd().split('\n')).toHaveLength(nodeLines.length + edgeLines.length + 5);
  });

  it('renders a text table: one line per node with value, upstream and local × upstream = downstream', () => {
    const text = graph.toText();
    const lines = text.split('\n');
    expect(lines).toHaveLength(graph.nodes.length + 1);
    const line = (n: GraphNodeInfo) => lines[n.id + 1];
    expect(line(graph.byOp('exp')[0])).toMatch(/^exp#\d+ +exp\(neg#\d+\) +0\.3679 +-0\.5344 +neg#\d+: 0\.3679 × -0\.5344 = -0\.1966$/);
    expect(line(graph.byOp('mul')[0])).toMatch(/mul\(w0, x0\) +-2\.0000 +0\.1966 +w0: -1\.0000 × 0\.1966 = -0\.1966 +x0: 2\.0000 × 0\.1966 = 0\.3932$/);
    expect(line(only(graph, 'x1'))).toMatch(/^x1 +input +-2\.0000 +-0\.5898$/);
    expect(line(graph.output)).toMatch(/reciprocal\(add#\d+\) +0\.7311 +1\.0000 +add#\d+: -0\.5344 × 1\.0000 = -0\.5344$/);
    expect(graph.toText({ digits: 2 }).split('\n')[graph.output.id + 1]).toMatch(/0\.73 +1\.00 +add#\d+: -0\.53 × 1\.00 = -0\.53$/);
  });
});

describe('inspect: σ as one module with local gradient (1 − σ)σ', () => {
  for (const [kind, sigma] of [
    ['built-in sigmoid', (s: Tensor) => s.sigmoid()],
    ['customOp', (s: Tensor) => userSigmoid(s)],
  ] as const) {
    it(kind, () => {
      const l = leaves();
      const f = sigma(linear(l));
      f.backward();
      const graph = inspect(f);
      const ops = graph.nodes.filter((n) => n.op !== 'input').map((n) => n.op);
      const name = kind === 'customOp' ? 'userSigmoid' : 'sigmoid';
      expect(ops).toEqual(['mul', 'mul', 'add', 'add', name]);
      expect(graph.nodes).toHaveLength(10);
      const sig = graph.output;
      expectNode(graph, sig, F, 1, [DS]);
      expect(sig.value as number).toBeCloseTo(0.73, 2);
      expect(sig.localGrads![0] as number).toBeCloseTo(0.2, 2);
      expectLeafGrads(graph, l);
      expect(graph.toText({ digits: 2 }).split('\n')[sig.id + 1]).toMatch(new RegExp(`^${name}#9 +${name}\\(add#8\\) +0\\.73 +1\\.00 +add#8: 0\\.20 × 1\\.00 = 0\\.20$`));
    });
  }
});

describe('inspect: general graphs', () => {
  it('before backward: values and local gradients, no gradients yet', () => {
    const x = tensor(3, { requiresGrad: true, name: 'x' });
    const y = x.mul(x);
    const graph = inspect(y);
    expect(graph.nodes).toHaveLength(2);
    expect(graph.output).toMatchObject({ op: 'mul', value: 9, grad: null, localGrads: [3, 3] });
    expect(graph.edges).toEqual([
      { from: 0, to: 1, index: 0, grad: null, localGrad: 3 },
      { from: 0, to: 1, index: 1, grad: null, localGrad: 3 },
    ]);
    expect(only(graph, 'x').grad).toBeNull();
    expect(graph.toDot()).toContain('  n0 -> n1;\n');
  });

  it('a tensor used twice has one node, two edges, and the sum of both as its gradient', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true, name: 'x' });
    const y = x.mul(x).add(x).sum();
    y.backward();
    const graph = inspect(y);
    const xNode = only(graph, 'x');
    const uses = graph.edges.filter((e) => e.from === xNode.id);
    expect(uses).toHaveLength(3);
    expect(uses.map((e) => e.grad)).toEqual([[1, 2, 3], [1, 2, 3], [1, 1, 1]]);
    expect(xNode.grad).toEqual([3, 5, 7]); // 2x + 1
    expect(graph.output.localGrads).toEqual([[1, 1, 1]]);
    expect(graph.nodes.find((n) => n.op === 'mul')!.localGrads).toBeUndefined();
  });

  it('matrix graphs: shapes, values and gradients as nested arrays; non-scalar nodes have no local gradient', () => {
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true, name: 'a' });
    const b = tensor([[1], [-1]], { name: 'b' });
    const y = matmul(a, b).sum();
    y.backward();
    const graph = inspect(y);
    const mm = graph.byOp('matmul')[0];
    expect(mm).toMatchObject({ shape: [2, 1], value: [[-1], [-1]], grad: [[1], [1]] });
    expect(mm.localGrads).toBeUndefined();
    expect(only(graph, 'a').grad).toEqual([[1, -1], [1, -1]]);
    expect(only(graph, 'b')).toMatchObject({ requiresGrad: false, constant: false, grad: null });
    expect(graph.edgesInto(mm.id).map((e) => e.grad)).toEqual([[[1, -1], [1, -1]], null]);
    expectClose(a.grad!.data, [1, -1, 1, -1]);
    expect(graph.toText()).toMatch(/^a +input +\[\[1\.0000, 2\.0000\], \[3\.0000, 4\.0000\]\]/m);
    expect(inspect(tensor([[1, -2, 3], [4, 5, 6]]).mul(2)).toText()).toContain('[2×3: -4.0000 … 12.0000]');
  });

  it('reports this graph’s gradients even when leaf.grad accumulated over several backward calls', () => {
    const x = tensor(2, { requiresGrad: true, name: 'x' });
    x.mul(5).backward();
    const y = x.mul(3);
    y.backward();
    expect(x.grad!.item()).toBe(8);
    expect(only(inspect(y), 'x').grad).toBe(3);
  });

  it('records op constants and a leaf output', () => {
    const x = tensor([1, 2, 3, 4], { requiresGrad: true });
    const graph = inspect(x.reshape([2, 2]));
    expect(graph.output.attrs).toEqual({ shape: [2, 2] });
    expect(graph.nodes[0].label).toBe('input#0');
    expect(graph.toText()).toContain('reshape(input#0) shape=[2,2]');
    const leaf = inspect(x);
    expect(leaf.nodes).toHaveLength(1);
    expect(leaf.edges).toHaveLength(0);
  });

  it('escapes quotes and backslashes in DOT labels', () => {
    const x = tensor(1, { requiresGrad: true, name: 'say "hi"\\' });
    const dot = inspect(x.mul(2)).toDot();
    expect(dot).toContain('label="say \\"hi\\"\\\\\\nvalue 1.0000"');
  });

  it('rejects what is not a tensor', () => {
    expect(() => inspect([1, 2] as unknown as Tensor)).toThrow('inspect: expected a Tensor, got object');
  });
});

describe('examples/logistic-regression.ts (npm start)', () => {
  it('prints f = 0.73, the five gradients, and both graphs', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const out = execFileSync('npx', ['tsx', 'examples/logistic-regression.ts'], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/^f = σ\(w0·x0 \+ w1·x1 \+ w2\) = 0\.73$/m);
    for (const [name, grad] of Object.entries(LECTURE_GRADS)) {
      expect(out).toMatch(new RegExp(`^ +df/d${name} = ${grad.toFixed(2)}$`, 'm'));
    }
    expect(out).toMatch(/^exp#10 +exp\(neg#9\) +0\.37 +-0\.53 +neg#9: 0\.37 × -0\.53 = -0\.20$/m);
    expect(out).toMatch(/^sigmoid#9 +sigmoid\(add#8\) +0\.73 +1\.00 +add#8: 0\.20 × 1\.00 = 0\.20$/m);
  });
});
