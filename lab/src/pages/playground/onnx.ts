/**
 * The playground's network as an ONNX file: raw 2-D coordinates in (the training set's per-feature
 * standardization inside the graph), class logits out, the class names in the metadata; and the
 * browser download of those bytes.
 */
import { exportOnnx } from 'nabla';
import type { Trainer } from './trainer.js';

/** The names the legend shows, output k named `class k`. */
export function classNames(classes: number): string[] {
  return Array.from({ length: classes }, (_, c) => `class ${c}`);
}

/** The .onnx file's name: nabla-playground-<dataset>.onnx. */
export function onnxFileName(trainer: Trainer): string {
  return `nabla-playground-${trainer.state.dataset}.onnx`;
}

/**
 * The current network in eval form as ONNX bytes. exportOnnx switches the model to eval mode and
 * restores every module's mode, so training continues as if nothing happened; it runs between
 * two steps (the page trains in animation frames, a click is handled between them).
 */
export function playgroundOnnx(trainer: Trainer): Uint8Array {
  return exportOnnx(trainer.network.model, {
    preprocess: { inputShape: [2], mean: [...trainer.mean], std: [...trainer.std] },
    classes: classNames(trainer.classes),
  });
}

/** Saves bytes as a file through a Blob, an object URL and a clicked `<a download>`. */
export function downloadBytes(bytes: Uint8Array, fileName: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser reads the Blob after the click returns; let it go once the download has surely started.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
