/**
 * The terminal view of an inspected graph: one line per node in topological order, with its
 * value, the upstream gradient dL/d(node), and for each input the chain rule at work:
 * local gradient × upstream = downstream (the gradient sent to that input).
 */
import type { NestedArray } from '../tensor.js';
import type { Graph, GraphNodeInfo } from './inspect.js';

export interface TextOptions {
  /** Decimals shown (default 4). */
  digits?: number;
}

/** A number with `digits` decimals, switching to exponent notation when that would hide it. */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.5 * 10 ** -digits || a >= 1e6)) return v.toExponential(Math.max(digits - 1, 1));
  return v.toFixed(digits);
}

function flat(value: NestedArray): number[] {
  return Array.isArray(value) ? value.flatMap(flat) : [value];
}

function nested(value: NestedArray, digits: number): string {
  return Array.isArray(value) ? `[${value.map((v) => nested(v, digits)).join(', ')}]` : formatNumber(value, digits);
}

/** A scalar as a number, up to 4 values as nested lists, more as their shape and range. */
export function formatValue(value: NestedArray, shape: readonly number[], digits = 4): string {
  const values = flat(value);
  if (values.length <= 4) return nested(value, digits);
  // reduce, not spread: a layer's weights outnumber the arguments a call may take
  const min = values.reduce((m, v) => Math.min(m, v), Infinity);
  const max = values.reduce((m, v) => Math.max(m, v), -Infinity);
  return `[${shape.join('×')}: ${formatNumber(min, digits)} … ${formatNumber(max, digits)}]`;
}

function expression(graph: Graph, node: GraphNodeInfo): string {
  if (node.op === 'input') return node.constant ? 'constant' : 'input';
  const args = node.inputs.map((id) => graph.nodes[id].label).join(', ');
  const attrs = node.attrs ? Object.entries(node.attrs).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join('') : '';
  return `${node.op}(${args})${attrs}`;
}

function chainRule(graph: Graph, node: GraphNodeInfo, digits: number): string {
  const parts: string[] = [];
  for (const edge of graph.edgesInto(node.id)) {
    if (edge.grad === null) continue;
    const input = graph.nodes[edge.from];
    const down = formatValue(edge.grad, input.shape, digits);
    const local = edge.localGrad;
    if (local !== undefined && local !== null && node.grad !== null) {
      const up = formatValue(node.grad, node.shape, digits);
      parts.push(`${input.label}: ${formatValue(local, input.shape, digits)} × ${up} = ${down}`);
    } else parts.push(`${input.label}: ${down}`);
  }
  return parts.join('   ');
}

export function graphToText(graph: Graph, options: TextOptions = {}): string {
  const digits = options.digits ?? 4;
  const header = ['node', 'op', 'value', 'grad', 'to each input: local × upstream = downstream'];
  const rows = graph.nodes.map((n) => [
    n.label,
    expression(graph, n),
    formatValue(n.value, n.shape, digits),
    n.grad === null ? '' : formatValue(n.grad, n.shape, digits),
    chainRule(graph, n, digits),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 2 || c === 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
