/** Whether ops record the graph. `noGrad(fn)` turns recording off for fn and restores it even when fn throws. */

let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs fn without recording the graph (like `with torch.no_grad()`). fn must be synchronous. */
export function noGrad<T>(fn: () => T): T {
  const before = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = before;
  }
}

/** Runs fn with recording on, inside a noGrad region. */
export function enableGrad<T>(fn: () => T): T {
  const before = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = before;
  }
}
