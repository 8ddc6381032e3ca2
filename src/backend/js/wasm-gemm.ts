/**
 * The WebAssembly SIMD gemm (wasm/assembly/gemm.ts) behind the js backend's matrix products.
 * The module is embedded as base64 and instantiated synchronously on first use, from bytes, so
 * it loads the same way in Node and in a browser bundle (it is a few KB, far below the browser's
 * limit for synchronous compiles). Operands are copied into its linear memory, laid out as
 * [module data | workspace | A | B | C]; the memory grows when a product needs more and is kept
 * for later calls, so repeated sizes allocate nothing.
 */
import { wasmGemmBase64 } from './wasm-gemm-bytes.js';

interface GemmExports {
  memory: WebAssembly.Memory;
  gemm(
    transA: number, transB: number, m: number, n: number, k: number,
    alpha: number, a: number, b: number, beta: number, c: number, work: number,
  ): void;
  workspaceBytes(): number;
  heapBase(): number;
}

const PAGE_BYTES = 65536;

/** The instance, null when this platform has no WebAssembly SIMD, undefined before the first try. */
let module: GemmExports | null | undefined;
let workOffset = 0;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function instantiate(): GemmExports | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = decodeBase64(wasmGemmBase64);
  if (!WebAssembly.validate(bytes)) return null; // an engine without the SIMD proposal
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const exports = instance.exports as unknown as GemmExports;
  workOffset = align(exports.heapBase());
  return exports;
}

function load(): GemmExports | null {
  if (module === undefined) module = instantiate();
  return module;
}

/** Rounds a byte offset up to a 64-byte boundary (a cache line; keeps every f32x4 access aligned). */
function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** Whether the WebAssembly SIMD gemm can run here. */
export function wasmGemmAvailable(): boolean {
  return load() !== null;
}

/** Bytes of linear memory the module holds now (it only grows, and only for a larger product). */
export function wasmGemmMemoryBytes(): number {
  return load()?.memory.buffer.byteLength ?? 0;
}

/**
 * The Backend.gemm contract computed in WebAssembly. Returns false, touching nothing, when
 * WebAssembly SIMD is unavailable or the operands do not fit in its memory, so the caller can
 * fall back to the TypeScript loops.
 */
export function wasmGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array,
): boolean {
  const wasm = load();
  if (wasm === null) return false;
  const aLength = m * k;
  const bLength = k * n;
  const cLength = m * n;
  const aAt = align(workOffset + wasm.workspaceBytes());
  const bAt = align(aAt + aLength * 4);
  const cAt = align(bAt + bLength * 4);
  const end = cAt + cLength * 4;
  const memory = wasm.memory;
  if (end > memory.buffer.byteLength) {
    try {
      memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE_BYTES));
    } catch {
      return false; // beyond what a 32-bit memory can hold (4 GiB) or the engine allows
    }
  }

  // Views are made after any grow: growing detaches the previous buffer.
  const heap = new Float32Array(memory.buffer);
  heap.set(a.subarray(0, aLength), aAt / 4);
  heap.set(b.subarray(0, bLength), bAt / 4);
  if (beta !== 0) heap.set(c.subarray(0, cLength), cAt / 4); // beta = 0 ignores C's contents
  wasm.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, aAt, bAt, beta, cAt, workOffset);
  c.set(heap.subarray(cAt / 4, cAt / 4 + cLength));
  return true;
}
