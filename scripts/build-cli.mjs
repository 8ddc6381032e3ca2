// Bundles the `nabla` command (src/cli/main.ts and everything it imports) into one ESM file with
// esbuild, dist/bundle/cli/nabla.mjs, with an external source map. bin/nabla.js runs it when it is
// newer than every file in src/: Node then loads one file instead of resolving ~250 modules or
// compiling TypeScript through tsx at every start (0.7 s → ~0.2 s before `nabla train` begins).
// The bundle sits three folders below the repository, like src/backend/native/load.ts, so the
// addon's relative path resolves the same way. Runs from `prepare` and before `start` and `test`;
// skips the build when the bundle is up to date (`--force` rebuilds anyway).
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from '../bin/newest-mtime.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = join(root, 'dist', 'bundle', 'cli', 'nabla.mjs');

function upToDate() {
  if (process.argv.includes('--force') || !existsSync(BUNDLE)) return false;
  return statSync(BUNDLE).mtimeMs >= Math.max(newestMtime(join(root, 'src')), statSync(fileURLToPath(import.meta.url)).mtimeMs);
}

if (!upToDate()) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    // An install without devDependencies: bin/nabla.js runs the compiled dist/ or the sources instead.
    console.log('nabla: esbuild is not installed; the command runs without its bundle');
    process.exit(0);
  }
  // Built beside the bundle and renamed over it, so a `nabla` starting meanwhile never reads half a file.
  const partial = `${BUNDLE}.partial.mjs`;
  try {
    await esbuild.build({
      entryPoints: [join(root, 'src', 'cli', 'main.ts')],
      outfile: partial,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'error',
    });
    renameSync(`${partial}.map`, `${BUNDLE}.map`);
    // The map's URL names the partial file: point the bundle at its own map.
    const code = readFileSync(partial, 'utf8').replace(/\/\/# sourceMappingURL=.*\.partial\.mjs\.map\s*$/, '//# sourceMappingURL=nabla.mjs.map\n');
    writeFileSync(partial, code);
    renameSync(partial, BUNDLE);
  } catch (error) {
    // The bundle is an optimization: without it the command runs from dist/ or the sources.
    rmSync(partial, { force: true });
    rmSync(`${partial}.map`, { force: true });
    console.log(`nabla: the command's bundle was not built (${String(error?.message ?? error).split('\n')[0]}); it runs from its sources`);
  }
}
