/** Number formats of the benchmark's tables, and where its records go. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const mb = (bytes: number) => `${fmt(bytes / 2 ** 20)} MB`;

/** Writes bench/results/<date>-<name>.json; returns its path relative to the repository. */
export function writeRecord(root: string, name: string, record: object): string {
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = `${new Date().toISOString().slice(0, 10)}-${name}.json`;
  writeFileSync(join(dir, file), `${JSON.stringify(record, null, 2)}\n`);
  return `bench/results/${file}`;
}
