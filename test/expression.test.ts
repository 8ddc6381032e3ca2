import { describe, expect, it } from 'vitest';
import { inspect, gradcheck, manualSeed, randn, type Graph, type GraphNodeInfo, type Tensor } from '../src/index.js';
import { buildExpression, ExpressionError, parseExpression, variablesOf, type Expr } from '../src/autograd/expression.js';

/** Fully parenthesized form of a parse tree, to read precedence and associativity off. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number': return String(e.value);
    case 'variable': return e.name;
    case 'negate': return `(-${show(e.arg)})`;
    case 'binary': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'call': return `${e.fn}(${show(e.arg)})`;
  }
}

function parseError(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    return err as ExpressionError;
  }
  throw new Error(`'${source}' parsed without an error`);
}

describe('parseExpression', () => {
  it.each([
    ['a + b * c', '(a + (b * c))'],
    ['a * b + c', '((a * b) + c)'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b * c', '((a / b) * c)'],
    ['a / b / c', '((a / b) / c)'],
    ['(a + b) * c', '((a + b) * c)'],
    ['a ^ b ^ c', '(a ^ (b ^ c))'],
    ['a ** b', '(a ^ b)'],
    ['a * b ^ 2', '(a * (b ^ 2))'],
    ['-x ^ 2', '(-(x ^ 2))'],
    ['(-x) ^ 2', '((-x) ^ 2)'],
    ['2 ^ -x', '(2 ^ (-x))'],
    ['--x', '(-(-x))'],
    ['+x', 'x'],
    ['a - -b', '(a - (-b))'],
    ['-a * b', '((-a) * b)'],
    ['sigmoid(w0*x0 + w1*x1 + w2)', 'sigmoid((((w0 * x0) + (w1 * x1)) + w2))'],
    ['exp(-x) ^ 2', '(exp((-x)) ^ 2)'],
    ['log(sqrt(abs(x)))', 'log(sqrt(abs(x)))'],
    ['1.5e-3 * x + .5 + 2. + 1E2', '((((0.0015 * x) + 0.5) + 2) + 100)'],
    ['  x\t*\ny  ', '(x * y)'],
    ['tanh(x) + relu(y_1)', '(tanh(x) + relu(y_1))'],
  ])('%s → %s', (source, expected) => {
    expect(show(parseExpression(source))).toBe(expected);
  });

  it('records positions of operators and operands', () => {
    const e = parseExpression('x + sigmoid(y)');
    expect(e).toMatchObject({ kind: 'binary', op: '+', pos: 2, left: { kind: 'variable', pos: 0 }, right: { kind: 'call', fn: 'sigmoid', pos: 4 } });
  });

  it('lists variables in order of first appearance, once each', () => {
    expect(variablesOf(parseExpression('(x*y + z)^2 / (1 + exp(-x)) + y'))).toEqual(['x', 'y', 'z']);
    expect(variablesOf(parseExpression('2 * 3'))).toEqual([]);
  });

  it.each([
    ['x*(y+)', "expected a number, a variable, a function or '(', got ')'", 5],
    ['x + ', "expected a number, a variable, a function or '(', got end of expression", 4],
    ['(x + 1', "expected ')' to close the '(' at column 1, got end of expression", 6],
    ['sigmoid(x', "expected ')' to close sigmoid(, got end of expression", 9],
    ['foo(x)', "unknown function 'foo' (functions: sigmoid tanh relu exp log sqrt abs)", 0],
    ['exp x', "expected '(' after exp, got 'x'", 4],
    ['x $ y', "unexpected character '$'", 2],
    ['sigmoid(x, y)', "unexpected character ','", 9],
    ['x y', "unexpected 'y' after a complete expression", 2],
    ['x + 1)', "unexpected ')' after a complete expression", 5],
    ['', 'empty expression', 0],
    ['   ', 'empty expression', 3],
    ['2 * * x', "expected a number, a variable, a function or '(', got '*'", 4],
  ])('%j: %s at offset %d', (source, reason, position) => {
    const err = parseError(source);
    expect(err.reason).toBe(reason);
    expect(err.position).toBe(position);
    expect(err.source).toBe(source);
  });

  it('shows the position with a caret under the expression, in one message', () => {
    const err = parseError('x*(y+)');
    expect(err.message.split('\n')).toEqual([
      "expected a number, a variable, a function or '(', got ')' at column 6",
      '  x*(y+)',
      '       ^',
    ]);
  });
});

// The lecture's logistic regression, hand-computed in float64.
const LECTURE = 'sigmoid(w0*x0 + w1*x1 + w2)';
const W = { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 };
const S = W.w0 * W.x0 + W.w1 * W.x1 + W.w2; // 1
const F = 1 / (1 + Math.exp(-S));
const DS = (1 - F) * F;

function opNodes(graph: Graph): GraphNodeInfo[] {
  return graph.nodes.filter((n) => n.op !== 'input');
}

function backwardGraph(source: string, values: Record<string, number>, fused = false) {
  const built = buildExpression(source, values, { fused });
  built.output.backward();
  return { ...built, graph: inspect(built.output) };
}

describe('buildExpression: the lecture example', () => {
  it('stages σ as the slides do, with the slides\' values and gradients', () => {
    const { graph, output } = backwardGraph(LECTURE, W);
    const ops = opNodes(graph);
    expect(ops.map((n) => n.op)).toEqual(['mul', 'mul', 'add', 'add', 'neg', 'exp', 'add', 'reciprocal']);
    const expectedValues = [-2, 6, 4, 1, -1, Math.exp(-1), 1 + Math.exp(-1), F];
    ops.forEach((n, i) => expect(n.value as number).toBeCloseTo(expectedValues[i], 6));
    // upstream gradients along the staged σ: d(1/u)/du = −1/u², then ×1, ×e^(−s), ×(−1)
    const u = 1 + Math.exp(-1);
    const expectedGrads = [DS, DS, DS, DS, -DS, -1 / (u * u), -1 / (u * u), 1];
    ops.forEach((n, i) => expect(n.grad as number).toBeCloseTo(expectedGrads[i], 6));
    expect(output.item()).toBeCloseTo(F, 6);
    // the slides' rounded numbers
    expect(ops.map((n) => Number((n.value as number).toFixed(2)))).toEqual([-2, 6, 4, 1, -1, 0.37, 1.37, 0.73]);
    const grads = Object.fromEntries(graph.nodes.filter((n) => n.op === 'input' && !n.constant).map((n) => [n.label, Number((n.grad as number).toFixed(2))]));
    expect(grads).toEqual({ w0: -0.2, x0: 0.39, w1: -0.39, x1: -0.59, w2: 0.2 });
  });

  it('has one constant, the 1 of the +1 step', () => {
    const { graph } = backwardGraph(LECTURE, W);
    const constants = graph.nodes.filter((n) => n.constant);
    expect(constants.map((n) => n.value)).toEqual([1]);
  });

  it('fuses σ into one node whose local gradient is (1 − σ)σ', () => {
    const { graph } = backwardGraph(LECTURE, W, true);
    expect(opNodes(graph).map((n) => n.op)).toEqual(['mul', 'mul', 'add', 'add', 'sigmoid']);
    const sigma = graph.output;
    expect(sigma.value as number).toBeCloseTo(F, 6);
    expect(sigma.localGrads![0] as number).toBeCloseTo(DS, 6);
    for (const [name, expected] of Object.entries({ w0: W.x0 * DS, x0: W.w0 * DS, w1: W.x1 * DS, x1: W.w1 * DS, w2: DS })) {
      expect(graph.find(name)[0].grad as number).toBeCloseTo(expected, 6);
    }
  });

  it('gives each variable one named leaf that requires grad', () => {
    const { variables } = buildExpression(LECTURE, W);
    expect([...variables.keys()]).toEqual(['w0', 'x0', 'w1', 'x1', 'w2']);
    for (const [name, t] of variables) {
      expect(t.name).toBe(name);
      expect(t.requiresGrad).toBe(true);
      expect(t.item()).toBe(W[name as keyof typeof W]);
    }
  });
});

describe('buildExpression: other expressions', () => {
  it('(x*y + z)^2 / (1 + exp(-x)) against the hand-derived gradient', () => {
    const [x, y, z] = [1, -2, 3];
    const u = x * y + z;
    const d = 1 + Math.exp(-x);
    const { output, variables } = backwardGraph('(x*y + z)^2 / (1 + exp(-x))', { x, y, z });
    expect(output.item()).toBeCloseTo((u * u) / d, 6);
    expect(variables.get('x')!.grad!.item()).toBeCloseTo((2 * u * y) / d + (u * u * Math.exp(-x)) / (d * d), 5);
    expect(variables.get('y')!.grad!.item()).toBeCloseTo((2 * u * x) / d, 5);
    expect(variables.get('z')!.grad!.item()).toBeCloseTo((2 * u) / d, 5);
  });

  it('adds up the gradients of a variable used several times', () => {
    const { graph, variables } = backwardGraph('x*x + 3*x - x/y', { x: 3, y: 2 });
    expect(variables.get('x')!.grad!.item()).toBeCloseTo(2 * 3 + 3 - 1 / 2, 6);
    expect(variables.get('y')!.grad!.item()).toBeCloseTo(3 / 4, 6);
    const x = graph.find('x')[0];
    expect(graph.edges.filter((e) => e.from === x.id)).toHaveLength(4);
  });

  it('folds parts without variables into one constant', () => {
    const { graph, output } = backwardGraph('2 * 3 * x + exp(0) - 2^3', { x: 1.5 });
    expect(output.item()).toBeCloseTo(6 * 1.5 + 1 - 8, 6);
    expect(graph.nodes.filter((n) => n.constant).map((n) => n.value)).toEqual([6, 1, 8]);
  });

  it('uses powScalar for a number exponent and pow for a variable one', () => {
    const { graph } = backwardGraph('x^2 + 2^x + x^y', { x: 1.5, y: 0.5 });
    expect(opNodes(graph).map((n) => n.op).filter((op) => op.startsWith('pow'))).toEqual(['powScalar', 'pow', 'pow']);
  });

  it.each([
    ['sigmoid(x)', (x: number) => 1 / (1 + Math.exp(-x)), 0.3],
    ['tanh(x)', Math.tanh, 0.3],
    ['relu(x)', (x: number) => Math.max(0, x), -0.3],
    ['relu(x)', (x: number) => Math.max(0, x), 0.3],
    ['exp(x)', Math.exp, 0.3],
    ['log(x)', Math.log, 0.3],
    ['sqrt(x)', Math.sqrt, 0.3],
    ['abs(x)', Math.abs, -0.3],
    ['-x^2', (x: number) => -(x ** 2), 0.3],
    ['1/x - x', (x: number) => 1 / x - x, 0.3],
  ] as const)('%s at %d', (source, f, x) => {
    const { output } = backwardGraph(source, { x });
    expect(output.item()).toBeCloseTo(f(x), 6);
  });

  it('passes gradcheck on tensors of any shape, staged and fused', () => {
    const sources = [
      'sigmoid(w0*x0 + w1*x1 + w2)',
      '(x0*x1 + w0)^2 / (1 + exp(-x0))',
      'tanh(x0 - w1) * relu(x1 + 5) + sqrt(x0*x0 + 1) - log(abs(w0) + 1)',
      '-w2^2 + x0/(abs(x1) + 1) - 2*(w1 - x0)',
    ];
    for (const source of sources) {
      for (const fused of [false, true]) {
        manualSeed(3);
        const names = variablesOf(parseExpression(source));
        const xs = names.map(() => randn([2, 3], { requiresGrad: true }));
        const fn = (...ts: Tensor[]) => buildExpression(source, Object.fromEntries(names.map((n, i) => [n, ts[i]])), { fused }).output;
        expect(gradcheck(fn, xs)).toBe(true);
      }
    }
  });

  it('broadcasts tensor values', () => {
    manualSeed(1);
    const w = randn([3], { requiresGrad: true });
    const { output } = buildExpression('w * x + 1', { w, x: 2 });
    expect(output.shape).toEqual([3]);
    expect(Array.from(output.data)).toEqual(Array.from(w.data).map((v) => Math.fround(Math.fround(v * 2) + 1)));
  });
});

describe('buildExpression: errors', () => {
  it('names the variables without a value, pointing at the first use', () => {
    let caught: unknown;
    try {
      buildExpression('x + y*z', { x: 1 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    expect((caught as ExpressionError).reason).toBe("no value for variables 'y', 'z'");
    expect((caught as ExpressionError).position).toBe(4);
    expect(() => buildExpression('x + y', { x: 1 })).toThrow("no value for variable 'y' at column 5");
  });

  it('refuses values that are not finite numbers', () => {
    expect(() => buildExpression('x + 1', { x: Number.NaN })).toThrow("buildExpression: the value of 'x' must be a finite number or a Tensor, got NaN");
    expect(() => buildExpression('x + 1', { x: '2' as unknown as number })).toThrow("the value of 'x' must be a finite number or a Tensor, got 2");
  });

  it('refuses an expression without variables', () => {
    expect(() => buildExpression('2 * 3', {})).toThrow('buildExpression: the expression has no variables, so there is nothing to differentiate (it equals 6)');
  });

  it('reports syntax errors before looking at values', () => {
    expect(() => buildExpression('x +', {})).toThrow(ExpressionError);
  });
});
