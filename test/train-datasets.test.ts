import { describe, expect, it } from 'vitest';
import { loadTrainingData } from '../src/train/datasets.js';

describe('loadTrainingData (the data sets nabla train knows by name)', () => {
  it('counts the classes of a synthetic set larger than the engine takes as spread arguments', () => {
    const data = loadTrainingData({ dataset: 'xor', images: false, samples: 300_000, seed: 1 });
    expect(data.train.length).toBe(300_000);
    expect(data.classes).toEqual(['0', '1']);
    expect(data.sampleShape).toEqual([2]);
  });
});
