/**
 * The race behind the Optimizers page: the surface and the start point, every optimizer's
 * hyperparameters and RaceRunner, which ones race, the step count, the settings kept in the URL hash,
 * and the animation loop that takes a few steps per frame.
 */
import { readBool, readChoice, readNumber, writeHashState } from '../../ui/url-state.js';
import { RaceRunner } from '../../../../src/viz/race-runner.js';
import { makeSurface, SURFACE_NAMES, type Point, type Surface, type SurfaceName } from '../../../../src/viz/surfaces/index.js';
import { defaultValues, makeRacer, RACER_NAMES, type RacerName, type Values } from './optimizer-specs.js';

export const ROUTE = 'optimizers';
/** The lecture's seven; Nesterov and AdamW are one click away. */
const DEFAULT_ENABLED: RacerName[] = ['gd', 'momentum', 'adagrad', 'rmsprop', 'adam', 'adadelta', 'ftrl'];
/** Milliseconds of optimizer steps per animation frame at most: the page stays responsive at any speed. */
const FRAME_BUDGET = 10;

export interface Entry {
  name: RacerName;
  values: Values;
  runner: RaceRunner | null;
  /** Why the optimizer could not be built (shown as a badge), if it could not. */
  error: string | null;
}

export const fmtCoord = (v: number) => String(Number(v.toFixed(3)));

export function kappaValue(v: number): number {
  return v >= 10 ? Math.round(v) : Math.round(v * 10) / 10;
}

export class RaceState {
  surfaceName: SurfaceName;
  kappa: number;
  speed: number;
  trails: boolean;
  readonly enabled: Set<RacerName>;
  surface: Surface;
  start: Point;
  readonly entries: Map<RacerName, Entry>;
  /** Steps taken by the race (every runner that has not diverged has taken this many). */
  t = 0;
  playing = false;
  private raf = 0;
  private lastFrame = 0;
  private carry = 0;
  // A slider sends many input events per frame, and a restart replays every step so far: coalesce them.
  private readonly pendingRestarts = new Set<Entry>();
  private restartFrame = 0;

  /** Reads the settings from the URL hash; `render` redraws the page (`force` also redraws the chart). */
  constructor(params: URLSearchParams, private readonly render: (force?: boolean) => void) {
    this.surfaceName = readChoice(params, 'surface', SURFACE_NAMES, 'quadratic');
    this.kappa = kappaValue(readNumber(params, 'kappa', 50, 1, 1000));
    this.speed = readNumber(params, 'speed', 30, 1, 500);
    this.trails = readBool(params, 'trails', true);
    const optParam = params.get('opt');
    this.enabled = new Set<RacerName>(
      optParam === null ? DEFAULT_ENABLED : RACER_NAMES.filter((n) => optParam.split(',').includes(n)),
    );
    this.surface = this.build();
    this.start = this.surface.start;
    this.entries = new Map<RacerName, Entry>(RACER_NAMES.map((name) => [name, { name, values: defaultValues(this.surface, name), runner: null, error: null }]));
  }

  private build(): Surface {
    const name = this.surfaceName;
    return makeSurface(name, name === 'quadratic' ? { condition: this.kappa } : {});
  }

  /** Builds the chosen surface (with κ) and moves the start to the surface's own. */
  changeSurface(): void {
    this.surface = this.build();
    this.start = this.surface.start;
    // Learning rates are tuned per surface (GD's is 1.9/κ on the bowl); the other hyperparameters stay.
    for (const e of this.entries.values()) e.values.lr = this.surface.learningRates[e.name];
  }

  saveUrl(): void {
    writeHashState(ROUTE, {
      surface: this.surfaceName,
      kappa: this.kappa,
      x: fmtCoord(this.start[0]),
      y: fmtCoord(this.start[1]),
      opt: RACER_NAMES.filter((n) => this.enabled.has(n)).join(','),
      speed: this.speed,
      trails: this.trails ? 1 : 0,
    });
  }

  /** (Re)builds the optimizer from its hyperparameters and replays the race's steps so far. */
  startRunner(e: Entry): void {
    e.runner = null;
    e.error = null;
    try {
      const r = new RaceRunner(this.surface, makeRacer(e.name, e.values), this.start, '#333');
      for (let k = 0; k < this.t && r.step(); k++);
      e.runner = r;
    } catch (err) {
      e.error = err instanceof Error ? err.message : String(err);
    }
  }

  restartSoon(e: Entry): void {
    this.pendingRestarts.add(e);
    this.restartFrame ||= requestAnimationFrame(() => {
      this.restartFrame = 0;
      for (const p of this.pendingRestarts) if (this.enabled.has(p.name)) this.startRunner(p);
      this.pendingRestarts.clear();
      this.render(true);
    });
  }

  active(): Entry[] {
    return RACER_NAMES.filter((n) => this.enabled.has(n)).map((n) => this.entries.get(n)!);
  }

  reset(): void {
    this.t = 0;
    this.carry = 0;
    for (const e of this.entries.values()) e.runner = null;
    for (const e of this.active()) this.startRunner(e);
  }

  running(): boolean {
    return this.active().some((e) => e.runner && !e.runner.diverged);
  }

  stepOnce(): void {
    for (const e of this.active()) e.runner?.step();
    this.t++;
  }

  private readonly tick = (now: number): void => {
    this.raf = 0;
    if (!this.playing) return;
    const dt = this.lastFrame ? Math.min(now - this.lastFrame, 100) : 1000 / 60;
    this.lastFrame = now;
    this.carry += (this.speed * dt) / 1000;
    const until = performance.now() + FRAME_BUDGET;
    while (this.carry >= 1 && this.t < this.surface.steps && this.running() && performance.now() < until) {
      this.stepOnce();
      this.carry -= 1;
    }
    this.carry = Math.min(this.carry, 1); // what the budget cut off is dropped, not queued
    if (this.t >= this.surface.steps || !this.running()) this.playing = false;
    this.render();
    if (this.playing) this.raf = requestAnimationFrame(this.tick);
  };

  play(): void {
    if (this.t >= this.surface.steps || !this.running()) this.reset();
    if (!this.running()) return;
    this.playing = true;
    this.lastFrame = 0;
    this.raf ||= requestAnimationFrame(this.tick);
    this.render();
  }

  pause(): void {
    this.playing = false;
    this.render();
  }

  /** Stops the loop and any pending restart (the page is unmounted). */
  dispose(): void {
    this.playing = false;
    if (this.raf) cancelAnimationFrame(this.raf);
    if (this.restartFrame) cancelAnimationFrame(this.restartFrame);
    this.raf = this.restartFrame = 0;
  }
}
