/** The text runs' figures: progressive validation over one pass, and the accuracy/sparsity trade-off of an L1 sweep. */
import { lineChart } from './line-chart.js';
import { escapeXml, PALETTE, svgDocument } from './svg.js';

export interface ProgressivePlotPoint {
  samples: number;
  logLoss: number;
  accuracy: number;
}

/** Progressive log loss and accuracy against the training samples seen (each scored before it was trained on). */
export function progressiveSvg(points: ProgressivePlotPoint[], title: string): string {
  const body = [
    `<text x="500" y="24" text-anchor="middle" font-size="17" font-weight="bold">${escapeXml(title)}</text>`,
    lineChart({
      title: 'Progressive log loss', xLabel: 'training samples seen', yLabel: 'mean log loss', x: 0, y: 36, width: 500, height: 340, legend: false,
      series: [{ name: 'progressive', points: points.map((p) => [p.samples, p.logLoss]), color: PALETTE[0] }],
    }),
    lineChart({
      title: 'Progressive accuracy', xLabel: 'training samples seen', yLabel: 'accuracy (%)', x: 500, y: 36, width: 500, height: 340, legend: false,
      series: [{ name: 'progressive', points: points.map((p) => [p.samples, p.accuracy * 100]), color: PALETTE[0] }],
    }),
  ].join('\n');
  return svgDocument(1000, 386, body);
}

export interface SweepRow {
  l1: number;
  testAccuracy: number;
  nonzero: number;
  featuresSeen: number;
}

/** Test accuracy against the share of seen features with a nonzero weight, and nonzero weights against L1. */
export function l1SweepSvg(rows: SweepRow[], title: string): string {
  const pct = (r: SweepRow) => (100 * r.nonzero) / r.featuresSeen;
  const body = [
    `<text x="500" y="24" text-anchor="middle" font-size="17" font-weight="bold">${escapeXml(title)}</text>`,
    lineChart({
      title: 'Accuracy vs sparsity', xLabel: 'nonzero weights (% of features seen)', yLabel: 'test accuracy (%)', x: 0, y: 36, width: 500, height: 340, legend: false,
      series: [{ name: 'L1 sweep', points: rows.map((r) => [pct(r), r.testAccuracy * 100]), color: PALETTE[0] }],
    }),
    lineChart({
      title: 'Nonzero weights vs L1', xLabel: 'L1', yLabel: 'nonzero weights (% of features seen)', x: 500, y: 36, width: 500, height: 340, legend: false, logY: rows.every((r) => r.nonzero > 0),
      series: [{ name: 'nonzero', points: rows.map((r) => [r.l1, pct(r)]), color: PALETTE[1] }],
    }),
  ].join('\n');
  return svgDocument(1000, 386, body);
}
