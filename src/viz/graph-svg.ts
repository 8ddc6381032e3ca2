/**
 * The computational graph as an SVG document, drawn the way the lecture's slides draw it: a box
 * per input and per op, the value computed by the forward pass in green above each box, the
 * gradient of the output with respect to that node from the backward pass in red below it, and
 * arrows from inputs to the ops that use them. Constants are folded into their op's label
 * (`+1`, `×2`, `1/x`). Where a node feeds several ops, each edge carries the gradient that use
 * sent back (they add up to the node's gradient). Plain text output, no DOM: runs in the browser.
 */
import type { GraphEdgeInfo, GraphNodeInfo } from '../autograd/inspect.js';
import { formatValue } from '../autograd/inspect-text.js';
import { layoutGraph, type GraphLayout, type Point } from './graph-layout.js';
import { escapeXml, svgDocument } from './svg.js';

export interface GraphSvgOptions {
  /** Decimals of values and gradients (default 2, as on the slides). */
  digits?: number;
  /** A heading above the graph, e.g. the expression; further lines (after '\n') in plain type. */
  title?: string;
}

/** What graphToSvg needs of an inspect() Graph (a Graph, or its toJSON()). */
export interface GraphLike {
  nodes: GraphNodeInfo[];
  edges: GraphEdgeInfo[];
}

const COLORS = { value: '#1b7f3b', grad: '#c62828', edge: '#777', box: '#444', input: '#eaf1fb', inputStroke: '#4e79a7', output: '#fff4e0' };
const BOX_HEIGHT = 30;
const OP_FONT = 14;
const NUMBER_FONT = 12;
const EDGE_FONT = 10;
const LABEL_LINE = 16;
const PAD = 24;

/** Width of a line of text, estimated from DejaVu Sans's average advance (digits are 0.64 em). */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.64;
}

const SYMBOLS: Record<string, string> = { add: '+', sub: '−', mul: '×', div: '/', pow: '^', maximum: 'max', minimum: 'min' };
const UNARY_LABELS: Record<string, string> = {
  neg: '×(−1)', reciprocal: '1/x', exp: 'exp', log: 'log', sqrt: '√x', abs: '|x|', square: 'x²',
  sigmoid: 'σ', tanh: 'tanh', relu: 'relu', input: 'input',
};

function constantText(node: GraphNodeInfo): string {
  const v = node.value as number;
  const text = String(Number(v.toPrecision(6))).replace('-', '−');
  return v < 0 ? `(${text})` : text;
}

/** The text in an op's box: its symbol, with the constants it takes folded in (`+1`, `1/x`, `^2`). */
export function opLabel(nodes: GraphNodeInfo[], node: GraphNodeInfo): string {
  if (node.op === 'input') return node.label;
  if (node.op === 'powScalar' && node.attrs && typeof node.attrs.exponent === 'number') {
    return `^${constantText({ ...node, value: node.attrs.exponent })}`;
  }
  const inputs = node.inputs.map((id) => nodes[id]);
  const symbol = SYMBOLS[node.op];
  if (symbol && inputs.length === 2 && symbol.length === 1) {
    const [a, b] = inputs;
    // Commutative ops read as the slides' "+1" / "×2" whichever side the constant is on.
    const commutative = node.op === 'add' || node.op === 'mul';
    if (b.constant && !a.constant) return `${symbol}${constantText(b)}`;
    if (a.constant && !b.constant && commutative) return `${symbol}${constantText(a)}`;
    if (a.constant && !b.constant) return `${constantText(a)}${symbol}x`;
    return symbol;
  }
  if (inputs.some((n) => n.constant)) {
    return `${node.op}(${inputs.map((n) => (n.constant ? constantText(n) : '·')).join(', ')})`;
  }
  return symbol ?? UNARY_LABELS[node.op] ?? node.op;
}

/** A coordinate to a tenth of a pixel (no 75.96000000000001 in the file). */
const r = (v: number) => Math.round(v * 10) / 10;

