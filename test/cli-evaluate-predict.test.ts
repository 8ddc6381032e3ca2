/**
 * `nabla evaluate` and `nabla predict` end to end on run folders `nabla train` wrote (MLP and CNN on
 * MNIST, an MLP on a 2-D set): the same test accuracy as the run's summary, eval.json, predictions
 * on PNG/JPEG files and CSV rows equal to the model's own outputs, one-line errors with exit 2.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import { loadModel, noGrad, softmax, Tensor } from '../src/index.js';
import { loadMnist } from '../src/data/mnist.js';
import { loadTrainingData } from '../src/train/datasets.js';
import { standardize } from '../src/serialize/preprocess.js';

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-eval-'));
const runs = { mlp: join(tmp, 'mlp'), cnn: join(tmp, 'cnn'), spiral: join(tmp, 'spiral') };

function nabla(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/nabla.js', ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function summary(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
}

/** MNIST test image i as an RGBA picture scaled up 3× (nearest), light on dark, or inverted. */
function digitPicture(i: number, invert: boolean) {
  const { x } = loadMnist({ split: 'test', limit: i + 1 });
  const side = 84;
  const png = new pngjs.PNG({ width: side, height: side });
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const v = Math.round(x.data[i * 784 + Math.floor(r / 3) * 28 + Math.floor(c / 3)] * 255);
      const g = invert ? 255 - v : v;
      png.data.set([g, g, g, 255], 4 * (r * side + c));
    }
  }
  return png;
}

/** The model's own class probabilities for raw samples (pixels in [0, 1] or features), as predict must give. */
function modelProbabilities(dir: string, raw: Float32Array, n: number): Float32Array {
  const { model, preprocess } = loadModel(join(dir, 'model.safetensors'));
  const input = new Tensor(standardize(preprocess!, raw.slice()), [n, ...preprocess!.inputShape]);
  return noGrad(() => softmax(model.forward(input), -1)).data;
}

