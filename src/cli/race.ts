/**
 * `nabla race`: optimizers race on a 2-D loss surface; prints where each ended and writes the
 * contour map with the trajectories (SVG and PNG), the loss per step, and optionally an animation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, type Command } from './command.js';
import { makeSurface, SURFACE_NAMES, type SurfaceName } from '../viz/surfaces/index.js';
import { defaultRacers, race, RACER_NAMES, type RacerName, type RaceResult } from '../viz/race.js';
import { contourPlot } from '../viz/contour-plot.js';
import { raceAnimation } from '../viz/race-animation.js';
import { raceLossChart } from '../viz/race-loss-chart.js';
import { svgToPng } from '../viz/png.js';

const help = `Usage: nabla race [options]

Race optimizers on a 2-D loss surface: every optimizer starts at the same point and takes
the same number of steps (forward, backward, step on a 2-element parameter tensor).

Options:
  --surface NAME        ${SURFACE_NAMES.join(' | ')} (default quadratic)
  --optimizers LIST     comma-separated, from ${RACER_NAMES.join(',')}
                        (default: all of them)
  --steps N             steps per optimizer (default: the surface's own, 60 to 500)
  --lr-scale X          multiply every tuned learning rate by X > 0 (default 1)
  --condition K         condition number κ ≥ 1 of the quadratic (default 50)
  --out DIR             output folder (default race-<surface>)
  --animate             also write race-animated.svg (plays in any browser)
  -h, --help            show this help

Writes race.svg, race.png (contour map with trajectories), race-loss.svg (f − f* per step),
and with --animate race-animated.svg.`;

interface RaceArgs {
  surface: SurfaceName;
  optimizers: RacerName[];
  steps?: number;
  lrScale: number;
  condition?: number;
  out?: string;
  animate: boolean;
}

const VALUE_OPTIONS = ['--surface', '--optimizers', '--steps', '--lr-scale', '--condition', '--out'];
const FLAGS = ['--animate'];

function number(option: string, text: string, check: (v: number) => boolean, expected: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !check(v)) throw new UsageError(`${option} must be ${expected}, got '${text}'`);
  return v;
}

export function parseRaceArgs(argv: string[]): RaceArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAGS.includes(name)) {
      if (eq > 0) throw new UsageError(`${name} takes no value, got '${arg}'`);
      flags.add(name);
    } else if (VALUE_OPTIONS.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      if (values.has(name)) throw new UsageError(`${name} is given more than once`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown option '${arg}'; options are ${[...VALUE_OPTIONS, ...FLAGS].join(', ')} (see --help)`);
    }
  }

  const surface = values.get('--surface') ?? 'quadratic';
  if (!(SURFACE_NAMES as readonly string[]).includes(surface)) {
    throw new UsageError(`--surface: unknown surface '${surface}'; valid surfaces are ${SURFACE_NAMES.join(', ')}`);
  }
  let optimizers: RacerName[] = [...RACER_NAMES];
  const list = values.get('--optimizers');
  if (list !== undefined) {
    const names = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (names.length === 0) throw new UsageError(`--optimizers needs at least one name, from ${RACER_NAMES.join(', ')}`);
    const unknown = names.filter((n) => !(RACER_NAMES as readonly string[]).includes(n));
    if (unknown.length > 0) {
      throw new UsageError(`--optimizers: unknown optimizer${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}; valid optimizers are ${RACER_NAMES.join(', ')}`);
    }
    const repeated = names.find((n, i) => names.indexOf(n) !== i);
    if (repeated) throw new UsageError(`--optimizers lists '${repeated}' more than once`);
    optimizers = names as RacerName[];
  }
  const stepsText = values.get('--steps');
  const steps = stepsText === undefined ? undefined
    : number('--steps', stepsText, (v) => Number.isInteger(v) && v >= 1 && v <= 100_000, 'an integer from 1 to 100000');
  const scaleText = values.get('--lr-scale');
  const lrScale = scaleText === undefined ? 1 : number('--lr-scale', scaleText, (v) => v > 0, 'a number > 0');
  const conditionText = values.get('--condition');
  let condition: number | undefined;
  if (conditionText !== undefined) {
    if (surface !== 'quadratic') throw new UsageError(`--condition applies to --surface quadratic only, not '${surface}'`);
    condition = number('--condition', conditionText, (v) => v >= 1 && v <= 1e6, 'a number from 1 to 1000000');
  }
  const out = values.get('--out');
  if (out !== undefined && out.trim() === '') throw new UsageError('--out needs a folder name');
  return { surface: surface as SurfaceName, optimizers, steps, lrScale, condition, out, animate: flags.has('--animate') };
}

function format(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

function table(result: RaceResult, lrs: number[]): string {
  const { surface } = result;
  const rows = result.trajectories.map((t, i) => [
    t.label,
    format(lrs[i]),
    format(t.finalLoss),
    format(t.distance),
    t.diverged ? `diverged at step ${t.diverged.step} (${t.diverged.reason})` : `[${t.points[t.points.length - 1].map(format).join(', ')}]`,
  ]);
  const header = ['optimizer', 'lr', 'final f', 'distance', 'end point'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((s, c) => s.padEnd(widths[c])).join('  ').trimEnd();
  return [
    `${surface.title}, ${surface.formula}: ${result.steps} steps from (${result.start.map(format).join(', ')}); minimum f* = ${format(surface.fNumber(...surface.minimum))} at (${surface.minimum.map(format).join(', ')})`,
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}

export const raceCommand: Command = {
  name: 'race',
  summary: 'race optimizers on a 2-D loss surface; contour map and loss plots',
  help,
  run(argv) {
    const args = parseRaceArgs(argv);
    const surface = makeSurface(args.surface, { condition: args.condition });
    const racers = defaultRacers(surface, args.optimizers, args.lrScale);
    const result = race({ surface, optimizers: racers, steps: args.steps });
    const lrs = args.optimizers.map((n) => surface.learningRates[n] * args.lrScale);
    console.log(table(result, lrs));

    const out = args.out ?? `race-${args.surface}`;
    mkdirSync(out, { recursive: true });
    const svg = contourPlot(result);
    const files: [string, string | Uint8Array][] = [
      ['race.svg', svg],
      ['race.png', svgToPng(svg)],
      ['race-loss.svg', raceLossChart(result)],
    ];
    if (args.animate) files.push(['race-animated.svg', raceAnimation(result)]);
    for (const [name, content] of files) writeFileSync(join(out, name), content);
    console.log(`\nwrote ${files.map(([name]) => join(out, name)).join(', ')}`);
    return 0;
  },
};
