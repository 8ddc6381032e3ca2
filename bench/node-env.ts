/**
 * How the benchmark runs Node: with the V8 flags nabla's command runs with (package.json's start
 * script; bin/nabla.js's shebang has the same, test/node-flags.test.ts checks), as PyTorch runs with
 * TORCH_MALLOC. --single-threaded-gc keeps V8's helper threads off the second core, which the
 * threaded products need (DESIGN.md, "Node's GC threads").
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `npm start`'s command after `node`: its flags, the script (as a path from the repository), `train`. */
export function npmStartArgs(): string[] {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [node, ...args] = start.trim().split(/\s+/);
  if (node !== 'node') throw new Error(`bench: package.json's start script must begin with node, got '${start}'`);
  return args.map((a) => (a.endsWith('.js') ? join(root, a) : a));
}

/** The V8 flags of `npm start`. */
export const NODE_FLAGS: string[] = npmStartArgs().filter((a) => a.startsWith('--'));
