import { describe, expect, it } from 'vitest';
import { lineChart } from '../src/viz/line-chart.js';

const series = [
  { name: 'first', points: [[0, 1], [1, 2], [2, 4]] as [number, number][], color: '#111111' },
  { name: 'second', points: [[0, 3], [1, 1]] as [number, number][], color: '#222222' },
];
const base = { title: 'T', xLabel: 'step', yLabel: 'loss', series, width: 400, height: 300 };

/** The x positions of the x-axis tick labels, by label text. */
function xTicks(svg: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="middle" font-size="11" fill="#444">([^<]+)<\/text>/g)) out[m[2]] = Number(m[1]);
  return out;
}

describe('lineChart options for live charts', () => {
  it('draws the series legend by default and leaves it out with legend: false', () => {
    const withLegend = lineChart(base);
    expect(withLegend).toContain('>first</text>');
    expect(withLegend).toContain('>second</text>');
    const without = lineChart({ ...base, legend: false });
    expect(without).not.toContain('>first</text>');
    expect(without).not.toContain('>second</text>');
    // The lines themselves are still drawn.
    expect(without).toContain('stroke="#111111"');
    expect(without).toContain('stroke="#222222"');
  });

  it('xDomain fixes the x axis instead of the data’s extent', () => {
    // Inner width 400 − 62 − 16 = 322: with the data's extent [0, 2], tick 2 sits at the right edge.
    expect(xTicks(lineChart(base))['2']).toBeCloseTo(322, 6);
    // With xDomain [0, 10] the same data fill a fifth of the width, and tick 10 sits at the right edge.
    const fixed = xTicks(lineChart({ ...base, xDomain: [0, 10] }));
    expect(fixed['10']).toBeCloseTo(322, 6);
    expect(fixed['2']).toBeCloseTo(322 / 5, 6);
  });
});
