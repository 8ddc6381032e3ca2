/**
 * Arithmetic expressions such as `sigmoid(w0*x0 + w1*x1 + w2)` or `(x*y + z)^2 / (1 + exp(-x))`,
 * parsed and then built into a computational graph from nabla's own ops, with every variable a
 * named leaf that requires grad — ready for backward() and inspect().
 *
 * Grammar (usual precedence; `^` binds tighter than unary minus and associates to the right,
 * so -x^2 = -(x^2) and a^b^c = a^(b^c)):
 *   sum     = product (('+' | '-') product)*
 *   product = unary (('*' | '/') unary)*
 *   unary   = ('-' | '+') unary | power
 *   power   = primary (('^' | '**') unary)?
 *   primary = number | variable | function '(' sum ')' | '(' sum ')'
 */
import { Tensor } from '../tensor.js';
import { tensor } from '../creation.js';
import { add, sub, mul, div, pow, neg, exp, log, sqrt, abs, reciprocal, sigmoid, tanh, relu } from '../ops/index.js';

export const FUNCTIONS = ['sigmoid', 'tanh', 'relu', 'exp', 'log', 'sqrt', 'abs'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];
export type BinaryOperator = '+' | '-' | '*' | '/' | '^';

/** A parsed expression; `pos` is the 0-based offset of the node's first (or operator) character. */
export type Expr =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'variable'; name: string; pos: number }
  | { kind: 'negate'; arg: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr; pos: number }
  | { kind: 'call'; fn: FunctionName; arg: Expr; pos: number };

/** A syntax error (or a problem with a variable) at a position of the source, shown with a caret. */
export class ExpressionError extends Error {
  constructor(readonly reason: string, readonly source: string, readonly position: number) {
    super(`${reason} at column ${position + 1}\n  ${source}\n  ${' '.repeat(position)}^`);
    this.name = 'ExpressionError';
  }
}

type Token =
  | { kind: 'number'; value: number; pos: number; text: string }
  | { kind: 'name'; text: string; pos: number }
  | { kind: 'symbol'; text: string; pos: number }
  | { kind: 'end'; pos: number; text: '' };

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), pos: i, text: number[0] });
      i += number[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    if (rest.startsWith('**')) {
      tokens.push({ kind: 'symbol', text: '^', pos: i });
      i += 2;
      continue;
    }
    if ('+-*/^()'.includes(rest[0])) {
      tokens.push({ kind: 'symbol', text: rest[0], pos: i });
      i += 1;
      continue;
    }
    throw new ExpressionError(`unexpected character '${rest[0]}'`, source, i);
  }
  tokens.push({ kind: 'end', pos: source.length, text: '' });
  return tokens;
}

function isFunction(name: string): name is FunctionName {
  return (FUNCTIONS as readonly string[]).includes(name);
}

/** Parses `source`; throws an ExpressionError pointing at the first problem. */
export function parseExpression(source: string): Expr {
  if (typeof source !== 'string') throw new Error(`parseExpression: expected a string, got ${typeof source}`);
  const tokens = tokenize(source);
  let k = 0;
  const peek = () => tokens[k];
  const isSymbol = (text: string) => peek().kind === 'symbol' && peek().text === text;
  const fail = (reason: string, pos = peek().pos): never => {
    throw new ExpressionError(reason, source, pos);
  };
  const describe = (t: Token) => (t.kind === 'end' ? 'end of expression' : `'${t.text}'`);

  function sum(): Expr {
    let left = product();
    while (isSymbol('+') || isSymbol('-')) {
      const { text, pos } = tokens[k++];
      left = { kind: 'binary', op: text as BinaryOperator, left, right: product(), pos };
    }
    return left;
  }

  function product(): Expr {
    let left = unary();
    while (isSymbol('*') || isSymbol('/')) {
      const { text, pos } = tokens[k++];
      left = { kind: 'binary', op: text as BinaryOperator, left, right: unary(), pos };
    }
    return left;
  }

  function unary(): Expr {
    if (isSymbol('-')) {
      const { pos } = tokens[k++];
      return { kind: 'negate', arg: unary(), pos };
    }
    if (isSymbol('+')) {
      k++;
      return unary();
    }
    return power();
  }

  function power(): Expr {
    const base = primary();
    if (!isSymbol('^')) return base;
    const { pos } = tokens[k++];
    return { kind: 'binary', op: '^', left: base, right: unary(), pos };
  }

  function primary(): Expr {
    const t = peek();
    if (t.kind === 'number') {
      k++;
      return { kind: 'number', value: t.value, pos: t.pos };
    }
    if (t.kind === 'name') {
      k++;
      if (!isFunction(t.text)) {
        if (isSymbol('(')) fail(`unknown function '${t.text}' (functions: ${FUNCTIONS.join(' ')})`, t.pos);
        return { kind: 'variable', name: t.text, pos: t.pos };
      }
      if (!isSymbol('(')) fail(`expected '(' after ${t.text}, got ${describe(peek())}`);
      k++;
      const arg = sum();
      if (!isSymbol(')')) fail(`expected ')' to close ${t.text}(, got ${describe(peek())}`);
      k++;
      return { kind: 'call', fn: t.text, arg, pos: t.pos };
    }
    if (isSymbol('(')) {
      k++;
      const inner = sum();
      if (!isSymbol(')')) fail(`expected ')' to close the '(' at column ${t.pos + 1}, got ${describe(peek())}`);
      k++;
      return inner;
    }
    return fail(`expected a number, a variable, a function or '(', got ${describe(t)}`);
  }

  if (peek().kind === 'end') fail('empty expression');
  const expr = sum();
  if (peek().kind !== 'end') fail(`unexpected ${describe(peek())} after a complete expression`);
  return expr;
}

