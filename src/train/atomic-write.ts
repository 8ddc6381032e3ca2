/**
 * Writes a file so that a crash at any moment leaves either the old file or the new one,
 * never a mix: write a temporary file beside it, fsync it, rename it over the target, fsync the folder.
 * Temporary files left by a writer that was killed mid-write (another pid) are removed after the rename.
 */
import { nodeFs, nodePath } from '../node-builtins.js';

export function writeFileAtomic(path: string, chunks: Uint8Array[]): void {
  const { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } = nodeFs('writeFileAtomic');
  const { basename, dirname, join } = nodePath('writeFileAtomic');
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.length) written += writeSync(fd, chunk, written, chunk.length - written);
    }
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  try {
    const dirFd = openSync(dirname(path), 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  }
  const prefix = `.${basename(path)}.`;
  for (const name of readdirSync(dirname(path))) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length));
    if (Number.isInteger(pid) && !isAlive(pid)) rmSync(join(dirname(path), name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
