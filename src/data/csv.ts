/**
 * A user's own table as a classification dataset: the feature columns become a float tensor,
 * the label column class indices. Parsing (quoted fields, embedded delimiters and newlines,
 * escaped quotes, a byte-order mark) is csv-parse's; errors name the file and the line.
 */
import { nodeFs } from '../node-builtins.js';
import { parse, type CsvError, type Info } from 'csv-parse/sync';
import { Tensor } from '../tensor.js';
import { boolean, checkedByOwner, checkOptionsObject } from '../optim/options.js';

export interface CsvOptions {
  /** The label column: its header name, or its 0-based index (negative counts from the end). Default: the last column. */
  labelColumn?: string | number;
  /** The first row names the columns (default true). */
  header?: boolean;
  /** Field delimiter (default ','). */
  delimiter?: string;
}

export interface CsvDataset {
  /** Features, float32 [rows, columns − 1]. */
  x: Tensor;
  /** Class indices. */
  y: Int32Array;
  /**
   * classes[k] is the label text of class k. Labels that are all non-negative integers are used
   * as class indices directly (classes = '0' … max); otherwise the distinct labels, sorted, are numbered 0, 1, ….
   */
  classes: string[];
  featureNames: string[];
}

/** Reads a CSV file (Node). */
export function loadCsv(path: string, options: CsvOptions = {}): CsvDataset {
  let text: string;
  try {
    text = nodeFs('loadCsv').readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`loadCsv: cannot read ${path}: ${(err as Error).message}`);
  }
  return parseCsv(text, options, path);
}

/** Parses CSV text; `name` (a file name, say) is named in errors. */
export function parseCsv(text: string, options: CsvOptions = {}, name = '<csv text>'): CsvDataset {
  checkOptionsObject('loadCsv', options, { labelColumn: checkedByOwner, header: boolean, delimiter: checkedByOwner });
  const { labelColumn = -1, header = true, delimiter = ',' } = options;
  const fail = (line: number | null, what: string): never => {
    throw new Error(`loadCsv: ${name}${line === null ? '' : ` line ${line}`}: ${what}`);
  };
  if (typeof delimiter !== 'string' || delimiter.length === 0) fail(null, `delimiter must be a non-empty string, got ${JSON.stringify(delimiter)}`);

  let rows: { record: string[]; info: Info }[];
  try {
    rows = parse(text, { delimiter, bom: true, info: true, skip_empty_lines: true }) as unknown as { record: string[]; info: Info }[];
  } catch (err) {
    const e = err as CsvError & { lines?: number };
    // csv-parse's message ends with its own "on line N"/"at line N"; we put the line up front.
    return fail(e.lines ?? null, e.message.replace(/ (on|at) line \d+/, ''));
  }

  const columns = rows[0]?.record.length ?? 0;
  const names = header ? rows.shift()?.record ?? [] : Array.from({ length: columns }, (_, i) => `column ${i}`);
  if (rows.length === 0) fail(null, 'no data rows');
  if (columns < 2) fail(rows[0].info.lines, `need at least one feature column and a label column, found ${columns} column${columns === 1 ? '' : 's'}`);

  let label: number;
  if (typeof labelColumn === 'string') {
    if (!header) fail(null, `labelColumn ${JSON.stringify(labelColumn)} is a name, but header is false (give a column index)`);
    label = names.indexOf(labelColumn);
    if (label < 0) fail(null, `no column named ${JSON.stringify(labelColumn)} (columns: ${names.map((n) => JSON.stringify(n)).join(', ')})`);
  } else {
    if (!Number.isInteger(labelColumn) || labelColumn < -columns || labelColumn >= columns) {
      fail(null, `labelColumn ${String(labelColumn)} is out of range for ${columns} columns`);
    }
    label = labelColumn < 0 ? columns + labelColumn : labelColumn;
  }

  const features = columns - 1;
  const x = new Float32Array(rows.length * features);
  const labels: string[] = [];
  rows.forEach(({ record, info }, r) => {
    let f = 0;
    for (let c = 0; c < columns; c++) {
      const cell = record[c].trim();
      if (c === label) {
        if (cell === '') fail(info.lines, `empty label in column ${JSON.stringify(names[c])}`);
        labels.push(cell);
        continue;
      }
      const value = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) fail(info.lines, `column ${JSON.stringify(names[c])}: ${JSON.stringify(record[c])} is not a number`);
      x[r * features + f++] = value;
    }
  });

  const { y, classes } = encodeLabels(labels);
  return { x: new Tensor(x, [rows.length, features]), y, classes, featureNames: names.filter((_, c) => c !== label) };
}

function encodeLabels(labels: string[]): { y: Int32Array; classes: string[] } {
  if (labels.every((l) => /^\d+$/.test(l))) {
    const y = Int32Array.from(labels, Number);
    const max = y.reduce((a, b) => Math.max(a, b), 0);
    return { y, classes: Array.from({ length: max + 1 }, (_, k) => String(k)) };
  }
  const classes = [...new Set(labels)].sort();
  const index = new Map(classes.map((c, k) => [c, k]));
  return { y: Int32Array.from(labels, (l) => index.get(l)!), classes };
}
