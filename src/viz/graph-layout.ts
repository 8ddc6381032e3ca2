/**
 * A layered, left-to-right layout of a computational graph (Sugiyama style), small enough to
 * read: sources (the inputs) in the first column, every other node one column right of its
 * furthest input, so the output ends up alone on the right. Edges that skip columns pass
 * through invisible bend points; orderings within each column are improved by barycenter
 * sweeps (keeping the one with fewest crossings); vertical positions pull each node toward its
 * neighbours, subject to the ordering and the gaps. Pure TypeScript, no DOM: runs in the browser.
 *
 * Not dagre: dagre's rankers put an input just before its first use, while the lecture's
 * drawings (and ours) keep every input on the left.
 */

export interface LayoutNodeSpec {
  id: number;
  width: number;
  height: number;
}

export interface LayoutEdgeSpec {
  from: number;
  to: number;
}

export interface LayoutOptions {
  /** Horizontal space between columns (default 60). */
  layerGap?: number;
  /** Vertical space between two boxes of a column (default 24). */
  nodeGap?: number;
  /**
   * Vertical space between a box and an edge passing through its column (default nodeGap / 2;
   * at least that, so that two boxes with edges between them still stay nodeGap apart).
   */
  edgeGap?: number;
  /** Space around the drawing (default 20). */
  margin?: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode extends LayoutNodeSpec {
  /** Column, 0 for sources. */
  layer: number;
  /** Position within the column, top to bottom. */
  order: number;
  /** Centre of the box. */
  x: number;
  y: number;
}

export interface RoutedEdge extends LayoutEdgeSpec {
  /** From the source box's right side, through any bends, to the target box's left side. */
  points: Point[];
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: RoutedEdge[];
  width: number;
  height: number;
}

/** A box or, for edges that skip columns, a bend point (id < 0, no size). */
interface Slot {
  id: number;
  width: number;
  height: number;
  layer: number;
  preds: Slot[];
  succs: Slot[];
  y: number;
}

/** Column of each node: 0 for sources, else 1 + the furthest input's column (throws on a cycle). */
function assignLayers(nodes: LayoutNodeSpec[], edges: LayoutEdgeSpec[]): Map<number, number> {
  const indegree = new Map(nodes.map((n) => [n.id, 0]));
  const out = new Map<number, number[]>(nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    indegree.set(e.to, indegree.get(e.to)! + 1);
    out.get(e.from)!.push(e.to);
  }
  const layer = new Map<number, number>();
  const ready = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (const id of ready) layer.set(id, 0);
  while (ready.length > 0) {
    const id = ready.shift()!;
    for (const to of out.get(id)!) {
      layer.set(to, Math.max(layer.get(to) ?? 0, layer.get(id)! + 1));
      indegree.set(to, indegree.get(to)! - 1);
      if (indegree.get(to) === 0) ready.push(to);
    }
  }
  if (layer.size !== nodes.length) throw new Error('layoutGraph: the graph has a cycle');
  return layer;
}

function crossingsBetween(upper: Slot[], lower: Slot[]): number {
  const pos = new Map(lower.map((s, i) => [s, i]));
  const segments: [number, number][] = [];
  upper.forEach((s, i) => s.succs.forEach((t) => segments.push([i, pos.get(t)!])));
  let count = 0;
  for (let a = 0; a < segments.length; a++) {
    for (let b = a + 1; b < segments.length; b++) {
      const [u1, v1] = segments[a];
      const [u2, v2] = segments[b];
      if ((u1 - u2) * (v1 - v2) < 0) count++;
    }
  }
  return count;
}

function totalCrossings(layers: Slot[][]): number {
  let count = 0;
  for (let i = 0; i + 1 < layers.length; i++) count += crossingsBetween(layers[i], layers[i + 1]);
  return count;
}

/** Reorders `layer` by the mean position of each slot's neighbours in the adjacent column (stable). */
function sortByBarycenter(layer: Slot[], neighbours: (s: Slot) => Slot[], adjacent: Slot[]): Slot[] {
  const pos = new Map(adjacent.map((s, i) => [s, i]));
  const keyed = layer.map((s, i) => {
    const ns = neighbours(s);
    // Scaled so a slot without neighbours keeps its relative place among the others.
    const key = ns.length === 0 ? (i / Math.max(layer.length, 1)) * adjacent.length : ns.reduce((acc, n) => acc + pos.get(n)!, 0) / ns.length;
    return { s, key, i };
  });
  keyed.sort((a, b) => a.key - b.key || a.i - b.i);
  return keyed.map((k) => k.s);
}

function minimizeCrossings(layers: Slot[][]): Slot[][] {
  let best = layers.map((l) => l.slice());
  let bestCount = totalCrossings(best);
  let current = best;
  for (let sweep = 0; sweep < 12 && bestCount > 0; sweep++) {
    current = current.map((l) => l.slice());
    if (sweep % 2 === 0) {
      for (let i = 1; i < current.length; i++) current[i] = sortByBarycenter(current[i], (s) => s.preds, current[i - 1]);
    } else {
      for (let i = current.length - 2; i >= 0; i--) current[i] = sortByBarycenter(current[i], (s) => s.succs, current[i + 1]);
    }
    const count = totalCrossings(current);
    if (count < bestCount) {
      best = current;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Least-squares placement of one column: centres as close as possible to `targets` (weighted),
 * in the given order, with at least gaps[i] between centre i and centre i+1. Substituting
 * z_i = y_i − (sum of earlier gaps) turns it into isotonic regression, solved by pool-adjacent-violators.
 */
function placeInOrder(targets: number[], weights: number[], gaps: number[]): number[] {
  const offsets = targets.map(() => 0);
  for (let i = 1; i < targets.length; i++) offsets[i] = offsets[i - 1] + gaps[i - 1];
  const blocks: { sum: number; weight: number; count: number }[] = [];
  targets.forEach((t, i) => {
    blocks.push({ sum: (t - offsets[i]) * weights[i], weight: weights[i], count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1];
      const prev = blocks[blocks.length - 2];
      if (prev.sum / prev.weight <= last.sum / last.weight) break;
      blocks.pop();
      prev.sum += last.sum;
      prev.weight += last.weight;
      prev.count += last.count;
    }
  });
  const ys: number[] = [];
  for (const b of blocks) for (let j = 0; j < b.count; j++) ys.push(b.sum / b.weight + offsets[ys.length]);
  return ys;
}

function assignY(layers: Slot[][], nodeGap: number, edgeGap: number): void {
  const gapBetween = (a: Slot, b: Slot) => (a.height + b.height) / 2 + (a.id >= 0 && b.id >= 0 ? nodeGap : edgeGap);
  for (const layer of layers) {
    let y = 0;
    layer.forEach((s, i) => {
      if (i > 0) y += gapBetween(layer[i - 1], s);
      s.y = y;
    });
  }
  const settle = (layer: Slot[], neighbours: (s: Slot) => Slot[]) => {
    const targets = layer.map((s) => {
      const ns = neighbours(s);
      return ns.length === 0 ? s.y : ns.reduce((acc, n) => acc + n.y, 0) / ns.length;
    });
    const weights = layer.map((s) => (s.id >= 0 ? 1 : 2)); // bends weigh more: long edges stay straight
    const gaps = layer.slice(1).map((s, i) => gapBetween(layer[i], s));
    placeInOrder(targets, weights, gaps).forEach((y, i) => (layer[i].y = y));
  };
  for (let sweep = 0; sweep < 8; sweep++) {
    for (let i = 1; i < layers.length; i++) settle(layers[i], (s) => s.preds);
    for (let i = layers.length - 2; i >= 0; i--) settle(layers[i], (s) => s.succs);
  }
  for (const layer of layers) settle(layer, (s) => [...s.preds, ...s.succs]);
}

/** Spreads the ends of `count` edges over the middle of a box side, top to bottom. */
function portOffsets(count: number, height: number): number[] {
  const step = Math.min(14, (height * 0.7) / Math.max(count - 1, 1));
  return Array.from({ length: count }, (_, k) => (k - (count - 1) / 2) * step);
}

/** Lays out nodes (boxes of the given sizes) and directed edges (from → to) left to right. */
export function layoutGraph(nodes: LayoutNodeSpec[], edges: LayoutEdgeSpec[], options: LayoutOptions = {}): GraphLayout {
  const { layerGap = 60, nodeGap = 24, margin = 20 } = options;
  const edgeGap = Math.max(options.edgeGap ?? 0, nodeGap / 2);
  const ids = new Set(nodes.map((n) => n.id));
  if (ids.size !== nodes.length) throw new Error('layoutGraph: node ids must be unique');
  for (const e of edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) throw new Error(`layoutGraph: edge ${e.from} → ${e.to} refers to an unknown node`);
  }
  if (nodes.length === 0) return { nodes: [], edges: [], width: 2 * margin, height: 2 * margin };

  const layerOf = assignLayers(nodes, edges);
  const slots = new Map<number, Slot>(
    nodes.map((n) => [n.id, { id: n.id, width: n.width, height: n.height, layer: layerOf.get(n.id)!, preds: [], succs: [], y: 0 }]),
  );
  const depth = Math.max(...layerOf.values()) + 1;
  const layers: Slot[][] = Array.from({ length: depth }, () => []);
  // Initial order: the given node order (for inspect() graphs, topological with inputs in argument order).
  for (const n of nodes) layers[layerOf.get(n.id)!].push(slots.get(n.id)!);
  let nextBendId = -1;
  const chains = edges.map((e) => {
    const chain = [slots.get(e.from)!];
    for (let l = chain[0].layer + 1; l < layerOf.get(e.to)!; l++) {
      const bend: Slot = { id: nextBendId--, width: 0, height: 0, layer: l, preds: [], succs: [], y: 0 };
      layers[l].push(bend);
      chain.push(bend);
    }
    chain.push(slots.get(e.to)!);
    for (let k = 0; k + 1 < chain.length; k++) {
      chain[k].succs.push(chain[k + 1]);
      chain[k + 1].preds.push(chain[k]);
    }
    return chain;
  });

  const ordered = minimizeCrossings(layers);
  assignY(ordered, nodeGap, edgeGap);

  const columnWidth = ordered.map((layer) => Math.max(0, ...layer.map((s) => s.width)));
  const columnX: number[] = [];
  let x = margin;
  for (const w of columnWidth) {
    columnX.push(x + w / 2);
    x += w + layerGap;
  }
  const top = Math.min(...ordered.flat().map((s) => s.y - s.height / 2));
  const bottom = Math.max(...ordered.flat().map((s) => s.y + s.height / 2));
  const shift = margin - top;

  const placed = new Map<number, PlacedNode>();
  ordered.forEach((layer, l) =>
    layer.forEach((s, order) => {
      if (s.id >= 0) placed.set(s.id, { id: s.id, width: s.width, height: s.height, layer: l, order, x: columnX[l], y: s.y + shift });
    }),
  );

  // Edge ends: outgoing edges leave a box's right side ordered by where they head, incoming
  // edges enter the left side ordered by where they come from, so no two cross at a box.
  const outPorts = new Map<number, number>();
  const inPorts = new Map<number, number>();
  const assignPorts = (side: Map<number, number>, group: Map<number, { edge: number; toward: number }[]>) => {
    for (const [id, list] of group) {
      list.sort((a, b) => a.toward - b.toward || a.edge - b.edge);
      portOffsets(list.length, placed.get(id)!.height).forEach((dy, k) => side.set(list[k].edge, dy));
    }
  };
  const outgoing = new Map<number, { edge: number; toward: number }[]>();
  const incoming = new Map<number, { edge: number; toward: number }[]>();
  chains.forEach((chain, k) => {
    const first = chain[0];
    const last = chain[chain.length - 1];
    if (!outgoing.has(first.id)) outgoing.set(first.id, []);
    if (!incoming.has(last.id)) incoming.set(last.id, []);
    outgoing.get(first.id)!.push({ edge: k, toward: chain[1].y });
    incoming.get(last.id)!.push({ edge: k, toward: chain[chain.length - 2].y });
  });
  assignPorts(outPorts, outgoing);
  assignPorts(inPorts, incoming);

  const routed = chains.map((chain, k): RoutedEdge => {
    const from = placed.get(chain[0].id)!;
    const to = placed.get(chain[chain.length - 1].id)!;
    const points: Point[] = [{ x: from.x + from.width / 2, y: from.y + outPorts.get(k)! }];
    for (const bend of chain.slice(1, -1)) {
      // Straight through the bend's column, so the edge never cuts a box diagonally.
      const half = columnWidth[bend.layer] / 2;
      points.push({ x: columnX[bend.layer] - half, y: bend.y + shift }, { x: columnX[bend.layer] + half, y: bend.y + shift });
    }
    points.push({ x: to.x - to.width / 2, y: to.y + inPorts.get(k)! });
    return { from: from.id, to: to.id, points };
  });

  return {
    nodes: nodes.map((n) => placed.get(n.id)!),
    edges: routed,
    width: x - layerGap + margin,
    height: bottom - top + 2 * margin,
  };
}
