// The newest modification time of the files under a folder: how bin/nabla.js and scripts/build-cli.mjs
// tell whether the command's bundle is older than a source file. In bin/ because the package ships it.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(file) : statSync(file).mtimeMs);
  }
  return newest;
}
