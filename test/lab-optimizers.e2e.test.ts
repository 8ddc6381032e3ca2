/** #/optimizers in Chromium: the race runs, steps, restarts from a moved start, follows the surface and κ. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LAB_SETUP_TIMEOUT, startLab, type LabSession, type LabTab } from './lab-harness.js';

let lab: LabSession;
beforeAll(async () => {
  lab = await startLab();
}, LAB_SETUP_TIMEOUT);
afterAll(() => lab?.close());

/** Points per enabled optimizer's trail, by optimizer name. */
function trailPoints(page: Page): Promise<Record<string, number>> {
  return page.$$eval('.optimizers-trail', (paths) =>
    Object.fromEntries(paths.map((p) => [p.getAttribute('data-optimizer')!, Number(p.getAttribute('data-points'))])),
  );
}

/** The first point of every trail (its "M x,y"), in map pixels. */
function trailStarts(page: Page): Promise<[number, number][]> {
  return page.$$eval('.optimizers-trail', (paths) =>
    paths.map((p) => {
      const m = /^M(-?[\d.]+),(-?[\d.]+)/.exec(p.getAttribute('d') ?? '');
      return m ? [Number(m[1]), Number(m[2])] as [number, number] : [NaN, NaN] as [number, number];
    }),
  );
}

async function handleCenter(page: Page): Promise<[number, number]> {
  const h = page.locator('.optimizers-start');
  return [Number(await h.getAttribute('cx')), Number(await h.getAttribute('cy'))];
}

const contours = (page: Page) => page.locator('.optimizers-contours').innerHTML();
const chart = (page: Page) => page.locator('.optimizers-chart').innerHTML();
const hash = (page: Page) => page.evaluate(() => decodeURIComponent(location.hash));

describe('#/optimizers', () => {
  let tab: LabTab;
  afterAll(() => tab?.close());

  it('loads with the lecture’s bowl, seven optimizers at the start point and no console errors', async () => {
    tab = await lab.open('optimizers');
    const { page } = tab;
    expect(await page.locator('h1').textContent()).toContain('Optimizers');
    expect(await page.locator('.optimizers-map-title').textContent()).toContain('κ = 50');
    expect(await page.locator('.optimizers-contours path').count()).toBeGreaterThan(8);
    expect(await trailPoints(page)).toEqual({ gd: 1, momentum: 1, adagrad: 1, rmsprop: 1, adam: 1, adadelta: 1, ftrl: 1 });
    expect(await page.locator('.optimizers-legend li').count()).toBe(7);
    expect(await page.locator('.optimizers-step').textContent()).toBe('step 0 / 60');
    expect(tab.errors).toEqual([]);
  });

  it('Step adds exactly one point to every trajectory', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    expect(Object.values(await trailPoints(page))).toEqual(Array(7).fill(2));
    expect(await page.locator('.optimizers-step').textContent()).toBe('step 1 / 60');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    expect(Object.values(await trailPoints(page))).toEqual(Array(7).fill(3));
  });

  it('Play grows the trajectories and redraws the loss chart until the race ends', async () => {
    const { page } = tab;
    const chartBefore = await chart(page);
    const linesBefore = await page.locator('.optimizers-chart path').count();
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.optimizers-trail')).every((p) => Number(p.getAttribute('data-points')) >= 20));
    expect(await chart(page)).not.toBe(chartBefore);
    await page.waitForFunction(() => document.querySelector('.optimizers-step')?.textContent === 'step 60 / 60', null, { timeout: 20_000 });
    // Every racer's line is on the chart (a path per optimizer, besides axes), and every trail holds 61 points.
    expect(await page.locator('.optimizers-chart path').count()).toBeGreaterThanOrEqual(Math.max(linesBefore, 7));
    expect(Object.values(await trailPoints(page))).toEqual(Array(7).fill(61));
    expect(await page.getByRole('button', { name: 'Replay' }).count()).toBe(1);
    await tab.screenshot('optimizers-bowl', { fullPage: true });
    expect(tab.errors).toEqual([]);
  });

  it('the arrow keys move the focused start point and the race restarts from it', async () => {
    const { page } = tab;
    const before = await handleCenter(page);
    await page.locator('.optimizers-start').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    const after = await handleCenter(page);
    expect(after[0]).toBeGreaterThan(before[0]);
    expect(after[1]).toBeLessThan(before[1]); // up on the map is a smaller pixel y
    expect(Object.values(await trailPoints(page))).toEqual(Array(7).fill(1));
    for (const [x, y] of await trailStarts(page)) {
      expect(x).toBeCloseTo(after[0], 0);
      expect(y).toBeCloseTo(after[1], 0);
    }
    // 2% of the window per press: x from −9 by 0.26, y from 2.5 by 0.12.
    expect(await hash(page)).toContain('x=-8.74&y=2.62');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    expect(Object.values(await trailPoints(page))).toEqual(Array(7).fill(2));
  });

  it('dragging the start point moves it and restarts the trajectories there', async () => {
    const { page } = tab;
    const box = (await page.locator('.optimizers-start').boundingBox())!;
    const from = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(from[0], from[1]);
    await page.mouse.down();
    await page.mouse.move(from[0] + 60, from[1] + 40, { steps: 5 });
    await page.mouse.up();
    const box2 = (await page.locator('.optimizers-start').boundingBox())!;
    expect(box2.x - box.x).toBeCloseTo(60, -1);
    expect(box2.y - box.y).toBeCloseTo(40, -1);
    const center = await handleCenter(page);
    expect(Object.values(await trailPoints(page))).toEqual(Array(7).fill(1));
    for (const [x, y] of await trailStarts(page)) {
      expect(x).toBeCloseTo(center[0], 0);
      expect(y).toBeCloseTo(center[1], 0);
    }
    expect(await hash(page)).not.toContain('x=-8.74&y=2.62');
  });

  it('changing the surface redraws the contours and goes into the URL', async () => {
    const { page } = tab;
    const bowl = await contours(page);
    await page.getByLabel('Loss surface').selectOption('rosenbrock');
    expect(await contours(page)).not.toBe(bowl);
    expect(await page.locator('.optimizers-map-title').textContent()).toBe('Rosenbrock');
    expect(await hash(page)).toContain('surface=rosenbrock');
    expect(await hash(page)).toContain('x=-1.5&y=2.5'); // Rosenbrock's own start
    expect(await page.locator('.optimizers-kappa').isHidden()).toBe(true);
    expect(tab.errors).toEqual([]);
  });

  it('the condition number slider reshapes the bowl and goes into the URL', async () => {
    const { page } = tab;
    await page.getByLabel('Loss surface').selectOption('quadratic');
    const at50 = await contours(page);
    const kappa = page.getByLabel(/Condition number/);
    await kappa.focus();
    await page.keyboard.press('End');
    expect(await hash(page)).toContain('kappa=200');
    expect(await page.locator('.optimizers-map-title').textContent()).toContain('κ = 200');
    expect(await contours(page)).not.toBe(at50);
    await page.keyboard.press('Home');
    expect(await hash(page)).toContain('kappa=1&');
  });

  it('a learning rate far too large is marked "diverged", not a crash', async () => {
    const { page } = tab;
    await page.getByLabel(/Condition number/).focus();
    await page.keyboard.press('End'); // κ = 200: GD's tuned α = 1.9/200
    await page.getByRole('button', { name: 'Hyperparameters of GD' }).click();
    const lr = page.locator('#optimizers-hyper-gd input[type=range]').first();
    await lr.focus();
    await page.keyboard.press('End'); // α 100× the tuned value: |1 − α·κ| = 189 per step along y
    await tab.frames(2); // restarts after a hyperparameter change happen on the next frame
    expect(await page.locator('#optimizers-hyper-gd').textContent()).toContain('0.95'); // 100 × 1.9/200
    for (let k = 0; k < 5; k++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    const gd = page.locator('.optimizers-legend li[data-optimizer=gd]');
    expect(await gd.locator('.badge').textContent()).toBe('diverged');
    expect(await page.locator('.status').textContent()).toContain('Diverged: GD');
    // The others keep racing.
    const points = await trailPoints(page);
    expect(points.gd).toBeLessThan(6);
    expect(points.adam).toBe(6);
    expect(await page.locator('.optimizers-heads path').count()).toBe(1); // the ✕ where GD stopped
    await tab.screenshot('optimizers-diverged');
    expect(tab.errors).toEqual([]);
  });
});

