/** The loss and accuracy of a training run per epoch, training and validation, as one SVG figure. */
import type { EpochLogs } from '../train/callbacks/callback.js';
import { lineChart, type Series } from './line-chart.js';
import { PALETTE, svgDocument } from './svg.js';

export function trainingCurvesSvg(history: EpochLogs[], title = 'Training curves'): string {
  const pts = (key: keyof EpochLogs, scale = 1): [number, number][] =>
    history.filter((h) => h[key] !== undefined).map((h) => [h.epoch, (h[key] as number) * scale]);
  const hasVal = history.some((h) => h.valLoss !== undefined);
  const loss: Series[] = [{ name: 'training', points: pts('loss'), color: PALETTE[0] }];
  const acc: Series[] = [{ name: 'training', points: pts('accuracy', 100), color: PALETTE[0] }];
  if (hasVal) {
    loss.push({ name: 'validation', points: pts('valLoss'), color: PALETTE[1], dashed: true });
    acc.push({ name: 'validation', points: pts('valAccuracy', 100), color: PALETTE[1], dashed: true });
  }
  const body = [
    `<text x="500" y="24" text-anchor="middle" font-size="17" font-weight="bold">${title}</text>`,
    lineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'cross-entropy loss', series: loss, x: 0, y: 36, width: 500, height: 340 }),
    lineChart({ title: 'Accuracy', xLabel: 'epoch', yLabel: 'accuracy (%)', series: acc, x: 500, y: 36, width: 500, height: 340 }),
  ].join('\n');
  return svgDocument(1000, 386, body);
}
