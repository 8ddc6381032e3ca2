/** The Optimizers page's text, in the lecture's terms: the update rule, why GD struggles, what each family changes. */
import { el } from '../../ui/dom.js';

export function intro(): HTMLElement {
  return el('header', { class: 'intro optimizers-intro' },
    el('h1', {}, 'Optimizers race on a loss surface'),
    el('p', {},
      'Training is gradient descent, ', el('code', {}, 'W := W − α·dL/dW'),
      '. Each optimizer below starts at the same point ○ and repeats forward (f), backward (∂f/∂x, ∂f/∂y) and ',
      el('code', {}, 'step()'),
      ' with nabla’s own optimizer classes, live in this page. On the lecture’s bowl the loss is steep vertically and shallow ',
      'horizontally: one α cannot suit both directions, so plain GD jitters across the valley and crawls along it. ',
      'Raise κ to make it worse; press Play, or Step through it.',
    ),
  );
}

const ITEMS: [string, string][] = [
  ['GD', 'W := W − α·g. On ½(x² + κy²) it is stable along the steep y only if α < 2/κ; with such an α, x shrinks only by the factor 1 − α per step, so the flat direction takes on the order of κ steps, while for α > 1/κ y overshoots and flips sign every step.'],
  ['Momentum, Nesterov', 'v := μ·v + g, W := W − α·v. The back-and-forth across the valley cancels in the velocity, the steady pull along it adds up (≈ 1/(1 − μ) times larger steps). Nesterov takes the gradient where the velocity is about to carry W.'],
  ['Adagrad, RMSProp', 'Per-parameter step sizes: each coordinate’s step is divided by √(its squared gradients), so the steep y gets small steps and the flat x large ones. Adagrad sums them (steps shrink for ever); RMSProp keeps a running average with decay α.'],
  ['Adam, AdamW', 'RMSProp’s per-parameter scaling plus momentum (β₁) on the gradient, both bias-corrected: steps of about α in every direction. AdamW also pulls W towards 0 (decoupled weight decay λ).'],
  ['Adadelta', 'Like RMSProp, but the step is scaled by the running RMS of past updates instead of a fixed rate, so the units match W (α only rescales it here).'],
  ['FTRL', 'Follow The Regularized Leader: per-coordinate rates like Adagrad (∝ 1/√Σg²), but W is solved from all gradients so far plus an L1 term that sets small coordinates exactly to 0 — built for huge sparse models (ad-click prediction).'],
];

export function explanation(): HTMLElement {
  return el('section', { class: 'card optimizers-explain', 'aria-label': 'What each optimizer changes' },
    el('h2', {}, 'What each optimizer changes'),
    el('dl', {}, ...ITEMS.flatMap(([term, text]) => [el('dt', {}, term), el('dd', {}, text)])),
    el('p', { class: 'muted' },
      'A run is marked “diverged” when a parameter or the loss becomes NaN/∞ or it leaves the map far behind; its trail stops at the last good point. ',
      'Every surface has learning rates tuned so that each optimizer moves visibly without blowing up; the α sliders go two decades either way.',
    ),
  );
}
