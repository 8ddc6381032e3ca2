/**
 * End-to-end: the Playground's "Download ONNX" in Chromium. The page trains, the button's download is
 * captured, and the downloaded bytes run in the same page under onnxruntime-web (WebAssembly, one
 * thread, served from node_modules through page.route: no network) on the decision map's grid and
 * on every data point; its logits must give the page's own predictions.
 */
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_SETUP_TIMEOUT, startLab, type LabSession, type LabTab } from './lab-harness.js';

let lab: LabSession;
beforeAll(async () => {
  lab = await startLab();
}, LAB_SETUP_TIMEOUT);
afterAll(() => lab?.close());

const TIMEOUT = 180_000;
const ORT_DIST = join(import.meta.dirname, '..', 'node_modules', 'onnxruntime-web', 'dist');
/** onnxruntime-web's files appear under this path of the lab's origin (page.route answers, not the server). */
const ORT_PATH = '__ort/';
/**
 * Agreement demanded of ONNX Runtime's numbers with the page's, relative to each sample's scale: a
 * logit's error over the sample's largest |logit|, a probability's error over 1 (the row's sum).
 * Both sides compute in float32 in different orders (ORT's Gemm, the standardization as float32 Sub/Div,
 * its Tanh/Erf), so a logit's error is a few ulps of the sample's largest logit: measured up to ~4e-6 of
 * it. An element-wise relative bound is not met by float32: a logit near 0 keeps the absolute error of
 * its row (up to ~5e-4 relative), and a probability's relative error is the absolute error of the logit
 * differences (up to ~1.4e-5); both are logged, not asserted.
 */
const RTOL = 1e-5;

/** The page's window.__playground (lab/src/pages/playground/index.ts, PlaygroundDebug), as far as the test uses it. */
interface PlaygroundDebug {
  classNames: string[];
  mean: number[];
  std: number[];
  points(): number[];
  gridPoints(): number[];
  predictGrid(): number[];
  logits(raw: number[]): number[];
  modes(): boolean[];
}
type DebugWindow = Window & { __playground: PlaygroundDebug };

function state(page: Page): Promise<Record<string, string>> {
  return page.$eval('.playground', (e) => ({ ...(e as HTMLElement).dataset }) as Record<string, string>);
}

/**
 * Presses Step `steps` times (in the page, so it is quick); unlike Play, which runs as many steps as fit
 * in each frame, this gives the same network on every run, so the numbers compared are reproducible.
 */
async function train(page: Page, steps: number): Promise<void> {
  await page.evaluate((n) => {
    const step = document.querySelector<HTMLButtonElement>('[data-action=step]')!;
    for (let i = 0; i < n; i++) step.click();
  }, steps);
  expect((await state(page)).step).toBe(String(steps));
  expect(await page.locator('.playground-toolbar .badge').textContent()).toBe('paused');
}

/** Clicks "Download ONNX" and returns the file's suggested name and bytes. */
async function download(page: Page): Promise<{ name: string; bytes: Uint8Array }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action=download-onnx]').click()]);
  expect(await file.failure()).toBeNull();
  return { name: file.suggestedFilename(), bytes: new Uint8Array(readFileSync(await file.path())) };
}

/** Serves onnxruntime-web's dist/ files at <lab>/__ort/ and loads ort.wasm.min.js into the page (window.ort). */
async function loadOrt(page: Page): Promise<void> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  await page.route(`${lab.baseUrl}${ORT_PATH}**`, (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop()!;
    if (!/^[\w.-]+$/.test(name) || !(extname(name) in types)) return route.fulfill({ status: 404, body: `not found: ${name}` });
    return route.fulfill({ path: join(ORT_DIST, name), contentType: types[extname(name)], headers: { 'cache-control': 'no-store' } });
  });
  await page.addScriptTag({ url: `${lab.baseUrl}${ORT_PATH}ort.wasm.min.js` });
}

interface Comparison {
  /** Logits from ONNX Runtime and from the page, [n·classes]. */
  ort: number[];
  page: number[];
  inputNames: string[];
  outputNames: string[];
}

