// Row-major single-precision matrix product with WebAssembly SIMD (f32x4), compiled by
// AssemblyScript: C[m×n] = alpha · op(A) · op(B) + beta · C, op = transpose when the flag is set
// (A stored [k×m] when transA, B stored [n×k] when transB) — the Backend.gemm contract.
//
// The operands already sit in this module's memory (the loader copies them in). The product is
// blocked as in GotoBLAS/BLIS: a KC×NC panel of op(B) is packed into strips NR columns wide, an
// MC×KC block of op(A) into strips MR rows tall, and a MR×NR micro-kernel keeps its block of C in
// registers across the whole KC loop. Packing absorbs the transposes and pads edge strips with
// zeros, so the micro-kernel always computes a full tile and only its write-back knows the edges.

const MR = 4; // rows of the register block: 4 broadcasts of A per step
const NR = 8; // columns of the register block: 2 f32x4 loads of B per step, 8 accumulators
const KC = 512; // depth of a block: an A strip (8 KB) and a B strip (16 KB) stay in L1
const MC = 96; // rows of A per block (a multiple of MR): the packed A block (192 KB) stays in L2
const NC = 1024; // columns of B per panel (a multiple of NR): the packed panel (2 MB) stays in L2/L3

const PACK_A_BYTES = MC * KC * 4;
const PACK_B_BYTES = KC * NC * 4;
const TILE_BYTES = MR * NR * 4;

/** Bytes of scratch memory gemm needs at `work` (packed A block, packed B panel, an edge tile). */
export function workspaceBytes(): i32 {
  return PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES;
}

/** First byte free for the caller: everything the module itself uses lies below. */
export function heapBase(): usize {
  return __heap_base;
}

export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  alpha: f32, a: usize, b: usize, beta: f32, c: usize, work: usize,
): void {
  scale(c, m * n, beta);
  if (m == 0 || n == 0 || k == 0 || alpha == 0) return;

  const packA = work;
  const packB = work + PACK_A_BYTES;
  const tile = packB + PACK_B_BYTES;
  // Equal-sized depth blocks (784 → 2 × 392 rather than 512 + 272).
  const kBlocks = (k + KC - 1) / KC;
  const kStep = (k + kBlocks - 1) / kBlocks;

  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kStep) {
      const kc = min(kStep, k - pc);
      packPanelB(transB, b, n, k, pc, kc, jc, nc, packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packBlockA(transA, a, m, k, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const stripB = packB + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const stripA = packA + <usize>(ir * kc) * 4;
            const cTile = c + <usize>((ic + ir) * n + jc + jr) * 4;
            microKernel(kc, stripA, stripB, cTile, n, alpha, rows, cols, tile);
          }
        }
      }
    }
  }
}

/** c[0..count) *= beta; beta = 0 writes zeros without reading c (so NaNs there vanish). */
function scale(c: usize, count: i32, beta: f32): void {
  if (beta == 0) {
    memory.fill(c, 0, <usize>count * 4);
    return;
  }
  if (beta == 1) return;
  const vb = f32x4.splat(beta);
  const end = c + <usize>count * 4;
  let p = c;
  for (; p + 16 <= end; p += 16) v128.store(p, f32x4.mul(v128.load(p), vb));
  for (; p < end; p += 4) store<f32>(p, load<f32>(p) * beta);
}

/**
 * Packs op(B)[pc..pc+kc, jc..jc+nc) into strips of NR columns: strip s holds, for each depth p,
 * the NR values op(B)[pc+p, jc+s·NR .. +NR) contiguously, zero past column n.
 */
function packPanelB(transB: bool, b: usize, n: i32, k: i32, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  for (let js = 0; js < nc; js += NR) {
    const cols = min(NR, nc - js);
    const strip = dst + <usize>(js * kc) * 4;
    const j0 = jc + js;
    if (!transB && cols == NR) {
      // B is [k×n]: a strip row is 8 contiguous floats.
      for (let p = 0; p < kc; p++) {
        const src = b + <usize>((pc + p) * n + j0) * 4;
        const out = strip + <usize>(p * NR) * 4;
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
      }
    } else if (!transB) {
      for (let p = 0; p < kc; p++) {
        const src = b + <usize>((pc + p) * n + j0) * 4;
        const out = strip + <usize>(p * NR) * 4;
        for (let q = 0; q < NR; q++) store<f32>(out + <usize>q * 4, q < cols ? load<f32>(src + <usize>q * 4) : 0);
      }
    } else {
      // B is [n×k]: column j of op(B) is row j of B, contiguous in depth.
      for (let q = 0; q < NR; q++) {
        const out = strip + <usize>q * 4;
        if (q < cols) {
          const src = b + <usize>((j0 + q) * k + pc) * 4;
          for (let p = 0; p < kc; p++) store<f32>(out + <usize>(p * NR) * 4, load<f32>(src + <usize>p * 4));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(out + <usize>(p * NR) * 4, 0);
        }
      }
    }
  }
}

