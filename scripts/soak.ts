/**
 * `npm run soak`: 20,000 training steps through fit() — a BatchNorm MLP on the spiral set with
 * Adam, anomaly detection on (as `nabla train` runs), a checkpoint written every epoch — sampling
 * the resident set size every 500 steps (after a full GC when node runs with --expose-gc). Memory
 * must stay flat: the run fails (exit 1) when RSS at the end exceeds RSS after warm-up by more than 5%.
 *
 * npm runs it with --min-semi-space-size=16: V8 otherwise grows its young generation from 1 to 16 MB
 * semi-spaces over the first ~15,000 steps of this allocation rate (heapTotal 27 → 43 MB, RSS
 * 136 → 169 MB, then flat for 40,000 more steps) — engine sizing, not a leak, which a short warm-up
 * would report as growth. Starting at the final size makes what remains the library's own behaviour.
 *
 *   npm run soak [-- --steps 20000 --warmup 2000 --every 500 --limit 5 --backend js|native --no-detect-anomaly]
 */
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { data, getBackend, manualSeed, optim, setBackend } from '../src/index.js';
import { fit } from '../src/train/fit.js';
import { buildMlp } from '../src/train/models.js';
import { TensorDataset } from '../src/data/dataset.js';
import { ModelCheckpoint } from '../src/train/callbacks/model-checkpoint.js';
import type { Callback, TrainContext } from '../src/train/callbacks/callback.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '20000' }, warmup: { type: 'string', default: '2000' }, every: { type: 'string', default: '500' },
    limit: { type: 'string', default: '5' }, backend: { type: 'string' }, 'no-detect-anomaly': { type: 'boolean', default: false },
  },
});
const steps = Number(values.steps);
const warmup = Number(values.warmup);
const every = Number(values.every);
const limit = Number(values.limit);
if (![steps, warmup, every].every((v) => Number.isInteger(v) && v > 0) || warmup >= steps || !(limit > 0)) {
  console.error('soak: --steps, --warmup, --every must be positive integers with warmup < steps; --limit a positive percentage');
  process.exit(2);
}
if (values.backend) setBackend(values.backend);

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => bytes / 2 ** 20;

manualSeed(0);
const points = data.spiral(2048, { seed: 1 });
const train = new TensorDataset(points.x, points.y);
const batchSize = 32;
const stepsPerEpoch = Math.ceil(train.length / batchSize);
const epochs = Math.ceil(steps / stepsPerEpoch);
const model = buildMlp({ inputs: 2, hidden: [64, 64], classes: 3, activation: 'relu', batchNorm: true });
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
const dir = mkdtempSync(join(tmpdir(), 'nabla-soak-'));
const detectAnomaly = !values['no-detect-anomaly'];

const samples: { step: number; rss: number; heap: number; buffers: number }[] = [];
const sampler: Callback = {
  onBatchEnd(ctx: TrainContext) {
    if (ctx.step % every !== 0 && ctx.step !== steps) return;
    gc?.();
    const { rss, heapTotal, heapUsed, arrayBuffers } = process.memoryUsage();
    samples.push({ step: ctx.step, rss: mb(rss), heap: mb(heapUsed), buffers: mb(arrayBuffers) });
    const cells = [rss, heapTotal, heapUsed, arrayBuffers].map((v) => mb(v).toFixed(1).padStart(9));
    console.log(`${String(ctx.step).padStart(7)}${cells.join('')}`);
    if (ctx.step >= steps) ctx.stopTraining = true;
  },
};

console.log(`nabla soak: ${steps.toLocaleString('en-US')} steps (MLP 2-64-64-3 + BatchNorm, Adam, batch ${batchSize}, spiral ${train.length.toLocaleString('en-US')}), `
  + `backend ${getBackend()}, anomaly detection ${detectAnomaly ? 'on' : 'off'}, checkpoint every epoch${gc ? '' : ' (no --expose-gc: samples without a full GC)'}`);
console.log('   step   rss MB heap MB   used MB buffers MB');
const started = performance.now();
const history = fit(model, optimizer, train, {
  epochs, batchSize, detectAnomaly, callbacks: [sampler, new ModelCheckpoint({ path: join(dir, 'checkpoint.safetensors') })],
});
const seconds = (performance.now() - started) / 1000;
rmSync(dir, { recursive: true, force: true });

if (history.diverged || history.steps < steps) {
  console.error(`soak: training stopped at step ${history.steps}: ${history.stopReason ?? 'no reason'}`);
  process.exit(1);
}
const afterWarmup = samples.find((s) => s.step >= warmup)!;
const end = samples[samples.length - 1];
const growth = ((end.rss - afterWarmup.rss) / afterWarmup.rss) * 100;
const peak = Math.max(...samples.filter((s) => s.step >= warmup).map((s) => s.rss));
const ok = growth <= limit;
console.log(`RSS after warm-up (step ${afterWarmup.step.toLocaleString('en-US')}): ${afterWarmup.rss.toFixed(1)} MB; at the end (step ${end.step.toLocaleString('en-US')}): `
  + `${end.rss.toFixed(1)} MB; peak after warm-up ${peak.toFixed(1)} MB; growth ${growth >= 0 ? '+' : ''}${growth.toFixed(2)}% (limit ${limit}%); `
  + `heap ${afterWarmup.heap.toFixed(1)} → ${end.heap.toFixed(1)} MB, array buffers ${afterWarmup.buffers.toFixed(1)} → ${end.buffers.toFixed(1)} MB; final loss ${history.epochs.at(-1)?.loss.toFixed(4)}; ${seconds.toFixed(1)} s — ${ok ? 'OK' : 'FAILED'}`);
process.exit(ok ? 0 : 1);
