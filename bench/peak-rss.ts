/**
 * A bench worker's own peak resident set, bytes: VmHWM from /proc/self/status, which starts again at exec.
 * getrusage's maxRSS does not: a worker spawned by the bench's Node process reported at least that parent's
 * peak (the sparse workload's bare C++ loop, ~10 MB of its own, showed the same 105 MB as nabla at 2^16).
 */
import { readFileSync } from 'node:fs';

export function peakRss(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (kb) return Number(kb[1]) * 1024;
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return process.resourceUsage().maxRSS * 1024;
}
