/**
 * The Backprop page in Chromium: the lecture's graph stepped through its forward pass (values in
 * topological order) and backward pass (the slide's gradients), σ staged or fused, inputs edited,
 * and a typed expression with a syntax error that is shown, not thrown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_SETUP_TIMEOUT, startLab, type LabSession, type LabTab } from './lab-harness.js';

let lab: LabSession;
beforeAll(async () => {
  lab = await startLab();
}, LAB_SETUP_TIMEOUT);
afterAll(() => lab?.close());

const LECTURE = '.backprop-lecture';

/** Each drawn node of the lecture's graph: op, label text, value text, gradient text — in topological order. */
async function nodes(tab: LabTab, card = LECTURE) {
  return tab.page.$$eval(`${card} g.node`, (gs) =>
    gs
      .map((g) => ({
        id: Number(g.getAttribute('data-id')),
        op: g.getAttribute('data-op')!,
        label: g.querySelector('text:not(.value):not(.grad)')!.textContent!,
        value: g.querySelector('text.value')!.textContent!,
        grad: g.querySelector('text.grad')?.textContent ?? '',
      }))
      .sort((a, b) => a.id - b.id),
  );
}

async function press(tab: LabTab, key: string, times: number) {
  for (let k = 0; k < times; k++) await tab.page.keyboard.press(key);
}

// f = σ(w0·x0 + w1·x1 + w2) at w0 = 2, x0 = −1, w1 = −3, x1 = −2, w2 = −3, by hand:
// w0·x0 = −2, w1·x1 = 6, sum 4, +w2 → 1, ×(−1) → −1, exp → 0.3679, +1 → 1.3679, 1/x → 0.7311.
const FORWARD = ['-2.00', '6.00', '4.00', '1.00', '-1.00', '0.37', '1.37', '0.73'];
// Backward: ∂f/∂(1/x) = 1; −1/1.3679² = −0.5344 at +1 and exp; ×e^−1 → −0.1966; ×(−1) → 0.1966 through
// both adds; w0: 0.1966·x0 = −0.20, x0: 0.1966·w0 = 0.39, w1: 0.1966·x1 = −0.39, x1: 0.1966·w1 = −0.59, w2: 0.20.
const SLIDE_GRADS: Record<string, string> = { w0: '-0.20', x0: '0.39', w1: '-0.39', x1: '-0.59', w2: '0.20' };

