/**
 * One racer's run, one step at a time: the optimizer drives a 2-element parameter tensor over a
 * surface (forward f, backward, step) and the trajectory grows by a point per step, until the run
 * diverges. `race()` loops it to the end; the web lab calls `step()` from animation frames.
 */
import { tensor, type Tensor } from '../index.js';
import type { Point, Surface } from './surfaces/index.js';
import type { Divergence, Racer, StepOptimizer, Trajectory } from './race.js';

/** How far outside the plotted window a point may go (in window sizes) before the run counts as diverged. */
const ESCAPE = 2;

export function outsideWindow(surface: Surface, [x, y]: Point): boolean {
  const { x: [x0, x1], y: [y0, y1] } = surface.domain;
  const w = (x1 - x0) * ESCAPE;
  const h = (y1 - y0) * ESCAPE;
  return x < x0 - w || x > x1 + w || y < y0 - h || y > y1 + h;
}

export class RaceRunner {
  /** Grows in place: points[t] and losses[t] after t steps; `diverged` set when the run blew up. */
  readonly trajectory: Trajectory;
  private readonly params: Tensor;
  private readonly optimizer: StepOptimizer;
  private readonly surface: Surface;
  /** f at the current point, still holding its graph for the next backward. */
  private loss: Tensor | null = null;

  constructor(surface: Surface, racer: Racer, start: Point, color: string) {
    if (start.length !== 2 || !start.every(Number.isFinite) || outsideWindow(surface, start)) {
      throw new Error(`RaceRunner: start must be a point of the surface's window, got [${start.join(', ')}]`);
    }
    this.surface = surface;
    this.params = tensor([start[0], start[1]], { requiresGrad: true });
    this.optimizer = racer.make([this.params]);
    this.trajectory = { label: racer.label, color: racer.color ?? color, points: [], losses: [], diverged: null, finalLoss: NaN, distance: NaN };
    this.evaluate(0);
  }

  /** Steps taken so far (points recorded minus the start). */
  get steps(): number {
    return this.trajectory.points.length - 1;
  }

  get diverged(): Divergence | null {
    return this.trajectory.diverged;
  }

  /** Takes one optimizer step and records the new point; returns false (doing nothing) once diverged. */
  step(): boolean {
    if (this.trajectory.diverged || !this.loss) return false;
    this.optimizer.zeroGrad();
    this.loss.backward();
    this.optimizer.step();
    return this.evaluate(this.steps + 1);
  }

  /** Computes f at the parameters; records the point, or marks the divergence (the trajectory keeps its last good point). */
  private evaluate(t: number): boolean {
    const point: Point = [this.params.data[0], this.params.data[1]];
    const loss = this.surface.f(this.params.slice([0]), this.params.slice([1]));
    const value = loss.item();
    const traj = this.trajectory;
    if (!Number.isFinite(point[0]) || !Number.isFinite(point[1]) || !Number.isFinite(value)) {
      traj.diverged = { step: t, reason: 'non-finite' };
    } else if (outsideWindow(this.surface, point)) {
      traj.diverged = { step: t, reason: 'left the domain' };
    }
    if (traj.diverged) {
      this.loss = null;
      return false;
    }
    this.loss = loss;
    traj.points.push(point);
    traj.losses.push(value);
    traj.finalLoss = this.surface.fNumber(...point);
    traj.distance = Math.hypot(point[0] - this.surface.minimum[0], point[1] - this.surface.minimum[1]);
    return true;
  }
}
