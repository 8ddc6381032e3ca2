import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint } from '../src/train/checkpoint.js';
import type { Tensor } from '../src/index.js';

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-train-'));

function nabla(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/nabla.js', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const small = ['--dataset', 'spiral', '--samples', '300', '--hidden', '16,16', '--batch-size', '32', '--quiet'];

describe('nabla train', () => {
  it('trains on a synthetic set and writes the run folder', () => {
    const out = join(tmp, 'run');
    const r = nabla('train', ...small, '--epochs', '4', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('test loss / accuracy');
    expect(r.stdout).toContain(out);
    for (const f of ['summary.json', 'metrics.csv', 'curves.svg', 'curves.png', 'diagnostics.json', 'diagnostics.svg', 'diagnostics.png', 'checkpoint.safetensors']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.epochs).toBe(4);
    expect(summary.testAccuracy).toBeGreaterThan(0.5);
    expect(summary.testLoss).toBeGreaterThan(0);
    expect(summary.samplesPerSec).toBeGreaterThan(0);
    expect(['js', 'native']).toContain(summary.backend);
    expect(summary.options).toMatchObject({ dataset: 'spiral', hidden: [16, 16], batchSize: 32, optimizer: 'adam', epochs: 4 });
    const csv = readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('epoch,loss,accuracy,valLoss,valAccuracy,lr,seconds,samplesPerSec');
    expect(csv).toHaveLength(5);
    expect(readFileSync(join(out, 'curves.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(out, 'curves.svg'), 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('--resume continues bitwise-identically to an uninterrupted run', () => {
    const straight = join(tmp, 'straight');
    const resumed = join(tmp, 'resumed');
    const common = [...small, '--lr-schedule', 'constant', '--seed', '3'];
    expect(nabla('train', ...common, '--epochs', '3', '--out', straight).code).toBe(0);
    expect(nabla('train', ...common, '--epochs', '1', '--out', resumed).code).toBe(0);
    const r = nabla('train', '--resume', resumed, '--epochs', '3', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const a = loadCheckpoint(join(straight, 'checkpoint.safetensors'));
    const b = loadCheckpoint(join(resumed, 'checkpoint.safetensors'));
    expect(b.epoch).toBe(3);
    expect(b.step).toBe(a.step);
    const ma = a.model as Record<string, Tensor>;
    const mb = b.model as Record<string, Tensor>;
    expect(Object.keys(mb)).toEqual(Object.keys(ma));
    for (const k of Object.keys(ma)) expect(Buffer.from(mb[k].data.buffer).equals(Buffer.from(ma[k].data.buffer)), k).toBe(true);
    const sa = JSON.parse(readFileSync(join(straight, 'summary.json'), 'utf8'));
    const sb = JSON.parse(readFileSync(join(resumed, 'summary.json'), 'utf8'));
    expect(sb.testLoss).toBe(sa.testLoss);
    expect(sb.final.loss).toBe(sa.final.loss);
  });

  it('refuses a truncated checkpoint in one line naming the file', () => {
    const out = join(tmp, 'truncated');
    expect(nabla('train', ...small, '--epochs', '1', '--out', out).code).toBe(0);
    const path = join(out, 'checkpoint.safetensors');
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = nabla('train', '--resume', out, '--epochs', '2');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`checkpoint ${path}: truncated`);
    expect(r.stderr).not.toMatch(/\bat \S+:\d+/);
  });

  it('validates every option with a one-line message', () => {
    const cases: [string[], RegExp][] = [
      [['--optimizer', 'sgdx'], /--optimizer must be one of sgd, momentum, nesterov/],
      [['--epochs', '0'], /--epochs must be a positive integer, got '0'/],
      [['--lr=-1'], /--lr must be a positive number, got '-1'/],
      [['--lr', '0'], /--lr must be a positive number, got '0'/],
      [['--hidden', '16,x'], /--hidden must be a comma-separated list of positive integers/],
      [['--dataset', 'cifar'], /--dataset must be one of mnist, fashion-mnist, spiral/],
      [['--activation', 'swish'], /--activation must be one of relu, sigmoid, tanh/],
      [['--model', 'cnn', '--dataset', 'moons'], /--model cnn needs an image data set/],
      [['--batch-norm', '--no-batch-norm'], /exclude each other/],
      [['--frobnicate'], /Unknown option '--frobnicate'/],
      [['--backend', 'gpu'], /--backend: setBackend: unknown backend 'gpu'/],
      [['--resume', join(tmp, 'nowhere')], /--resume: no checkpoint at/],
    ];
    for (const [args, message] of cases) {
      const r = nabla('train', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('prints help for the command and for train', () => {
    const top = nabla('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Usage: nabla <command>/);
    expect(top.stdout).toMatch(/train/);
    const help = nabla('train', '--help');
    expect(help.code).toBe(0);
    for (const flag of ['--dataset', '--model', '--hidden', '--activation', '--batch-norm', '--no-batch-norm', '--optimizer', '--lr', '--epochs', '--batch-size', '--seed', '--out', '--resume']) {
      expect(help.stdout).toContain(flag);
    }
    expect(nabla('fly').code).toBe(2);
  });
});
