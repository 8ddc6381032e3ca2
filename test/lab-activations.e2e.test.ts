/**
 * The Activations page in Chromium: the curves' derivatives come from autograd (σ′ peaks at 1/4,
 * tanh′ and ReLU′ at 1), the deep network's histograms follow the controls, a 10-layer sigmoid
 * network's first-layer gradient is orders of magnitude below a ReLU network's, and training
 * runs in the background, pauses, and reports divergence instead of crashing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_SETUP_TIMEOUT, startLab, type LabSession, type LabTab } from './lab-harness.js';

let lab: LabSession;
beforeAll(async () => {
  lab = await startLab();
}, LAB_SETUP_TIMEOUT);
afterAll(() => lab?.close());

/** ‖∂L/∂W‖ per layer of one series of the gradient chart, first hidden layer first. */
async function gradNorms(tab: LabTab, series: 'init' | 'now'): Promise<number[]> {
  return tab.page.$$eval(`.activations-grad-chart circle[data-series="${series}"]`, (cs) =>
    cs.sort((a, b) => Number(a.getAttribute('data-layer')) - Number(b.getAttribute('data-layer'))).map((c) => Number(c.getAttribute('data-norm'))),
  );
}

async function histogramStds(tab: LabTab): Promise<number[]> {
  return tab.page.$$eval('.activations-hist', (hs) => hs.map((h) => Number(h.getAttribute('data-std'))));
}

const step = (tab: LabTab) => tab.page.$eval('.activations-status', (s) => Number(s.getAttribute('data-step')));

