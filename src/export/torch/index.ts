/** A nabla model as PyTorch code and weights (exportTorch, saveTorchExport), and PyTorch's weights back (loadTorchStateDict). */
export { exportTorch, torchStateDict, type TorchExport, type TorchExportInfo } from './export.js';
export { saveTorchExport } from './save.js';
export { loadTorchStateDict } from './load.js';
export { toTorchName, fromTorchName, NUM_BATCHES_TRACKED } from './names.js';
