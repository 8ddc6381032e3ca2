/**
 * Arrays that live for the whole run and are written at random (an embedding table, optimizer
 * state; not op outputs, which are made and dropped every step): zeroed or filled, and when large, handed to the backend's huge-page hint before
 * the first write, which happens here, in order. An embedding of 2^24 rows touches its state a few
 * rows at a time; left to fault in 4 KB pages at those first touches, FTRL's first pass over the spam
 * corpus ran at 9,000 emails/s instead of 60,000 at 2^20 rows.
 */
import { backend } from './backend/registry.js';

/** Below this, an array spans too few 2 MB pages to matter. */
const HUGE_PAGE_MIN_BYTES = 4 << 20;

export function longLivedFloats(size: number, value = 0): Float32Array {
  const data = new Float32Array(size);
  if (data.byteLength < HUGE_PAGE_MIN_BYTES) {
    if (value !== 0) data.fill(value);
    return data;
  }
  try {
    backend().adviseHugePages(data);
  } catch {
    // No backend loaded yet (a library user who imported only a module): the hint only changes speed.
  }
  // Written now, front to back, even when zero: the pages fault in in order (128 MB in ~20 ms here, in 2 MB
  // pages), not one by one at the random rows training touches first (~10 µs per 4 KB page, 0.3 s per 128 MB).
  data.fill(value);
  return data;
}