describe('lab: Activations page', () => {
  it('loads; the derivatives from autograd peak where the lecture says (σ′ ≤ 1/4, tanh′ and ReLU′ reach 1)', async () => {
    const tab = await lab.open('activations');
    await tab.page.waitForSelector('.activations-grad-chart svg');
    const maxGrad = Object.fromEntries(
      await tab.page.$$eval('.activations-curve', (cs) => cs.map((c) => [c.getAttribute('data-activation'), Number(c.getAttribute('data-max-grad'))])),
    );
    expect(Object.keys(maxGrad)).toEqual(['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'gelu']);
    expect(maxGrad.sigmoid).toBeCloseTo(0.25, 4);
    expect(maxGrad.tanh).toBeCloseTo(1, 4);
    expect(maxGrad.relu).toBe(1);
    // GELU′ = Φ(x) + xφ(x) peaks at x = √2 with 1 + √2·φ(√2) = 1.1289.
    expect(maxGrad.gelu).toBeCloseTo(1.1289, 3);
    // The saturated regions are marked: both ends for σ and tanh, the whole negative side for ReLU.
    expect(await tab.page.locator('.activations-curve[data-activation="sigmoid"] .activations-saturated').count()).toBe(2);
    expect(await tab.page.locator('.activations-curve[data-activation="relu"] .activations-saturated').count()).toBe(1);
    expect(await tab.page.locator('.activations-curve[data-activation="leakyRelu"] .activations-saturated').count()).toBe(0);
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('redraws the histograms when the depth (keyboard on the slider) and the activation change', async () => {
    const tab = await lab.open('activations?act=sigmoid&depth=10');
    await tab.page.waitForSelector('.activations-hist');
    expect(await tab.page.locator('.activations-hist').count()).toBe(10);
    const sigmoid = await histogramStds(tab);

    const depth = tab.page.getByLabel('Depth (hidden layers of 64)');
    await depth.focus();
    for (let k = 0; k < 6; k++) await tab.page.keyboard.press('ArrowLeft');
    expect(await tab.page.locator('.activations-hist').count()).toBe(4);
    expect(tab.page.url()).toContain('depth=4');
    expect(await gradNorms(tab, 'init')).toHaveLength(5);

    await tab.page.getByLabel('Activation', { exact: true }).selectOption('tanh');
    const tanh = await histogramStds(tab);
    expect(tanh).toHaveLength(4);
    expect(tanh).not.toEqual(sigmoid.slice(0, 4));
    // tanh's outputs are centred on 0, sigmoid's on 1/2.
    const means = await tab.page.$$eval('.activations-hist', (hs) => hs.map((h) => Number(h.getAttribute('data-mean'))));
    for (const m of means) expect(Math.abs(m)).toBeLessThan(0.1);
    expect(await tab.page.textContent('.activations-hist svg')).toContain('−1.00');
    expect(tab.page.url()).toContain('act=tanh');
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('at depth 10, sigmoid\'s first-layer gradient vanishes and ReLU\'s does not', async () => {
    const sig = await lab.open('activations?act=sigmoid&depth=10');
    await sig.page.waitForSelector('.activations-grad-chart circle');
    const s = await gradNorms(sig, 'init');
    const relu = await lab.open('activations?act=relu&depth=10');
    await relu.page.waitForSelector('.activations-grad-chart circle');
    const r = await gradNorms(relu, 'init');
    expect(s).toHaveLength(11);
    expect(r).toHaveLength(11);
    expect(s[0]).toBeLessThan(r[0] / 100);
    // Sigmoid: smaller at every layer going back, by orders of magnitude overall.
    for (let l = 0; l < 10; l++) expect(s[l]).toBeLessThan(s[l + 1]);
    expect(s[0] / s[10]).toBeLessThan(1e-4);
    // ReLU: the hidden layers' gradients stay within one order of magnitude of each other.
    const hidden = r.slice(1, 10);
    expect(Math.max(...hidden) / Math.min(...hidden)).toBeLessThan(10);
    expect(Number(await sig.page.getAttribute('.activations-grad-chart', 'data-first'))).toBe(s[0]);
    await sig.page.evaluate(() => document.querySelector('.activations-net')!.scrollIntoView());
    await sig.screenshot('activations-sigmoid');
    expect(sig.errors).toEqual([]);
    expect(relu.errors).toEqual([]);
    await sig.close();
    await relu.close();
  });

  it('trains in the background, pauses, and shows per-layer dead ReLU units and the current gradients', async () => {
    const tab = await lab.open('activations?act=relu&depth=10');
    await tab.page.waitForSelector('.activations-grad-chart circle');
    const train = tab.page.locator('.activations-buttons button', { hasText: 'Train' });
    await train.click();
    await tab.page.waitForFunction(() => Number(document.querySelector('.activations-status')!.getAttribute('data-step')) >= 30);
    await tab.page.locator('.activations-buttons button', { hasText: 'Pause' }).click();
    const paused = await step(tab);
    await tab.frames(10);
    expect(await step(tab)).toBe(paused);
    expect(await tab.page.getAttribute('.activations-buttons button.primary', 'aria-pressed')).toBe('false');
    expect(await tab.page.textContent('.activations-buttons button.primary')).toContain('Resume');
    const now = await gradNorms(tab, 'now');
    expect(now).toHaveLength(11);
    expect(now.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(Number(await tab.page.getAttribute('.activations-status', 'data-loss'))).toBeLessThan(Math.log(3));
    const dead = await tab.page.$$eval('.activations-hist', (hs) => hs.map((h) => h.getAttribute('data-dead')));
    expect(dead).toHaveLength(10);
    expect(dead.every((d) => d !== null && Number.isInteger(Number(d)))).toBe(true);
    expect(await tab.page.locator('[data-dead-layer]').count()).toBe(10);
    await tab.page.evaluate(() => document.querySelector('.activations-net')!.scrollIntoView());
    await tab.screenshot('activations-relu');
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('stops training when the page is left', async () => {
    const tab = await lab.open('activations?act=tanh&depth=6');
    await tab.page.waitForSelector('.activations-grad-chart circle');
    await tab.page.locator('.activations-buttons button.primary').click();
    await tab.page.waitForFunction(() => Number(document.querySelector('.activations-status')!.getAttribute('data-step')) >= 5);
    // After leaving, nothing may ask for animation frames any more (the Backprop page uses none):
    // count requests from the moment the hash changes.
    const requests = await tab.page.evaluate(async () => {
      let count = 0;
      const original = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) => {
        count++;
        return original(cb);
      };
      location.hash = '#/backprop';
      // Wait for the router to have unmounted the page (hashchange is queued), then a little more.
      while (document.querySelector('.activations-status')) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      count = 0;
      await new Promise((r) => setTimeout(r, 500));
      return count;
    });
    expect(requests).toBe(0);
    expect(await tab.page.locator('.activations-status').count()).toBe(0);
    expect(await tab.page.locator('.backprop-lecture g.node').count()).toBe(13);
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('reports divergence (a huge init scale and learning rate) with a badge, not an error', async () => {
    const tab = await lab.open('activations?act=relu&depth=10&scale=5&lr=0.5');
    await tab.page.waitForSelector('.activations-grad-chart circle');
    await tab.page.locator('.activations-buttons button', { hasText: 'Train' }).click();
    await tab.page.waitForSelector('.activations-net .badge.bad:not([hidden])');
    expect(await tab.page.textContent('.activations-net .badge.bad')).toContain('diverged');
    expect(await tab.page.locator('.activations-buttons button.primary').isDisabled()).toBe(true);
    expect(tab.errors).toEqual([]);
    await tab.close();
  });
});
