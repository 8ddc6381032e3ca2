/**
 * Option checking shared by the optimizers and the schedulers: each class declares, per option,
 * a check that throws `<Class>: <option> must be <allowed>, got <value>`. Unknown option names
 * (typos) are errors too, so `new Adam(ps, { weightdecay: 0.1 })` fails instead of being ignored.
 */

/** Throws when `value` is not allowed for `option` of `owner` (an optimizer or scheduler name). */
export type Check = (owner: string, option: string, value: unknown) => void;

export type Checks<O> = { [K in keyof O]-?: Check };

function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function fail(owner: string, option: string, allowed: string, value: unknown): never {
  throw new Error(`${owner}: ${option} must be ${allowed}, got ${show(value)}`);
}

/** A number in the interval [lo, hi] (or open at either end); ±Infinity bounds print as ∞. */
export function inRange(lo: number, hi: number, { openLo = false, openHi = false } = {}): Check {
  const bound = (x: number) => (x === Infinity ? '∞' : x === -Infinity ? '-∞' : String(x));
  const interval = `${openLo || lo === -Infinity ? '(' : '['}${bound(lo)}, ${bound(hi)}${openHi || hi === Infinity ? ')' : ']'}`;
  return (owner, option, value) => {
    if (typeof value !== 'number') fail(owner, option, `a number in ${interval}`, value);
    const ok = Number.isFinite(value)
      && (openLo ? value > lo : value >= lo)
      && (openHi ? value < hi : value <= hi);
    if (!ok) fail(owner, option, `in ${interval}`, value);
  };
}

/** A non-negative finite number: learning rates, eps, weight decay, regularization strengths. */
export const nonNegative = inRange(0, Infinity);

/** An integer ≥ min. */
export function integerAtLeast(min: number): Check {
  return (owner, option, value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      fail(owner, option, `an integer ≥ ${min}`, value);
    }
  };
}

export const boolean: Check = (owner, option, value) => {
  if (typeof value !== 'boolean') fail(owner, option, 'true or false', value);
};

export function oneOf(...allowed: string[]): Check {
  return (owner, option, value) => {
    if (typeof value !== 'string' || !allowed.includes(value)) {
      fail(owner, option, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
    }
  };
}

/** A pair [a, b] whose elements each pass `each` (reported as option[0], option[1]). */
export function pairOf(each: Check): Check {
  return (owner, option, value) => {
    if (!Array.isArray(value) || value.length !== 2) fail(owner, option, 'a pair [number, number]', value);
    each(owner, `${option}[0]`, value[0]);
    each(owner, `${option}[1]`, value[1]);
  };
}

/** A list whose elements each pass `each` (reported as option[i]). */
export function listOf(each: Check): Check {
  return (owner, option, value) => {
    if (!Array.isArray(value)) fail(owner, option, 'a list', value);
    value.forEach((v, i) => each(owner, `${option}[${i}]`, v));
  };
}

/** Either a single value passing `check` or a list of them. */
export function oneOrList(check: Check): Check {
  return (owner, option, value) => (Array.isArray(value) ? listOf(check) : check)(owner, option, value);
}

/** Edit distance between two names, for suggesting the option a typo meant. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length];
}

/** Throws on option names not in `checks`, suggesting the closest known name. */
export function checkKnownOptions(owner: string, options: object, checks: object): void {
  const known = Object.keys(checks);
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const scored = known.map((k) => [k, distance(name.toLowerCase(), k.toLowerCase())] as const).sort((x, y) => x[1] - y[1]);
    const hint = scored.length > 0 && scored[0][1] <= 2 ? `did you mean '${scored[0][0]}'? ` : '';
    throw new Error(`${owner}: unknown option '${name}' (${hint}known options: ${known.join(', ')})`);
  }
}

/** Runs each check on the options present (undefined values are skipped: they take defaults). */
export function checkOptions<O extends object>(owner: string, options: Partial<O>, checks: Checks<O>): void {
  checkKnownOptions(owner, options, checks);
  for (const name of Object.keys(options) as (keyof O & string)[]) {
    const value = options[name];
    if (value !== undefined) checks[name](owner, name, value);
  }
}

/** For an option its owner checks itself with its own message: only its name is checked here. */
export const checkedByOwner: Check = () => {};

/** A function (a callback option). */
export const callable: Check = (owner, option, value) => {
  if (typeof value !== 'function') fail(owner, option, 'a function', value);
};

/** Checks an options argument of a constructor: an object, known option names, allowed values (undefined = default). */
export function checkOptionsObject<O extends object>(owner: string, options: O, checks: Checks<O>): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${owner}: options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  checkOptions(owner, options, checks);
}

/**
 * Complete, checked options: each option from `options`, else from `defaults`; one with
 * neither is reported as required. Arrays are copied so the caller's stay untouched.
 */
export function withDefaults<O extends object>(owner: string, options: Partial<O>, defaults: Partial<O>, checks: Checks<O>): O {
  checkOptionsObject(owner, options, checks);
  const resolved: Record<string, unknown> = {};
  for (const name of Object.keys(checks)) {
    const given = (options as Record<string, unknown>)[name];
    const value = given !== undefined ? given : (defaults as Record<string, unknown>)[name];
    if (value === undefined) throw new Error(`${owner}: ${name} is required (it has no default), got undefined`);
    resolved[name] = Array.isArray(value) ? value.slice() : value;
  }
  return resolved as O;
}
