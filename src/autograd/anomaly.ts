/**
 * Anomaly detection (torch.autograd.detect_anomaly, extended to the forward pass): while it is
 * on, the first NaN or ±Infinity an op produces — in its forward output or, in backward(), in
 * the gradient it sends to an input — throws an AnomalyError naming the op, its input shapes and
 * the line that called the op. A non-finite value an op merely received (user data, a parameter
 * an optimizer step broke) is reported as received, not blamed on the op.
 *
 * The call site is captured when the op runs (a stack trace, formatted only when reported), and
 * only while detection is on: when it is off, record() and backward() pay one boolean test.
 */
import type { Tensor } from '../tensor.js';
import type { GraphNode } from './node.js';
import { formatShape } from '../shape.js';
import { backend } from '../backend/registry.js';

/** Read by record() and backward(); change it through detectAnomaly / withAnomalyDetection. */
export const anomalyMode = { enabled: false, inBackward: false };

export type AnomalyPhase = 'forward' | 'backward';

export class AnomalyError extends Error {
  constructor(
    message: string,
    readonly op: string,
    readonly phase: AnomalyPhase,
    readonly inputShapes: number[][],
    readonly callSite: string,
  ) {
    super(message);
    this.name = 'AnomalyError';
  }
}

/** Turns anomaly detection on or off (globally, like torch.autograd.set_detect_anomaly). */
export function detectAnomaly(on = true): void {
  if (typeof on !== 'boolean') throw new Error(`detectAnomaly: on must be a boolean, got ${String(on)}`);
  anomalyMode.enabled = on;
}

export function isAnomalyEnabled(): boolean {
  return anomalyMode.enabled;
}

/** Runs fn with anomaly detection on, restoring the previous setting even when fn throws. fn must be synchronous. */
export function withAnomalyDetection<T>(fn: () => T): T {
  const before = anomalyMode.enabled;
  anomalyMode.enabled = true;
  try {
    return fn();
  } finally {
    anomalyMode.enabled = before;
  }
}

/** Runs the backward walk; while detection is on, ops inside backward closures are not checked as forward ops (their node is). */
export function backwardPhase(fn: () => void): void {
  if (!anomalyMode.enabled) return fn();
  const before = anomalyMode.inBackward;
  anomalyMode.inBackward = true;
  try {
    fn();
  } finally {
    anomalyMode.inBackward = before;
  }
}

/** Index of the first NaN or ±Infinity, or −1 (the backend's scan: vectorized in the native one). */
export function firstNonFinite(data: Float32Array): number {
  return backend().firstNonFinite(data);
}

