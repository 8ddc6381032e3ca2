/**
 * #/backprop — the lecture's computational graph of logistic regression, f = σ(w0·x0 + w1·x1 + w2),
 * built from nabla's ops and stepped through: the forward pass fills in each node's value, the
 * backward pass each node's gradient (local gradient × upstream gradient = downstream gradient).
 * σ can be staged as on the slides (×(−1), exp, +1, 1/x) or one module with local gradient (1 − σ)σ.
 * Below it, the same for any expression the user types.
 */
import './backprop.css';
import { inspect, type Graph } from 'nabla';
import type { Page } from '../page.js';
import { el, uid } from '../../ui/dom.js';
import { readChoice, readNumber, writeHashState } from '../../ui/url-state.js';
import { buildExpression, type Expr } from '../../../../src/autograd/expression.js';
import { GraphStepper } from './stepper.js';
import { ExpressionForm, formatValues, parseValues, type ExpressionState } from './expression-input.js';
import { fmt } from './formulas.js';

const LECTURE_EXPRESSION = 'sigmoid(w0*x0 + w1*x1 + w2)';
/** The slides' numbers: f = 0.73, gradients w0 −0.20, x0 0.39, w1 −0.39, x1 −0.59, w2 0.20. */
const LECTURE_VALUES = { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 };
const NAMES = ['w0', 'x0', 'w1', 'x1', 'w2'] as const;
const MODES = ['staged', 'fused'] as const;
type Mode = (typeof MODES)[number];
const DEFAULT_EXPRESSION: ExpressionState = { source: '(x*y + z)^2 / (1 + exp(-x))', values: { x: 1, y: -2, z: 3 } };

/** Forward, backward, inspect: the graph with every value and gradient. */
function computeGraph(source: string | Expr, values: Record<string, number>, mode: Mode): Graph {
  const { output } = buildExpression(source, values, { fused: mode === 'fused' });
  if (output.size !== 1) throw new Error(`the expression's value has shape [${output.shape.join(', ')}], expected a single number`);
  output.backward();
  return inspect(output);
}

function nonFinite(graph: Graph): boolean {
  const bad = (v: unknown): boolean => (Array.isArray(v) ? v.some(bad) : typeof v === 'number' && !Number.isFinite(v));
  return graph.nodes.some((n) => bad(n.value) || bad(n.grad));
}

function numberField(name: string, value: number, onValue: (v: number) => void): { root: HTMLElement; input: HTMLInputElement } {
  const id = uid('bp');
  const input = el('input', { type: 'number', id, step: 0.1, value, 'data-var': name });
  input.addEventListener('input', () => {
    const v = input.valueAsNumber;
    const ok = Number.isFinite(v);
    input.toggleAttribute('aria-invalid', !ok);
    if (ok) onValue(v);
  });
  return { root: el('div', { class: 'backprop-field' }, el('label', { for: id, class: 'mono' }, name), input), input };
}

function modeSwitch(mode: Mode, onChange: (m: Mode) => void): HTMLElement {
  const name = uid('mode');
  const option = (value: Mode, title: string, detail: string) => {
    const id = uid('mode');
    const input = el('input', { type: 'radio', name, id, value });
    input.checked = value === mode;
    input.addEventListener('change', () => input.checked && onChange(value));
    return el('label', { class: 'backprop-radio', for: id }, input, el('span', {}, el('b', {}, title), el('span', { class: 'muted' }, detail)));
  };
  return el(
    'fieldset',
    { class: 'backprop-mode' },
    el('legend', {}, 'σ drawn as'),
    option('staged', 'Staged, as on the slides', '×(−1) → exp → +1 → 1/x'),
    option('fused', 'One module', 'σ with local gradient (1 − σ)·σ'),
  );
}

