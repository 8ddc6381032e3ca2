/** The machine a benchmark ran on: CPU model, cores, memory, and the versions of every system. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem, release, platform } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  pytorch: string | null;
  tfjs: string;
  openblas: string | null;
}

/** /proc/cpuinfo's model name (os.cpus() elsewhere). */
function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown CPU';
}

/** PyTorch's version, or null when `python -c "import torch"` fails. */
export function torchVersion(python: string): string | null {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function openblasVersion(): string | null {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'libopenblas0-pthread'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout ? r.stdout.trim() : null;
}

/**
 * The OpenBLAS kernel set (core type) a process started with `env` runs: libopenblas's own answer
 * (openblas_get_corename, through Python's ctypes), or null when it cannot be asked.
 */
export function openblasCore(env: NodeJS.ProcessEnv): string | null {
  const ask = "import ctypes; f = ctypes.CDLL('libopenblas.so.0').openblas_get_corename; f.restype = ctypes.c_char_p; print(f().decode())";
  const r = spawnSync('python3', ['-c', ask], { encoding: 'utf8', env });
  return r.status === 0 && r.stdout ? r.stdout.trim() : null;
}

/**
 * The environment without the OpenBLAS core pin: some machines here set OPENBLAS_CORETYPE (and
 * OPENBLAS_L2_SIZE) because older OpenBLAS builds fail on their processors; a benchmark may drop both,
 * together, for one command, and must say so (never tests or CI).
 */
export function withoutOpenblasPin(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _core, OPENBLAS_L2_SIZE: _l2, ...rest } = env;
  return rest;
}

export function describeMachine(pytorch: string | null): Machine {
  const require = createRequire(import.meta.url);
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.versions.node,
    pytorch,
    tfjs: (require('@tensorflow/tfjs/package.json') as { version: string }).version,
    openblas: openblasVersion(),
  };
}