/**
 * Packs op(A)[ic..ic+mc, pc..pc+kc) into strips of MR rows: strip s holds, for each depth p,
 * the MR values op(A)[ic+s·MR .. +MR, pc+p] contiguously, zero past row m.
 */
function packBlockA(transA: bool, a: usize, m: i32, k: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let is = 0; is < mc; is += MR) {
    const rows = min(MR, mc - is);
    const strip = dst + <usize>(is * kc) * 4;
    const i0 = ic + is;
    if (transA && rows == MR) {
      // A is [k×m]: the MR values at one depth are contiguous.
      for (let p = 0; p < kc; p++) {
        v128.store(strip + <usize>(p * MR) * 4, v128.load(a + <usize>((pc + p) * m + i0) * 4));
      }
    } else if (transA) {
      for (let p = 0; p < kc; p++) {
        const src = a + <usize>((pc + p) * m + i0) * 4;
        const out = strip + <usize>(p * MR) * 4;
        for (let r = 0; r < MR; r++) store<f32>(out + <usize>r * 4, r < rows ? load<f32>(src + <usize>r * 4) : 0);
      }
    } else {
      // A is [m×k]: row i of op(A) is contiguous in depth.
      for (let r = 0; r < MR; r++) {
        const out = strip + <usize>r * 4;
        if (r < rows) {
          const src = a + <usize>((i0 + r) * k + pc) * 4;
          for (let p = 0; p < kc; p++) store<f32>(out + <usize>(p * MR) * 4, load<f32>(src + <usize>p * 4));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(out + <usize>(p * MR) * 4, 0);
        }
      }
    }
  }
}

/**
 * C[rows×cols] at cTile (row stride ldc floats) += alpha · (A strip)·(B strip) over kc steps,
 * with the MR×NR block accumulated in eight f32x4 registers.
 */
// @ts-ignore: decorator
@inline
function microKernel(
  kc: i32, stripA: usize, stripB: usize, cTile: usize, ldc: i32, alpha: f32, rows: i32, cols: i32, tile: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let pa = stripA;
  let pb = stripB;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
    pa += MR * 4;
    pb += NR * 4;
  }

  const va = f32x4.splat(alpha);
  const rowBytes = <usize>ldc * 4;
  if (rows == MR && cols == NR) {
    let row = cTile;
    v128.store(row, f32x4.add(v128.load(row), f32x4.mul(va, c00)));
    v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(va, c01)), 16);
    row += rowBytes;
    v128.store(row, f32x4.add(v128.load(row), f32x4.mul(va, c10)));
    v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(va, c11)), 16);
    row += rowBytes;
    v128.store(row, f32x4.add(v128.load(row), f32x4.mul(va, c20)));
    v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(va, c21)), 16);
    row += rowBytes;
    v128.store(row, f32x4.add(v128.load(row), f32x4.mul(va, c30)));
    v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(va, c31)), 16);
    return;
  }
  // Edge tile: park the block in scratch, then add only the part inside C.
  v128.store(tile, f32x4.mul(va, c00), 0);
  v128.store(tile, f32x4.mul(va, c01), 16);
  v128.store(tile, f32x4.mul(va, c10), 32);
  v128.store(tile, f32x4.mul(va, c11), 48);
  v128.store(tile, f32x4.mul(va, c20), 64);
  v128.store(tile, f32x4.mul(va, c21), 80);
  v128.store(tile, f32x4.mul(va, c30), 96);
  v128.store(tile, f32x4.mul(va, c31), 112);
  for (let r = 0; r < rows; r++) {
    const row = cTile + <usize>r * rowBytes;
    const src = tile + <usize>(r * NR) * 4;
    for (let q = 0; q < cols; q++) {
      const at = row + <usize>q * 4;
      store<f32>(at, load<f32>(at) + load<f32>(src + <usize>q * 4));
    }
  }
}
