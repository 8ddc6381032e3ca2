/**
 * Leaves take an op's freshly allocated gradient without a copy (exclusiveGrad), and get a copy of
 * anything shared; either way .grad never aliases another leaf's grad or a graph's record that
 * a later backward would change.
 */
import { describe, expect, it } from 'vitest';
import { inspect, nn, tensor } from '../src/index.js';
import { exclusiveGrad, isExclusiveGrad } from '../src/autograd/exclusive-grad.js';

describe('leaf gradients without needless copies', () => {
  it("a Linear layer's weight takes the op's own dW: the grad is the tensor the graph recorded", () => {
    const layer = new nn.Linear(3, 2);
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const y = layer.forward(x).sum();
    y.backward();
    const node = y.node!.inputs[0].node!;
    expect(node.op).toBe('linear');
    expect(layer.weight.grad).toBe(node.inputGrads![1]);
    // dW = Σ_rows dY·x = column sums of x for each output
    expect(Array.from(layer.weight.grad!.data)).toEqual([5, 7, 9, 5, 7, 9]);
    expect(Array.from(layer.bias!.grad!.data)).toEqual([2, 2]);
  });

  it('a second backward adds out of place, so the first graph keeps what it sent', () => {
    const layer = new nn.Linear(2, 1);
    const y1 = layer.forward(tensor([[1, 2]])).sum();
    y1.backward();
    const first = layer.weight.grad!;
    const recorded = y1.node!.inputs[0].node!.inputGrads![1]!;
    layer.forward(tensor([[10, 20]])).sum().backward();
    expect(Array.from(layer.weight.grad!.data)).toEqual([11, 22]);
    expect(layer.weight.grad).not.toBe(first);
    expect(Array.from(recorded.data)).toEqual([1, 2]);
    // and a third adds in place into the engine's own sum, still right
    layer.forward(tensor([[100, 200]])).sum().backward();
    expect(Array.from(layer.weight.grad!.data)).toEqual([111, 222]);
    expect(inspect(y1).nodes.find((n) => n.shape.join() === '1,2' && n.op === 'input' && n.grad)?.grad).toEqual([[1, 2]]);
  });

  it('a gradient shared by two leaves (add passes it to both) is copied for each', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    a.add(b).backward(tensor([1, 1]));
    expect(a.grad).not.toBe(b.grad);
    expect(a.grad!.data).not.toBe(b.grad!.data);
    a.grad!.data[0] = 50;
    expect(Array.from(b.grad!.data)).toEqual([1, 1]);
  });

  it('the gradient passed to backward() is never taken by a leaf', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const g = tensor([5, 6]);
    a.backward(g);
    expect(a.grad).not.toBe(g);
    g.data[0] = 0;
    expect(Array.from(a.grad!.data)).toEqual([5, 6]);
  });

  it('exclusiveGrad marks a tensor and passes null through', () => {
    const t = tensor([1]);
    expect(isExclusiveGrad(t)).toBe(false);
    expect(exclusiveGrad(t)).toBe(t);
    expect(isExclusiveGrad(t)).toBe(true);
    expect(exclusiveGrad(null)).toBeNull();
  });
});