beforeAll(() => {
  const train = [
    ['--samples', '3000', '--epochs', '1', '--hidden', '64', '--out', runs.mlp],
    ['--model', 'cnn', '--filters', '4,8', '--samples', '1500', '--epochs', '1', '--out', runs.cnn],
    ['--dataset', 'spiral', '--samples', '300', '--hidden', '16,16', '--epochs', '15', '--out', runs.spiral],
  ];
  for (const args of train) {
    const r = nabla('train', ...args, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
}, 300_000);

describe('nabla evaluate', () => {
  for (const kind of ['mlp', 'cnn', 'spiral'] as const) {
    it(`reproduces the ${kind} run's test accuracy and writes eval.json`, () => {
      const dir = runs[kind];
      const r = nabla('evaluate', dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const s = summary(dir);
      expect(r.stdout).toContain(`accuracy ${(s.testAccuracy * 100).toFixed(2)}%`);
      const report = JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8'));
      expect(report.accuracy).toBe(s.testAccuracy);
      expect(report.loss).toBeCloseTo(s.testLoss, 6);
      expect(report.confusionMatrix).toEqual(s.confusionMatrix);
      expect(report.perClass.reduce((n: number, c: { samples: number }) => n + c.samples, 0)).toBe(report.samples);
      for (const [k, c] of report.perClass.entries()) {
        expect(c.correct).toBe(report.confusionMatrix[k][k]);
        expect(c.class).toBe(s.classes[k]);
      }
      expect(r.stdout).toContain('confusion matrix');
    }, 120_000);
  }

  it('scores the training split, and another data set standardized as the model expects', () => {
    const r = nabla('evaluate', runs.mlp, '--split', 'train', '--out', join(tmp, 'train-eval.json'));
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(tmp, 'train-eval.json'), 'utf8'));
    expect(report.split).toBe('train');
    expect(report.samples).toBe(3000);
    expect(report.accuracy).toBeGreaterThan(0.8);
    const fashion = nabla('evaluate', runs.mlp, '--dataset', 'fashion-mnist', '--out', join(tmp, 'fashion.json'));
    expect(fashion.code).toBe(0);
    expect(JSON.parse(readFileSync(join(tmp, 'fashion.json'), 'utf8')).accuracy).toBeLessThan(0.5);
  }, 120_000);

  it('refuses a missing folder, a folder without a model, a damaged model file and bad options in one line, exit 2', () => {
    const damaged = join(tmp, 'damaged');
    mkdirSync(damaged);
    const bytes = readFileSync(join(runs.spiral, 'model.safetensors'));
    writeFileSync(join(damaged, 'model.safetensors'), bytes.subarray(0, bytes.length - 7));
    const cases: [string[], RegExp][] = [
      [[join(tmp, 'nope')], /^nabla evaluate: no run folder at .*nope\n$/],
      [[tmp], /^nabla evaluate: .* has no model\.safetensors \(nabla train writes it after each epoch/],
      [[damaged], /^nabla evaluate: model file .*damaged\/model\.safetensors: truncated/],
      [[runs.spiral, '--split', 'val'], /^nabla evaluate: --split must be test or train, got 'val'\n$/],
      [[runs.spiral, '--dataset', 'mnist'], /^nabla evaluate: --dataset mnist has samples of shape \[784\], the model takes \[2\]\n$/],
      [[runs.spiral, '--dataset', 'imagenet'], /^nabla evaluate: --dataset must be one of/],
      [[], /^nabla evaluate: expected a run folder/],
    ];
    for (const [args, message] of cases) {
      const r = nabla('evaluate', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 120_000);

  it('has --help', () => {
    const r = nabla('evaluate', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: nabla evaluate RUN_DIR/);
  });
});

describe('nabla predict', () => {
  it("gives the model's own probabilities for a PNG of a digit, and the same class for an inverted JPEG", () => {
    const index = 3;
    const png = digitPicture(index, false);
    const pngPath = join(tmp, 'digit.png');
    writeFileSync(pngPath, pngjs.PNG.sync.write(png));
    const jpgPath = join(tmp, 'paper.jpg');
    writeFileSync(jpgPath, jpeg.encode({ data: digitPicture(index, true).data, width: 84, height: 84 }, 95).data);
    for (const dir of [runs.mlp, runs.cnn]) {
      const r = nabla('predict', dir, pngPath, jpgPath, '--json', '--top', '10');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const [fromPng, fromJpg] = JSON.parse(r.stdout);
      const { x } = loadMnist({ split: 'test', limit: index + 1 });
      const expected = modelProbabilities(dir, x.data.slice(index * 784, (index + 1) * 784), 1);
      expect(fromPng.input).toBe(pngPath);
      expect(fromPng.top).toHaveLength(10);
      for (const { class: c, probability } of fromPng.top) expect(probability).toBeCloseTo(expected[Number(c)], 4);
      expect(fromJpg.top[0].class).toBe(fromPng.top[0].class);
    }
    const text = nabla('predict', runs.mlp, pngPath);
    expect(text.stdout).toMatch(new RegExp(`^${pngPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  \\d \\d+\\.\\d\\d%   \\d \\d+\\.\\d\\d%   \\d \\d+\\.\\d\\d%\\n$`));
  }, 120_000);

  it('classifies CSV rows for a 2-D model like the model itself', () => {
    const data = loadTrainingData({ dataset: 'spiral', images: false, samples: 300, seed: 0 });
    const rows = [0, 1, 2, 3].map((i) => data.test.get(i).x.data);
    const csv = join(tmp, 'points.csv');
    writeFileSync(csv, `x,y\n${rows.map((r) => Array.from(r).join(',')).join('\n')}\n`);
    const r = nabla('predict', runs.spiral, csv, '--json', '--top', '3');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results.map((x: { input: string }) => x.input)).toEqual([2, 3, 4, 5].map((line) => `${csv}:${line}`));
    const flat = new Float32Array(rows.flatMap((x) => Array.from(x)));
    const expected = modelProbabilities(runs.spiral, flat, 4);
    results.forEach((res: { top: { class: string; probability: number }[] }, i: number) => {
      for (const { class: c, probability } of res.top) expect(probability).toBeCloseTo(expected[i * 3 + Number(c)], 5);
    });
  }, 60_000);

  it('reports each bad file in one line, still classifies the others, and exits 2', () => {
    const good = join(tmp, 'good.png');
    writeFileSync(good, pngjs.PNG.sync.write(digitPicture(0, false)));
    const notImage = join(tmp, 'notes.png');
    writeFileSync(notImage, 'hello');
    const broken = join(tmp, 'broken.png');
    writeFileSync(broken, readFileSync(good).subarray(0, 60));
    const r = nabla('predict', runs.mlp, notImage, good, broken, join(tmp, 'missing.jpg'));
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toContain(good);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`nabla predict: ${notImage}: not a PNG or JPEG file`);
    expect(lines[1]).toMatch(/^nabla predict: .*broken\.png: not a readable image \(/);
    expect(lines[2]).toMatch(/^nabla predict: .*missing\.jpg: cannot be read \(ENOENT\)$/);
    const csvToImageModel = nabla('predict', runs.spiral, good);
    expect(csvToImageModel.code).toBe(2);
    expect(csvToImageModel.stderr).toMatch(/the model takes 2 feature values, not an image: give a CSV file/);
    const wrongWidth = join(tmp, 'three.csv');
    writeFileSync(wrongWidth, '1,2,3\n');
    expect(nabla('predict', runs.spiral, wrongWidth).stderr).toMatch(/three\.csv: line 1: the model takes 2 feature values per row, got 3/);
    expect(nabla('predict', runs.mlp).stderr).toMatch(/^nabla predict: expected at least one INPUT file/);
    expect(nabla('predict', runs.mlp, good, '--top', '0').stderr).toMatch(/--top must be a positive integer/);
  }, 120_000);
});
