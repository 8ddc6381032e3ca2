/**
 * Writes a file so that a crash at any moment leaves either the old file or the new one,
 * never a mix: write a temporary file beside it, fsync it, rename it over the target, fsync the folder.
 * Temporary files left by a writer that was killed mid-write (another pid) are removed after the rename.
 * A failure (a full disk, a read-only folder) removes the temporary file and throws
 * `cannot write PATH (CODE); nothing was changed there`, with the errno code on the Error.
 */
import { nodeFs, nodePath } from '../node-builtins.js';

export interface AtomicWriteOptions {
  /**
   * fsync the file and its folder (default true): the new file survives a power loss once this returns.
   * Without it the write is still all-or-nothing for a crashed process; files rewritten every epoch that
   * are derived from others (metrics, plots) skip the cost.
   */
  sync?: boolean;
}

export function writeFileAtomic(path: string, chunks: Uint8Array[], options: AtomicWriteOptions = {}): void {
  const { sync = true } = options;
  const { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } = nodeFs('writeFileAtomic');
  const { basename, dirname, join } = nodePath('writeFileAtomic');
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'w');
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.length) written += writeSync(fd, chunk, written, chunk.length - written);
    }
    if (sync) fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw Object.assign(new Error(`cannot write ${path} (${code}); nothing was changed there`), { code, cause: err });
  }
  if (sync) {
    try {
      const dirFd = openSync(dirname(path), 'r');
      fsyncSync(dirFd);
      closeSync(dirFd);
    } catch {
      // Some file systems refuse fsync on a directory; the rename itself is still atomic.
    }
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
