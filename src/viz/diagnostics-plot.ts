/**
 * Gradient-flow diagnostics over training as one SVG figure: per-layer activation spread,
 * saturated/dead fractions, per-weight gradient norms and update-to-weight ratios.
 */
import type { DiagnosticsRecord } from '../train/callbacks/gradient-flow.js';
import { lineChart, type Series } from './line-chart.js';
import { svgDocument } from './svg.js';

const ACTIVATION_KINDS = new Set(['ReLU', 'Sigmoid', 'Tanh', 'LeakyReLU', 'ELU', 'GELU']);

function layerSeries(records: DiagnosticsRecord[], value: (l: DiagnosticsRecord['layers'][number]) => number | undefined): Series[] {
  const names = [...new Set(records.flatMap((r) => r.layers.filter((l) => ACTIVATION_KINDS.has(l.kind)).map((l) => `${l.name} ${l.kind}`)))];
  return names.map((label) => ({
    name: `layer ${label}`,
    points: records.flatMap((r) => {
      const l = r.layers.find((x) => `${x.name} ${x.kind}` === label);
      const v = l ? value(l) : undefined;
      return v === undefined ? [] : [[r.step, v] as [number, number]];
    }),
  }));
}

function paramSeries(records: DiagnosticsRecord[], key: 'gradNorm' | 'updateRatio'): Series[] {
  // Weights of Linear and Conv layers (BatchNorm's γ is also named 'weight' but is not a connection matrix).
  const names = [...new Set(records.flatMap((r) => r.params.filter((p) => p.name.endsWith('weight') && p.kind !== 'BatchNorm1d' && p.kind !== 'BatchNorm2d').map((p) => p.name)))];
  return names.map((name) => ({
    name: `${name} (${records.find((r) => r.params.some((p) => p.name === name))!.params.find((p) => p.name === name)!.kind})`,
    points: records.flatMap((r) => {
      const p = r.params.find((x) => x.name === name);
      return p && Number.isFinite(p[key]) && p[key] > 0 ? [[r.step, p[key]] as [number, number]] : [];
    }),
  }));
}

export function diagnosticsSvg(records: DiagnosticsRecord[], title = 'Gradient flow'): string {
  const W = 520;
  const H = 330;
  const body = [
    `<text x="${W}" y="24" text-anchor="middle" font-size="17" font-weight="bold">${title}</text>`,
    lineChart({ title: 'Activation spread (std) per layer', xLabel: 'step', yLabel: 'std of activations', series: layerSeries(records, (l) => l.std), x: 0, y: 36, width: W, height: H }),
    lineChart({ title: 'Saturated (σ, tanh) or dead (ReLU) fraction', xLabel: 'step', yLabel: 'fraction of units', series: layerSeries(records, (l) => l.saturated ?? l.dead), x: W, y: 36, width: W, height: H, yDomain: [0, 1] }),
    lineChart({ title: 'Gradient norm per weight', xLabel: 'step', yLabel: '‖dL/dW‖ (log)', series: paramSeries(records, 'gradNorm'), x: 0, y: 36 + H, width: W, height: H, logY: true }),
    lineChart({ title: 'Update / weight ratio per step', xLabel: 'step', yLabel: '‖ΔW‖ / ‖W‖ (log)', series: paramSeries(records, 'updateRatio'), x: W, y: 36 + H, width: W, height: H, logY: true }),
  ].join('\n');
  return svgDocument(2 * W, 36 + 2 * H, body);
}