/** Runs the downloaded bytes on raw points [n·2] in the page's ONNX Runtime, and the page's own network on the same points. */
function runBoth(page: Page, bytes: Uint8Array, which: 'grid' | 'points'): Promise<Comparison & { mapProbabilities: number[] }> {
  return page.evaluate(async ({ model, which, wasmPaths }) => {
    type Ort = typeof import('onnxruntime-web');
    const ort = (window as unknown as { ort: Ort }).ort;
    ort.env.wasm.wasmPaths = wasmPaths;
    ort.env.wasm.numThreads = 1;
    const pg = (window as unknown as DebugWindow).__playground;
    const session = await ort.InferenceSession.create(new Uint8Array(model), { executionProviders: ['wasm'] });
    const raw = which === 'grid' ? pg.gridPoints() : pg.points();
    const n = raw.length / 2;
    const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(raw), [n, 2]) });
    const logits = out.logits;
    if (logits.dims.length !== 2 || logits.dims[0] !== n) throw new Error(`logits of shape [${logits.dims.join(', ')}]`);
    const result = {
      ort: Array.from(logits.data as Float32Array),
      page: pg.logits(raw),
      mapProbabilities: which === 'grid' ? pg.predictGrid() : [],
      inputNames: [...session.inputNames],
      outputNames: [...session.outputNames],
    };
    await session.release();
    return result;
  }, { model: Array.from(bytes), which, wasmPaths: `${lab.baseUrl}${ORT_PATH}` });
}

const argmax = (row: ArrayLike<number>): number => {
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
  return best;
};

