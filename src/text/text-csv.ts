/**
 * A user's own labelled texts from a CSV file: one column holds the text, one the label (by default
 * the last column that is not the text). Parsing is csv-parse's (quoted fields with commas and
 * newlines); labels are numbered as loadCsv numbers them. Node only.
 */
import { parse, type CsvError } from 'csv-parse/sync';
import { nodeFs } from '../node-builtins.js';
import { decodeText } from './tokenize.js';
import type { TextCorpus } from './spam.js';

export interface TextCsvOptions {
  /** The text column: its header name or 0-based index. */
  textColumn: string | number;
  /** The label column: its header name or 0-based index (default: the last column that is not the text column). */
  labelColumn?: string | number;
}

function columnIndex(what: string, column: string | number, names: string[], path: string): number {
  if (typeof column === 'number' || /^\d+$/.test(column)) {
    const i = Number(column);
    if (i >= names.length) throw new Error(`${path}: ${what} ${i} is out of range for ${names.length} columns`);
    return i;
  }
  const i = names.indexOf(column);
  if (i < 0) throw new Error(`${path}: no column named ${JSON.stringify(column)} for the ${what} (columns: ${names.map((n) => JSON.stringify(n)).join(', ')})`);
  return i;
}

export function loadTextCsv(path: string, options: TextCsvOptions): TextCorpus {
  let bytes: Uint8Array;
  try {
    bytes = nodeFs('loadTextCsv').readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let rows: string[][];
  try {
    rows = parse(decodeText(bytes), { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (err) {
    const e = err as CsvError & { lines?: number };
    throw new Error(`${path}${e.lines ? ` line ${e.lines}` : ''}: ${e.message.replace(/ (on|at) line \d+/, '')}`);
  }
  if (rows.length === 0) throw new Error(`${path}: empty file (expected a header row naming the columns, then one text per row)`);
  const names = rows.shift()!;
  if (rows.length === 0) throw new Error(`${path}: no data rows after the header`);
  if (names.length < 2) throw new Error(`${path}: need a text column and a label column, found ${names.length} column`);
  const text = columnIndex('text column', options.textColumn, names, path);
  let label: number;
  if (options.labelColumn !== undefined) label = columnIndex('label column', options.labelColumn, names, path);
  else label = text === names.length - 1 ? names.length - 2 : names.length - 1;
  if (label === text) throw new Error(`${path}: the text column and the label column are the same (${JSON.stringify(names[text])})`);
  const labels = rows.map((r, i) => {
    const l = r[label].trim();
    if (l === '') throw new Error(`${path} row ${i + 2}: empty label in column ${JSON.stringify(names[label])}`);
    return l;
  });
  let classes: string[];
  let y: Int32Array;
  if (labels.every((l) => /^\d+$/.test(l))) {
    y = Int32Array.from(labels, Number);
    classes = Array.from({ length: y.reduce((a, b) => Math.max(a, b), 0) + 1 }, (_, k) => String(k));
  } else {
    classes = [...new Set(labels)].sort();
    const index = new Map(classes.map((c, k) => [c, k]));
    y = Int32Array.from(labels, (l) => index.get(l)!);
  }
  if (classes.length < 2) throw new Error(`${path}: the label column ${JSON.stringify(names[label])} has a single class (${JSON.stringify(classes[0])}); need at least two`);
  return { texts: rows.map((r) => r[text]), y, classes, names: rows.map((_, i) => `${path}:${i + 2}`) };
}
