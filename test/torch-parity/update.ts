/**
 * `npm run parity:update`: sends every parity case (cases.ts) to reference.py under Debian's
 * /usr/bin/python3 with PyTorch, and writes its answers to reference.json, which
 * torch-parity.test.ts replays without Python. Without torch this fails loudly, unless
 * NABLA_SKIP_TORCH_PARITY=1 says to leave reference.json as it is.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { caseHash, caseJson, parityCases } from './cases.js';

const PYTHON = process.env.NABLA_PARITY_PYTHON ?? '/usr/bin/python3';
const script = fileURLToPath(new URL('./reference.py', import.meta.url));
const target = fileURLToPath(new URL('./reference.json', import.meta.url));

const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
if (probe.status !== 0) {
  const reason = (probe.error?.message ?? probe.stderr ?? '').trim().split('\n').pop();
  if (process.env.NABLA_SKIP_TORCH_PARITY === '1') {
    console.log(`parity:update skipped (NABLA_SKIP_TORCH_PARITY=1): ${PYTHON} cannot import torch (${reason})`);
    process.exit(0);
  }
  console.error(`parity:update: ${PYTHON} cannot import torch (${reason}). Install PyTorch for it (or set NABLA_PARITY_PYTHON), or set NABLA_SKIP_TORCH_PARITY=1 to keep the committed reference.json.`);
  process.exit(1);
}

const input = `{"cases":[${parityCases.map(caseJson).join(',')}]}`;
const run = spawnSync(PYTHON, [script], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (run.status !== 0) {
  console.error(`parity:update: reference.py failed (exit ${run.status}):\n${run.stderr}`);
  process.exit(1);
}
const { torch, results } = JSON.parse(run.stdout) as { torch: string; results: Record<string, object> };

// One line per case, so a regenerated file diffs case by case.
const lines = parityCases.map((c) => `    ${JSON.stringify(c.id)}: ${JSON.stringify({ hash: caseHash(c), ...results[c.id] })}`);
const about = `PyTorch ${torch} outputs (float64 from the float32 inputs; err32 = torch float32's own error) for test/torch-parity/cases.ts. Regenerate with npm run parity:update; replayed by test/torch-parity.test.ts.`;
writeFileSync(target, `{\n  "about": ${JSON.stringify(about)},\n  "torch": ${JSON.stringify(torch)},\n  "cases": {\n${lines.join(',\n')}\n  }\n}\n`);
const errors = Object.entries(results).filter(([, r]) => 'error' in r);
console.log(`parity:update: ${parityCases.length} cases from torch ${torch} written to ${target}${errors.length ? ` (${errors.length} refused by torch)` : ''}`);