const describe = (v: number): string => (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');

/** Where nabla's own frames are: folders (URLs and paths) of its code, and of those its ops, autograd and backends. */
interface Roots {
  own: string[];
  internal: string[];
}
let roots: Roots | null = null;

/**
 * nabla's own source folder (src/ from the sources, dist/ when compiled): where stack frames place
 * this very file, less its autograd/anomaly.* tail (in the command's bundle, source-mapped frames name
 * src/), and the module's own folder; in Node also the `nabla` command's launcher, bin/ beside them.
 * Found on the first report, not at load: reading a stack makes Node decode the bundle's source map.
 */
function nablaRoots(): Roots {
  if (roots) return roots;
  const folders: URL[] = [];
  const frame = /\((.*?)autograd\/anomaly\.[cm]?[jt]s:\d+:\d+\)/.exec(new Error().stack ?? '');
  if (frame) {
    try {
      folders.push(new URL(frame[1].startsWith('file:') ? frame[1] : `file://${frame[1]}`));
    } catch {
      // an unusual frame: the module's URL below still counts
    }
  }
  folders.push(new URL('../', import.meta.url));
  const forms = (u: URL) => [u.href, decodeURIComponent(u.pathname)];
  const own = folders.flatMap(forms);
  const internal = folders.flatMap((u) => ['ops/', 'autograd/', 'backend/'].flatMap((d) => forms(u).map((f) => f + d)));
  for (const u of folders) {
    // Not in a browser bundle, where the root may be a data: URL (Vite's asset handling), which is no base.
    if (u.protocol === 'file:') own.push(...forms(new URL('../bin/', u)));
  }
  roots = { own, internal };
  return roots;
}

/** A stack trace taken now, deep enough to get past nabla's own frames; formatted only if reported. */
function captureStack(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const e = new Error();
  Error.stackTraceLimit = limit;
  return e;
}

/**
 * The frame that called into nabla: the first one outside its source folder (node: internals
 * excepted), else — when nabla called itself, as fit() does — the first outside ops/, autograd/, backend/.
 */
export function callSiteOf(stack: Error | undefined): string {
  const frames = (stack?.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).map((l) => l.trim().slice(3));
  const { own, internal } = nablaRoots();
  const inside = (f: string) => own.some((p) => f.includes(p));
  const outside = frames.find((f) => !inside(f) && !f.includes('node:'));
  if (outside) return outside;
  const caller = frames.find((f) => inside(f) && !internal.some((p) => f.includes(p)));
  return caller ?? '(unknown: the op was recorded while anomaly detection was off)';
}

function shapesOf(inputs: Tensor[]): number[][] {
  return inputs.map((t) => t.shape.slice());
}

function listShapes(shapes: number[][]): string {
  if (shapes.length === 0) return 'no inputs';
  return `input${shapes.length > 1 ? 's' : ''} of shape ${shapes.map(formatShape).join(', ')}`;
}

/**
 * Called by record() while detection is on: throws when out holds a NaN/Infinity, blaming the op
 * unless an input already held one. Returns the captured call site for the graph node.
 */
export function checkForward(op: string, out: Tensor, inputs: Tensor[]): Error | undefined {
  if (anomalyMode.inBackward) return undefined;
  const stack = captureStack();
  const bad = firstNonFinite(out.data);
  if (bad < 0) return stack;
  const shapes = shapesOf(inputs);
  const site = callSiteOf(stack);
  for (let k = 0; k < inputs.length; k++) {
    const i = firstNonFinite(inputs[k].data);
    if (i >= 0) {
      throw new AnomalyError(
        `anomaly: op '${op}' received ${describe(inputs[k].data[i])} in input ${k} (element ${i}; ${listShapes(shapes)}): ` +
          `it was not produced by an op under anomaly detection (input data, or a parameter changed in place); called from ${site}`,
        op, 'forward', shapes, site,
      );
    }
  }
  throw new AnomalyError(
    `anomaly: op '${op}' produced ${describe(out.data[bad])} in the forward pass (output ${formatShape(out.shape)} element ${bad}; ` +
      `${listShapes(shapes)}, all finite); called from ${site}`,
    op, 'forward', shapes, site,
  );
}

/**
 * Called by backward() while detection is on, after a node's backward closure ran: the upstream
 * gradient it received and each gradient it returned must be finite.
 */
export function checkBackward(node: GraphNode, out: Tensor, grad: Tensor, inputGrads: (Tensor | null)[]): void {
  // The shapes and the call site (a stack formatted through source maps) only when reporting.
  const shapes = () => shapesOf(node.inputs);
  const site = () => callSiteOf(node.callSite);
  const g = firstNonFinite(grad.data);
  if (g >= 0) {
    throw new AnomalyError(
      `anomaly: op '${node.op}' received ${describe(grad.data[g])} in its upstream gradient in the backward pass ` +
        `(output ${formatShape(out.shape)} element ${g}; ${listShapes(shapes())}): the gradient passed to backward(), or a sum of ` +
        `gradients that overflowed; op called from ${site()}`,
      node.op, 'backward', shapes(), site(),
    );
  }
  inputGrads.forEach((gi, k) => {
    if (!gi || !node.inputs[k].requiresGrad) return;
    const i = firstNonFinite(gi.data);
    if (i >= 0) {
      throw new AnomalyError(
        `anomaly: the backward of op '${node.op}' produced ${describe(gi.data[i])} in the gradient of input ${k} ` +
          `(element ${i}; ${listShapes(shapes())}; upstream gradient finite); op called from ${site()}`,
        node.op, 'backward', shapes(), site(),
      );
    }
  });
}
