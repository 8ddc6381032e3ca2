/** Tiny DOM helpers for the lab's controls: every control gets a visible label and works from the keyboard. */

type Attrs = Record<string, string | number | boolean | undefined>;

/** Creates an element with attributes (class, aria-*, …) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children);
  return e;
}

let ids = 0;
export function uid(prefix: string): string {
  return `${prefix}-${++ids}`;
}

export interface SliderOptions {
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  /** Shown beside the label; default the number with up to 4 significant digits. */
  format?: (v: number) => string;
  /** Map the slider position to the value (e.g. a log scale): position in [min, max] → value. */
  scale?: { toValue: (p: number) => number; toPosition: (v: number) => number };
  onInput: (v: number) => void;
}

/** A labelled range slider; returns its container and a setter. */
export function slider(o: SliderOptions): { root: HTMLElement; set(v: number): void; input: HTMLInputElement } {
  const id = uid('slider');
  const fmt = o.format ?? ((v: number) => String(Number(v.toPrecision(4))));
  const toValue = o.scale?.toValue ?? ((p: number) => p);
  const toPosition = o.scale?.toPosition ?? ((v: number) => v);
  const value = el('span', { class: 'value' }, fmt(o.value));
  const input = el('input', { type: 'range', id, min: o.min, max: o.max, step: o.step, value: toPosition(o.value) });
  input.addEventListener('input', () => {
    const v = toValue(Number(input.value));
    value.textContent = fmt(v);
    input.setAttribute('aria-valuetext', fmt(v));
    o.onInput(v);
  });
  const root = el('div', {}, el('label', { for: id }, o.label, value), input);
  return {
    root,
    input,
    set(v: number) {
      input.value = String(toPosition(v));
      value.textContent = fmt(v);
    },
  };
}

/** A log-scale mapping for sliders over [lo, hi] with positions [0, steps]. */
export function logScale(lo: number, hi: number, steps = 100): { toValue: (p: number) => number; toPosition: (v: number) => number } {
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  return {
    toValue: (p) => 10 ** (a + ((b - a) * p) / steps),
    toPosition: (v) => Math.round(((Math.log10(v) - a) / (b - a)) * steps),
  };
}

export function select<T extends string>(label: string, options: { value: T; text: string }[], value: T, onChange: (v: T) => void): { root: HTMLElement; select: HTMLSelectElement } {
  const id = uid('select');
  const s = el('select', { id });
  for (const o of options) {
    const opt = el('option', { value: o.value }, o.text);
    if (o.value === value) opt.selected = true;
    s.append(opt);
  }
  s.addEventListener('change', () => onChange(s.value as T));
  return { root: el('div', {}, el('label', { for: id }, label), s), select: s };
}

export function checkbox(label: string, checked: boolean, onChange: (v: boolean) => void): { root: HTMLElement; input: HTMLInputElement } {
  const id = uid('check');
  const input = el('input', { type: 'checkbox', id });
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  return { root: el('label', { class: 'checkbox', for: id }, input, label), input };
}

export function button(text: string, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, text);
  b.addEventListener('click', onClick);
  return b;
}
