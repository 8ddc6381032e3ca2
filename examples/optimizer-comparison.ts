/**
 * The lecture's optimizers side by side, twice: racing on the ill-conditioned quadratic
 * (steep vertically, shallow horizontally), then training the same small network on a spiral.
 * Run: npx tsx examples/optimizer-comparison.ts
 */
import { data, manualSeed, nn, optim, type Tensor } from '../src/index.js';
import { makeSurface } from '../src/viz/surfaces/index.js';
import { defaultRacers, race } from '../src/viz/race.js';
import { fit } from '../src/train/fit.js';

const quadratic = makeSurface('quadratic');
const result = race({ surface: quadratic, optimizers: defaultRacers(quadratic), steps: 100 });
console.log(`Race on ${quadratic.title}, 100 steps from (${quadratic.start.join(', ')}):`);
for (const t of result.trajectories) {
  const [x, y] = t.points[t.points.length - 1];
  const status = t.diverged ? 'diverged' : `distance to the minimum ${Math.hypot(x - quadratic.minimum[0], y - quadratic.minimum[1]).toFixed(4)}`;
  console.log(`  ${t.label.padEnd(9)} ${status}`);
}

const makers = {
  GD: (p: Tensor[]) => new optim.SGD(p, { lr: 0.1 }),
  Momentum: (p: Tensor[]) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 }),
  Adagrad: (p: Tensor[]) => new optim.Adagrad(p, { lr: 0.05 }),
  RMSProp: (p: Tensor[]) => new optim.RMSprop(p, { lr: 0.003 }),
  Adam: (p: Tensor[]) => new optim.Adam(p, { lr: 0.01 }),
  Adadelta: (p: Tensor[]) => new optim.Adadelta(p, { lr: 1 }),
  // FTRL is made for (sparse) linear models: its weights are −z·α/(β+√n), re-centred at zero, so it
  // forgets the random initialization and a ReLU network cannot break its symmetry — it stays near chance.
  FTRL: (p: Tensor[]) => new optim.FTRL(p, { lr: 0.5 }),
};
const spiral = data.spiral(600, { seed: 0 });
console.log('\nTraining a 2-32-32-3 MLP on a spiral for 40 epochs:');
for (const [name, make] of Object.entries(makers)) {
  manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 32), new nn.ReLU(), new nn.Linear(32, 3));
  const history = fit(model, make(model.parameters()), spiral, { epochs: 40, batchSize: 32 });
  const last = history.epochs[history.epochs.length - 1];
  console.log(`  ${name.padEnd(9)} loss ${last.loss.toFixed(4)}  accuracy ${(last.accuracy * 100).toFixed(1)}%`);
}
