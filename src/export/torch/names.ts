/**
 * State-dict names between nabla and PyTorch: every part of the dotted name is camelCase in nabla
 * and snake_case in PyTorch (a Sequential's children are indices, the same on both sides):
 * `1.runningMean` ↔ `1.running_mean`, `encoder.layers.0.selfAttn.inProjWeight` ↔
 * `encoder.layers.0.self_attn.in_proj_weight`, `rnn.weightIhL0` ↔ `rnn.weight_ih_l0`.
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

const toSnake = (part: string) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const toCamel = (part: string) => part.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `1.runningMean` → `1.running_mean`, `selfAttn.outProj.weight` → `self_attn.out_proj.weight`. */
export function toTorchName(name: string): string {
  return name.split('.').map(toSnake).join('.');
}

/** `1.running_mean` → `1.runningMean`, `self_attn.out_proj.weight` → `selfAttn.outProj.weight`. */
export function fromTorchName(name: string): string {
  return name.split('.').map(toCamel).join('.');
}

/** Whether a PyTorch state-dict key is BatchNorm's batch count (which nabla ignores). */
export function isBatchCount(name: string): boolean {
  return splitName(name)[1] === NUM_BATCHES_TRACKED;
}
