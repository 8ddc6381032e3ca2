/** End-to-end: the lab's #/batchnorm page in Chromium (plain vs BatchNorm training, the mini-batch panel). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LAB_SETUP_TIMEOUT, startLab, type LabSession } from './lab-harness.js';

let lab: LabSession;
beforeAll(async () => {
  lab = await startLab();
}, LAB_SETUP_TIMEOUT);
afterAll(() => lab?.close());

const TIMEOUT = 120_000;

function dataset(page: Page, selector: string): Promise<Record<string, string>> {
  return page.$eval(selector, (e) => ({ ...(e as HTMLElement).dataset }) as Record<string, string>);
}

async function waitForStep(page: Page, step: number): Promise<void> {
  await page.waitForFunction((n) => Number((document.querySelector('.batchnorm') as HTMLElement | null)?.dataset.step) >= n, step, { timeout: 90_000 });
}

/** Length of the `d` attribute of each loss curve (the plain one orange, the BatchNorm one blue). */
function curveLengths(page: Page): Promise<{ plain: number; bn: number }> {
  return page.evaluate(() => {
    const d = (color: string) => document.querySelector(`.batchnorm-chart path[stroke="${color}"]`)?.getAttribute('d')?.length ?? 0;
    return { plain: d('#f28e2b'), bn: d('#4e79a7') };
  });
}