describe('#/optimizers from a shared URL', () => {
  it('leaving mid-race unmounts cleanly; Back restores the page from its hash', async () => {
    const tab = await lab.open('optimizers?surface=beale&opt=adam,rmsprop&speed=60');
    const { page } = tab;
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.optimizers-trail')).every((p) => Number(p.getAttribute('data-points')) > 5));
    await page.click('#nav a[href="#/backprop"]');
    await page.waitForFunction(() => document.querySelector('.optimizers-map') === null);
    await tab.frames(5);
    await page.goBack();
    await page.waitForSelector('.optimizers-map');
    expect(await page.getByLabel('Loss surface').inputValue()).toBe('beale');
    expect(Object.keys(await trailPoints(page))).toEqual(['rmsprop', 'adam']);
    expect(await page.locator('.optimizers-step').textContent()).toBe('step 0 / 300');
    expect(tab.errors).toEqual([]);
    await tab.close();
  });


  it('restores surface, start, optimizers and speed from the hash; screenshot after a few seconds of racing', async () => {
    const tab = await lab.open('optimizers?surface=rosenbrock&x=-1.2&y=2.2&opt=gd,momentum,nesterov,adagrad,rmsprop,adam,adamw,adadelta,ftrl&speed=120');
    const { page } = tab;
    expect(await page.getByLabel('Loss surface').inputValue()).toBe('rosenbrock');
    expect(Object.keys(await trailPoints(page))).toEqual(['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw', 'adadelta', 'ftrl']);
    for (const [x, y] of await trailStarts(page)) {
      const [cx, cy] = await handleCenter(page);
      expect([x, y]).toEqual([cx, cy]);
    }
    await page.getByRole('button', { name: 'Play' }).click();
    // A few seconds of racing (120 steps per second): until the leaders have taken 300 steps.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.optimizers-trail')).some((p) => Number(p.getAttribute('data-points')) > 300), null, { timeout: 30_000 });
    await tab.screenshot('optimizers');
    expect(tab.errors).toEqual([]);
    await tab.close();
  });
});
