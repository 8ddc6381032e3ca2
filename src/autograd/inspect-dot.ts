/**
 * The Graphviz view of an inspected graph (`dot -Tsvg graph.dot > graph.svg`): leaves as
 * boxes, ops as ellipses, constants as plain text; each node shows its op, value and
 * gradient, each edge the gradient that flowed back along it.
 */
import type { Graph, GraphNodeInfo } from './inspect.js';
import { formatValue } from './inspect-text.js';

export interface DotOptions {
  /** Decimals shown (default 4). */
  digits?: number;
  /** Graph direction: 'LR' (left to right, the default) or 'TB' (top to bottom). */
  rankdir?: 'LR' | 'TB';
}

/** A DOT double-quoted string: backslashes and quotes escaped, line breaks as \n. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

function nodeLine(node: GraphNodeInfo, digits: number): string {
  const lines: string[] = [];
  let shape: string;
  if (node.constant) {
    shape = 'plaintext';
    lines.push(node.label);
  } else {
    shape = node.op === 'input' ? 'box' : 'ellipse';
    lines.push(node.op === 'input' ? node.label : node.name ? `${node.op} (${node.name})` : node.op);
    lines.push(`value ${formatValue(node.value, node.shape, digits)}`);
    if (node.grad !== null) lines.push(`grad ${formatValue(node.grad, node.shape, digits)}`);
  }
  return `  n${node.id} [shape=${shape}, label=${quote(lines.join('\n'))}];`;
}

export function graphToDot(graph: Graph, options: DotOptions = {}): string {
  const digits = options.digits ?? 4;
  const out = [
    'digraph nabla {',
    `  rankdir=${options.rankdir ?? 'LR'};`,
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const node of graph.nodes) out.push(nodeLine(node, digits));
  for (const edge of graph.edges) {
    const label = edge.grad === null ? '' : ` [label=${quote(formatValue(edge.grad, graph.nodes[edge.from].shape, digits))}]`;
    out.push(`  n${edge.from} -> n${edge.to}${label};`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
