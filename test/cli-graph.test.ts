import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { inspect, tensor, type Graph } from '../src/index.js';
import { buildExpression } from '../src/autograd/expression.js';
import { formatValue } from '../src/autograd/inspect-text.js';
import { layoutGraph, type GraphLayout, type Point } from '../src/viz/graph-layout.js';
import { drawGraph, graphToSvg, opLabel } from '../src/viz/graph-svg.js';
import { svgToPng } from '../src/viz/png.js';
import { UsageError } from '../src/cli/command.js';
import { LECTURE_EXPRESSION, LECTURE_VALUES, parseBindings, runGraph } from '../src/cli/graph.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TMP = mkdtempSync(join(tmpdir(), 'nabla-graph-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function graphOf(source: string, values: Record<string, number>, fused = false): Graph {
  const { output } = buildExpression(source, values, { fused });
  output.backward();
  return inspect(output);
}

const LECTURE_STAGED = () => graphOf(LECTURE_EXPRESSION, LECTURE_VALUES);
const BUSY = () =>
  graphOf('tanh(x*x - 3*y) + sqrt(abs(x*y*z)) - log(z) / relu(y + 4) + sigmoid(2*x - z)^2 + x', { x: 0.5, y: -2, z: 3 });

/** Whether segments ab and cd cross at a point inside both (touching ends do not count). */
function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const side = (p: Point, q: Point, r: Point) => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
}

/** Crossings between the polylines of edges that share no node. */
function crossings(layout: GraphLayout): number {
  let count = 0;
  for (let i = 0; i < layout.edges.length; i++) {
    for (let j = i + 1; j < layout.edges.length; j++) {
      const e = layout.edges[i];
      const f = layout.edges[j];
      if (e.from === f.from || e.to === f.to || e.from === f.to || e.to === f.from) continue;
      let crossed = false;
      for (let a = 0; a + 1 < e.points.length && !crossed; a++) {
        for (let b = 0; b + 1 < f.points.length && !crossed; b++) {
          crossed = segmentsCross(e.points[a], e.points[a + 1], f.points[b], f.points[b + 1]);
        }
      }
      if (crossed) count++;
    }
  }
  return count;
}

function expectNoOverlap(layout: GraphLayout, gap = 0): void {
  const ns = layout.nodes;
  for (let i = 0; i < ns.length; i++) {
    for (let j = i + 1; j < ns.length; j++) {
      const a = ns[i];
      const b = ns[j];
      const apartX = Math.abs(a.x - b.x) >= (a.width + b.width) / 2;
      const apartY = Math.abs(a.y - b.y) >= (a.height + b.height) / 2 + gap - 1e-9;
      if (!(apartX || apartY)) throw new Error(`boxes ${a.id} and ${b.id} overlap`);
    }
  }
}

function expectLeftToRight(layout: GraphLayout): void {
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  for (const e of layout.edges) {
    const from = byId.get(e.from)!;
    const to = byId.get(e.to)!;
    expect(from.layer).toBeLessThan(to.layer);
    expect(e.points[0].x).toBeCloseTo(from.x + from.width / 2, 9);
    expect(e.points[e.points.length - 1].x).toBeCloseTo(to.x - to.width / 2, 9);
    for (let k = 1; k < e.points.length; k++) expect(e.points[k].x).toBeGreaterThanOrEqual(e.points[k - 1].x);
  }
}

