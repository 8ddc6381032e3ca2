import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;

function run(file: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('examples', () => {
  it('mnist-mlp trains and its test accuracy rises', () => {
    const out = run('examples/mnist-mlp.ts', '3000');
    const acc = [...out.matchAll(/epoch (\d): test accuracy ([\d.]+)%/g)].map((m) => Number(m[2]));
    expect(acc).toHaveLength(2);
    expect(acc[1]).toBeGreaterThan(85);
  });

  it('optimizer-comparison races on the quadratic and trains the spiral with each optimizer', () => {
    const out = run('examples/optimizer-comparison.ts');
    const dist = (name: string) => Number(new RegExp(`${name}\\s+distance to the minimum ([\\d.]+)`).exec(out)![1]);
    expect(dist('Momentum')).toBeLessThan(dist('GD'));
    expect(dist('Adam')).toBeLessThan(dist('GD'));
    const acc = (name: string) => Number(new RegExp(`\\n  ${name}\\s+loss [\\d.]+  accuracy ([\\d.]+)%`).exec(out)![1]);
    for (const name of ['Momentum', 'Adagrad', 'RMSProp', 'Adam', 'Adadelta']) expect(acc(name), name).toBeGreaterThan(90);
    expect(acc('GD')).toBeGreaterThan(60);
  });
});
