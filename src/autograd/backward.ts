/** Reverse-mode differentiation: a topological sort of the graph, then one reverse loop. */
import { Tensor } from '../tensor.js';
import { backend } from '../backend/registry.js';
import { formatShape, sameShape } from '../shape.js';
import { noGrad } from './grad-mode.js';
import { isExclusiveGrad } from './exclusive-grad.js';
import { anomalyMode, backwardPhase, checkBackward } from './anomaly.js';
import type { SparseGrad } from './sparse-grad.js';

/** A row-sparse gradient (SparseGrad; not imported as a value: it extends Tensor, which imports this file). */
const sparse = (g: Tensor): g is SparseGrad => g.isSparse;

/** a + b when either is a SparseGrad: merged rows when both are, else a fresh dense sum. */
function addSparse(a: Tensor, b: Tensor): Tensor {
  if (sparse(a) && sparse(b)) return a.plus(b);
  const [s, d] = sparse(a) ? [a, b] : [b as SparseGrad, a];
  const out = new Tensor(d.data.slice(), d.shape.slice());
  s.addInto(out.data);
  return out;
}

/** Tensors reachable from root that require grad, each after all the tensors it depends on. */
export function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (visited.has(t)) continue;
    visited.add(t);
    stack.push([t, true]);
    for (const input of t.node?.inputs ?? []) if (input.requiresGrad && !visited.has(input)) stack.push([input, false]);
  }
  return order;
}

function accumulate(into: Tensor, g: Tensor): void {
  backend().binary('add', into.data, into.shape, g.data, g.shape, into.data, into.shape);
}

function sum(a: Tensor, b: Tensor): Tensor {
  const out = new Tensor(new Float32Array(a.size), a.shape.slice());
  backend().binary('add', a.data, a.shape, b.data, b.shape, out.data, out.shape);
  return out;
}

/** Computes dRoot/dLeaf for every leaf that requires grad, adding it to leaf.grad. */
export function backward(root: Tensor, grad?: Tensor): void {
  if (!root.requiresGrad) {
    throw new Error('backward: the tensor does not require grad (create its inputs with requiresGrad: true)');
  }
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new Error(`backward: a gradient is required for a non-scalar output of shape ${formatShape(root.shape)}`);
    }
    grad = new Tensor(new Float32Array(root.size).fill(1), root.shape.slice());
  } else if (!(grad instanceof Tensor)) {
    throw new Error('backward: gradient must be a Tensor');
  } else if (!sameShape(grad.shape, root.shape)) {
    throw new Error(`backward: gradient shape ${formatShape(grad.shape)} does not match output shape ${formatShape(root.shape)}`);
  }

  const grads = new Map<Tensor, Tensor>([[root, grad]]);
  // Tensors the engine allocated while accumulating: safe to add into in place.
  const owned = new Set<Tensor>();
  const order = topologicalOrder(root);
  noGrad(() => backwardPhase(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      let g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      const node = t.node;
      if (!node) {
        // A leaf takes an unshared gradient as it is, and a copy of anything else. A grad it took
        // is also a node's inputGrads entry (what inspect() shows), so later sums go out of place.
        // Sparse gradients are made fresh for their one input and never added into in place.
        if (!t.grad) t.grad = owned.has(g) || isExclusiveGrad(g) || sparse(g) ? g : new Tensor(g.data.slice(), g.shape.slice());
        else if (sparse(t.grad) || sparse(g)) t.grad = addSparse(t.grad, g);
        else if (isExclusiveGrad(t.grad)) t.grad = sum(t.grad, g);
        else accumulate(t.grad, g);
        continue;
      }
      // An op's backward takes dense gradients (a sparse one reaches a non-leaf only when the weight was computed).
      if (sparse(g)) g = g.toDense();
      const inputGrads = node.backward(g);
      if (anomalyMode.enabled) checkBackward(node, t, g, inputGrads);
      node.grad = g;
      node.inputGrads = inputGrads;
      node.inputs.forEach((input, k) => {
        const gi = inputGrads[k];
        if (!gi || !input.requiresGrad) return;
        const giShape = sparse(gi) ? gi.denseShape : gi.shape;
        if (!sameShape(giShape, input.shape)) {
          throw new Error(
            `backward: op '${node.op}' returned a gradient of shape ${formatShape(giShape)} for input ${k} of shape ${formatShape(input.shape)}`,
          );
        }
        const prev = grads.get(input);
        if (!prev) grads.set(input, gi);
        else if (sparse(prev) || sparse(gi)) {
          const total = addSparse(prev, gi);
          grads.set(input, total);
          if (!sparse(total)) owned.add(total);
        } else if (owned.has(prev)) accumulate(prev, gi);
        else {
          const total = sum(prev, gi);
          grads.set(input, total);
          owned.add(total);
        }
      });
    }
  }));
}