describe('layoutGraph', () => {
  it('lays the lecture graph out in columns: inputs left, output alone on the right, no crossings', () => {
    const graph = LECTURE_STAGED();
    const nodes = graph.nodes.map((n) => ({ id: n.id, width: 50, height: 30 }));
    const layout = layoutGraph(nodes, graph.edges, { nodeGap: 40 });
    const layerOf = (label: string) => layout.nodes.find((n) => n.id === graph.find(label)[0].id)!.layer;
    for (const name of ['w0', 'x0', 'w1', 'x1', 'w2']) expect(layerOf(name)).toBe(0);
    const last = Math.max(...layout.nodes.map((n) => n.layer));
    expect(layout.nodes.filter((n) => n.layer === last).map((n) => n.id)).toEqual([graph.output.id]);
    // each op one column right of its furthest input
    for (const n of graph.nodes) {
      if (n.inputs.length === 0) continue;
      const layer = layout.nodes.find((p) => p.id === n.id)!.layer;
      expect(layer).toBe(1 + Math.max(...n.inputs.map((i) => layout.nodes.find((p) => p.id === i)!.layer)));
    }
    expectLeftToRight(layout);
    expectNoOverlap(layout, 40);
    expect(crossings(layout)).toBe(0);
    // the drawing fits its size
    for (const n of layout.nodes) {
      expect(n.x - n.width / 2).toBeGreaterThanOrEqual(0);
      expect(n.y - n.height / 2).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width / 2).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.height / 2).toBeLessThanOrEqual(layout.height);
    }
  });

  it('keeps a busy graph left to right without overlapping boxes', () => {
    const graph = BUSY();
    const nodes = graph.nodes.map((n, i) => ({ id: n.id, width: 30 + (i % 4) * 15, height: 20 + (i % 3) * 10 }));
    const layout = layoutGraph(nodes, graph.edges, { nodeGap: 30, edgeGap: 10 });
    expect(layout.nodes).toHaveLength(graph.nodes.length);
    expect(layout.edges).toHaveLength(graph.edges.length);
    expectLeftToRight(layout);
    expectNoOverlap(layout, 30);
  });

  it('reorders a column to undo crossings in the given order', () => {
    // a feeds p, b feeds q, but the columns come in crossed order: [a, b] and [q, p]
    const nodes = [0, 1, 2, 3].map((id) => ({ id, width: 40, height: 20 }));
    const edges = [{ from: 0, to: 3 }, { from: 1, to: 2 }, { from: 2, to: 4 }, { from: 3, to: 4 }];
    const layout = layoutGraph([...nodes, { id: 4, width: 40, height: 20 }], edges);
    expect(crossings(layout)).toBe(0);
    const y = (id: number) => layout.nodes.find((n) => n.id === id)!.y;
    expect(Math.sign(y(0) - y(1))).toBe(Math.sign(y(3) - y(2)));
  });

  it('routes an edge that skips columns straight through them, clear of their boxes', () => {
    const nodes = [0, 1, 2, 3].map((id) => ({ id, width: 40, height: 20 }));
    const edges = [{ from: 0, to: 1 }, { from: 1, to: 2 }, { from: 2, to: 3 }, { from: 0, to: 3 }];
    const layout = layoutGraph(nodes, edges, { nodeGap: 20, edgeGap: 8 });
    const long = layout.edges.find((e) => e.from === 0 && e.to === 3)!;
    expect(long.points).toHaveLength(6); // start, two bends × (enter, leave), end
    for (const box of layout.nodes.filter((n) => n.id === 1 || n.id === 2)) {
      const pass = long.points.filter((p) => Math.abs(p.x - box.x) <= box.width / 2);
      expect(pass.length).toBeGreaterThan(0);
      for (const p of pass) expect(Math.abs(p.y - box.y)).toBeGreaterThanOrEqual(box.height / 2 + 8 - 1e-9);
    }
  });

  it('handles a single node and refuses cycles, duplicate ids and unknown ends', () => {
    const one = layoutGraph([{ id: 7, width: 40, height: 20 }], [], { margin: 10 });
    expect(one.nodes[0]).toMatchObject({ id: 7, layer: 0, x: 30, y: 20 });
    expect([one.width, one.height]).toEqual([60, 40]);
    const box = (id: number) => ({ id, width: 10, height: 10 });
    expect(() => layoutGraph([box(0), box(1)], [{ from: 0, to: 1 }, { from: 1, to: 0 }])).toThrow('layoutGraph: the graph has a cycle');
    expect(() => layoutGraph([box(0), box(0)], [])).toThrow('layoutGraph: node ids must be unique');
    expect(() => layoutGraph([box(0)], [{ from: 0, to: 5 }])).toThrow('layoutGraph: edge 0 → 5 refers to an unknown node');
  });
});