export const backpropPage: Page = {
  route: 'backprop',
  title: 'Backprop',
  mount(root, params) {
    const values: Record<string, number> = {};
    for (const n of NAMES) values[n] = readNumber(params, n, LECTURE_VALUES[n]);
    let mode: Mode = readChoice(params, 'sigma', MODES, 'staged');
    let expression: ExpressionState = {
      source: params.get('expr') ?? DEFAULT_EXPRESSION.source,
      values: params.has('vars') ? parseValues(params.get('vars')!) : { ...DEFAULT_EXPRESSION.values },
    };

    const save = () =>
      writeHashState('backprop', { ...values, sigma: mode, expr: expression.source, vars: formatValues(expression.values) });

    // The lecture's graph.
    const lecture = new GraphStepper('logistic regression');
    const fValue = el('span', { class: 'backprop-f' });
    const lectureBadge = el('span', { class: 'badge bad', hidden: true }, 'not finite');
    const updateLecture = (keep: boolean) => {
      const graph = computeGraph(LECTURE_EXPRESSION, values, mode);
      lecture.setGraph(graph, keep);
      fValue.textContent = `f = ${fmt(graph.output.value as number)}`;
      lectureBadge.hidden = !nonFinite(graph);
      save();
    };

    const fields = NAMES.map((n) =>
      numberField(n, values[n], (v) => {
        values[n] = v;
        updateLecture(true);
      }),
    );
    const restore = el('button', { type: 'button' }, 'Slide values');
    restore.addEventListener('click', () => {
      NAMES.forEach((n, k) => {
        values[n] = LECTURE_VALUES[n];
        fields[k].input.value = String(LECTURE_VALUES[n]);
        fields[k].input.removeAttribute('aria-invalid');
      });
      updateLecture(true);
    });

    // The user's expression.
    const custom = new GraphStepper('your expression');
    const customCard = el('section', { class: 'card backprop-custom', 'aria-labelledby': 'backprop-custom-title' });
    const customF = el('span', { class: 'backprop-f' });
    const customBadge = el('span', { class: 'badge bad', hidden: true }, 'not finite');
    let lastParsed: { expr: Expr; values: Record<string, number> } | null = null;
    const updateCustom = (keep: boolean) => {
      if (!lastParsed) {
        customCard.classList.add('is-stale');
        custom.setFrozen(true);
        save();
        return;
      }
      try {
        const graph = computeGraph(lastParsed.expr, lastParsed.values, mode);
        custom.setFrozen(false);
        custom.setGraph(graph, keep);
        customF.textContent = `f = ${fmt(graph.output.value as number)}`;
        customBadge.hidden = !nonFinite(graph);
        customCard.classList.remove('is-stale');
      } catch (err) {
        form.showError(err);
        customCard.classList.add('is-stale');
        custom.setFrozen(true);
      }
      save();
    };
    const form = new ExpressionForm(expression, (parsed, state) => {
      // Editing a value keeps the step; a new expression starts over.
      const keep = state.source === expression.source;
      expression = state;
      lastParsed = parsed;
      updateCustom(keep);
    });

    const switcher = modeSwitch(mode, (m) => {
      mode = m;
      updateLecture(true);
      updateCustom(true);
    });

    root.append(
      el(
        'section',
        { class: 'intro' },
        el('h1', {}, 'Backpropagation on a computational graph'),
        el(
          'p',
          {},
          'Logistic regression, f(x, w) = 1 / (1 + e^−(w0·x0 + w1·x1 + w2)), drawn node by node as on the lecture\'s slides. ',
          'The forward pass computes each node\'s value from its inputs (green). The backward pass starts with ∂f/∂f = 1 at the output and, at every node, ',
          'multiplies the node\'s local gradient by the upstream gradient to get the gradient it sends back to each input (red): the chain rule, one node at a time.',
        ),
      ),
      el(
        'div',
        { class: 'layout' },
        el(
          'aside',
          { class: 'backprop-side' },
          el('section', { class: 'card', 'aria-label': 'Step through the passes' }, el('h2', { class: 'backprop-card-title' }, 'Step through'), lecture.toolbar, lecture.panel),
        ),
        el(
          'div',
          { class: 'backprop-main' },
          el(
            'section',
            { class: 'card backprop-lecture', 'aria-label': 'The lecture\'s graph' },
            el('div', { class: 'backprop-head' }, el('h2', { class: 'backprop-card-title mono' }, 'f = σ(w0·x0 + w1·x1 + w2)'), fValue, lectureBadge),
            el(
              'div',
              { class: 'backprop-inputs', role: 'group', 'aria-label': 'Inputs and weights' },
              el('div', { class: 'backprop-fields' }, ...fields.map((f) => f.root)),
              restore,
              switcher,
            ),
            lecture.view.root,
            el('p', { class: 'muted backprop-keys' }, el('kbd', {}, '←'), ' ', el('kbd', {}, '→'), ' step, ', el('kbd', {}, 'Home'), ' reset, ', el('kbd', {}, 'End'), ' show all. Blue boxes are inputs; the orange box is the output f.'),
          ),
          customCard,
        ),
      ),
    );
    customCard.append(
      el('div', { class: 'backprop-head' }, el('h2', { class: 'backprop-card-title', id: 'backprop-custom-title' }, 'Your own expression'), customF, customBadge),
      form.root,
      custom.toolbar,
      el('div', { class: 'backprop-custom-body' }, custom.view.root, custom.panel),
    );

    updateLecture(false);
    form.update();

    // Arrow keys drive the graph last used (the lecture's by default), unless a field has the focus.
    let active = lecture;
    const track = (stepper: GraphStepper, area: HTMLElement) => {
      const use = () => (active = stepper);
      area.addEventListener('focusin', use);
      area.addEventListener('pointerdown', use);
    };
    track(custom, customCard);
    track(lecture, root.querySelector<HTMLElement>('.backprop-side')!);
    track(lecture, root.querySelector<HTMLElement>('.backprop-lecture')!);
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      // Fields keep their own keys: text and number fields and sliders all of them, radio buttons their arrows.
      const target = event.target as HTMLElement | null;
      if (target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
      if (target instanceof HTMLInputElement && (target.type !== 'radio' || event.key.startsWith('Arrow'))) return;
      const actions: Record<string, () => void> = { ArrowRight: () => active.next(), ArrowLeft: () => active.prev(), Home: () => active.reset(), End: () => active.end() };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);

    return () => {
      window.removeEventListener('keydown', onKey);
      lecture.destroy();
      custom.destroy();
    };
  },
};
