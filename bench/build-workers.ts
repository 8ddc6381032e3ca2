/**
 * Bundles the TypeScript workers into plain ESM files under bench/.build/ with esbuild, so each
 * child runs on bare Node: no TypeScript loader in the process, whose extra ~40 MB would count in
 * nabla's and TensorFlow.js's peak RSS. Packages stay external (loaded from node_modules). The
 * bundles sit three levels below the repository, like src/backend/native/load.ts, so the addon's
 * relative path resolves the same way.
 */
import { buildSync } from 'esbuild';
import { join } from 'node:path';

export interface Workers {
  nabla: string;
  tfjs: string;
  gemmPeak: string;
  nablaSparse: string;
  nablaBareTrain: string;
}

export function buildWorkers(root: string): Workers {
  const outdir = join(root, 'bench/.build/workers');
  const entries = { nabla: 'nabla', tfjs: 'tfjs', gemmPeak: 'gemm-peak', nablaSparse: 'nabla_sparse', nablaBareTrain: 'nabla_bare_train' } as const;
  buildSync({
    entryPoints: Object.values(entries).map((name) => join(root, `bench/workers/${name}.ts`)),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  });
  return {
    nabla: join(outdir, 'nabla.mjs'),
    tfjs: join(outdir, 'tfjs.mjs'),
    gemmPeak: join(outdir, 'gemm-peak.mjs'),
    nablaSparse: join(outdir, 'nabla_sparse.mjs'),
    nablaBareTrain: join(outdir, 'nabla_bare_train.mjs'),
  };
}