describe('graphToSvg', () => {
  it('draws one box per node (constants folded into their op) and one arrow per edge', () => {
    const graph = LECTURE_STAGED();
    const { svg, layout } = drawGraph(graph);
    const shown = graph.nodes.filter((n) => !n.constant);
    expect(svg.match(/<g class="node"/g)).toHaveLength(shown.length);
    expect(svg.match(/<rect [^>]*rx=/g)).toHaveLength(shown.length);
    expect(svg.match(/<path class="edge"[^>]*marker-end/g)).toHaveLength(graph.edges.filter((e) => !graph.nodes[e.from].constant).length);
    for (const n of shown) expect(svg).toContain(`data-id="${n.id}"`);
    expectNoOverlap(layout, 2 * 16);
  });

  it('shows each value in green above its box and each gradient in red below, as the slides do', () => {
    const graph = LECTURE_STAGED();
    const svg = graphToSvg(graph);
    const values = [...svg.matchAll(/<text class="value" x="[^"]+" y="([^"]+)"[^>]*fill="([^"]+)">([^<]*)</g)];
    const grads = [...svg.matchAll(/<text class="grad" x="[^"]+" y="([^"]+)"[^>]*fill="([^"]+)">([^<]*)</g)];
    expect(values.map((m) => m[3])).toEqual(graph.nodes.filter((n) => !n.constant).map((n) => formatValue(n.value, n.shape, 2)));
    expect(grads.map((m) => m[3])).toEqual(graph.nodes.filter((n) => !n.constant).map((n) => formatValue(n.grad!, n.shape, 2)));
    expect(new Set(values.map((m) => m[2]))).toEqual(new Set(['#1b7f3b']));
    expect(new Set(grads.map((m) => m[2]))).toEqual(new Set(['#c62828']));
    values.forEach((m, i) => expect(Number(m[1])).toBeLessThan(Number(grads[i][1])));
    for (const text of ['-2.00', '6.00', '4.00', '1.00', '-1.00', '0.37', '1.37', '0.73', '-0.20', '0.39', '-0.39', '-0.59', '0.20']) {
      expect(svg).toContain(`>${text}</text>`);
    }
  });

  it('labels ops the way the slides do', () => {
    const staged = LECTURE_STAGED();
    expect(staged.nodes.filter((n) => !n.constant).map((n) => opLabel(staged.nodes, n))).toEqual(
      ['w0', 'x0', '×', 'w1', 'x1', '×', '+', 'w2', '+', '×(−1)', 'exp', '+1', '1/x'],
    );
    const fused = graphOf(LECTURE_EXPRESSION, LECTURE_VALUES, true);
    expect(opLabel(fused.nodes, fused.output)).toBe('σ');
    const other = graphOf('1 - x^2 + 2/x + 3*x - (-2)*x + x/4', { x: 1.5 });
    const labels = other.nodes.filter((n) => !n.constant && n.op !== 'input').map((n) => opLabel(other.nodes, n));
    expect(labels).toEqual(['^2', '1−x', '2/x', '+', '×3', '+', '×(−2)', '−', '/4', '+']);
  });

  it('writes the gradient each use sends back on the edges of a node used several times', () => {
    const graph = graphOf('x*y + exp(x)', { x: 0.5, y: 2 });
    const svg = graphToSvg(graph);
    const onEdges = [...svg.matchAll(/<text class="edge-grad"[^>]*>([^<]*)</g)].map((m) => Number(m[1]));
    expect(onEdges.sort()).toEqual([2, Number(Math.exp(0.5).toFixed(2))].sort());
    expect(onEdges.reduce((a, b) => a + b, 0)).toBeCloseTo(graph.find('x')[0].grad as number, 1);
  });

  it('is well-formed XML with its text escaped (resvg parses it strictly)', () => {
    const graph = LECTURE_STAGED();
    const svg = graphToSvg(graph, { title: 'a <b> & "c"\nsecond line' });
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const png = svgToPng(svg, 1);
    expect(Array.from(png.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    expect(() => svgToPng(svg.replace('</g>', ''), 1)).toThrow(); // the check can fail
  });

  it('draws graphs of tensors, before backward (no gradients yet)', () => {
    const w = tensor([[1, -2, 3], [4, 5, -6]], { requiresGrad: true, name: 'W' });
    const graph = inspect(buildExpression("relu(W) * 2 + 1", { W: w }).output);
    const svg = graphToSvg(graph);
    expect(svg.match(/<g class="node"/g)).toHaveLength(4);
    expect(svg).not.toContain('class="grad"');
    expect(svg).toContain('>[2×3: -6.00 … 5.00]</text>');
    expect(svg).toContain('>[2×3: 1.00 … 11.00]</text>');
  });
});

/** Runs `nabla graph` in this process, capturing what it prints. */
async function runQuiet(argv: string[]): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    expect(await runGraph(argv)).toBe(0);
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

async function usageError(argv: string[]): Promise<string> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await runGraph(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  } finally {
    log.mockRestore();
  }
  throw new Error(`nabla graph ${argv.join(' ')} succeeded`);
}

describe('nabla graph (in process)', () => {
  it('draws the lecture example by default, staged, into --out', async () => {
    const out = join(TMP, 'lecture');
    const text = await runQuiet(['--out', out]);
    expect(text).toContain('f = 0.73');
    expect(text).toContain('σ staged as on the slides');
    expect(text).toContain(`wrote ${join(out, 'graph.svg')}, ${join(out, 'graph.png')}`);
    const svg = readFileSync(join(out, 'graph.svg'), 'utf8');
    expect(svg.match(/<g class="node"/g)).toHaveLength(13);
    expect(svg).toContain('>1/x</text>');
    expect(Array.from(readFileSync(join(out, 'graph.png')).subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
  });

  it('--fused draws σ as one node; --set overrides the lecture values; --digits; --no-png', async () => {
    const out = join(TMP, 'fused');
    const text = await runQuiet(['--fused', '--set', 'w2=-1', '--digits', '3', '--no-png', '--out', out]);
    const f = 1 / (1 + Math.exp(-3)); // s = −2 + 6 − 1
    expect(text).toContain(`f = ${f.toFixed(3)}`);
    expect(text).toContain(`σ as one node, local gradient (1 − σ)σ = ${((1 - f) * f).toFixed(3)}`);
    expect(text).toMatch(new RegExp(`^sigmoid#9 .* add#8: ${((1 - f) * f).toFixed(3)} × 1\\.000 = `, 'm'));
    expect(existsSync(join(out, 'graph.png'))).toBe(false);
    const svg = readFileSync(join(out, 'graph.svg'), 'utf8');
    expect(svg.match(/<g class="node"/g)).toHaveLength(10);
    expect(svg).toContain('>σ</text>');
  });

  it('takes any expression with --set (repeatable)', async () => {
    const out = join(TMP, 'expr');
    const text = await runQuiet(['(x*y + z)^2 / (1 + exp(-x))', '--set', 'x=1,y=-2', '--set', 'z=3', '--out', out]);
    const f = 1 / (1 + Math.exp(-1));
    expect(text).toContain('at x = 1, y = -2, z = 3');
    expect(text).toContain(`f = ${f.toFixed(2)}`);
    expect(text).not.toContain('σ');
    expect(readFileSync(join(out, 'graph.svg'), 'utf8')).toContain('f = (x*y + z)^2 / (1 + exp(-x))');
  });

  it.each([
    [['x + y', '--set', 'x=1'], "no value for variable 'y': give it with --set y=VALUE"],
    [['x + y*z'], "no value for variables 'x', 'y', 'z': give them with --set x=VALUE,y=VALUE,z=VALUE"],
    [['x', '--set', 'x=1,q=2'], "--set: 'q' does not appear in the expression (its variables: x)"],
    [['--set', 'q=2'], "--set: 'q' does not appear in the expression (its variables: w0, x0, w1, x1, w2)"],
    [['x', '--set', 'x'], "--set expects NAME=VALUE pairs separated by commas, got 'x'"],
    [['x', '--set', '1x=2'], "--set expects NAME=VALUE pairs separated by commas, got '1x=2'"],
    [['x', '--set', 'x=abc'], "--set: the value of 'x' must be a finite number, got 'abc'"],
    [['x', '--set', 'x='], "--set: the value of 'x' must be a finite number, got ''"],
    [['x', '--set', 'x=Infinity'], "--set: the value of 'x' must be a finite number, got 'Infinity'"],
    [['x', '--set', 'x=1,x=2'], "--set: 'x' is given twice"],
    [['x', '--set', 'exp=1'], "--set: 'exp' is a function, not a variable"],
    [['2 * 3'], "expression: '2 * 3' has no variables, so there is nothing to differentiate"],
    [['x', 'y'], "expected one expression, got 2 arguments (quote the expression): 'x' 'y'"],
    [['--digits', '11'], "--digits must be an integer from 0 to 10, got '11'"],
    [['--digits=-1'], "--digits must be an integer from 0 to 10, got '-1'"],
    [['--digits', '-1'], "Option '--digits' argument is ambiguous"],
    [['--digits', '1.5'], "--digits must be an integer from 0 to 10, got '1.5'"],
    [['--out', ''], '--out must name a directory'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--fused=yes'], "Option '--fused' does not take an argument"],
    [['--set'], "Option '--set <value>' argument missing"],
  ])('%j → %s', async (argv, message) => {
    expect(await usageError(argv)).toContain(message);
  });

  it('shows a syntax error with a caret under the expression', async () => {
    expect((await usageError(['x*(y+)', '--set', 'x=1,y=2'])).split('\n')).toEqual([
      "expression: expected a number, a variable, a function or '(', got ')' at column 6",
      '  x*(y+)',
      '       ^',
    ]);
  });

  it('refuses an --out that is a file', async () => {
    const file = join(TMP, 'a-file');
    writeFileSync(file, 'x');
    expect(await usageError(['--out', file])).toMatch(/^--out: cannot create directory '.*a-file' \(EEXIST\)$/);
  });

  it('parses --set lists', () => {
    expect(parseBindings(['x=1, y=-2.5e-1', 'z = 3'])).toEqual({ x: 1, y: -0.25, z: 3 });
    expect(parseBindings([])).toEqual({});
  });
});

/** Spawns the real command line; resolves with exit code, stdout and stderr. */
function nabla(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/nabla.js'), ...args], { cwd: TMP, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('nabla graph (spawned)', () => {
  it('prints the lecture graph with the slides\' numbers and writes graph.svg and graph.png', async () => {
    const out = join(TMP, 'spawned');
    const { code, stdout, stderr } = await nabla(['graph', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows = Object.fromEntries(
      stdout.split('\n').filter((l) => /^\S+\s+(input|mul|add|neg|exp|reciprocal)\b/.test(l)).map((l) => [l.split(/\s+/)[0], l]),
    );
    const cells = (label: string) => rows[label].split(/\s{2,}/);
    // node, op, value, grad
    for (const [label, value, grad] of [
      ['w0', '2.00', '-0.20'], ['x0', '-1.00', '0.39'], ['w1', '-3.00', '-0.39'], ['x1', '-2.00', '-0.59'], ['w2', '-3.00', '0.20'],
      ['mul#2', '-2.00', '0.20'], ['mul#5', '6.00', '0.20'], ['add#6', '4.00', '0.20'], ['add#8', '1.00', '0.20'],
      ['neg#9', '-1.00', '-0.20'], ['exp#10', '0.37', '-0.53'], ['add#12', '1.37', '-0.53'], ['reciprocal#13', '0.73', '1.00'],
    ]) {
      expect(cells(label).slice(2, 4)).toEqual([value, grad]);
    }
    expect(readFileSync(join(out, 'graph.svg'), 'utf8')).toContain('>0.73</text>');
    expect(existsSync(join(out, 'graph.png'))).toBe(true);
  });

  it('takes an expression, and defaults --out to runs/graph', async () => {
    const { code, stdout } = await nabla(['graph', 'x*x + 3*x', '--set', 'x=2', '--digits', '1']);
    expect(code).toBe(0);
    expect(stdout).toContain('f = 10.0');
    expect(stdout).toMatch(/^x\s+input\s+2\.0\s+7\.0$/m);
    expect(stdout).toContain(`wrote ${join('runs', 'graph', 'graph.svg')}`);
    expect(existsSync(join(TMP, 'runs', 'graph', 'graph.png'))).toBe(true);
  });

  it('exits 2 with one line for a bad option, and lists graph in nabla --help', async () => {
    const bad = await nabla(['graph', '--digits', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe("nabla graph: --digits must be an integer from 0 to 10, got 'many'\n");
    const missing = await nabla(['graph', 'x + y', '--set', 'x=1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("nabla graph: no value for variable 'y': give it with --set y=VALUE\n");
    const help = await nabla(['graph', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: nabla graph [EXPRESSION] [options]');
  });
});
