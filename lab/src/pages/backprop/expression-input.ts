/**
 * The "your own expression" form: a text field for the expression, a number field per variable
 * it uses (appearing as they are typed), and the syntax error inline with a caret at its column.
 */
import { el, uid } from '../../ui/dom.js';
import { ExpressionError, parseExpression, variablesOf, type Expr } from '../../../../src/autograd/expression.js';

export interface ExpressionState {
  source: string;
  values: Record<string, number>;
}

/** `x:1,y:-2` ↔ { x: 1, y: -2 } (the URL form of the variables' values). */
export function parseValues(text: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const item of text.split(',')) {
    const [name, raw] = item.split(':');
    const v = Number(raw);
    if (name && /^[A-Za-z_]\w*$/.test(name.trim()) && raw !== undefined && raw.trim() !== '' && Number.isFinite(v)) values[name.trim()] = v;
  }
  return values;
}

export function formatValues(values: Record<string, number>): string {
  return Object.entries(values).map(([k, v]) => `${k}:${v}`).join(',');
}

export class ExpressionForm {
  readonly root: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly fields: HTMLElement;
  private readonly error: HTMLElement;
  private values: Record<string, number>;
  private names: string[] = [];

  /** `onChange` receives the parsed expression and the values of its variables, or null while there is an error. */
  constructor(initial: ExpressionState, private readonly onChange: (parsed: { expr: Expr; values: Record<string, number> } | null, state: ExpressionState) => void) {
    this.values = { ...initial.values };
    const id = uid('expr');
    const errorId = uid('expr-error');
    this.input = el('input', { type: 'text', id, class: 'mono backprop-expr-input', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': errorId, value: initial.source });
    this.input.value = initial.source;
    this.input.addEventListener('input', () => this.update());
    this.fields = el('div', { class: 'backprop-fields' });
    this.error = el('div', { class: 'backprop-error', id: errorId, role: 'alert' });
    this.root = el(
      'div',
      { class: 'backprop-expr' },
      el('label', { for: id }, 'f ='),
      this.input,
      el('p', { class: 'muted backprop-hint' }, 'Numbers, variables, + − × / ^ (or * and **), parentheses and sigmoid tanh relu exp log sqrt abs.'),
      this.error,
      this.fields,
    );
  }

  get state(): ExpressionState {
    const values: Record<string, number> = {};
    for (const n of this.names) values[n] = this.values[n];
    return { source: this.input.value, values };
  }

  /** Parses the text, shows an error or the variables' fields, and reports. */
  update(): void {
    const source = this.input.value;
    let expr: Expr;
    try {
      expr = parseExpression(source);
    } catch (err) {
      this.showError(err);
      this.onChange(null, this.state);
      return;
    }
    const names = variablesOf(expr);
    if (names.length === 0) {
      this.showError(new Error('the expression has no variables, so there is nothing to differentiate'));
      this.onChange(null, this.state);
      return;
    }
    this.clearError();
    if (names.join() !== this.names.join()) this.renderFields(names);
    this.onChange({ expr, values: this.state.values }, this.state);
  }

  /** Shows a problem found after parsing (building or running the graph). */
  showError(err: unknown): void {
    this.input.setAttribute('aria-invalid', 'true');
    const box = this.error;
    box.replaceChildren();
    box.hidden = false;
    if (err instanceof ExpressionError) {
      box.append(
        el('div', {}, el('b', {}, `Column ${err.position + 1}: `), err.reason),
        el('pre', { class: 'backprop-caret', 'aria-hidden': 'true' }, `${err.source}\n${' '.repeat(err.position)}^`),
      );
    } else {
      box.append(el('div', {}, el('b', {}, 'Error: '), String((err as Error)?.message ?? err).replace(/^\w+: /, '')));
    }
  }

  private clearError(): void {
    this.input.removeAttribute('aria-invalid');
    this.error.replaceChildren();
    this.error.hidden = true;
  }

  private renderFields(names: string[]): void {
    this.names = names;
    for (const n of names) if (!(n in this.values)) this.values[n] = 1;
    this.fields.replaceChildren(
      ...names.map((name) => {
        const id = uid('var');
        const input = el('input', { type: 'number', id, step: 0.1, value: this.values[name], 'data-var': name });
        input.addEventListener('input', () => {
          const v = input.valueAsNumber;
          if (!Number.isFinite(v)) {
            input.setAttribute('aria-invalid', 'true');
            return;
          }
          input.removeAttribute('aria-invalid');
          this.values[name] = v;
          this.update();
        });
        return el('div', { class: 'backprop-field' }, el('label', { for: id, class: 'mono' }, name), input);
      }),
    );
  }
}
