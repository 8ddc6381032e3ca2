/**
 * End-to-end: every lab page at phone width (390×844, a current iPhone) in Chromium: no sideways
 * scrolling (the document is no wider than the viewport) and the page's main controls are on screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_SETUP_TIMEOUT, startLab, type LabSession } from './lab-harness.js';

let lab: LabSession;
beforeAll(async () => {
  lab = await startLab();
}, LAB_SETUP_TIMEOUT);
afterAll(() => lab?.close());

const PHONE = { width: 390, height: 844 };

/** Each page, a selector that must be ready before measuring, and its main controls (each must be on screen). */
const PAGES: { route: string; ready: string; controls: string[] }[] = [
  { route: 'optimizers', ready: '.optimizers-controls', controls: ['.optimizers-controls select', '.optimizers-controls button'] },
  { route: 'backprop', ready: '.backprop-main', controls: ['.backprop-inputs input', '.backprop-toolbar button'] },
  { route: 'activations', ready: '.activations-summary', controls: ['#page select', '#page input[type=range]'] },
  { route: 'batchnorm', ready: '.batchnorm[data-step]', controls: ['.batchnorm-controls select', '.batchnorm-controls input[type=range]', '.batchnorm-presets button'] },
  { route: 'ftrl', ready: '.ftrl[data-state=training], .ftrl[data-state=done]', controls: ['.ftrl-controls input[type=range]', '.ftrl-controls button'] },
  { route: 'sequences', ready: '.sequences[data-step]', controls: ['.seq-controls select', '.seq-controls button'] },
  { route: 'playground', ready: 'h1', controls: ['#page select', '#page button'] },
];

describe('lab at phone width (390 px)', () => {
  for (const p of PAGES) {
    it(`#/${p.route}: no sideways scroll, the controls on screen`, async () => {
      const tab = await lab.open(p.route);
      const { page } = tab;
      await page.setViewportSize(PHONE);
      await page.waitForSelector(p.ready, { timeout: 30_000 });
      await tab.frames(10);
      const m = await page.evaluate(() => {
        const de = document.documentElement;
        const past = (e: Element) => {
          const r = e.getBoundingClientRect();
          return r.right > de.clientWidth + 0.5 && r.width > 0;
        };
        // The elements past the right edge, innermost first (none of their children sticks out): the culprits.
        const wide = Array.from(document.querySelectorAll<HTMLElement>('#page *'))
          .filter((e) => past(e) && !Array.from(e.children).some(past))
          .map((e) => ({ e, r: e.getBoundingClientRect() }))
          .slice(0, 8)
          .map(({ e, r }) => `${e.tagName.toLowerCase()}.${Array.from(e.classList).join('.')} right=${Math.round(r.right)}`);
        return { scrollWidth: de.scrollWidth, bodyScrollWidth: document.body.scrollWidth, wide };
      });
      expect(m.wide, `elements past the right edge on #/${p.route}`).toEqual([]);
      expect(m.scrollWidth).toBeLessThanOrEqual(PHONE.width);
      expect(m.bodyScrollWidth).toBeLessThanOrEqual(PHONE.width);
      // The navigation and each page's main controls: present, with a box inside the viewport's width.
      for (const selector of ['#nav a', ...p.controls, '#page button:visible, #page input:visible, #page select:visible']) {
        const boxes = await page.locator(selector).evaluateAll((els) => els.map((e) => {
          const r = e.getBoundingClientRect();
          return { left: r.left, right: r.right, width: r.width, height: r.height };
        }));
        expect(boxes.length, `${selector} on #/${p.route}`).toBeGreaterThan(0);
        for (const b of boxes) {
          expect(b.width * b.height, `${selector} on #/${p.route} has a size`).toBeGreaterThan(0);
          expect(b.left, `${selector} on #/${p.route}`).toBeGreaterThanOrEqual(0);
          expect(b.right, `${selector} on #/${p.route}`).toBeLessThanOrEqual(PHONE.width);
        }
      }
      await tab.screenshot(`phone-${p.route}`, { fullPage: true });
      expect(tab.errors).toEqual([]);
      await tab.close();
    }, 90_000);
  }
});
