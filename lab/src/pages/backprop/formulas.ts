/**
 * What each op computes and its local gradient, as the text the side panel shows: the forward
 * formula with the inputs' values filled in, and ∂out/∂input in symbols (a, b for the arguments
 * of a binary op, x for a unary one).
 */
import type { GraphNodeInfo } from 'nabla';

/** A number with the slides' two decimals and a real minus sign. */
export function fmt(v: number, digits = 2): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  const text = a !== 0 && (a < 0.5 * 10 ** -digits || a >= 1e6) ? v.toExponential(Math.max(digits - 1, 1)) : v.toFixed(digits);
  return text.replace('-', '−');
}

/** A value as an operand: negative numbers in parentheses. */
function operand(v: number): string {
  return v < 0 ? `(${fmt(v)})` : fmt(v);
}

const BINARY: Record<string, string> = { add: '+', sub: '−', mul: '×', div: '/', pow: '^' };

/** The forward computation with values, e.g. `2.00 × (−1.00)`. */
export function forwardFormula(node: GraphNodeInfo, inputs: number[]): string {
  const [a, b] = inputs;
  const symbol = BINARY[node.op];
  if (symbol && inputs.length === 2) return `${operand(a)} ${symbol} ${operand(b)}`;
  switch (node.op) {
    case 'neg': return `−${operand(a)}`;
    case 'exp': return `exp(${fmt(a)})`;
    case 'log': return `ln(${fmt(a)})`;
    case 'sqrt': return `√${operand(a)}`;
    case 'abs': return `|${fmt(a)}|`;
    case 'reciprocal': return `1 / ${operand(a)}`;
    case 'sigmoid': return `σ(${fmt(a)}) = 1 / (1 + exp(${fmt(-a)}))`;
    case 'tanh': return `tanh(${fmt(a)})`;
    case 'relu': return `max(0, ${fmt(a)})`;
    case 'square': return `${operand(a)}²`;
    case 'powScalar': return `${operand(a)}^${node.attrs?.exponent ?? '?'}`;
    default: return `${node.op}(${inputs.map(fmt).join(', ')})`;
  }
}

/** The op as a formula in the argument names, e.g. `out = a × b`. */
export function opFormula(node: GraphNodeInfo, arity: number): string {
  const symbol = BINARY[node.op];
  if (symbol && arity === 2) return `out = a ${symbol} b`;
  const n = node.attrs?.exponent;
  const unary: Record<string, string> = {
    neg: '−x', exp: 'eˣ', log: 'ln x', sqrt: '√x', abs: '|x|', reciprocal: '1/x', sigmoid: 'σ(x) = 1/(1 + e⁻ˣ)',
    tanh: 'tanh x', relu: 'max(0, x)', square: 'x²', powScalar: `x^${n}`,
  };
  return `out = ${unary[node.op] ?? `${node.op}(…)`}`;
}

/** The argument's name in opFormula. */
export function argumentName(arity: number, k: number): string {
  return arity === 1 ? 'x' : 'ab'[k] ?? `arg${k}`;
}

/** ∂out/∂(argument k) in symbols. */
export function localFormula(node: GraphNodeInfo, arity: number, k: number): string {
  if (arity === 2) {
    switch (node.op) {
      case 'add': return '1';
      case 'sub': return k === 0 ? '1' : '−1';
      case 'mul': return k === 0 ? 'b' : 'a';
      case 'div': return k === 0 ? '1/b' : '−a/b²';
      case 'pow': return k === 0 ? 'b·a^(b−1)' : 'aᵇ·ln a';
    }
  }
  const n = node.attrs?.exponent;
  const unary: Record<string, string> = {
    neg: '−1', exp: 'eˣ (the output itself)', log: '1/x', sqrt: '1/(2√x)', abs: 'sign(x)', reciprocal: '−1/x²',
    sigmoid: '(1 − σ(x))·σ(x)', tanh: '1 − tanh²x', relu: '1 if x > 0, else 0', square: '2x', powScalar: `${n}·x^${Number(n) - 1}`,
  };
  return unary[node.op] ?? `∂out/∂${argumentName(arity, k)}`;
}
