#!/usr/bin/env -S node --single-threaded-gc
// The `nabla` command. Runs, in order of preference: the bundle (scripts/build-cli.mjs), else the
// compiled CLI (dist/, from `npm run build`), each only when it is newer than every source file
// (older, it would run stale code), else the TypeScript sources through tsx.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { newestMtime } from './newest-mtime.js';

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const bundle = path('../dist/bundle/cli/nabla.mjs');
const compiled = path('../dist/cli/main.js');
const sources = path('../src');

let newestSource;
function isFresh(file) {
  try {
    if (!existsSync(file)) return false;
    if (!existsSync(sources)) return true;
    newestSource ??= newestMtime(sources);
    return statSync(file).mtimeMs >= newestSource;
  } catch {
    return false;
  }
}

if (isFresh(bundle)) {
  // Stack frames (an anomaly's call site) then name the source files, not the bundle.
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(bundle).href);
} else if (isFresh(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
