#!/usr/bin/env node
// Builds the native backend (native/ → native/build/Release/nabla.node) with node-gyp.
// Runs as the package's "install" script and never fails the install: without OpenBLAS or a
// C++ toolchain it prints one line and nabla runs on the js backend. The full compiler output
// goes to native/build.log.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const logFile = join(nativeDir, 'build.log');
const howToFix = 'install libopenblas-dev, g++, make and python3, then run npm rebuild nabla';

/** node-gyp as [command, ...args]: npm's own copy inside npm scripts, else a local or global one. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  const script = candidates.find((p) => p && existsSync(p));
  return script ? [process.execPath, script] : ['node-gyp'];
}

/**
 * Node's own headers when they are installed beside it (distro packages, official tarballs), so
 * node-gyp needs no download; npm passes its `nodedir` setting in npm_config_nodedir.
 */
function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/** What went wrong, from the build output: the compiler's or linker's error, else node-gyp's. */
function reason(output) {
  const lines = output.split('\n').map((l) => l.trim());
  const compiler =
    lines.find((l) => /fatal error:|cannot find -l|: error:/.test(l)) ??
    lines.find((l) => /No such file or directory|command not found|not found$/.test(l) && !/^gyp /.test(l));
  if (compiler) return compiler.slice(0, 160);
  const start = lines.findIndex((l) => /^gyp ERR! stack Error:/.test(l));
  if (start < 0) return 'node-gyp failed';
  const message = [];
  for (let i = start; i < lines.length && !/^gyp ERR! stack\s+at /.test(lines[i]); i++) {
    message.push(lines[i].replace(/^gyp ERR! stack (Error: )?/, ''));
  }
  return message.join(' ').slice(0, 160);
}

function main() {
  const [command, ...args] = nodeGyp();
  const dir = nodeDir();
  const gypArgs = ['rebuild', `--directory=${nativeDir}`, ...(dir ? [`--nodedir=${dir}`] : [])];
  const result = spawnSync(command, [...args, ...gypArgs], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  try {
    writeFileSync(logFile, output);
  } catch {
    // a read-only install still gets the one-line message
  }
  if (result.status === 0) {
    console.log('nabla: native backend built (OpenBLAS)');
    return;
  }
  const why = result.error ? `node-gyp not found: ${result.error.message}` : reason(output);
  console.log(`nabla: native backend not built (${why}); nabla will use the js backend. To get it: ${howToFix} (log: native/build.log)`);
}

try {
  main();
} catch (error) {
  console.log(`nabla: native backend not built (${error instanceof Error ? error.message : String(error)}); nabla will use the js backend`);
}
process.exit(0);
