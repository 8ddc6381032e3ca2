/**
 * Where the time of one training step goes: runs a workload on a backend whose kernels are each
 * wrapped by a timer, and prints the time per step of every kernel, of the optimizer's update,
 * and of everything else (JavaScript, allocation, garbage collection).
 *
 *   npx tsx bench/profile.ts [--workload mlp] [--backend native] [--steps 200]
 */
import { Tensor, manualSeed, nn, setBackend, registerBackend } from '../src/index.js';
import { backend } from '../src/backend/registry.js';
import type { Backend } from '../src/backend/backend.js';
import { loadMnist } from '../src/data/mnist.js';
import { findWorkload } from './workloads.js';
import { readTokenFile, writeTokenFile } from './token-data.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, buildOptimizer } from './workers/nabla-model.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const workload = findWorkload(option('workload', 'mlp'));
const backendName = option('backend', 'native');
const steps = Number(option('steps', '200'));

/**
 * Nanoseconds spent in each kernel (by name, and by gemm shape / unary op): wall time, and the
 * process's CPU time (robust on a loaded machine as long as the kernels run on one thread:
 * OPENBLAS_NUM_THREADS=1).
 */
const spent = new Map<string, number>();
const spentCpu = new Map<string, number>();
function add(key: string, ns: number, cpuNs: number): void {
  spent.set(key, (spent.get(key) ?? 0) + ns);
  spentCpu.set(key, (spentCpu.get(key) ?? 0) + cpuNs);
}

setBackend(backendName);
const inner = backend();
const timed = { ...inner } as Record<string, unknown>;
for (const [name, kernel] of Object.entries(inner)) {
  if (typeof kernel !== 'function') continue;
  timed[name] = (...args: unknown[]) => {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const result = (kernel as (...a: unknown[]) => unknown)(...args);
    const cpu = process.cpuUsage(cpuStart);
    let key = name;
    if (name === 'gemm') key = `gemm ${args[0] ? 'T' : 'N'}${args[1] ? 'T' : 'N'} ${args[2]}×${args[3]}×${args[4]}`;
    else if (name === 'unary' || name === 'unaryBackward' || name === 'binary' || name === 'reduce') key = `${name} ${String(args[0])}`;
    add(key, Number(process.hrtime.bigint() - start), (cpu.user + cpu.system) * 1000);
    return result;
  };
}
registerBackend('profiled', () => timed as unknown as Backend);
setBackend('profiled');

manualSeed(0);
const net = buildModel(workload);
net.train();
const opt = buildOptimizer(workload, net);
const b = workload.batch;
/** Batch i (the model's input) and the class of each output row; logits as rows for the loss. */
let batch: (i: number) => { xb: Tensor; yb: Int32Array };
let rows = (logits: Tensor) => logits;
if (workload.kind === 'gpt' || workload.kind === 'lstm') {
  const T = workload.kind === 'gpt' ? workload.context : workload.sequence;
  const file = join(tmpdir(), `nabla-profile-tokens-${4096}x${T}-${workload.vocab}.bin`);
  writeTokenFile(file, 4096, T, workload.vocab);
  const { x, y } = readTokenFile(file, 4096, T);
  batch = (i) => {
    const s = (i % Math.floor(4096 / b)) * b * T;
    return { xb: new Tensor(x.subarray(s, s + b * T), [b, T]), yb: y.subarray(s, s + b * T) };
  };
  rows = (logits) => logits.reshape([b * T, workload.vocab]);
} else {
  const { x, y } = loadMnist({ limit: 4096, normalize: true, flatten: workload.kind === 'mlp' });
  const shape = workload.kind === 'mlp' ? [b, 784] : [b, 1, 28, 28];
  batch = (i) => {
    const s = (i % Math.floor(4096 / b)) * b;
    return { xb: new Tensor(x.data.subarray(s * 784, (s + b) * 784), shape), yb: y.subarray(s, s + b) };
  };
}

const phases = { forward: 0, backward: 0, step: 0, total: 0 };
function run(i: number, measure: boolean): void {
  const { xb, yb } = batch(i);
  const t0 = process.hrtime.bigint();
  opt.zeroGrad();
  const loss = nn.functional.crossEntropy(rows(net.forward(xb)), yb);
  const t1 = process.hrtime.bigint();
  loss.backward();
  const t2 = process.hrtime.bigint();
  opt.step();
  const t3 = process.hrtime.bigint();
  if (measure) {
    phases.forward += Number(t1 - t0);
    phases.backward += Number(t2 - t1);
    phases.step += Number(t3 - t2);
    phases.total += Number(t3 - t0);
  }
}
for (let i = 0; i < 20; i++) run(i, false);
spent.clear();
spentCpu.clear();
const cpu0 = process.cpuUsage();
const faults0 = process.resourceUsage();
for (let i = 0; i < steps; i++) run(i, true);
const cpu = process.cpuUsage(cpu0);
const faults1 = process.resourceUsage();

const ms = (ns: number) => (ns / steps / 1e6).toFixed(3).padStart(8);
const pct = (ns: number) => `${((100 * ns) / phases.total).toFixed(1).padStart(5)}%`;
console.log(`${workload.description} on ${backendName}: ${ms(phases.total)} ms per step (${Math.round((b * steps * 1e9) / phases.total)} samples/s)`);
console.log(`  forward ${ms(phases.forward)} ms, backward ${ms(phases.backward)} ms, optimizer step ${ms(phases.step)} ms`);
console.log(`  process CPU time ${ms((cpu.user + cpu.system) * 1000)} ms per step (${ms(cpu.system * 1000)} ms of it in the kernel; ${((faults1.minorPageFault - faults0.minorPageFault) / steps).toFixed(1)} page faults and ${((faults1.voluntaryContextSwitches - faults0.voluntaryContextSwitches) / steps).toFixed(1)} voluntary context switches a step)`);
const cpuTotal = (cpu.user + cpu.system) * 1000;
let inKernels = 0;
let inKernelsCpu = 0;
console.log(`  ${'kernel'.padEnd(36)} ${'wall'.padStart(8)}         ${'CPU'.padStart(8)}`);
for (const [key, ns] of [...spent.entries()].sort((a, c) => c[1] - a[1])) {
  const cpuNs = spentCpu.get(key)!;
  inKernels += ns;
  inKernelsCpu += cpuNs;
  console.log(`  ${key.padEnd(36)} ${ms(ns)} ms ${pct(ns)} ${ms(cpuNs)} ms ${((100 * cpuNs) / cpuTotal).toFixed(1).padStart(5)}%`);
}
const rest = phases.total - inKernels;
const restCpu = cpuTotal - inKernelsCpu;
console.log(`  ${'outside kernels (JS, allocation, GC)'.padEnd(36)} ${ms(rest)} ms ${pct(rest)} ${ms(restCpu)} ms ${((100 * restCpu) / cpuTotal).toFixed(1).padStart(5)}%`);
