/** The files of a run folder: summary.json, metrics.csv, curves.svg/png, diagnostics.json/svg/png, model.safetensors (the checkpoint is written by ModelCheckpoint). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { EpochLogs } from './callbacks/callback.js';
import type { DiagnosticsRecord } from './callbacks/gradient-flow.js';
import { trainingCurvesSvg } from '../viz/training-curves.js';
import { diagnosticsSvg } from '../viz/diagnostics-plot.js';
import { svgToPng } from '../viz/png.js';

export const CHECKPOINT_FILE = 'checkpoint.safetensors';
/** The trained model with its architecture, preprocessing and class names (saveModel): what evaluate, predict and export read. */
export const MODEL_FILE = 'model.safetensors';

export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`cannot create the run folder ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * Every run-folder file is replaced whole (writeFileAtomic): a full disk or a read-only folder leaves the
 * previous epoch's file. Only summary.json is fsynced; the others are rewritten every epoch from the history.
 */
export function writeRunFile(dir: string, name: string, content: string | Uint8Array, sync = false): void {
  writeFileAtomic(join(dir, name), [typeof content === 'string' ? new TextEncoder().encode(content) : content], { sync });
}

export function metricsCsv(history: EpochLogs[]): string {
  const columns: (keyof EpochLogs)[] = ['epoch', 'loss', 'accuracy', 'valLoss', 'valAccuracy', 'lr', 'seconds', 'samplesPerSec'];
  const rows = history.map((h) => columns.map((c) => (h[c] === undefined ? '' : String(h[c]))).join(','));
  return [columns.join(','), ...rows].join('\n') + '\n';
}

/** metrics.csv and curves.svg (and curves.png unless `png` is false: rasterizing costs ~0.2 s, so it is left to the end of the run). */
export function writeMetrics(dir: string, history: EpochLogs[], title: string, png = true): void {
  writeRunFile(dir, 'metrics.csv', metricsCsv(history));
  const svg = trainingCurvesSvg(history, title);
  writeRunFile(dir, 'curves.svg', svg);
  if (png) writeRunFile(dir, 'curves.png', svgToPng(svg));
}

export function writeDiagnostics(dir: string, records: DiagnosticsRecord[], title: string, png = true): void {
  writeRunFile(dir, 'diagnostics.json', JSON.stringify(records));
  const svg = diagnosticsSvg(records, title);
  writeRunFile(dir, 'diagnostics.svg', svg);
  if (png) writeRunFile(dir, 'diagnostics.png', svgToPng(svg));
}

/** What every run's summary.json holds (a text run adds its own fields): the test figures, the epochs, speed and options. */
export interface RunResult {
  test: { loss: number; accuracy: number; confusion?: number[][] };
  history: { epochs: EpochLogs[]; steps: number; stopReason?: string; diverged: boolean };
  seconds: number;
  parameters: number;
  options: unknown;
  classes: string[];
  backend: string;
}

/** The mean of the epochs' training samples/s (validation excluded), 0 before the first epoch. */
export function meanSamplesPerSec(epochs: EpochLogs[]): number {
  return epochs.length ? epochs.reduce((s, e) => s + e.samplesPerSec, 0) / epochs.length : 0;
}

export function runSummary(r: RunResult): Record<string, unknown> {
  const epochs = r.history.epochs;
  return {
    testAccuracy: r.test.accuracy,
    testLoss: r.test.loss,
    epochs: epochs.length,
    steps: r.history.steps,
    samplesPerSec: meanSamplesPerSec(epochs),
    backend: r.backend,
    parameters: r.parameters,
    trainSeconds: r.seconds,
    final: epochs[epochs.length - 1] ?? null,
    stopReason: r.history.stopReason ?? null,
    diverged: r.history.diverged,
    options: r.options,
    confusionMatrix: r.test.confusion,
    classes: r.classes,
  };
}

export function writeSummary(dir: string, summary: Record<string, unknown>): void {
  writeRunFile(dir, 'summary.json', JSON.stringify(summary, null, 2) + '\n', true);
}
