/**
 * End-to-end harness for the lab: builds it (once per test run), serves the static site on a free port,
 * drives Debian's Chromium through playwright-core, collects console and page errors, saves screenshots.
 *
 *   let lab: LabSession;
 *   beforeAll(async () => { lab = await startLab(); }, LAB_SETUP_TIMEOUT);
 *   afterAll(() => lab?.close());
 *   it('loads', async () => {
 *     const tab = await lab.open('optimizers?surface=beale');
 *     …
 *     await tab.screenshot('optimizers');          // lab/screenshots/optimizers.png
 *     expect(tab.errors).toEqual([]);
 *   });
 *
 * The build goes to a directory named after a fingerprint of its inputs (src/, lab/, the lock file), so
 * test files running in parallel, or another engineer's run, never rebuild a site that is being served:
 * the first process builds (under a lock), the others reuse it. `npm run lab:build` still writes lab/dist.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const labDir = join(root, 'lab');
const buildsDir = join(tmpdir(), 'nabla-lab-e2e');
export const screenshotsDir = join(labDir, 'screenshots');

/** Pass to beforeAll: a cold build on the shared 2-core machine takes a while. */
export const LAB_SETUP_TIMEOUT = 240_000;
export const VIEWPORT = { width: 1280, height: 800 };

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Every file whose change changes the built site: path, size and mtime, hashed. */
function fingerprint(): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'dist' && entry.name !== 'screenshots' && entry.name !== 'node_modules') walk(p);
      } else if (entry.isFile()) {
        const s = statSync(p);
        h.update(`${relative(root, p)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(join(root, 'src'));
  walk(labDir);
  for (const f of ['package-lock.json', 'package.json']) {
    const s = statSync(join(root, f));
    h.update(`${f}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return h.digest('hex').slice(0, 16);
}

function run(args: string[], what: string): void {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  for (const k of Object.keys(env)) if (k.startsWith('VITEST')) delete env[k];
  const r = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', timeout: LAB_SETUP_TIMEOUT });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`lab-harness: ${what} failed (exit ${r.status ?? r.signal}):\n${out}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Removes builds nobody has touched for two hours (the directory only grows otherwise). */
function pruneOldBuilds(keep: string): void {
  for (const name of readdirSync(buildsDir)) {
    const p = join(buildsDir, name);
    if (p === keep) continue;
    try {
      if (Date.now() - statSync(p).mtimeMs > 2 * 3600_000) rmSync(p, { recursive: true, force: true });
    } catch {
      // another process removed it first
    }
  }
}

/** Builds the lab into a directory of its own (or finds it built) and returns that directory. */
async function buildLab(): Promise<string> {
  mkdirSync(buildsDir, { recursive: true });
  // The generated WebAssembly bytes are an input of the build (npm's pre-hooks make them; vitest run alone does not).
  run([join(root, 'scripts/build-wasm.mjs')], 'build-wasm');
  const out = join(buildsDir, fingerprint());
  const lock = `${out}.lock`;
  for (;;) {
    if (existsSync(join(out, 'index.html'))) return out;
    try {
      mkdirSync(lock);
    } catch {
      // Someone else is building this fingerprint: wait for it, unless their lock is stale (a killed run).
      try {
        if (Date.now() - statSync(lock).mtimeMs > LAB_SETUP_TIMEOUT) rmSync(lock, { recursive: true, force: true });
      } catch {
        // the lock went away between the two calls
      }
      await sleep(500);
      continue;
    }
    try {
      if (existsSync(join(out, 'index.html'))) return out;
      const tmp = `${out}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      run([join(root, 'node_modules/vite/bin/vite.js'), 'build', 'lab', '--outDir', tmp, '--emptyOutDir', '--logLevel', 'warn'], 'vite build of the lab');
      renameSync(tmp, out);
      pruneOldBuilds(out);
      return out;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

let building: Promise<string> | null = null;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A small static file server over `dir` on a free port of 127.0.0.1. */
function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!(file === dir || file.startsWith(dir + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export interface LabTab {
  page: Page;
  /** Console errors, uncaught exceptions and failed requests, in order, since the tab opened. */
  errors: string[];
  /** Saves a screenshot of the viewport (or the whole page) to lab/screenshots/<name>.png; returns the path. */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<string>;
  /** Resolves after `n` animation frames of the page (lets a render or a few race steps happen). */
  frames(n?: number): Promise<void>;
  close(): Promise<void>;
}

export interface LabSession {
  /** http://127.0.0.1:<port>/ serving the built lab. */
  baseUrl: string;
  /** Opens `#/<route>` (optionally with its query, 'optimizers?surface=beale') in a fresh 1280×800 tab
   * and waits until the page has mounted. */
  open(route: string): Promise<LabTab>;
  close(): Promise<void>;
}

export async function startLab(): Promise<LabSession> {
  building ??= buildLab();
  const dir = await building;
  const server = await serve(dir);
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  } catch (e) {
    server.close();
    throw e;
  }
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    baseUrl,
    async open(route) {
      const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
      page.on('response', (r) => {
        if (r.status() >= 400) errors.push(`http ${r.status()}: ${r.url()}`);
      });
      await page.goto(`${baseUrl}#/${route.replace(/^#?\/?/, '')}`, { waitUntil: 'load' });
      await page.waitForSelector('#page > *', { timeout: 15_000 });
      return {
        page,
        errors,
        async screenshot(name, options = {}) {
          mkdirSync(screenshotsDir, { recursive: true });
          const path = join(screenshotsDir, `${name}.png`);
          await page.screenshot({ path, fullPage: options.fullPage ?? false });
          return path;
        },
        async frames(n = 2) {
          await page.evaluate(
            (count) =>
              new Promise<void>((resolve) => {
                let left = count;
                const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
                requestAnimationFrame(tick);
              }),
            n,
          );
        },
        close: () => context.close(),
      };
    },
    async close() {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
