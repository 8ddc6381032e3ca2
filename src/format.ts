/** The printed form of a tensor, laid out the way PyTorch prints: nested brackets, aligned columns, summarized when large. */

const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

function formatter(values: Float32Array): (v: number) => string {
  const finite = Array.from(values).filter((v) => Number.isFinite(v));
  const allInt = finite.every((v) => Number.isInteger(v));
  const absNonZero = finite.map(Math.abs).filter((v) => v > 0);
  const max = absNonZero.length ? Math.max(...absNonZero) : 0;
  const min = absNonZero.length ? Math.min(...absNonZero) : 0;
  let fmt: (v: number) => string;
  if (allInt && max < 1e8) fmt = (v) => `${v}.`;
  else if (max >= 1e8 || (min > 0 && min < 1e-4) || (min > 0 && max / min > 1000)) fmt = (v) => v.toExponential(4);
  else fmt = (v) => v.toFixed(4);
  const str = (v: number) => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : fmt(v));
  const width = Math.max(1, ...Array.from(values, (v) => str(v).length));
  return (v) => str(v).padStart(width);
}

export function formatTensor(data: Float32Array, shape: readonly number[], suffix: string): string {
  const summarize = data.length > THRESHOLD;
  const fmt = formatter(data);
  const prefix = 'tensor(';
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const render = (dim: number, offset: number, indent: number): string => {
    if (dim === shape.length) return fmt(data[offset]);
    const n = shape[dim];
    const idx: (number | null)[] = [];
    if (summarize && n > 2 * EDGE_ITEMS) {
      for (let i = 0; i < EDGE_ITEMS; i++) idx.push(i);
      idx.push(null);
      for (let i = n - EDGE_ITEMS; i < n; i++) idx.push(i);
    } else for (let i = 0; i < n; i++) idx.push(i);
    const parts = idx.map((i) => (i === null ? '...' : render(dim + 1, offset + i * strides[dim], indent + 1)));
    if (dim === shape.length - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(shape.length - dim - 1) + ' '.repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  let body: string;
  if (data.length === 0) body = `[], size=[${shape.join(', ')}]`;
  else body = render(0, 0, prefix.length);
  return `${prefix}${body}${suffix})`;
}
