#!/usr/bin/env node
// The `nabla` command. Runs, in order of preference: the bundle (scripts/build-cli.mjs) when it is
// newer than every source file, the compiled CLI (dist/) when it exists, else the TypeScript
// sources through tsx. A bundle older than a source file would run stale code, so it is skipped.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const bundle = path('../dist/bundle/cli/nabla.mjs');
const compiled = path('../dist/cli/main.js');
const sources = path('../src');

async function bundleIsFresh() {
  if (!existsSync(bundle)) return false;
  if (!existsSync(sources)) return true; // an installed package ships no src/ to compare with
  const { newestMtime } = await import('../scripts/build-cli.mjs');
  return statSync(bundle).mtimeMs >= newestMtime(sources);
}

if (await bundleIsFresh()) {
  // Stack frames (an anomaly's call site) then name the source files, not the bundle.
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(bundle).href);
} else if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
