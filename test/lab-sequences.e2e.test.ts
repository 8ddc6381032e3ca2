/**
 * End-to-end: the lab's #/sequences page in Chromium. A plain RNN and an LSTM (or GRU) learn the page's
 * text side by side on the js backend; the page shows the gradient reaching each time step and the
 * hidden state over a probe window. What a learner should see: both learn (bits per character well under
 * uniform guessing), and the gradient from the last character's loss dies out going back through the RNN
 * but survives through the LSTM's cell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LAB_SETUP_TIMEOUT, startLab, type LabSession } from './lab-harness.js';

let lab: LabSession;
beforeAll(async () => {
  lab = await startLab();
}, LAB_SETUP_TIMEOUT);
afterAll(() => lab?.close());

const TIMEOUT = 180_000;

async function shown(page: Page, state?: string): Promise<Record<string, number | string>> {
  if (state) {
    await page.waitForFunction((s) => (document.querySelector('.sequences') as HTMLElement | null)?.dataset.state === s, state, { timeout: 150_000 });
  }
  const d = await page.$eval('.sequences', (e) => ({ ...(e as HTMLElement).dataset }) as Record<string, string>);
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, k === 'state' || k === 'cell' ? v : Number(v)]));
}

describe('lab #/sequences', () => {
  it('an RNN and an LSTM learn the text; the gradient vanishes back through the RNN and survives through the LSTM', async () => {
    const tab = await lab.open('sequences');
    const { page } = tab;
    expect(await page.locator('h1').textContent()).toContain('backpropagation through time');
    const start = await shown(page);
    const d = await shown(page, 'done');
    expect(d.cell).toBe('lstm');
    expect(d.step).toBe(600);
    // 36 distinct characters in the text: 5.17 bits per character for a uniform guess.
    expect(d.vocab).toBe(36);
    const uniform = Math.log2(36);
    expect(d.bitsRnn).toBeLessThan(uniform - 2);
    expect(d.bitsGated).toBeLessThan(uniform - 2);
    // At initialization, the gradient 31 steps back relative to the last step's: vanished through tanh,
    // orders of magnitude more through the LSTM's cell. (The same at every frame: the first probe is kept.)
    expect(d.initialSurvivalRnn).toBe(start.initialSurvivalRnn);
    expect(d.initialSurvivalRnn).toBeLessThan(1e-5);
    expect(d.initialSurvivalGated).toBeGreaterThan(1000 * (d.initialSurvivalRnn as number));
    // Training makes the RNN carry more of it back (the text is short and repetitive), still finite.
    expect(d.survivalRnn).toBeGreaterThan(d.initialSurvivalRnn as number);
    expect(Number.isFinite(d.survivalGated)).toBe(true);
    // The charts: four gradient lines (two dashed, at initialization; two now), two loss curves; two heat maps
    // of 32 units × 32 characters.
    expect(await page.locator('.seq-chart path.seq-line.seq-initial').count()).toBe(2);
    expect(await page.locator('.seq-chart path.seq-line').count()).toBe(6);
    expect(await page.locator('.seq-heatmap').count()).toBe(2);
    expect(await page.locator('.seq-heatmap').first().getAttribute('data-cells')).toBe(String(32 * 32));
    const samples = await page.locator('.seq-sample').allTextContents();
    expect(samples).toHaveLength(2);
    for (const s of samples) expect(s.length).toBe('Twinkle'.length + 120);
    expect(await page.locator('.seq-summary tr[data-kind="rnn"] td').first().textContent()).toBe((d.bitsRnn as number).toFixed(2));
    expect(tab.errors).toEqual([]);
    await tab.screenshot('sequences', { fullPage: true });
    await tab.close();
  }, TIMEOUT);

  it('the URL hash chooses the GRU and the hidden size, and the page restarts with them', async () => {
    const tab = await lab.open('sequences?cell=gru&hidden=16');
    const { page } = tab;
    await tab.frames(4);
    const d = await shown(page);
    expect(d.cell).toBe('gru');
    expect(await page.locator('.seq-heatmap').first().getAttribute('data-cells')).toBe(String(32 * 16));
    expect(await page.locator('select').first().inputValue()).toBe('gru');
    await page.locator('select').nth(1).selectOption('8');
    await tab.frames(2);
    expect(page.url()).toContain('hidden=8');
    expect(await page.locator('.seq-heatmap').first().getAttribute('data-cells')).toBe(String(32 * 8));
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);
});