/** Softmax in float64. */
function softmax(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

interface Agreement {
  /** Points whose argmax differs. */
  argmaxMismatches: number;
  /** Largest |a − b| / max(|a|, |b|) over the logits, each logit on its own. */
  logitRel: number;
  /** Largest |a − b| / max over the sample's |logits| (the row's scale; a logit near 0 has no scale of its own). */
  logitRowRel: number;
  /** Largest |p − q| over the float64 softmax of both (a probability's row sums to 1). */
  probAbs: number;
  /** Largest |p − q| / max(p, q), each probability on its own. */
  probRel: number;
}

function agreement(a: number[], b: number[], classes: number): Agreement {
  expect(a.length).toBe(b.length);
  expect(a.length % classes).toBe(0);
  const r: Agreement = { argmaxMismatches: 0, logitRel: 0, logitRowRel: 0, probAbs: 0, probRel: 0 };
  for (let i = 0; i < a.length; i += classes) {
    const ra = a.slice(i, i + classes);
    const rb = b.slice(i, i + classes);
    expect(ra.every(Number.isFinite) && rb.every(Number.isFinite)).toBe(true);
    if (argmax(ra) !== argmax(rb)) r.argmaxMismatches++;
    const scale = Math.max(...ra.map(Math.abs), ...rb.map(Math.abs));
    const pa = softmax(ra);
    const pb = softmax(rb);
    for (let k = 0; k < classes; k++) {
      const d = Math.abs(ra[k] - rb[k]);
      if (d > 0) r.logitRel = Math.max(r.logitRel, d / Math.max(Math.abs(ra[k]), Math.abs(rb[k])));
      if (d > 0) r.logitRowRel = Math.max(r.logitRowRel, d / scale);
      const dp = Math.abs(pa[k] - pb[k]);
      r.probAbs = Math.max(r.probAbs, dp);
      if (dp > 0) r.probRel = Math.max(r.probRel, dp / Math.max(pa[k], pb[k]));
    }
  }
  return r;
}

/** Trains the page, downloads its network, and checks the file against the page in ONNX Runtime. */
async function verify(tab: LabTab, dataset: string, steps: number): Promise<{ grid: Agreement; points: Agreement }> {
  const { page } = tab;
  await train(page, steps);
  const before = await state(page);
  const { name, bytes } = await download(page);
  expect(name).toBe(`nabla-playground-${dataset}.onnx`);
  expect(bytes.length).toBeGreaterThan(100);

  // Exporting changed nothing: every module is back in training mode, the counters are where they were.
  const modes = await page.evaluate(() => (window as unknown as DebugWindow).__playground.modes());
  expect(modes.length).toBeGreaterThan(3);
  expect(modes.every((m) => m)).toBe(true);
  expect(await state(page)).toEqual(before);

  // The file's metadata: the page's class names and standardization.
  const info = await page.evaluate(() => {
    const pg = (window as unknown as DebugWindow).__playground;
    return { classNames: pg.classNames, mean: pg.mean, std: pg.std };
  });
  const model = onnxProto.onnx.ModelProto.decode(bytes);
  const metadata = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
  expect(JSON.parse(metadata.classes)).toEqual(info.classNames);
  expect(info.classNames).toHaveLength(dataset === 'spiral' ? 3 : 2);
  expect(JSON.parse(metadata.preprocess)).toMatchObject({ inputShape: [2], mean: info.mean, std: info.std });
  const classes = info.classNames.length;

  await loadOrt(page);
  const grid = await runBoth(page, bytes, 'grid');
  expect(grid.inputNames).toEqual(['input']);
  expect(grid.outputNames).toEqual(['logits']);
  expect(grid.ort).toHaveLength(64 * 64 * classes);
  const points = await runBoth(page, bytes, 'points');
  expect(points.ort).toHaveLength(400 * classes);

  const g = agreement(grid.ort, grid.page, classes);
  const p = agreement(points.ort, points.page, classes);
  // The map paints the page's probabilities: ONNX Runtime's class is the painted one at every cell.
  let painted = 0;
  for (let i = 0; i < grid.ort.length; i += classes) {
    if (argmax(grid.ort.slice(i, i + classes)) === argmax(grid.mapProbabilities.slice(i, i + classes))) painted++;
  }
  expect(painted).toBe(64 * 64);
  console.log(`${dataset}: grid ${JSON.stringify(g)} points ${JSON.stringify(p)}`);
  for (const r of [g, p]) {
    expect(r.argmaxMismatches).toBe(0);
    expect(r.probAbs).toBeLessThanOrEqual(RTOL);
    expect(r.logitRowRel).toBeLessThanOrEqual(RTOL);
  }
  // A trained network that predicts one class everywhere would make the argmax check hollow.
  expect(new Set(Array.from({ length: grid.ort.length / classes }, (_, i) => argmax(grid.ort.slice(i * classes, (i + 1) * classes)))).size).toBe(classes);
  return { grid: g, points: p };
}

describe('lab #/playground: Download ONNX', () => {
  it('the spiral network (ReLU, 3 classes) runs in onnxruntime-web as on the page', async () => {
    const tab = await lab.open('playground');
    await verify(tab, 'spiral', 400);
    await tab.screenshot('playground-onnx');
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);

  it('with BatchNorm and tanh, GELU, leaky ReLU (moons) it also agrees', async () => {
    const tab = await lab.open('playground?data=moons&noise=0.1&train=50&layers=8,6,5&acts=tanh,gelu,leakyRelu&bn=1&opt=adam&lr=0.01&batch=16&seed=3');
    await verify(tab, 'moons', 300);
    expect(tab.errors).toEqual([]);
    await tab.close();
  }, TIMEOUT);

  it('exporting between steps does not change the run (same seed, same losses and map)', async () => {
    const route = 'playground?data=circles&noise=0.1&train=60&layers=6,4&acts=elu,sigmoid&bn=1&opt=momentum&lr=0.03&batch=8&seed=5';
    const run = async (exportAt: number | null) => {
      const tab = await lab.open(route);
      const { page } = tab;
      for (let i = 1; i <= 30; i++) {
        await page.locator('[data-action=step]').click();
        if (i === exportAt) await download(page);
      }
      const s = await state(page);
      const map = await page.evaluate(() => (window as unknown as DebugWindow).__playground.predictGrid());
      const errors = tab.errors.slice();
      await tab.close();
      return { s, map, errors };
    };
    const plain = await run(null);
    const exported = await run(15);
    expect(plain.s.step).toBe('30');
    expect(exported.s).toEqual(plain.s);
    expect(exported.map).toEqual(plain.map);
    expect(plain.errors).toEqual([]);
    expect(exported.errors).toEqual([]);
  }, TIMEOUT);
});
