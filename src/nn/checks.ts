/**
 * Checks the layers share: the input check every layer's forward starts with (the error names the
 * layer, the expected and the actual input), and the check of a Size2 constructor option.
 */
import { Tensor } from '../tensor.js';
import { formatShape } from '../shape.js';
import { pair, type Size2 } from '../ops/window2d.js';
import type { Check } from '../optim/options.js';

/** A Size2 option (a number or [h, w]) of integers ≥ min. */
export const size2 = (min: number): Check => (owner, option, value) => void pair(owner, option, value as Size2, min);

function describe(x: unknown): string {
  if (x instanceof Tensor) return `shape ${formatShape(x.shape)}`;
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return 'an array (wrap it with tensor())';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}

/** Throws `<layer>: expected <expected>, got shape [..]` unless x is a Tensor that passes `ok`. */
export function checkLayerInput(layer: string, x: unknown, expected: string, ok: (t: Tensor) => boolean = () => true): asserts x is Tensor {
  if (x instanceof Tensor && ok(x)) return;
  throw new Error(`${layer}: expected ${expected}, got ${describe(x)}`);
}

/** Whether a [.., H, W] input's spatial size, padded, holds a (dilated) kernel. */
export function holdsWindow(t: Tensor, kernel: [number, number], padding: [number, number], dilation: [number, number] = [1, 1]): boolean {
  const [h, w] = t.shape.slice(-2);
  return h + 2 * padding[0] >= dilation[0] * (kernel[0] - 1) + 1 && w + 2 * padding[1] >= dilation[1] * (kernel[1] - 1) + 1;
}