describe('lab: Backprop page', () => {
  it('loads the lecture graph with only the inputs known, without console errors', async () => {
    const tab = await lab.open('backprop');
    await tab.page.waitForSelector(`${LECTURE} g.node`);
    const all = await nodes(tab);
    expect(all).toHaveLength(13);
    const inputs = all.filter((n) => n.op === 'input');
    expect(inputs.map((n) => [n.label, n.value])).toEqual([['w0', '2.00'], ['x0', '-1.00'], ['w1', '-3.00'], ['x1', '-2.00'], ['w2', '-3.00']]);
    expect(all.filter((n) => n.op !== 'input').every((n) => n.value === '' && n.grad === '')).toBe(true);
    expect(await tab.page.textContent('.backprop-lecture .backprop-f')).toBe('f = 0.73');
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('fills in the values in topological order, one node per step (Next button and → key)', async () => {
    const tab = await lab.open('backprop');
    await tab.page.waitForSelector(`${LECTURE} g.node`);
    const next = tab.page.locator('aside .backprop-toolbar button[data-action="next"]');
    for (let n = 1; n <= FORWARD.length; n++) {
      if (n % 2 === 1) await next.click();
      else await tab.page.keyboard.press('ArrowRight');
      const ops = (await nodes(tab)).filter((x) => x.op !== 'input');
      expect(ops.map((x) => x.value)).toEqual(FORWARD.map((v, k) => (k < n ? v : '')));
      expect(ops.every((x) => x.grad === '')).toBe(true);
    }
    expect(await tab.page.getAttribute('aside .backprop-toolbar', 'data-phase')).toBe('forward');
    await tab.page.keyboard.press('ArrowLeft');
    const back = (await nodes(tab)).filter((x) => x.op !== 'input');
    expect(back[7].value).toBe('');
    expect(back[6].value).toBe('1.37');
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('steps through the backward pass to the slide\'s gradients, with local × upstream = downstream', async () => {
    const tab = await lab.open('backprop');
    await tab.page.waitForSelector(`${LECTURE} g.node`);
    // 8 forward steps, the seed ∂f/∂f = 1, then 1/x, +1 and exp.
    await press(tab, 'ArrowRight', 12);
    const mid = await nodes(tab);
    const byOp = (op: string) => mid.filter((n) => n.op === op);
    expect(byOp('reciprocal')[0].grad).toBe('1.00');
    expect(byOp('exp')[0].grad).toBe('-0.53');
    expect(byOp('neg')[0].grad).toBe('-0.20');
    expect(byOp('input').every((n) => n.grad === '')).toBe(true);
    const panel = await tab.page.textContent('aside .backprop-explain');
    expect(panel).toContain('local gradient ∂out/∂x = eˣ (the output itself) = 0.37');
    expect(panel).toContain('0.37 × −0.53 = −0.20');
    expect(panel).toContain('local × upstream = downstream');
    expect(await tab.page.getAttribute('aside .backprop-toolbar', 'data-phase')).toBe('backward');
    await tab.screenshot('backprop');

    await press(tab, 'ArrowRight', 5);
    expect(await tab.page.getAttribute('aside .backprop-toolbar', 'data-step')).toBe('17');
    const done = await nodes(tab);
    const grads = Object.fromEntries(done.filter((n) => n.op === 'input').map((n) => [n.label, n.grad]));
    expect(grads).toEqual(SLIDE_GRADS);
    const table = await tab.page.$$eval('aside .backprop-vars tr[data-var]', (rows) => rows.map((r) => [r.getAttribute('data-var'), r.querySelector('.grad')!.textContent]));
    expect(table).toEqual(Object.entries(SLIDE_GRADS).map(([k, v]) => [k, v.replace('-', '−')]));
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('switches between the staged σ and one σ module (13 → 10 nodes, same gradients), kept in the URL', async () => {
    const tab = await lab.open('backprop');
    await tab.page.waitForSelector(`${LECTURE} g.node`);
    expect(await tab.page.locator(`${LECTURE} g.node`).count()).toBe(13);
    await tab.page.getByLabel('One module').check();
    await tab.page.waitForFunction(() => document.querySelectorAll('.backprop-lecture g.node').length === 10);
    const fused = await nodes(tab);
    expect(fused.map((n) => n.op)).toEqual(['input', 'input', 'mul', 'input', 'input', 'mul', 'add', 'input', 'add', 'sigmoid']);
    expect(tab.page.url()).toContain('sigma=fused');
    await tab.page.keyboard.press('End');
    const sigma = (await nodes(tab)).find((n) => n.op === 'sigmoid')!;
    expect([sigma.label, sigma.value, sigma.grad]).toEqual(['σ', '0.73', '1.00']);
    // At σ: local gradient (1 − σ)σ = 0.73 · 0.27 = 0.20 — the fused module's own gradient.
    // The arrow keys belong to the focused radio button: click the graph to step with them.
    await tab.page.click(`${LECTURE} .backprop-graph`);
    await tab.page.keyboard.press('Home');
    await press(tab, 'ArrowRight', 7);
    expect(await tab.page.locator(`${LECTURE} g.node`).count()).toBe(10);
    expect(await tab.page.textContent('aside .backprop-explain')).toContain('(1 − σ(x))·σ(x) = 0.20');
    await tab.page.keyboard.press('End');
    const grads = Object.fromEntries((await nodes(tab)).filter((n) => n.op === 'input').map((n) => [n.label, n.grad]));
    expect(grads).toEqual(SLIDE_GRADS);

    // Reloading the URL restores the mode.
    const again = await lab.open(tab.page.url().split('#/')[1]);
    await again.page.waitForSelector(`${LECTURE} g.node`);
    expect(await again.page.locator(`${LECTURE} g.node`).count()).toBe(10);
    expect(tab.errors).toEqual([]);
    expect(again.errors).toEqual([]);
    await again.close();
    await tab.close();
  });

  it('plays the steps on a timer, pauses, and stops the timer when the page is left', async () => {
    const tab = await lab.open('backprop');
    await tab.page.waitForSelector(`${LECTURE} g.node`);
    const play = tab.page.locator('aside .backprop-toolbar button[data-action="play"]');
    await play.click();
    expect(await play.getAttribute('aria-pressed')).toBe('true');
    await tab.page.waitForFunction(() => Number(document.querySelector('aside .backprop-toolbar')!.getAttribute('data-step')) >= 2);
    expect(await play.textContent()).toBe('❚❚ Pause');
    await play.click();
    expect(await play.getAttribute('aria-pressed')).toBe('false');
    const stepped = Number(await tab.page.getAttribute('aside .backprop-toolbar', 'data-step'));
    const ops = (await nodes(tab)).filter((n) => n.op !== 'input');
    expect(ops.map((n) => n.value)).toEqual(FORWARD.map((v, k) => (k < stepped ? v : '')));
    await tab.page.waitForTimeout(1500);
    expect(Number(await tab.page.getAttribute('aside .backprop-toolbar', 'data-step'))).toBe(stepped);
    await play.click();
    await tab.page.evaluate(() => (location.hash = '#/activations'));
    await tab.page.waitForSelector('.activations-grad-chart');
    await tab.page.waitForTimeout(1500);
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('recomputes the graph when an input changes: w0 = 1 gives f = σ(2) = 0.88', async () => {
    const tab = await lab.open('backprop');
    await tab.page.waitForSelector(`${LECTURE} g.node`);
    await tab.page.fill('.backprop-inputs input[data-var="w0"]', '1');
    expect(await tab.page.textContent('.backprop-lecture .backprop-f')).toBe('f = 0.88');
    await tab.page.keyboard.press('Escape');
    await tab.page.click('aside .backprop-toolbar button[data-action="end"]');
    const all = await nodes(tab);
    // σ(2) = 0.8808, σ'(2) = 0.1050; ∂f/∂x0 = 0.1050 · w0 = 0.10, ∂f/∂w0 = 0.1050 · x0 = −0.10.
    const x0 = all.find((n) => n.label === 'x0')!;
    const w0 = all.find((n) => n.label === 'w0')!;
    expect([w0.value, w0.grad, x0.grad]).toEqual(['1.00', '-0.10', '0.10']);
    expect(tab.page.url()).toContain('w0=1');
    expect(tab.errors).toEqual([]);
    await tab.close();
  });

  it('shows a syntax error in a typed expression with its column, then draws a valid one', async () => {
    const tab = await lab.open('backprop');
    const input = tab.page.locator('.backprop-expr-input');
    await input.fill('(x + * y');
    const error = tab.page.locator('.backprop-custom .backprop-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain('Column 6');
    expect(await error.textContent()).toContain("got '*'");
    expect(await tab.page.textContent('.backprop-caret')).toBe('(x + * y\n     ^');
    expect(await input.getAttribute('aria-invalid')).toBe('true');

    await input.fill('a*b + a');
    await error.waitFor({ state: 'hidden' });
    expect(await tab.page.$$eval('.backprop-custom .backprop-fields input', (xs) => xs.map((x) => x.getAttribute('data-var')))).toEqual(['a', 'b']);
    await tab.page.fill('.backprop-custom input[data-var="a"]', '3');
    await tab.page.fill('.backprop-custom input[data-var="b"]', '-2');
    await tab.page.click('.backprop-custom .backprop-toolbar button[data-action="end"]');
    // f = ab + a: ∂f/∂a = b + 1 = −1 (the sum of a's two uses, −2 and 1), ∂f/∂b = a = 3.
    const rows = await tab.page.$$eval('.backprop-custom .backprop-vars tr[data-var]', (rs) => rs.map((r) => [r.getAttribute('data-var'), r.querySelector('.grad')!.textContent]));
    expect(rows).toEqual([['a', '−1.00'], ['b', '3.00']]);
    expect(await tab.page.textContent('.backprop-custom .backprop-f')).toBe('f = −3.00');
    expect(tab.page.url()).toContain('vars=a%3A3%2Cb%3A-2');

    // A value that makes the expression non-finite is flagged, not thrown.
    await input.fill('log(a - 3)');
    await tab.page.waitForFunction(() => !document.querySelector('.backprop-custom .badge')!.hasAttribute('hidden'));
    expect(tab.errors).toEqual([]);
    await tab.close();
  });
});
