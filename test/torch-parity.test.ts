/**
 * Differential test against PyTorch: every case of test/torch-parity/cases.ts (ops forward and
 * backward, layers, losses, init, optimizers, schedulers, creation, printing) run through nabla
 * in float32 on each backend and compared with PyTorch's answers in reference.json (generated
 * by `npm run parity:update` with /usr/bin/python3 and torch; replayed here without Python).
 *
 * Tolerance per element: |nabla − torch64| ≤ atol + rtol·|torch64|, with rtol = 1e-5 (float32
 * ops are correct to a few ulps, 1.2e-7 each; 1e-5 leaves room for a chain of them) and
 * atol = 1e-6·max|output| (cancellation in sums and gradients is relative to the largest term)
 * + 4·err32 (where torch's own float32 result is that far off, nabla may be too). Texts and
 * non-finite values must match exactly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { setBackend } from '../src/index.js';
import { loadNativeBackend } from '../src/backend/native/load.js';
import { caseHash, parityCases, type ParityCase } from './torch-parity/cases.js';
import { catalogue, runNabla, type Result } from './torch-parity/run-nabla.js';

type Encoded = number | 'nan' | 'inf' | '-inf';
type Reference =
  | { hash: string; error: string }
  | { hash: string; outputs: Record<string, { values: Encoded[]; shape?: number[] } | string>; err32: Record<string, Encoded> };

const reference = JSON.parse(readFileSync(new URL('./torch-parity/reference.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Record<string, Reference>;
};

/**
 * Cases left out, each an intended difference written in DESIGN.md's Decisions (id → the decision).
 */
const intendedDifferences: Record<string, string> = {
  'print/empty 2-D': 'Printing: suffixes in TypeScript notation (`size=[2, 0]`, torch `size=(2, 0)`)',
  'mseLoss/shape mismatch': 'Losses: input and target must have equal shapes (no broadcasting, unlike torch\'s warning)',
};

/** Exact double arithmetic on both sides (no float32 storage): only rounding differences. */
const exactFns = new Set(['scheduler', 'calculateGain', 'calculateFans']);

const FLOAT32_MAX = 3.4028234663852886e38;

const decode = (v: Encoded): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

function compare(c: ParityCase, name: string, actual: Result | undefined, expected: { values: Encoded[]; shape?: number[] } | string, err32: number): void {
  const where = `${c.id}: output '${name}'`;
  if (actual === undefined) throw new Error(`${where} is missing from nabla's results`);
  if (typeof expected === 'string' || typeof actual === 'string') {
    expect(actual, where).toBe(expected);
    return;
  }
  if (expected.shape && actual.shape) expect(actual.shape, `${where} shape`).toEqual(expected.shape);
  const ref = expected.values.map(decode);
  expect(actual.values.length, `${where} length`).toBe(ref.length);
  const tol = { ...c.tol?.['*'], ...c.tol?.[name] };
  const rtol = tol.rtol ?? (exactFns.has(c.fn) ? 1e-9 : 1e-5);
  const scale = ref.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  const atol = tol.atol ?? (exactFns.has(c.fn) ? 0 : 1e-6 * scale + 4 * err32);
  const bad: string[] = [];
  ref.forEach((e64, i) => {
    const a = actual.values[i];
    // beyond float32's range the float32 answer is ±inf (exp(100), 1/(1e-30)²)
    const e = Math.abs(e64) > FLOAT32_MAX ? Math.fround(e64) : e64;
    const ok = Number.isFinite(e) ? Math.abs(a - e) <= atol + rtol * Math.abs(e) : Object.is(a, e) || (Number.isNaN(e) && Number.isNaN(a));
    if (!ok) bad.push(`[${i}] nabla ${a}, torch ${e}`);
  });
  if (bad.length) {
    throw new Error(`${where}: ${bad.length} of ${ref.length} elements differ (rtol ${rtol}, atol ${atol.toExponential(2)}): ${bad.slice(0, 6).join('; ')}`);
  }
}

function check(c: ParityCase): void {
  const ref = reference.cases[c.id];
  if (ref === undefined || ref.hash !== caseHash(c)) {
    throw new Error(`reference.json has no up-to-date entry for parity case '${c.id}': run npm run parity:update (needs /usr/bin/python3 with torch)`);
  }
  if ('error' in ref) {
    expect(() => runNabla(c), `torch refused this case (${ref.error}); nabla should too`).toThrow();
    return;
  }
  const actual = runNabla(c);
  for (const [name, expected] of Object.entries(ref.outputs)) compare(c, name, actual[name], expected, decode(ref.err32[name] ?? 0));
  const extra = Object.keys(actual).filter((k) => !(k in ref.outputs));
  expect(extra, `${c.id}: outputs torch does not have`).toEqual([]);
}

function nativeLoads(): boolean {
  try {
    loadNativeBackend();
    return true;
  } catch {
    return false;
  }
}

describe('torch parity: reference.json', () => {
  it('was generated from the current cases (no stale or missing entries)', () => {
    const ids = new Set(parityCases.map((c) => c.id));
    expect(Object.keys(reference.cases).filter((id) => !ids.has(id)), 'entries for cases that no longer exist').toEqual([]);
    const stale = parityCases.filter((c) => reference.cases[c.id]?.hash !== caseHash(c)).map((c) => c.id);
    expect(stale, 'cases changed since npm run parity:update').toEqual([]);
  });

  it('covers every function of the catalogue, and excludes only existing cases', () => {
    const used = new Set(parityCases.map((c) => c.fn));
    expect(Object.keys(catalogue).filter((fn) => !used.has(fn)), 'catalogue functions without a case').toEqual([]);
    const ids = new Set(parityCases.map((c) => c.id));
    expect(Object.keys(intendedDifferences).filter((id) => !ids.has(id)), 'exclusions of unknown cases').toEqual([]);
  });
});

for (const backendName of nativeLoads() ? ['js', 'native'] : ['js']) {
  describe(`torch parity on the ${backendName} backend`, () => {
    for (const c of parityCases) {
      if (c.id in intendedDifferences) continue;
      it(c.id, () => {
        setBackend(backendName);
        check(c);
      });
    }
  });
}
