/** ONNX export: a trained model as bytes ONNX Runtime runs; one exporter per layer, extensible by registration. */
export { exportOnnx, type OnnxExportOptions } from './export-onnx.js';
export { registerOnnxExporter, type OnnxExporter, type OnnxExportContext, type OnnxValue } from './registry.js';
export { OnnxGraphBuilder, int, float, ints, type Attribute } from './graph-builder.js';
