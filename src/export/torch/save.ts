/**
 * saveTorchExport(dir, model, info): DIR/model.py and DIR/model.safetensors, never half-written.
 * Both files are written in full (fsynced) in a staging folder first: beside DIR when DIR does
 * not exist yet (then the folder is renamed into place), inside DIR when it does (then each file
 * is renamed over its earlier version, other files left alone). A failure (read-only folder,
 * no space) removes the staging folder and leaves DIR as it was.
 */
import type { Module } from '../../nn/module.js';
import { nodeFs, nodePath } from '../../node-builtins.js';
import { writeFileAtomic } from '../../train/atomic-write.js';
import { exportTorch, type TorchExportInfo } from './export.js';

function writeFolder(dir: string, files: [string, Uint8Array[]][]): void {
  const fs = nodeFs('saveTorchExport');
  const { basename, dirname, join, resolve } = nodePath('saveTorchExport');
  const target = resolve(dir);
  fs.mkdirSync(dirname(target), { recursive: true });
  const exists = fs.existsSync(target);
  if (exists && !fs.statSync(target).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  const staging = exists ? join(target, `.torch-export.${process.pid}.tmp`) : join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging);
  try {
    for (const [name, chunks] of files) writeFileAtomic(join(staging, name), chunks);
    if (exists) {
      for (const [name] of files) fs.renameSync(join(staging, name), join(target, name));
      fs.rmdirSync(staging);
    } else {
      fs.renameSync(staging, target);
    }
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Writes DIR/model.py and DIR/model.safetensors (see exportTorch); a failure is one Error line naming DIR. */
export function saveTorchExport(dir: string, model: Module, info: TorchExportInfo = {}): void {
  if (typeof dir !== 'string' || dir === '') throw new Error(`saveTorchExport: dir must be a non-empty string, got ${JSON.stringify(dir)}`);
  const { modelPy, weights } = exportTorch(model, info);
  try {
    writeFolder(dir, [['model.safetensors', weights], ['model.py', [new TextEncoder().encode(modelPy)]]]);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`saveTorchExport: cannot write ${dir} (${e.code ?? e.message}); nothing was changed there`);
  }
}
