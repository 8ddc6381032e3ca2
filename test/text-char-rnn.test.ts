/**
 * CharRNN (src/text/char-rnn.ts), the character model of `nabla train --model lstm | gru | rnn`:
 * shapes and names, the state carried across calls, model files, errors, and that it learns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Tensor, loadModel, manualSeed, nn, noGrad, optim, saveModel, tensor, text } from '../src/index.js';

const { CharRNN } = text;

/** ids [B, T] of a string per row (codes mod vocab). */
function ids(rows: string[], vocab: number): Tensor {
  return tensor(rows.map((r) => Array.from(r, (ch) => ch.charCodeAt(0) % vocab)));
}

describe('CharRNN', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-char-rnn-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is Embedding → LSTM/GRU/RNN (batchFirst) → Linear: logits [B, T, vocab], names for each cell', () => {
    manualSeed(1);
    for (const cell of ['lstm', 'gru', 'rnn'] as const) {
      const m = new CharRNN(11, { cell, width: 6, layers: 2, dropout: 0.1 });
      expect(m.forward(ids(['hello', 'world'], 11)).shape).toEqual([2, 5, 11]);
      expect(m.rnn).toBeInstanceOf({ lstm: nn.LSTM, gru: nn.GRU, rnn: nn.RNN }[cell]);
      expect(m.rnn.batchFirst).toBe(true);
      expect(m.rnn.numLayers).toBe(2);
      expect(m.rnn.dropout).toBe(0.1);
      const names = Object.keys(m.stateDict());
      expect(names.slice(0, 2)).toEqual(['embedding.weight', 'rnn.weightIhL0']);
      expect(names.slice(-2)).toEqual(['fc.weight', 'fc.bias']);
    }
  });

  it('forwardWithState: one character at a time, carrying the state, gives the whole sequence\'s logits', () => {
    manualSeed(2);
    for (const cell of ['lstm', 'gru'] as const) {
      const m = new CharRNN(7, { cell, width: 5, layers: 2 }).eval();
      const seq = ids(['abcdefg', 'gfedcba'], 7);
      const whole = noGrad(() => m.forward(seq)).toArray() as number[][][];
      let state: text.CharRnnState | null = null;
      for (let t = 0; t < 7; t++) {
        const [logits, next]: [Tensor, text.CharRnnState] = noGrad(() => m.forwardWithState(seq.narrow(1, t, 1), state));
        state = next;
        const step = logits.toArray() as number[][][];
        for (let b = 0; b < 2; b++) step[b][0].forEach((v, k) => expect(v).toBeCloseTo(whole[b][t][k], 5));
      }
    }
  });

  it('saveModel / loadModel rebuild it from its options', () => {
    manualSeed(3);
    const m = new CharRNN(9, { cell: 'gru', width: 4, layers: 1 });
    const path = join(dir, 'char.safetensors');
    saveModel(m, path);
    const loaded = loadModel(path);
    expect(loaded.spec).toEqual({ type: 'CharRNN', config: { vocabSize: 9, cell: 'gru', width: 4, layers: 1, dropout: 0 } });
    const x = ids(['abc'], 9);
    expect(Array.from(noGrad(() => loaded.model.forward(x)).data)).toEqual(Array.from(noGrad(() => m.eval().forward(x)).data));
  });

  it('refuses bad options and input', () => {
    expect(() => new CharRNN(0, { cell: 'lstm', width: 4, layers: 1 })).toThrow('CharRNN: vocabSize must be a positive integer, got 0');
    expect(() => new CharRNN(5, { cell: 'transformer' as 'lstm', width: 4, layers: 1 })).toThrow("CharRNN: cell must be one of 'lstm', 'gru', 'rnn'");
    expect(() => new CharRNN(5, { cell: 'lstm', width: 4 } as never)).toThrow('CharRNN: layers is required, got undefined');
    expect(() => new CharRNN(5, { cell: 'lstm', width: 4, layers: 1, depth: 2 } as never)).toThrow("CharRNN: unknown option 'depth'");
    const m = new CharRNN(5, { cell: 'lstm', width: 4, layers: 1 });
    expect(() => m.forward(tensor([1, 2, 3]))).toThrow('CharRNN(5, lstm, width 4): expected ids of shape [batch, steps], got shape [3]');
    expect(() => m.forward(tensor([[1, 7]]))).toThrow(/Embedding\(5, 4\)/);
  });

  it('learns a repeating sequence (Adam, a few hundred steps)', () => {
    manualSeed(4);
    const m = new CharRNN(4, { cell: 'lstm', width: 16, layers: 1 });
    const opt = new optim.Adam(m.parameters(), { lr: 0.02 });
    const stream = 'abcd'.repeat(6);
    const x = ids([stream.slice(0, 16), stream.slice(2, 18)], 4);
    const y = Int32Array.from([...stream.slice(1, 17), ...stream.slice(3, 19)], (ch) => ch.charCodeAt(0) % 4);
    let first = 0;
    let last = 0;
    for (let step = 0; step < 150; step++) {
      opt.zeroGrad();
      const loss = nn.functional.crossEntropy(m.forward(x).reshape([-1, 4]), y);
      loss.backward();
      opt.step();
      if (step === 0) first = loss.item();
      last = loss.item();
    }
    expect(first).toBeGreaterThan(1);
    expect(last).toBeLessThan(0.05);
  });
});
