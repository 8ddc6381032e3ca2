/** How the benchmark runs PyTorch and sets thread counts, shared by the step workloads (run.ts) and the end-to-end one (e2e.ts). */

export const PYTHON = '/usr/bin/python3';

/** glibc malloc settings without which PyTorch pays page faults on every large tensor (issue #5). */
export const TORCH_MALLOC = { MALLOC_MMAP_THRESHOLD_: '33554432', MALLOC_TRIM_THRESHOLD_: '4294967296', MALLOC_TOP_PAD_: '268435456' };

export const threads = (n: number) => ({ OPENBLAS_NUM_THREADS: String(n), OMP_NUM_THREADS: String(n) });
