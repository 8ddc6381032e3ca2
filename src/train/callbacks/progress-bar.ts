/**
 * Progress while training: on a terminal, a bar per epoch (step, loss, accuracy, samples/s,
 * time left) from cli-progress; always, one line per finished epoch.
 */
import cliProgress from 'cli-progress';
import type { BatchLogs, Callback, EpochLogs, TrainContext } from './callback.js';

export interface ProgressBarOptions {
  /** Where lines go (default process.stderr for the bar, process.stdout for the epoch lines). */
  log?: (line: string) => void;
  stream?: NodeJS.WriteStream;
}

const fmt = (v: number | undefined, digits = 4) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));

export function formatEpochLine(logs: EpochLogs, epochs: number): string {
  const parts = [
    `epoch ${String(logs.epoch).padStart(String(epochs).length)}/${epochs}`,
    `loss ${fmt(logs.loss)}`,
    `acc ${fmt(logs.accuracy * 100, 2)}%`,
  ];
  if (logs.valLoss !== undefined) parts.push(`val loss ${fmt(logs.valLoss)}`, `val acc ${fmt((logs.valAccuracy ?? NaN) * 100, 2)}%`);
  parts.push(`lr ${logs.lr.toPrecision(3)}`, `${Math.round(logs.samplesPerSec).toLocaleString('en-US')} samples/s`, `${logs.seconds.toFixed(1)} s`);
  return parts.join(' | ');
}

export class ProgressBar implements Callback {
  private bar: cliProgress.SingleBar | null = null;
  private lossSum = 0;
  private correct = 0;
  private seen = 0;
  private started = 0;
  private readonly log: (line: string) => void;
  private readonly stream: NodeJS.WriteStream;

  constructor(options: ProgressBarOptions = {}) {
    this.log = options.log ?? ((line) => console.log(line));
    this.stream = options.stream ?? process.stderr;
  }

  onEpochBegin(ctx: TrainContext): void {
    this.lossSum = 0;
    this.correct = 0;
    this.seen = 0;
    this.started = performance.now();
    if (!this.stream.isTTY) return;
    this.bar = new cliProgress.SingleBar({
      stream: this.stream,
      format: `epoch ${ctx.epoch + 1}/${ctx.epochs} {bar} {value}/{total} | loss {loss} | acc {acc} | {rate} samples/s | ETA {eta_formatted}`,
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(ctx.batchesPerEpoch, 0, { loss: '—', acc: '—', rate: '—' });
  }

  onBatchEnd(_ctx: TrainContext, logs: BatchLogs): void {
    this.lossSum += logs.loss * logs.size;
    this.correct += logs.accuracy * logs.size;
    this.seen += logs.size;
    if (!this.bar) return;
    const seconds = (performance.now() - this.started) / 1000;
    this.bar.update(logs.batch + 1, {
      loss: fmt(this.lossSum / this.seen),
      acc: `${fmt((this.correct / this.seen) * 100, 2)}%`,
      rate: Math.round(this.seen / Math.max(seconds, 1e-9)).toLocaleString('en-US'),
    });
  }

  onEpochEnd(ctx: TrainContext, logs: EpochLogs): void {
    this.bar?.stop();
    this.bar = null;
    this.log(formatEpochLine(logs, ctx.epochs));
  }

  onTrainEnd(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
