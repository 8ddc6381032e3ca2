/**
 * `npx tsx bench/op-overhead.ts`: the framework's cost per op on tiny tensors, where the arithmetic
 * is nothing and what remains is graph node creation, shape checks, allocation and dispatch into
 * the kernels — nabla (native backend) and PyTorch eager (1 thread, tuned malloc) side by side,
 * each the best of several timed loops. Small networks are made of such ops. Writes
 * bench/results/<date>-op-overhead.json unless --no-write.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nn, noGrad, randn, setBackend, type Tensor } from '../src/index.js';
import { PYTHON, TORCH_MALLOC, threads } from './torch-env.js';
import { describeMachine, torchVersion } from './machine.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each case: what it runs, on [16, 64] inputs (the width of the small-64x3 workload). */
export const CASES = ['add (no grad)', 'relu (no grad)', 'add + backward', 'linear 64→64 (no grad)', 'linear 64→64 + backward', 'batch step of 64-64-10 MLP'] as const;

function best(fn: () => void, reps = 2000, loops = 7): number {
  for (let i = 0; i < reps; i++) fn();
  let fastest = Infinity;
  for (let l = 0; l < loops; l++) {
    const start = performance.now();
    for (let i = 0; i < reps; i++) fn();
    fastest = Math.min(fastest, ((performance.now() - start) * 1000) / reps);
  }
  return fastest;
}

function nablaTimes(): number[] {
  setBackend('native');
  const a = randn([16, 64]);
  const b = randn([16, 64]);
  const ga = randn([16, 64], { requiresGrad: true });
  const lin = new nn.Linear(64, 64);
  const mlp = new nn.Sequential(new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 10));
  const y = Int32Array.from({ length: 16 }, (_, i) => i % 10);
  const sumOf = (t: Tensor) => t.sum();
  return [
    best(() => noGrad(() => a.add(b))),
    best(() => noGrad(() => a.relu())),
    best(() => { ga.grad = null; sumOf(ga.add(b)).backward(); }),
    best(() => noGrad(() => lin.forward(a))),
    best(() => { lin.zeroGrad(); sumOf(lin.forward(a)).backward(); }),
    best(() => { mlp.zeroGrad(); nn.functional.crossEntropy(mlp.forward(a), y).backward(); }),
  ];
}

const TORCH = `
import time, torch
torch.set_num_threads(1)
a, b = torch.randn(16, 64), torch.randn(16, 64)
ga = torch.randn(16, 64, requires_grad=True)
lin = torch.nn.Linear(64, 64)
mlp = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
y = torch.arange(16) % 10
def best(fn, reps=2000, loops=7):
    for _ in range(reps): fn()
    fastest = 1e9
    for _ in range(loops):
        s = time.perf_counter()
        for _ in range(reps): fn()
        fastest = min(fastest, (time.perf_counter() - s) * 1e6 / reps)
    return fastest
def no_grad(f):
    def g():
        with torch.no_grad(): f()
    return g
def add_bw():
    ga.grad = None; (ga + b).sum().backward()
def lin_bw():
    lin.zero_grad(); lin(a).sum().backward()
def step():
    mlp.zero_grad(); torch.nn.functional.cross_entropy(mlp(a), y).backward()
print([best(no_grad(lambda: a + b)), best(no_grad(lambda: torch.relu(a))), best(add_bw), best(no_grad(lambda: lin(a))), best(lin_bw), best(step)])
`;

function torchTimes(): number[] | null {
  const r = spawnSync(PYTHON, ['-c', TORCH], { cwd: root, encoding: 'utf8', env: { ...process.env, ...TORCH_MALLOC, ...threads(1) } });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as number[];
}

const mine = nablaTimes();
const torch = torchTimes();
console.log(`${'µs per call, [16, 64] inputs'.padEnd(32)}${'nabla'.padStart(8)}${'PyTorch'.padStart(9)}${'ratio'.padStart(8)}`);
CASES.forEach((name, i) => {
  const t = torch?.[i];
  console.log(`${name.padEnd(32)}${mine[i].toFixed(2).padStart(8)}${(t === undefined ? '—' : t.toFixed(2)).padStart(9)}${(t === undefined ? '' : `${(t / mine[i]).toFixed(2)}×`).padStart(8)}`);
});

if (!process.argv.includes('--no-write')) {
  const file = join(root, 'bench/results', `${new Date().toISOString().slice(0, 10)}-op-overhead.json`);
  const rows = CASES.map((name, i) => ({ case: name, nablaMicroseconds: mine[i], pytorchMicroseconds: torch?.[i] ?? null }));
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine: describeMachine(torchVersion(PYTHON)), rows }, null, 2)}\n`);
  console.log(`wrote ${file.slice(root.length + 1)}`);
}
