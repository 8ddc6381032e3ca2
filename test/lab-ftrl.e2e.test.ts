/** End-to-end: the lab's #/ftrl page in Chromium (FTRL vs Adagrad + L1 on hashed SpamAssassin mails). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LAB_SETUP_TIMEOUT, startLab, type LabSession } from './lab-harness.js';

let lab: LabSession;
beforeAll(async () => {
  lab = await startLab();
}, LAB_SETUP_TIMEOUT);
afterAll(() => lab?.close());

const TIMEOUT = 120_000;

interface Result {
  l1: number;
  step: number;
  nonzeroFtrl: number;
  nonzeroAdagrad: number;
  zerosFtrl: number;
  zerosAdagrad: number;
  nearZeroAdagrad: number;
  accFtrl: number;
  accAdagrad: number;
}

/** Waits until the page's run (for λ = l1, if given) has finished and reads what it shows. */
async function finished(page: Page, l1?: number): Promise<Result> {
  await page.waitForFunction(
    (want) => {
      const d = (document.querySelector('.ftrl') as HTMLElement | null)?.dataset;
      return d?.state === 'done' && (want === null || Number(d.l1) === want);
    },
    l1 ?? null,
    { timeout: 90_000 },
  );
  const d = await page.$eval('.ftrl', (e) => ({ ...(e as HTMLElement).dataset }) as Record<string, string>);
  const n = (k: string) => Number(d[k]);
  return {
    l1: n('l1'), step: n('step'), nonzeroFtrl: n('nonzeroFtrl'), nonzeroAdagrad: n('nonzeroAdagrad'), zerosFtrl: n('zerosFtrl'),
    zerosAdagrad: n('zerosAdagrad'), nearZeroAdagrad: n('nearZeroAdagrad'), accFtrl: n('accFtrl'), accAdagrad: n('accAdagrad'),
  };
}

describe('lab #/ftrl', () => {
  it('at the default λ FTRL zeroes most weights exactly, Adagrad + L1 none, at the same accuracy; the top tokens render', async () => {
    const tab = await lab.open('ftrl');
    const { page } = tab;
    expect(await page.locator('h1').textContent()).toContain('FTRL');
    const r = await finished(page);
    expect(r.step).toBeGreaterThan(0);
    // 4096 buckets: FTRL keeps under half of them, Adagrad's subgradient leaves (almost) all nonzero.
    expect(r.nonzeroFtrl + r.zerosFtrl).toBe(4096);
    expect(r.zerosFtrl).toBeGreaterThan(2048);
    expect(r.zerosFtrl).toBeGreaterThan(10 * Math.max(1, r.zerosAdagrad));
    // … many of them hovering near zero instead.
    expect(r.nearZeroAdagrad).toBeGreaterThan(100);
    // Accuracy holds: balanced classes (chance 50%); both well above 90% on the held-out mails.
    expect(r.accFtrl).toBeGreaterThan(0.9);
    expect(r.accAdagrad).toBeGreaterThan(0.9);
    // The summary table shows the same counts.
    expect(await page.locator('.ftrl-summary tr[data-kind="ftrl"] td').first().textContent()).toBe(String(r.nonzeroFtrl));
    // The near-zero histograms: FTRL's bar of exact zeros holds what the counts say.
    expect(Number(await page.locator('.ftrl-hist svg').first().getAttribute('data-zeros'))).toBe(r.zerosFtrl);
    // The trade-off chart has both paths.
    expect(await page.locator('.ftrl-chart path.ftrl-path').count()).toBe(2);
    // Top tokens: words on both sides, each with a signed weight.
    const spam = await page.locator('.ftrl-spam li').allTextContents();
    const ham = await page.locator('.ftrl-ham li').allTextContents();
    expect(spam.length).toBeGreaterThanOrEqual(5);
    expect(ham.length).toBeGreaterThanOrEqual(5);
    for (const t of spam) expect(t).toMatch(/[a-z0-9].*\+\d+\.\d{3}$/);
    for (const t of ham) expect(t).toMatch(/[a-z0-9].*-\d+\.\d{3}$/);
    await tab.screenshot('ftrl', { fullPage: true });
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);

  it('moving the L1 slider up gives fewer nonzero weights, and the λ is kept in the URL hash', async () => {
    const tab = await lab.open('ftrl');
    const { page } = tab;
    const before = await finished(page);
    const slider = page.getByLabel('L1 strength λ');
    await slider.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    const l1 = Number(new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1]).get('l1'));
    expect(l1).toBeGreaterThan(before.l1);
    const after = await finished(page, l1);
    expect(after.nonzeroFtrl).toBeLessThan(before.nonzeroFtrl);
    // Still far more exact zeros than Adagrad at this λ, and still a useful classifier.
    expect(after.zerosFtrl).toBeGreaterThan(after.zerosAdagrad);
    expect(after.accFtrl).toBeGreaterThan(0.85);
    // Reloading the URL restores λ.
    await page.reload();
    const again = await finished(page, l1);
    expect(again.nonzeroFtrl).toBe(after.nonzeroFtrl);
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);

  it('measures the trade-off across λ after the run: fewer nonzero weights for FTRL as λ grows', async () => {
    const tab = await lab.open('ftrl');
    const { page } = tab;
    await finished(page);
    await page.waitForFunction(() => (document.querySelector('.ftrl') as HTMLElement).dataset.sweepDone === '8', undefined, { timeout: 90_000 });
    expect(await page.locator('.ftrl-chart path.ftrl-sweep').count()).toBe(2);
    expect(await page.locator('.ftrl-chart circle.ftrl-sweep-dot').count()).toBe(16);
    expect(await page.locator('.ftrl-sweep-note').textContent()).toContain('8 more runs');
    type Point = { l1: number; nonzero: number; accuracy: number };
    const sweep = JSON.parse((await page.locator('.ftrl-chart svg').getAttribute('data-sweep'))!) as { ftrl: Point[]; adagrad: Point[] };
    expect(sweep.ftrl.map((p) => p.l1)).toEqual([...sweep.ftrl.map((p) => p.l1)].sort((a, b) => a - b));
    // From the smallest λ to the largest: FTRL's nonzero count falls by more than 10×, never rising by much on the way.
    expect(sweep.ftrl[0].nonzero).toBeGreaterThan(10 * sweep.ftrl[sweep.ftrl.length - 1].nonzero);
    for (let i = 1; i < sweep.ftrl.length; i++) expect(sweep.ftrl[i].nonzero).toBeLessThanOrEqual(sweep.ftrl[i - 1].nonzero * 1.05);
    // Adagrad + L1 ends with (almost) every weight nonzero at every λ.
    for (const p of sweep.adagrad) expect(p.nonzero).toBeGreaterThan(0.95 * 4096);
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);
});
