import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRaceArgs } from '../src/cli/race.js';
import { UsageError } from '../src/cli/command.js';
import { RACER_NAMES } from '../src/viz/race.js';

const root = join(import.meta.dirname, '..');

function nabla(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/nabla.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('nabla race (end to end)', () => {
  it('races on Rosenbrock, prints the table and writes the files', () => {
    const out = mkdtempSync(join(tmpdir(), 'nabla-race-'));
    try {
      const r = nabla('race', '--surface', 'rosenbrock', '--steps', '50', '--animate', '--out', out);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Rosenbrock, f = (1 − x)² + 100·(y − x²)²: 50 steps from (-1.5, 2.5); minimum f* = 0 at (1, 1)');
      for (const label of ['GD', 'Momentum', 'Nesterov', 'Adagrad', 'RMSProp', 'Adam', 'AdamW', 'Adadelta', 'FTRL']) {
        expect(r.stdout).toMatch(new RegExp(`^${label} +\\d`, 'm'));
      }
      for (const name of ['race.svg', 'race.png', 'race-loss.svg', 'race-animated.svg']) {
        expect(existsSync(join(out, name)), name).toBe(true);
        expect(r.stdout).toContain(join(out, name));
      }
      const png = readFileSync(join(out, 'race.png'));
      expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
      expect(readFileSync(join(out, 'race.svg'), 'utf8').match(/class="trajectory"/g)).toHaveLength(RACER_NAMES.length);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('a bad option exits with code 2 and one line naming the valid choices', () => {
    const r = nabla('race', '--surface', 'banana');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("nabla race: --surface: unknown surface 'banana'; valid surfaces are quadratic, rosenbrock, beale, saddle, wells\n");
  });

  it('--help prints the options', () => {
    const r = nabla('race', '--help');
    expect(r.code).toBe(0);
    for (const option of ['--surface', '--optimizers', '--steps', '--lr-scale', '--condition', '--out', '--animate']) expect(r.stdout).toContain(option);
  });
});

describe('nabla race options', () => {
  it('defaults to every optimizer on the quadratic', () => {
    expect(parseRaceArgs([])).toEqual({ surface: 'quadratic', optimizers: [...RACER_NAMES], lrScale: 1, animate: false, steps: undefined, condition: undefined, out: undefined });
  });

  it('reads every option, in both --name value and --name=value forms', () => {
    expect(parseRaceArgs(['--surface=quadratic', '--optimizers', 'gd, adam', '--steps', '30', '--lr-scale=0.5', '--condition', '100', '--out', 'x', '--animate']))
      .toEqual({ surface: 'quadratic', optimizers: ['gd', 'adam'], steps: 30, lrScale: 0.5, condition: 100, out: 'x', animate: true });
  });

  const bad: [string[], string][] = [
    [['--optimizers', 'adam,sgd,lion'], `--optimizers: unknown optimizers 'sgd', 'lion'; valid optimizers are ${RACER_NAMES.join(', ')}`],
    [['--optimizers', ','], `--optimizers needs at least one name, from ${RACER_NAMES.join(', ')}`],
    [['--optimizers', 'gd,gd'], "--optimizers lists 'gd' more than once"],
    [['--steps', '0'], "--steps must be an integer from 1 to 100000, got '0'"],
    [['--steps', '2.5'], "--steps must be an integer from 1 to 100000, got '2.5'"],
    [['--steps', 'many'], "--steps must be an integer from 1 to 100000, got 'many'"],
    [['--lr-scale', '-1'], "--lr-scale must be a number > 0, got '-1'"],
    [['--condition', '0.5'], "--condition must be a number from 1 to 1000000, got '0.5'"],
    [['--surface', 'beale', '--condition', '10'], "--condition applies to --surface quadratic only, not 'beale'"],
    [['--steps'], '--steps needs a value'],
    [['--out', '--animate'], '--out needs a value'],
    [['--steps', '5', '--steps', '6'], '--steps is given more than once'],
    [['--animate=yes'], "--animate takes no value, got '--animate=yes'"],
    [['--lr', '0.1'], "unknown option '--lr'; options are --surface, --optimizers, --steps, --lr-scale, --condition, --out, --animate (see --help)"],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(' ')}`, () => {
      expect(() => parseRaceArgs(argv)).toThrow(UsageError);
      expect(() => parseRaceArgs(argv)).toThrow(message);
    });
  }
});
