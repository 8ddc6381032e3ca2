import { describe, expect, it } from 'vitest';
import { inspect, manualSeed, nn, randn } from '../src/index.js';

describe('inspect on a real layer', () => {
  it('summarizes a 512×784 weight in the text view (more values than a call takes as spread arguments)', () => {
    manualSeed(0);
    const layer = new nn.Linear(784, 512);
    const loss = layer.forward(randn([2, 784])).sum();
    loss.backward();
    const w = layer.weight.data;
    const lo = w.reduce((m, v) => Math.min(m, v), Infinity);
    const hi = w.reduce((m, v) => Math.max(m, v), -Infinity);
    const text = inspect(loss).toText();
    expect(text).toContain(`[512×784: ${lo.toFixed(4)} … ${hi.toFixed(4)}]`);
  });
});
