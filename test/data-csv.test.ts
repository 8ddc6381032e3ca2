import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { data } from '../src/index.js';

const { loadCsv, parseCsv } = data;
const dir = mkdtempSync(join(tmpdir(), 'nabla-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadCsv', () => {
  it('reads features and string labels (sorted, numbered), with quoted fields, a header and a BOM', () => {
    const path = file('iris.csv', [
      '\uFEFFsepal length,"sepal, width",species',
      '5.1,3.5,"Iris ""setosa"""',
      '7.0,3.2,versicolor',
      '"6.3"," 3.3",virginica',
      '',
      '4.9,3.0,"Iris ""setosa"""',
    ].join('\n'));
    const { x, y, classes, featureNames } = loadCsv(path);
    expect(x.shape).toEqual([4, 2]);
    expect(Array.from(x.data)).toEqual([5.1, 3.5, 7.0, 3.2, 6.3, 3.3, 4.9, 3.0].map(Math.fround));
    expect(classes).toEqual(['Iris "setosa"', 'versicolor', 'virginica']);
    expect(Array.from(y)).toEqual([0, 1, 2, 0]);
    expect(featureNames).toEqual(['sepal length', 'sepal, width']);
  });

  it('keeps integer labels as class indices; label column by name or index; other delimiters; no header', () => {
    const path = file('digits.csv', 'label;a;b\n2;0.5;1\n0;1.5;2\n');
    const byName = loadCsv(path, { delimiter: ';', labelColumn: 'label' });
    expect(Array.from(byName.y)).toEqual([2, 0]);
    expect(byName.classes).toEqual(['0', '1', '2']);
    expect(Array.from(byName.x.data)).toEqual([0.5, 1, 1.5, 2]);
    expect(Array.from(loadCsv(path, { delimiter: ';', labelColumn: 0 }).y)).toEqual([2, 0]);
    expect(Array.from(loadCsv(path, { delimiter: ';', labelColumn: -3 }).y)).toEqual([2, 0]);

    const bare = loadCsv(file('bare.csv', '1,2,yes\n3,4,no\n5,6,yes\n'), { header: false });
    expect(bare.x.shape).toEqual([3, 2]);
    expect(bare.classes).toEqual(['no', 'yes']);
    expect(Array.from(bare.y)).toEqual([1, 0, 1]);
    expect(bare.featureNames).toEqual(['column 0', 'column 1']);
  });

  it('parses a field that spans lines inside quotes', () => {
    const { y, classes } = parseCsv('a,label\n1,"two\nlines"\n2,x\n');
    expect(classes).toEqual(['two\nlines', 'x']);
    expect(Array.from(y)).toEqual([0, 1]);
  });

  it('refuses malformed rows, naming the file and line', () => {
    const short = file('short.csv', 'a,b,c\n1,2,x\n3,4\n');
    expect(() => loadCsv(short)).toThrow(`loadCsv: ${short} line 3: Invalid Record Length: expect 3, got 2`);
    const open = file('open.csv', 'a,b\n1,"x\n2,y\n');
    expect(() => loadCsv(open)).toThrow(new RegExp(`loadCsv: ${open.replace(/[.\\]/g, '\\$&')} line 3: Quote Not Closed`));
    const text = file('text.csv', 'a,b,label\n1,2,x\n3,oops,y\n');
    expect(() => loadCsv(text)).toThrow(`loadCsv: ${text} line 3: column "b": "oops" is not a number`);
    const empty = file('empty-cell.csv', 'a,label\n,x\n');
    expect(() => loadCsv(empty)).toThrow(`loadCsv: ${empty} line 2: column "a": "" is not a number`);
    const noLabel = file('no-label.csv', 'a,label\n1,x\n2,\n');
    expect(() => loadCsv(noLabel)).toThrow(`loadCsv: ${noLabel} line 3: empty label in column "label"`);
    const quote = file('quote.csv', 'a,label\n1,"x"y\n');
    expect(() => loadCsv(quote)).toThrow(`loadCsv: ${quote} line 2: Invalid Closing Quote`);
  });

  it('refuses bad options, missing files and tables without data', () => {
    const path = file('ok.csv', 'a,label\n1,x\n');
    expect(() => loadCsv(path, { labelColumn: 'species' })).toThrow(`loadCsv: ${path}: no column named "species" (columns: "a", "label")`);
    expect(() => loadCsv(path, { labelColumn: 2 })).toThrow(`loadCsv: ${path}: labelColumn 2 is out of range for 2 columns`);
    expect(() => loadCsv(path, { header: false, labelColumn: 'label' })).toThrow('is a name, but header is false');
    expect(() => loadCsv(join(dir, 'missing.csv'))).toThrow(`loadCsv: cannot read ${join(dir, 'missing.csv')}: ENOENT`);
    expect(() => loadCsv(file('head.csv', 'a,label\n'))).toThrow('head.csv: no data rows');
    expect(() => loadCsv(file('one.csv', 'label\nx\n'))).toThrow('one.csv line 2: need at least one feature column and a label column, found 1 column');
  });
});
