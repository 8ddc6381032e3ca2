/**
 * State-dict names between nabla and PyTorch. Module paths are the same (`0`, `3.1`: a
 * Sequential's children by index); a tensor's own name is camelCase in nabla and snake_case in
 * PyTorch: `1.runningMean` ↔ `1.running_mean`, `1.runningVar` ↔ `1.running_var`.
 *
 * PyTorch's BatchNorm (with running statistics) also keeps `num_batches_tracked`, an int64
 * count of the batches its statistics have seen. nabla does not keep it: an export writes 0 (the
 * count is unknown; PyTorch reads it only when momentum is None, a cumulative average nabla
 * does not offer), and an import ignores it.
 */

export const NUM_BATCHES_TRACKED = 'num_batches_tracked';

function splitName(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? ['', name] : [name.slice(0, dot + 1), name.slice(dot + 1)];
}

/** `1.runningMean` → `1.running_mean`. */
export function toTorchName(name: string): string {
  const [path, own] = splitName(name);
  return path + own.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** `1.running_mean` → `1.runningMean`. */
export function fromTorchName(name: string): string {
  const [path, own] = splitName(name);
  return path + own.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Whether a PyTorch state-dict key is BatchNorm's batch count (which nabla ignores). */
export function isBatchCount(name: string): boolean {
  return splitName(name)[1] === NUM_BATCHES_TRACKED;
}