describe('lab #/batchnorm', () => {
  it('loads without errors and trains both networks: both loss curves advance', async () => {
    const tab = await lab.open('batchnorm');
    const { page } = tab;
    expect(await page.locator('h1').textContent()).toBe('Batch Normalization');
    await waitForStep(page, 50);
    const early = await curveLengths(page);
    const earlyStep = Number((await dataset(page, '.batchnorm')).step);
    await waitForStep(page, earlyStep + 150);
    const later = await curveLengths(page);
    expect(early.plain).toBeGreaterThan(0);
    expect(early.bn).toBeGreaterThan(0);
    expect(later.plain).toBeGreaterThan(early.plain);
    expect(later.bn).toBeGreaterThan(early.bn);
    // One histogram cell per layer and network: 8 layers (the default), 30 bins at most each.
    const bars = await page.locator('.batchnorm-hist rect:not(.batchnorm-hist-bg)').count();
    expect(bars).toBeGreaterThan(2 * 8);
    expect(await page.locator('.batchnorm-hist .batchnorm-hist-bg').count()).toBe(2 * 8);
    await tab.screenshot('batchnorm', { fullPage: true });
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);

  it('with the default settings the BatchNorm network ends its run with a lower loss than the plain one', async () => {
    const tab = await lab.open('batchnorm');
    const { page } = tab;
    // The run stops by itself after MAX_STEPS (1500); the button then says so.
    await page.waitForFunction(() => (document.querySelector('.batchnorm') as HTMLElement | null)?.dataset.step === '1500', undefined, { timeout: 100_000 });
    await expect.poll(() => page.getByRole('button', { name: 'Finished' }).count()).toBe(1);
    const d = await dataset(page, '.batchnorm');
    const plain = Number(d.lossPlain);
    const bn = Number(d.lossBn);
    expect(Number.isFinite(plain)).toBe(true);
    expect(Number.isFinite(bn)).toBe(true);
    // 8 sigmoid layers: the plain network's gradient vanishes (it stays near chance, ln 3 ≈ 1.1); BatchNorm's learns.
    expect(bn).toBeLessThan(plain);
    expect(bn).toBeLessThan(0.5 * plain);
    expect(d.healthBn).toBe('learning');
    await tab.screenshot('batchnorm-defaults-finished', { fullPage: true });
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);

  it('with a large initialization scale the BatchNorm network ends with a lower loss than the plain one', async () => {
    const tab = await lab.open('batchnorm?act=tanh&depth=8&scale=8&lr=0.05&seed=1');
    const { page } = tab;
    expect(await page.locator('.batchnorm-controls label', { hasText: 'Initialization scale' }).textContent()).toContain('×8');
    await waitForStep(page, 400);
    const d = await dataset(page, '.batchnorm');
    const plain = Number(d.lossPlain);
    const bn = Number(d.lossBn);
    expect(Number.isFinite(plain)).toBe(true);
    expect(Number.isFinite(bn)).toBe(true);
    // Saturated tanh units: the plain network stays near chance level (ln 3 ≈ 1.1), BatchNorm learns.
    expect(bn).toBeLessThan(0.5 * plain);
    expect(d.healthBn).toBe('learning');
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);

  it('shows divergence as a badge, not a crash', async () => {
    const tab = await lab.open('batchnorm?act=relu&depth=8&scale=5&lr=2.5&seed=1');
    const { page } = tab;
    await page.waitForFunction(() => (document.querySelector('.batchnorm') as HTMLElement).dataset.healthPlain === 'nan', undefined, { timeout: 60_000 });
    const badges = await page.locator('.batchnorm-status-row .badge.bad').allTextContents();
    expect(badges.some((t) => t.includes('NaN'))).toBe(true);
    expect(await page.locator('.batchnorm-loss-note').textContent()).toMatch(/plain: the loss became NaN at step \d+/);
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);

  it('the mini-batch panel shows μ, σ², γ, β consistent with x̂ of mean 0 and std 1, and the library agrees', async () => {
    const tab = await lab.open('batchnorm?seed=2');
    const { page } = tab;
    await waitForStep(page, 100);
    // Paused, the panel's numbers and its data attributes stay those of one batch.
    await page.getByRole('button', { name: 'Pause' }).click();
    const read = async () => {
      const d = await dataset(page, '.batchnorm-minibatch');
      const nums = (s: string) => s.split(',').map(Number);
      return {
        x: nums(d.x), xhat: nums(d.xhat), y: nums(d.y),
        mu: Number(d.mu), variance: Number(d.var), eps: Number(d.eps), gamma: Number(d.gamma), beta: Number(d.beta), maxDiff: Number(d.maxDiff),
      };
    };
    const s = await read();
    expect(s.x).toHaveLength(64);
    const mean = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
    const mu = mean(s.x);
    const variance = mean(s.x.map((v) => (v - mu) ** 2));
    expect(s.mu).toBeCloseTo(mu, 5);
    expect(s.variance).toBeCloseTo(variance, 5);
    expect(s.eps).toBe(1e-5);
    const xhat = s.x.map((v) => (v - s.mu) / Math.sqrt(s.variance + s.eps));
    expect(Math.abs(mean(xhat))).toBeLessThan(1e-5);
    const std = Math.sqrt(mean(xhat.map((v) => v * v)));
    expect(Math.abs(std - Math.sqrt(s.variance / (s.variance + s.eps)))).toBeLessThan(1e-6);
    expect(std).toBeGreaterThan(0.999);
    xhat.forEach((v, i) => expect(s.xhat[i]).toBeCloseTo(v, 5));
    xhat.forEach((v, i) => expect(s.y[i]).toBeCloseTo(s.gamma * v + s.beta, 4));
    // After 100 steps, γ and β have moved off their initial 1 and 0.
    expect(s.gamma).not.toBe(1);
    expect(s.beta).not.toBe(0);
    expect(s.maxDiff).toBeLessThan(1e-4);
    // The numbers are on the page too.
    const text = await page.locator('.batchnorm-numbers').textContent();
    expect(text).toContain(s.mu.toFixed(3));
    expect(text).toContain(s.gamma.toFixed(3));
    expect(await page.locator('.batchnorm-minibatch .badge.good').textContent()).toBe('matches the library');

    // Another unit of another layer: other numbers, the same invariants.
    await page.locator('.batchnorm-minibatch select').selectOption('3');
    const unit = page.locator('.batchnorm-minibatch input[type=range]');
    await unit.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const t = await read();
    expect(t.mu).not.toBe(s.mu);
    const xhat2 = t.x.map((v) => (v - t.mu) / Math.sqrt(t.variance + t.eps));
    expect(Math.abs(mean(xhat2))).toBeLessThan(1e-5);
    expect(Math.sqrt(mean(xhat2.map((v) => v * v)))).toBeGreaterThan(0.999);
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);

  it('the sliders restart the runs and keep the settings in the URL hash', async () => {
    const tab = await lab.open('batchnorm');
    const { page } = tab;
    await waitForStep(page, 30);
    await page.getByRole('button', { name: 'Huge init ×8' }).click();
    expect(await page.evaluate(() => location.hash)).toContain('scale=8');
    const lr = page.getByLabel('Learning rate');
    await lr.focus();
    await page.keyboard.press('ArrowLeft');
    const hash = await page.evaluate(() => location.hash);
    const params = new URLSearchParams(hash.split('?')[1]);
    expect(Number(params.get('lr'))).toBeLessThan(0.05);
    expect(params.get('scale')).toBe('8');
    expect(params.get('act')).toBe('tanh');
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);
});
