/** End-to-end: the lab's #/playground page in Chromium (data sets, network editor, training, URL-hash state). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LAB_SETUP_TIMEOUT, startLab, type LabSession } from './lab-harness.js';

let lab: LabSession;
beforeAll(async () => {
  lab = await startLab();
}, LAB_SETUP_TIMEOUT);
afterAll(() => lab?.close());

const TIMEOUT = 120_000;

function state(page: Page): Promise<Record<string, string>> {
  return page.$eval('.playground', (e) => ({ ...(e as HTMLElement).dataset }) as Record<string, string>);
}

function hashParams(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.split('?')[1] ?? '')));
}

function pointPositions(page: Page): Promise<string[]> {
  return page.$$eval('.playground-point', (cs) => cs.map((c) => `${c.getAttribute('cx')},${c.getAttribute('cy')},${c.getAttribute('data-class')}`));
}

/** The decision map's pixels (RGBA of the 64×64 canvas). */
function pixels(page: Page): Promise<number[]> {
  return page.$eval('.playground-canvas', (c) => {
    const canvas = c as HTMLCanvasElement;
    return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
  });
}

function changedPixels(a: number[], b: number[]): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 12) n++;
  return n;
}

describe('lab #/playground', () => {
  it('edits data and network into the URL hash, trains (test loss falls, the map changes), and a reload restores the state', async () => {
    const tab = await lab.open('playground');
    const { page } = tab;
    expect(await page.locator('h1').textContent()).toBe('Playground');
    expect(await page.locator('.playground-point').count()).toBe(400);
    expect((await state(page)).step).toBe('0');

    // The data set: other points, other hash.
    const spiralPoints = await pointPositions(page);
    await page.locator('[data-control=dataset]').selectOption('moons');
    const moonsPoints = await pointPositions(page);
    expect(moonsPoints).toHaveLength(400);
    expect(moonsPoints.filter((p, i) => p !== spiralPoints[i]).length).toBeGreaterThan(300);
    expect((await hashParams(page)).data).toBe('moons');

    // The network: BatchNorm on, a third layer, a wider first layer, tanh in the second.
    await page.locator('[data-control=batchnorm]').check();
    expect((await hashParams(page)).bn).toBe('1');
    await page.locator('[data-action=add-layer]').click();
    await page.getByRole('button', { name: 'More units in layer 1' }).click();
    await page.locator('select[data-layer="1"]').selectOption('tanh');
    let h = await hashParams(page);
    expect(h.layers).toBe('9,8,8');
    expect(h.acts).toBe('relu,tanh,relu');
    expect(await page.locator('.playground-columns .playground-column').count()).toBe(5);
    // The diagram: 2 inputs + 9 + 8 + 8 hidden units + 2 classes, and every weight as a line.
    expect(await page.locator('.playground-diagram circle').count()).toBe(2 + 9 + 8 + 8 + 2);
    expect(await page.locator('.playground-diagram line').count()).toBe(2 * 9 + 9 * 8 + 8 * 8 + 8 * 2);

    // An optimizer and a seed.
    await page.locator('[data-control=optimizer]').selectOption('rmsprop');
    await page.locator('[data-control=seed]').fill('7');
    await page.locator('[data-control=seed]').press('Enter');
    h = await hashParams(page);
    expect(h).toMatchObject({ opt: 'rmsprop', lr: '0.01', seed: '7', data: 'moons', bn: '1' });

    // Train for a few seconds.
    const before = await state(page);
    const mapBefore = await pixels(page);
    await page.locator('[data-action=play]').click();
    await page.waitForFunction(() => Number((document.querySelector('.playground') as HTMLElement).dataset.step) >= 600, undefined, { timeout: 60_000 });
    await page.waitForTimeout(300);
    await page.locator('[data-action=play]').click(); // pause
    expect(await page.locator('.playground-toolbar .badge').textContent()).toBe('paused');
    expect(await page.locator('[data-action=play]').textContent()).toBe('Play');
    const after = await state(page);
    expect(Number(after.epoch)).toBeGreaterThan(0);
    expect(Number(after.testLoss)).toBeLessThan(0.7 * Number(before.testLoss));
    expect(Number(after.trainLoss)).toBeLessThan(0.7 * Number(before.trainLoss));
    const mapAfter = await pixels(page);
    expect(changedPixels(mapBefore, mapAfter)).toBeGreaterThan(200);
    expect(await page.locator('.playground-chart path[stroke="#e15759"]').count()).toBe(1);
    await tab.screenshot('playground');

    // The link reproduces the state in a new tab.
    const hash = await page.evaluate(() => location.hash);
    const restored = await lab.open(hash.replace(/^#\//, ''));
    const r = restored.page;
    expect(await r.locator('[data-control=dataset]').inputValue()).toBe('moons');
    expect(await r.locator('[data-control=batchnorm]').isChecked()).toBe(true);
    expect(await r.locator('[data-control=optimizer]').inputValue()).toBe('rmsprop');
    expect(await r.locator('[data-control=seed]').inputValue()).toBe('7');
    expect(await r.locator('[data-width]').allTextContents()).toEqual(['9', '8', '8']);
    expect(await r.locator('select[data-layer]').evaluateAll((s) => s.map((e) => (e as HTMLSelectElement).value))).toEqual(['relu', 'tanh', 'relu']);
    expect(await pointPositions(r)).toEqual(await pointPositions(page));
    expect(await r.evaluate(() => location.hash)).toBe(hash);
    expect(tab.errors).toEqual([]);
    expect(restored.errors).toEqual([]);
    await restored.close();
    await tab.close();
  }, TIMEOUT);

  it('the same seed gives the same run', async () => {
    const route = 'playground?data=circles&noise=0.1&train=60&layers=6,4&acts=tanh,relu&bn=0&opt=momentum&lr=0.03&batch=8&seed=11';
    const run = async () => {
      const tab = await lab.open(route);
      for (let i = 0; i < 20; i++) await tab.page.locator('[data-action=step]').click();
      const s = await state(tab.page);
      const map = await pixels(tab.page);
      const errors = tab.errors.slice();
      await tab.close();
      return { s, map, errors };
    };
    const a = await run();
    const b = await run();
    expect(a.s.step).toBe('20');
    expect(a.s.trainLoss).toBe(b.s.trainLoss);
    expect(a.s.testLoss).toBe(b.s.testLoss);
    expect(changedPixels(a.map, b.map)).toBe(0);
    expect(a.errors).toEqual([]);
  }, TIMEOUT);

  it('a diverging run shows a badge and stops, without errors', async () => {
    const tab = await lab.open('playground?data=xor&layers=16,16,16&acts=linear,linear,linear&opt=sgd&lr=10&batch=16&seed=1');
    const { page } = tab;
    await page.locator('[data-action=play]').click();
    await page.waitForFunction(() => (document.querySelector('.playground') as HTMLElement).dataset.diverged === 'true', undefined, { timeout: 30_000 });
    expect(await page.locator('.playground-toolbar .badge.bad').textContent()).toMatch(/Diverged: the loss became NaN at step \d+/);
    expect(await page.locator('[data-action=play]').isDisabled()).toBe(true);
    expect(await page.locator('[data-action=download-onnx]').isDisabled()).toBe(true); // NaN weights: nothing to export
    // A NaN network paints the map grey, not a class colour.
    const map = await pixels(page);
    expect(map.slice(0, 3)).toEqual([200, 204, 210]);
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);
});
