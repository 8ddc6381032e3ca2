/** The files of a run folder: summary.json, metrics.csv, curves.svg/png, diagnostics.json/svg/png, model.safetensors (the checkpoint is written by ModelCheckpoint). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochLogs } from './callbacks/callback.js';
import type { DiagnosticsRecord } from './callbacks/gradient-flow.js';
import { trainingCurvesSvg } from '../viz/training-curves.js';
import { diagnosticsSvg } from '../viz/diagnostics-plot.js';
import { svgToPng } from '../viz/png.js';

export const CHECKPOINT_FILE = 'checkpoint.safetensors';
/** The trained model with its architecture, preprocessing and class names (saveModel): what evaluate, predict and export read. */
export const MODEL_FILE = 'model.safetensors';

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

export function metricsCsv(history: EpochLogs[]): string {
  const columns: (keyof EpochLogs)[] = ['epoch', 'loss', 'accuracy', 'valLoss', 'valAccuracy', 'lr', 'seconds', 'samplesPerSec'];
  const rows = history.map((h) => columns.map((c) => (h[c] === undefined ? '' : String(h[c]))).join(','));
  return [columns.join(','), ...rows].join('\n') + '\n';
}

/** metrics.csv and curves.svg (and curves.png unless `png` is false: rasterizing costs ~0.2 s, so it is left to the end of the run). */
export function writeMetrics(dir: string, history: EpochLogs[], title: string, png = true): void {
  writeFileSync(join(dir, 'metrics.csv'), metricsCsv(history));
  const svg = trainingCurvesSvg(history, title);
  writeFileSync(join(dir, 'curves.svg'), svg);
  if (png) writeFileSync(join(dir, 'curves.png'), svgToPng(svg));
}

export function writeDiagnostics(dir: string, records: DiagnosticsRecord[], title: string, png = true): void {
  writeFileSync(join(dir, 'diagnostics.json'), JSON.stringify(records));
  const svg = diagnosticsSvg(records, title);
  writeFileSync(join(dir, 'diagnostics.svg'), svg);
  if (png) writeFileSync(join(dir, 'diagnostics.png'), svgToPng(svg));
}

export function writeSummary(dir: string, summary: Record<string, unknown>): void {
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
}
