/**
 * The printed form of a tensor, laid out the way PyTorch prints (torch/_tensor_str.py):
 * nested brackets, one number format and width for all elements, rows wrapped at 80
 * columns, and summarized with ... beyond 1000 elements.
 */

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 80;
const PREFIX = 'tensor(';

/**
 * Python rounds an exact tie (a binary value such as 1.03125 that lies halfway between two
 * decimals) to the even digit, JavaScript away from zero: keep JavaScript's rounding unless
 * the value is a tie that it rounded to an odd last digit, and then take the value cut short.
 * `exact` is the same conversion with 25 more digits, enough to tell a tie from a near-tie.
 */
function halfEven(rounded: string, exact: string, digits: number): string {
  const mantissa = exact.split('e');
  const point = mantissa[0].indexOf('.');
  const rest = mantissa[0].slice(point + 1 + digits);
  const last = Number(rounded.split('e')[0].slice(-1));
  if (!/^50*$/.test(rest) || last % 2 === 0) return rounded;
  const cut = mantissa[0].slice(0, point + 1 + digits).replace(/\.$/, '');
  return mantissa.length > 1 ? `${cut}e${mantissa[1]}` : cut;
}

function fixed(v: number): string {
  return halfEven(v.toFixed(PRECISION), v.toFixed(PRECISION + 25), PRECISION);
}

/** Python's exponent notation: 1.0000e-05, not JavaScript's 1.0000e-5. */
function exponential(v: number): string {
  return halfEven(v.toExponential(PRECISION), v.toExponential(PRECISION + 25), PRECISION).replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * PyTorch's _Formatter: integers print as `2.` unless they span more than three orders of
 * magnitude, other values with 4 decimals, or in exponent notation when they are tiny, huge
 * or spread wide. The width comes from the non-zero finite values.
 */
function formatter(values: number[]): { format: (v: number) => string; width: number } {
  const nonzero = values.filter((v) => Number.isFinite(v) && v !== 0);
  const integer = (x: number) => `${x.toFixed(0)}.`;
  if (nonzero.length === 0) return { format: (v) => plain(v, integer), width: 1 };
  const abs = nonzero.map(Math.abs);
  const min = Math.min(...abs);
  const max = Math.max(...abs);
  const intMode = nonzero.every(Number.isInteger);
  const sciMode = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
  const fmt = sciMode ? exponential : intMode ? integer : fixed;
  const width = Math.max(1, ...nonzero.map((v) => fmt(v).length));
  return { format: (v) => plain(v, fmt).padStart(width), width };
}

function plain(v: number, fmt: (x: number) => string): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return Object.is(v, -0) ? `-${fmt(0)}` : fmt(v);
}

/** Indices shown along a dimension of length n: all, or the edges around a null (the ...). */
function shown(n: number, summarize: boolean): (number | null)[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (!summarize || n <= 2 * EDGE_ITEMS) return all;
  return [...all.slice(0, EDGE_ITEMS), null, ...all.slice(n - EDGE_ITEMS)];
}

/** PyTorch's _add_suffixes: each suffix after ", ", or on its own line when it would pass 80 columns. */
function addSuffixes(text: string, suffixes: readonly string[]): string {
  let out = text;
  let lastLine = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLine + suffix.length + 2 > LINE_WIDTH) {
      out += `,\n${' '.repeat(PREFIX.length)}${suffix}`;
      lastLine = PREFIX.length + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLine += suffix.length + 2;
    }
  }
  return `${out})`;
}

/** `tensor([[1., 2.],\n        [3., 4.]], requiresGrad=true)` for data of the given shape. */
export function formatTensor(data: Float32Array, shape: readonly number[], suffixes: readonly string[] = []): string {
  if (data.length === 0) {
    const size = shape.length === 1 ? [] : [`size=[${shape.join(', ')}]`];
    return addSuffixes(`${PREFIX}[]`, [...size, ...suffixes]);
  }
  const summarize = data.length > THRESHOLD;
  const strides: number[] = [];
  for (let i = shape.length - 1, s = 1; i >= 0; s *= shape[i], i--) strides[i] = s;

  // The format is chosen from the values that will be printed (PyTorch's get_summarized_data).
  const visible: number[] = [];
  const collect = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      visible.push(data[offset]);
      return;
    }
    for (const i of shown(shape[dim], summarize)) if (i !== null) collect(dim + 1, offset + i * strides[dim]);
  };
  collect(0, 0);
  const { format: fmt, width } = formatter(visible);
  const elementWidth = width + 2;

  const render = (dim: number, offset: number, indent: number): string => {
    if (dim === shape.length) return fmt(data[offset]);
    const idx = shown(shape[dim], summarize);
    if (dim === shape.length - 1) {
      const items = idx.map((i) => (i === null ? ' ...' : fmt(data[offset + i])));
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / elementWidth));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
    }
    const parts = idx.map((i) => (i === null ? '...' : render(dim + 1, offset + i * strides[dim], indent + 1)));
    return `[${parts.join(`,${'\n'.repeat(shape.length - dim - 1)}${' '.repeat(indent + 1)}`)}]`;
  };
  return addSuffixes(PREFIX + render(0, 0, PREFIX.length), suffixes);
}
