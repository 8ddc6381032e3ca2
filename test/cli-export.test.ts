/**
 * `nabla export` end to end: runs of the MLP and the CNN on MNIST exported to ONNX and to PyTorch,
 * and each runtime (ONNX Runtime on WebAssembly, PyTorch 1.13) reproduces the run's test accuracy on
 * the 10,000 raw test images (pixels in [0, 1]; the standardization is inside both exports).
 * Plus --help and one-line errors with exit 2.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { loadMnist } from '../src/data/mnist.js';

ort.env.wasm.numThreads = 1;
const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-export-'));
const runs = { mlp: join(tmp, 'mlp'), cnn: join(tmp, 'cnn') };

function nabla(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/nabla.js', ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const testAccuracy = (dir: string): number => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).testAccuracy;

/** ONNX Runtime's accuracy on the raw MNIST test images. */
async function onnxAccuracy(file: string, sampleShape: number[]): Promise<number> {
  const session = await ort.InferenceSession.create(readFileSync(file));
  const { x, y } = loadMnist({ split: 'test' });
  const batch = 1000;
  let correct = 0;
  for (let start = 0; start < y.length; start += batch) {
    const n = Math.min(batch, y.length - start);
    const input = new ort.Tensor('float32', x.data.slice(start * 784, (start + n) * 784), [n, ...sampleShape]);
    const logits = (await session.run({ input })).logits.data as Float32Array;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < 10; k++) if (logits[i * 10 + k] > logits[i * 10 + best]) best = k;
      if (best === y[start + i]) correct++;
    }
  }
  return correct / y.length;
}

beforeAll(() => {
  for (const args of [
    ['--samples', '4000', '--epochs', '1', '--hidden', '128,64', '--out', runs.mlp],
    ['--model', 'cnn', '--filters', '8,16', '--samples', '3000', '--epochs', '1', '--out', runs.cnn],
  ]) {
    const r = nabla('train', ...args, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
}, 300_000);

describe('nabla export', () => {
  it("ONNX Runtime reproduces the MLP's and the CNN's test accuracy from the exported files", async () => {
    for (const [dir, shape] of [[runs.mlp, [784]], [runs.cnn, [1, 28, 28]]] as const) {
      const out = join(tmp, `${dir.endsWith('cnn') ? 'cnn' : 'mlp'}.onnx`);
      const r = nabla('export', dir, '--format', 'onnx', '--out', out);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`wrote ${out}`);
      const accuracy = await onnxAccuracy(out, [...shape]);
      expect(Math.abs(accuracy - testAccuracy(dir))).toBeLessThanOrEqual(0.001);
      expect(accuracy).toBeGreaterThan(0.7);
    }
  }, 180_000);

  it("PyTorch reproduces the MLP's and the CNN's test accuracy from model.py and model.safetensors", () => {
    const dirs = [runs.mlp, runs.cnn].map((dir) => {
      const out = join(tmp, `torch-${dir.endsWith('cnn') ? 'cnn' : 'mlp'}`);
      const r = nabla('export', dir, '--format', 'torch', '--out', out);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return out;
    });
    const py = spawnSync('/usr/bin/python3', [join(root, 'test/python/mnist_accuracy.py'), ...dirs], { cwd: root, encoding: 'utf8', timeout: 180_000 });
    expect(py.stderr).toBe('');
    expect(py.status).toBe(0);
    const report = JSON.parse(py.stdout) as { dir: string; accuracy: number; loss: number }[];
    expect(report).toHaveLength(2);
    [runs.mlp, runs.cnn].forEach((dir, i) => {
      expect(Math.abs(report[i].accuracy - testAccuracy(dir))).toBeLessThanOrEqual(0.001);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(report[i].loss).toBeCloseTo(summary.testLoss, 3);
    });
  }, 180_000);

  it('writes model.onnx and torch/ in the run folder by default, and has --help', () => {
    expect(nabla('export', runs.mlp).code).toBe(0);
    expect(readFileSync(join(runs.mlp, 'model.onnx')).length).toBeGreaterThan(100_000);
    expect(nabla('export', runs.mlp, '--format', 'torch').code).toBe(0);
    expect(readFileSync(join(runs.mlp, 'torch', 'model.py'), 'utf8')).toMatch(/def load_model\(/);
    const help = nabla('export', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: nabla export RUN_DIR --format onnx\|torch/);
  }, 60_000);

  it('refuses an unknown format, a missing run folder and a damaged model file in one line, exit 2', () => {
    const damaged = join(tmp, 'damaged');
    mkdirSync(damaged);
    const bytes = Uint8Array.from(readFileSync(join(runs.mlp, 'model.safetensors')));
    bytes[bytes.length - 100] ^= 1;
    writeFileSync(join(damaged, 'model.safetensors'), bytes);
    const cases: [string[], RegExp][] = [
      [[runs.mlp, '--format', 'tflite'], /^nabla export: --format must be one of onnx, torch, got 'tflite'\n$/],
      [[join(tmp, 'nope'), '--format', 'onnx'], /^nabla export: no run folder at .*nope\n$/],
      [[damaged, '--format', 'onnx'], /^nabla export: model file .*damaged\/model\.safetensors: corrupted \(checksum mismatch\)\n$/],
      [[runs.mlp, runs.cnn], /^nabla export: expected one run folder, got 2/],
    ];
    for (const [args, message] of cases) {
      const r = nabla('export', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  }, 60_000);
});