/** The variables of an expression, in order of first appearance. */
export function variablesOf(expr: Expr): string[] {
  const names: string[] = [];
  const visit = (e: Expr): void => {
    if (e.kind === 'variable' && !names.includes(e.name)) names.push(e.name);
    else if (e.kind === 'negate' || e.kind === 'call') visit(e.arg);
    else if (e.kind === 'binary') {
      visit(e.left);
      visit(e.right);
    }
  };
  visit(expr);
  return names;
}

export interface ExpressionOptions {
  /**
   * σ as one fused op whose local gradient is (1 − σ)σ. Off by default: σ is staged the way the
   * lecture's slides draw it, ×(−1) → exp → +1 → 1/x, each step a node with its own gradient.
   */
  fused?: boolean;
}

export interface ExpressionGraph {
  expr: Expr;
  /** The expression's value, the end of the graph (call backward() on it). */
  output: Tensor;
  /** The tensor of each variable, in order of first appearance. */
  variables: Map<string, Tensor>;
}

const NUMBER_FUNCTIONS: Record<FunctionName, (x: number) => number> = {
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  relu: (x) => Math.max(0, x),
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

const TENSOR_FUNCTIONS: Record<Exclude<FunctionName, 'sigmoid'>, (x: Tensor) => Tensor> = { tanh, relu, exp, log, sqrt, abs };

function binaryNumbers(op: BinaryOperator, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '^': return a ** b;
  }
}

function binaryTensors(op: BinaryOperator, a: Tensor | number, b: Tensor | number): Tensor {
  switch (op) {
    case '+': return add(a, b);
    case '-': return sub(a, b);
    case '*': return mul(a, b);
    case '/': return div(a, b);
    case '^': return pow(a, b);
  }
}

/**
 * Builds the graph of `source` (text or a parsed Expr) with each variable bound to a value: a
 * number becomes a named 0-d leaf that requires grad; a Tensor is used as it is (any shape, the
 * ops broadcast; name it and set requiresGrad yourself). Parts without variables are folded to
 * one constant (`2*3` is the constant 6), so every op node depends on a variable. Throws an
 * ExpressionError naming the variables without a value.
 */
export function buildExpression(
  source: string | Expr, values: Record<string, number | Tensor>, options: ExpressionOptions = {},
): ExpressionGraph {
  const text = typeof source === 'string' ? source : undefined;
  const expr = typeof source === 'string' ? parseExpression(source) : source;
  const variables = new Map<string, Tensor>();
  for (const name of variablesOf(expr)) {
    const value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    if (value === undefined) {
      const missing = variablesOf(expr).filter((v) => !Object.prototype.hasOwnProperty.call(values, v));
      const message = `no value for ${missing.length > 1 ? 'variables' : 'variable'} ${missing.map((v) => `'${v}'`).join(', ')}`;
      const pos = findVariable(expr, missing[0]);
      if (text !== undefined) throw new ExpressionError(message, text, pos);
      throw new Error(`buildExpression: ${message}`);
    }
    if (value instanceof Tensor) {
      variables.set(name, value);
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`buildExpression: the value of '${name}' must be a finite number or a Tensor, got ${String(value)}`);
    }
    variables.set(name, tensor(value, { requiresGrad: true, name }));
  }

  const build = (e: Expr): Tensor | number => {
    switch (e.kind) {
      case 'number': return e.value;
      case 'variable': return variables.get(e.name)!;
      case 'negate': {
        const a = build(e.arg);
        return typeof a === 'number' ? -a : neg(a);
      }
      case 'binary': {
        const a = build(e.left);
        const b = build(e.right);
        return typeof a === 'number' && typeof b === 'number' ? binaryNumbers(e.op, a, b) : binaryTensors(e.op, a, b);
      }
      case 'call': {
        const a = build(e.arg);
        if (typeof a === 'number') return NUMBER_FUNCTIONS[e.fn](a);
        if (e.fn !== 'sigmoid') return TENSOR_FUNCTIONS[e.fn](a);
        return options.fused ? sigmoid(a) : reciprocal(add(exp(neg(a)), 1));
      }
    }
  };

  const output = build(expr);
  if (typeof output === 'number') {
    throw new Error(`buildExpression: the expression has no variables, so there is nothing to differentiate (it equals ${output})`);
  }
  return { expr, output, variables };
}

function findVariable(expr: Expr, name: string): number {
  if (expr.kind === 'variable') return expr.name === name ? expr.pos : -1;
  if (expr.kind === 'number') return -1;
  if (expr.kind === 'binary') {
    const left = findVariable(expr.left, name);
    return left >= 0 ? left : findVariable(expr.right, name);
  }
  return findVariable(expr.arg, name);
}