/** Cubic segments with horizontal tangents through the points (straight where they are level). */
function edgePath(points: Point[]): string {
  let d = `M${r(points[0].x)},${r(points[0].y)}`;
  for (let k = 1; k < points.length; k++) {
    const p = points[k - 1];
    const q = points[k];
    if (p.y === q.y) d += ` L${r(q.x)},${r(q.y)}`;
    else {
      const mid = (p.x + q.x) / 2;
      d += ` C${r(mid)},${r(p.y)} ${r(mid)},${r(q.y)} ${r(q.x)},${r(q.y)}`;
    }
  }
  return d;
}

interface DrawnNode {
  node: GraphNodeInfo;
  label: string;
  value: string;
  grad: string | null;
  boxWidth: number;
}

export interface GraphDrawing {
  svg: string;
  layout: GraphLayout;
}

/** Lays out and draws the graph; returns the SVG document and the layout it used. */
export function drawGraph(graph: GraphLike, options: GraphSvgOptions = {}): GraphDrawing {
  const digits = options.digits ?? 2;
  const nodes = graph.nodes;
  const consumers = new Map<number, number>();
  for (const e of graph.edges) consumers.set(e.from, (consumers.get(e.from) ?? 0) + 1);
  const folded = (n: GraphNodeInfo) => n.constant && (consumers.get(n.id) ?? 0) > 0;
  const visible = nodes.filter((n) => !folded(n));
  const edges = graph.edges.filter((e) => !folded(nodes[e.from]));

  const drawn = new Map<number, DrawnNode>(
    visible.map((node) => {
      const label = opLabel(nodes, node);
      const boxWidth = Math.max(46, textWidth(label, OP_FONT) + 20);
      const grad = node.grad === null ? null : formatValue(node.grad, node.shape, digits);
      return [node.id, { node, label, value: formatValue(node.value, node.shape, digits), grad, boxWidth }];
    }),
  );
  const specs = visible.map((n) => {
    const d = drawn.get(n.id)!;
    const labels = Math.max(textWidth(d.value, NUMBER_FONT), d.grad === null ? 0 : textWidth(d.grad, NUMBER_FONT));
    return { id: n.id, width: Math.max(d.boxWidth, labels) + 6, height: BOX_HEIGHT };
  });
  const layout = layoutGraph(specs, edges, { layerGap: 64, nodeGap: 2 * LABEL_LINE + 12, edgeGap: LABEL_LINE + 8, margin: 0 });

  const output = nodes[nodes.length - 1];
  const fanOut = new Set([...consumers].filter(([id, count]) => count > 1 && !folded(nodes[id])).map(([id]) => id));
  const legend = [
    [COLORS.value, 'green: value (forward pass)'],
    [COLORS.grad, 'red: gradient of the output with respect to the node (backward pass)'],
  ];
  if (fanOut.size > 0) legend.push([COLORS.grad, 'small red on an edge: what that use sends back; a node\'s gradient is their sum']);
  const titleLines = options.title ? options.title.split('\n') : [];
  const titleHeight = titleLines.length === 0 ? 0 : 16 + 18 * titleLines.length;
  const legendWidth = Math.max(...legend.map(([, text]) => textWidth(text, 11)));
  const width = Math.ceil(Math.max(layout.width, legendWidth, ...titleLines.map((line, k) => textWidth(line, k === 0 ? 15 : 12))) + 2 * PAD);
  const top = PAD + titleHeight + LABEL_LINE;
  const height = Math.ceil(top + layout.height + LABEL_LINE + 24 + 15 * legend.length);

  const parts: string[] = [];
  parts.push(
    '<defs><marker id="nabla-graph-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">' +
      `<path d="M0,1 L10,5 L0,9 z" fill="${COLORS.edge}"/></marker></defs>`,
  );
  titleLines.forEach((line, k) => {
    const style = k === 0 ? 'font-size="15" font-weight="bold"' : 'font-size="12" fill="#444"';
    parts.push(`<text class="title" x="${PAD}" y="${PAD + 14 + 18 * k}" ${style}>${escapeXml(line)}</text>`);
  });
  parts.push(`<g transform="translate(${PAD},${r(top)})">`);

  const edgeLabels: string[] = [];
  layout.edges.forEach((route, k) => {
    const from = layout.nodes.find((n) => n.id === route.from)!;
    const to = layout.nodes.find((n) => n.id === route.to)!;
    const points = route.points.map((p) => ({ ...p }));
    // The layout reserves room for the labels; edges start and end at the box itself.
    points[0].x = from.x + drawn.get(from.id)!.boxWidth / 2;
    points[points.length - 1].x = to.x - drawn.get(to.id)!.boxWidth / 2;
    parts.push(`<path class="edge" d="${edgePath(points)}" fill="none" stroke="${COLORS.edge}" stroke-width="1.4" marker-end="url(#nabla-graph-arrow)"/>`);
    const grad = edges[k].grad;
    if (fanOut.has(route.from) && grad !== null) {
      // Along the edge's first stretch, nearer its far end (edges leaving one node are packed
      // together at the start), on a white patch drawn after every edge.
      const [p, q] = points;
      const t = 0.7;
      const mx = p.x + (q.x - p.x) * (1.5 * t * (1 - t) + t ** 3);
      const my = p.y + (q.y - p.y) * (3 * t * t - 2 * t ** 3);
      const text = escapeXml(formatValue(grad, nodes[route.from].shape, digits));
      const w = textWidth(text, EDGE_FONT);
      edgeLabels.push(`<rect x="${r(mx - w / 2 - 2)}" y="${r(my - EDGE_FONT / 2 - 2)}" width="${r(w + 4)}" height="${EDGE_FONT + 4}" rx="2" fill="white"/>`);
      const at = `x="${r(mx)}" y="${r(my)}" dy="0.35em" text-anchor="middle" font-size="${EDGE_FONT}"`;
      edgeLabels.push(`<text class="edge-grad" ${at} fill="${COLORS.grad}">${text}</text>`);
    }
  });

  parts.push(...edgeLabels);

  for (const placed of layout.nodes) {
    const d = drawn.get(placed.id)!;
    const { node } = d;
    const isInput = node.op === 'input';
    const fill = isInput ? COLORS.input : node.id === output.id ? COLORS.output : 'white';
    const stroke = isInput ? COLORS.inputStroke : COLORS.box;
    const x = placed.x - d.boxWidth / 2;
    const y = placed.y - BOX_HEIGHT / 2;
    parts.push(`<g class="node" data-id="${node.id}" data-op="${escapeXml(node.op)}">`);
    parts.push(
      `<rect x="${r(x)}" y="${r(y)}" width="${r(d.boxWidth)}" height="${BOX_HEIGHT}" rx="${isInput ? 3 : 8}" fill="${fill}" stroke="${stroke}" stroke-width="${node.id === output.id ? 2.4 : 1.3}"/>`,
    );
    parts.push(
      `<text x="${r(placed.x)}" y="${r(placed.y)}" dy="0.35em" text-anchor="middle" font-size="${OP_FONT}"${isInput ? ' font-style="italic"' : ''}>${escapeXml(d.label)}</text>`,
    );
    parts.push(`<text class="value" x="${r(placed.x)}" y="${r(y - 5)}" text-anchor="middle" font-size="${NUMBER_FONT}" fill="${COLORS.value}">${escapeXml(d.value)}</text>`);
    if (d.grad !== null) {
      parts.push(
        `<text class="grad" x="${r(placed.x)}" y="${r(y + BOX_HEIGHT + 14)}" text-anchor="middle" font-size="${NUMBER_FONT}" fill="${COLORS.grad}">${escapeXml(d.grad)}</text>`,
      );
    }
    parts.push('</g>');
  }
  parts.push('</g>');

  legend.forEach(([color, text], k) => {
    const y = r(top + layout.height + LABEL_LINE + 26 + 15 * k);
    parts.push(`<text class="legend" x="${PAD}" y="${y}" font-size="11" fill="${color}">${escapeXml(text)}</text>`);
  });
  return { svg: svgDocument(width, height, parts.join('\n')), layout };
}

/** The graph as an SVG document (see drawGraph for the layout it used). */
export function graphToSvg(graph: GraphLike, options: GraphSvgOptions = {}): string {
  return drawGraph(graph, options).svg;
}
