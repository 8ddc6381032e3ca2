/** Python source literals for the values model.py holds: numbers, strings, lists, dicts, None. */

export type PyValue = number | string | boolean | null | PyValue[] | { [key: string]: PyValue };

/** An integer as Python writes it. */
export function pyInt(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`exportTorch: expected an integer, got ${String(n)}`);
  return String(n);
}

/** A float that Python parses back to the same double (JavaScript's shortest repr, `.0` on integers). */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`exportTorch: expected a finite number, got ${String(x)}`);
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A string literal in ASCII (escapes for everything else, \U for characters beyond the BMP). */
export function pyString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}'`;
}

/** Any JSON-like value as a Python literal (numbers: integers stay integers). */
export function pyValue(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? pyInt(v) : pyFloat(v);
  if (typeof v === 'string') return pyString(v);
  if (Array.isArray(v)) return `[${v.map(pyValue).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${pyString(k)}: ${pyValue(x)}`).join(', ')}}`;
}

/** A kernel size, stride, …: `3` when both sides agree, `(3, 5)` otherwise. */
export function pyPair([a, b]: readonly [number, number]): string {
  return a === b ? pyInt(a) : `(${pyInt(a)}, ${pyInt(b)})`;
}
