/**
 * Which module classes export to ONNX, and how: one small exporter per layer, looked up by the
 * module's exact class (a subclass may compute something else, so it needs its own). A layer
 * added later brings its export with `registerOnnxExporter(Layer, fn)`, like tfjs-core's kernel
 * registry.
 */
import type { Module } from '../../nn/module.js';
import type { OnnxGraphBuilder } from './graph-builder.js';

/** A value in the graph: its name and the shape it has for a probe batch (dimension 0 scales with N). */
export interface OnnxValue {
  name: string;
  shape: number[];
  /** True for int64 ids (the graph's input when the first module is an Embedding/EmbeddingBag); else float32. */
  int64?: boolean;
}

export interface OnnxExportContext {
  graph: OnnxGraphBuilder;
  /** The module's dotted path in the model ('' for the model itself): the prefix of its names. */
  path: string;
  /** The shape the module's output has for the probe batch (dimension 0 scales with N). */
  outputShape: number[];
  /** Exports a child module (the name is its key in the parent), returning its output. */
  exportChild(name: string, child: Module, input: OnnxValue): OnnxValue;
}

/**
 * Adds nodes computing module m's eval-mode forward of `input`; returns the output's name (its
 * shape then comes from the probe), or the output value itself (a container returns its last child's).
 */
export type OnnxExporter<M extends Module = Module> = (m: M, input: OnnxValue, ctx: OnnxExportContext) => string | OnnxValue;

type ModuleClass<M extends Module> = abstract new (...args: never[]) => M;

const EXPORTERS = new Map<ModuleClass<Module>, OnnxExporter>();

/** Registers (or replaces) the ONNX export of modules whose class is exactly `ctor`. */
export function registerOnnxExporter<M extends Module>(ctor: ModuleClass<M>, exporter: OnnxExporter<M>): void {
  if (typeof ctor !== 'function') throw new Error(`registerOnnxExporter: expected a Module class, got ${String(ctor)}`);
  if (typeof exporter !== 'function') throw new Error(`registerOnnxExporter: expected an exporter function for ${ctor.name}, got ${String(exporter)}`);
  EXPORTERS.set(ctor as ModuleClass<Module>, exporter as unknown as OnnxExporter);
}

/** The exporter of m's class, or undefined. */
export function onnxExporterOf(m: Module): OnnxExporter | undefined {
  return EXPORTERS.get(m.constructor as ModuleClass<Module>);
}

/** The names of the classes that export, for error messages. */
export function exportableTypes(): string[] {
  return [...EXPORTERS.keys()].map((c) => c.name);
}
