/**
 * `nabla graph`: the computational graph of an expression, with every node's value (forward pass)
 * and gradient (backward pass), printed as a table and drawn to graph.svg / graph.png. Without an
 * expression: the lecture's logistic regression f = σ(w0·x0 + w1·x1 + w2).
 */
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { buildExpression, ExpressionError, parseExpression, variablesOf, FUNCTIONS, type Expr } from '../autograd/expression.js';
import { inspect } from '../autograd/inspect.js';
import { formatNumber } from '../autograd/inspect-text.js';
import { graphToSvg } from '../viz/graph-svg.js';
import { svgToPng } from '../viz/png.js';

export const LECTURE_EXPRESSION = 'sigmoid(w0*x0 + w1*x1 + w2)';
export const LECTURE_VALUES: Record<string, number> = { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 };
const DEFAULT_OUT = join('runs', 'graph');

const HELP = `Usage: nabla graph [EXPRESSION] [options]

Builds the computational graph of EXPRESSION from nabla's ops, runs the forward and the
backward pass, prints every node's value and gradient (with local × upstream = downstream
for each input), and draws the graph to graph.svg and graph.png.

Without EXPRESSION: the lecture's logistic regression ${LECTURE_EXPRESSION}
at w = (2, -3, -3), x = (-1, -2), σ staged as on the slides (×(-1), exp, +1, 1/x).

EXPRESSION: numbers, variables, + - * / ^ (or **), unary minus, parentheses, and the
functions ${FUNCTIONS.join(' ')}. Quote it; put it last, after --, if it starts with a minus:
  nabla graph "(x*y + z)^2 / (1 + exp(-x))" --set x=1,y=-2,z=3
  nabla graph --set x=0.5 -- "-x^2"

Options:
  --set NAME=VALUE,...  the value of each variable (required for every variable of
                        EXPRESSION; may repeat; without EXPRESSION, overrides w0 x0 w1 x1 w2)
  --fused               σ as one node with local gradient (1 − σ)σ (default: staged)
  --digits N            decimals shown, 0 to 10 (default 2)
  --out DIR             where graph.svg and graph.png go (default ${DEFAULT_OUT})
  --no-png              write graph.svg only
  -h, --help            this help`;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        set: { type: 'string', multiple: true },
        fused: { type: 'boolean' },
        digits: { type: 'string' },
        out: { type: 'string' },
        'no-png': { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `--set x=1,y=-2` (possibly repeated) → { x: 1, y: -2 }. */
export function parseBindings(sets: string[]): Record<string, number> {
  const values: Record<string, number> = {};
  for (const item of sets.flatMap((s) => s.split(','))) {
    const eq = item.indexOf('=');
    const name = item.slice(0, eq).trim();
    const text = item.slice(eq + 1).trim();
    if (eq < 0 || !NAME.test(name)) throw new UsageError(`--set expects NAME=VALUE pairs separated by commas, got '${item}'`);
    if ((FUNCTIONS as readonly string[]).includes(name)) throw new UsageError(`--set: '${name}' is a function, not a variable`);
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) throw new UsageError(`--set: the value of '${name}' must be a finite number, got '${text}'`);
    if (name in values) throw new UsageError(`--set: '${name}' is given twice`);
    values[name] = value;
  }
  return values;
}

function parseDigits(text: string | undefined): number {
  if (text === undefined) return 2;
  if (!/^\d+$/.test(text) || Number(text) > 10) throw new UsageError(`--digits must be an integer from 0 to 10, got '${text}'`);
  return Number(text);
}

function parseSource(source: string): Expr {
  try {
    return parseExpression(source);
  } catch (err) {
    if (err instanceof ExpressionError) throw new UsageError(`expression: ${err.message}`);
    throw err;
  }
}

function containsSigmoid(expr: Expr): boolean {
  if (expr.kind === 'call') return expr.fn === 'sigmoid' || containsSigmoid(expr.arg);
  if (expr.kind === 'negate') return containsSigmoid(expr.arg);
  if (expr.kind === 'binary') return containsSigmoid(expr.left) || containsSigmoid(expr.right);
  return false;
}

export async function runGraph(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parse(argv);
  if (positionals.length > 1) {
    throw new UsageError(`expected one expression, got ${positionals.length} arguments (quote the expression): ${positionals.map((p) => `'${p}'`).join(' ')}`);
  }
  const digits = parseDigits(flags.digits);
  if (flags.out !== undefined && flags.out.trim() === '') throw new UsageError('--out must name a directory');
  const out = flags.out ?? DEFAULT_OUT;
  const given = parseBindings(flags.set ?? []);
  const lecture = positionals.length === 0;
  const source = lecture ? LECTURE_EXPRESSION : positionals[0];
  const expr = parseSource(source);
  const names = variablesOf(expr);
  const values = lecture ? { ...LECTURE_VALUES, ...given } : given;

  const missing = names.filter((n) => !(n in values));
  if (missing.length > 0) {
    const plural = missing.length > 1 ? 'variables' : 'variable';
    throw new UsageError(`no value for ${plural} ${missing.map((n) => `'${n}'`).join(', ')}: give ${missing.length > 1 ? 'them' : 'it'} with --set ${missing.map((n) => `${n}=VALUE`).join(',')}`);
  }
  const unused = Object.keys(values).filter((n) => !names.includes(n));
  if (unused.length > 0) {
    throw new UsageError(`--set: ${unused.map((n) => `'${n}'`).join(', ')} ${unused.length > 1 ? 'do' : 'does'} not appear in the expression (its variables: ${names.join(', ') || 'none'})`);
  }
  if (names.length === 0) throw new UsageError(`expression: '${source}' has no variables, so there is nothing to differentiate`);

  const fused = flags.fused === true;
  const { output } = buildExpression(expr, values, { fused });
  if (output.size !== 1) throw new Error(`graph: the expression's value has shape [${output.shape.join(', ')}], expected a scalar`);
  output.backward();
  const graph = inspect(output);

  const at = names.map((n) => `${n} = ${values[n]}`).join(', ');
  const sigmoids = graph.byOp('sigmoid');
  const local = sigmoids.length === 1 && sigmoids[0].localGrads?.[0] != null ? ` = ${formatNumber(sigmoids[0].localGrads[0] as number, digits)}` : '';
  const sigmoidNote = !containsSigmoid(expr) ? '' : fused ? `σ as one node, local gradient (1 − σ)σ${local}` : 'σ staged as on the slides: ×(−1), exp, +1, 1/x';
  const heading = `f = ${source}`;
  const detail = [`at ${at}`, sigmoidNote].filter(Boolean).join('; ');
  console.log(`${heading}\n${detail}\nf = ${formatNumber(output.item(), digits)}\n`);
  console.log(graph.toText({ digits }));

  try {
    mkdirSync(out, { recursive: true });
  } catch (err) {
    throw new UsageError(`--out: cannot create directory '${out}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const svg = graphToSvg(graph, { digits, title: `${heading}\n${detail}` });
  const written = [join(out, 'graph.svg')];
  writeFileSync(written[0], svg);
  if (!flags['no-png']) {
    written.push(join(out, 'graph.png'));
    writeFileSync(written[1], svgToPng(svg));
  }
  console.log(`\nwrote ${written.join(', ')}`);
  return 0;
}

export const graphCommand: Command = {
  name: 'graph',
  summary: 'the computational graph of an expression: every value and gradient (text, SVG, PNG)',
  help: HELP,
  run: runGraph,
};
