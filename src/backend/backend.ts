/**
 * The kernel interface every backend implements. Kernels work on Float32Arrays and shapes
 * and write into an output buffer they are given, so callers can reuse buffers; they never
 * allocate tensors and never see the autograd graph. The `js` backend is the reference;
 * a native addon or WebAssembly kernels override any subset of it (see registry.ts).
 */

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'square' | 'reciprocal'
  | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'elu' | 'gelu'
  | 'powScalar' | 'clamp';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'gt' | 'ge' | 'lt' | 'le';

export type ReduceOp = 'sum' | 'max' | 'min';

/** Parameters of the parameterized unary ops (slope for leakyRelu, alpha for elu, exponent, bounds). */
export interface UnaryParams {
  alpha?: number;
  exponent?: number;
  min?: number;
  max?: number;
}

/** An activation fused after a BatchNorm (the fused BatchNorm→ReLU, →Sigmoid, →Tanh). */
export type BatchNormActivation = 'relu' | 'sigmoid' | 'tanh';

/** Scalars of a BatchNorm forward: batch or running statistics, running-average momentum, ε. */
export interface BatchNormParams {
  training: boolean;
  momentum: number;
  eps: number;
  /**
   * act(batchNorm(x)) in the same pass, with the values of the unary kernel of that name applied
   * to batchNorm's output (default none). batchNormMaxPool2d takes only 'relu'.
   */
  activation?: BatchNormActivation | null;
}

/**
 * A 2-D sliding window over planes of height×width (convolution and pooling): output position
 * (oi, oj), tap (ki, kj) reads input (oi·strideH − padH + ki·dilationH, oj·strideW − padW + kj·dilationW).
 */
export interface Window2d {
  height: number;
  width: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
  outH: number;
  outW: number;
}

/** Scalars of one Adam / AdamW update (torch.optim.Adam's rule; the optimizer keeps the step count). */
export interface AdamUpdateParams {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: θ ← θ·(1 − lr·weightDecay) first, instead of adding weightDecay·θ to the gradient. */
  decoupled: boolean;
  /** The step number t ≥ 1, for the bias corrections 1 − βᵗ. */
  step: number;
}

/** Scalars of one SGD update (torch.optim.SGD's rule). */
export interface SgdUpdateParams {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  /** The momentum buffer is new: it receives the gradient itself (PyTorch's first step). */
  initBuffer: boolean;
}

/**
 * Where one operand of attention sits in its Float32Array: row i, column j of batch item b, head h
 * is at offset + b·batchStride + h·headStride + i·rowStride + j (rowStride ≥ the row's length). A
 * contiguous [batch, heads, rows, cols] array is { 0, heads·rows·cols, rows·cols, cols }; one packed
 * [N, L, 3E] in-projection of MultiheadAttention holds q, k and v side by side ({ 0 | E | 2E, L·3E, E/heads, 3E }).
 */
export interface AttentionView {
  offset: number;
  batchStride: number;
  headStride: number;
  rowStride: number;
}

/** The shapes and scalars of one fused attention call (the `attention` kernels). */
export interface AttentionParams {
  batch: number;
  heads: number;
  /** L: rows of q and of the output. */
  targetLength: number;
  /** S: rows of k and v. */
  sourceLength: number;
  /** E: columns of q and k. */
  headDim: number;
  /** Ev: columns of v and of the output. */
  valueDim: number;
  /** The factor of q·kᵀ (1/√E by default). */
  scale: number;
  /** Row i attends to columns j ≤ i only (torch's is_causal: the top-left lower triangle). */
  causal: boolean;
  /** The dropout probability of the weights, whose kept ones are scaled by 1/(1 − p) (used when a keep mask is given). */
  dropoutP: number;
  q: AttentionView;
  k: AttentionView;
  v: AttentionView;
  out: AttentionView;
}

export interface Backend {
  readonly name: string;

  /**
   * Row-major C[m×n] = alpha · op(A) · op(B) + beta · C, op = transpose when the flag is set
   * (A is stored [k×m] when transA, B is stored [n×k] when transB). With beta = 0, C's prior
   * contents are ignored. A `bias` of n values is added to every row of C (a Linear layer's bias,
   * cuBLASLt's bias epilogue: the native backend writes it block by block on the threads that multiply);
   * it must not overlap C. A backend that overrides gemm must apply it: nn.Linear relies on it.
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array, bias?: Float32Array | null,
  ): void;

  /**
   * `count` products of the same shapes: C_i = alpha · op(A_i) · op(B_i) + beta · C_i, where A_i
   * starts at a[i·aStride], B_i at b[i·bStride], C_i at c[i·cStride] (a stride of 0 shares one
   * operand, e.g. a convolution's weight). With cStride = 0 the products are summed into one C:
   * C = alpha · Σ op(A_i) · op(B_i) + beta · C. A nonzero cStride must be ≥ m·n (no overlap).
   * The native backend runs the products on several threads at once.
   */
  gemmBatch(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float32Array, aStride: number, b: Float32Array, bStride: number,
    beta: number, c: Float32Array, cStride: number, count: number,
  ): void;

  /**
   * gemm queued to run beside the caller (native: on the addon's background thread, one product at a
   * time in the order queued, OpenBLAS on one thread meanwhile); returns a ticket for gemmWait. The
   * caller must not touch c, nor change a or b, until gemmWait(ticket) has returned. Runs at once in
   * js and with one thread (NABLA_NUM_THREADS=1), returning 0.
   */
  gemmAsync(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array,
  ): number;

  /** Returns once the product of `ticket` (and every one queued before it) has finished. */
  gemmWait(ticket: number): void;

  /** out = op(x) elementwise; out may be x. */
  unary(op: UnaryOp, x: Float32Array, out: Float32Array, params?: UnaryParams): void;

  /**
   * out = dy · op'(x) elementwise, given the forward input x and output y (each op reads
   * whichever is cheaper, e.g. sigmoid uses y·(1−y)).
   */
  unaryBackward(
    op: UnaryOp, x: Float32Array, y: Float32Array, dy: Float32Array, out: Float32Array, params?: UnaryParams,
  ): void;

  /** out[outShape] = a[aShape] op b[bShape] with NumPy broadcasting; outShape is the broadcast shape. */
  binary(
    op: BinaryOp, a: Float32Array, aShape: readonly number[], b: Float32Array, bShape: readonly number[],
    out: Float32Array, outShape: readonly number[],
  ): void;

  /** out = cond ≠ 0 ? a : b, all three broadcast to outShape. */
  where(
    cond: Float32Array, condShape: readonly number[], a: Float32Array, aShape: readonly number[],
    b: Float32Array, bShape: readonly number[], out: Float32Array, outShape: readonly number[],
  ): void;

  /** Reduces x over the sorted `axes`; out holds the reduced shape's elements in row-major order. */
  reduce(op: ReduceOp, x: Float32Array, shape: readonly number[], axes: readonly number[], out: Float32Array): void;

  /** The index of the first NaN or ±Infinity in x, or −1 (anomaly detection's scan). */
  firstNonFinite(x: Float32Array): number;

  /** Σ x² in double (clipGradNorm's 2-norm); native: on the addon's threads, the same bits on any thread count. */
  sumOfSquares(x: Float32Array): number;

  /**
   * The unique ids among ids[0, n) except paddingIdx, ascending, written to unique (the count is
   * returned), and each id's slot among them (−1 for padding) to slots: a sparse gradient's rows and
   * its scatter map. A radix sort, O(n), never O(table); ids must be ≥ 0; unique and slots hold ≥ n.
   */
  uniqueRows(ids: Int32Array, n: number, paddingIdx: number, unique: Int32Array, slots: Int32Array): number;

  /**
   * Rows of bytes turned into floats through a table: out[k·rowSize + j] = table[src[rows[k]·rowSize + j]]
   * for k < count (a batch of 8-bit images, scaled or standardized, gathered in a shuffled order).
   */
  lookupRows(src: Uint8Array, rowSize: number, rows: Int32Array, count: number, table: Float32Array, out: Float32Array): void;

  /**
   * A hint that `data`, large and not yet written, will be written at random for a long time (an
   * embedding table, its optimizer state): native backs it with 2 MB pages where the OS can; js ignores it.
   */
  adviseHugePages(data: Float32Array): void;

  /** For each [outer, inner] position, the index along `axis` of the largest (or smallest) value. */
  argReduce(op: 'max' | 'min', x: Float32Array, shape: readonly number[], axis: number, out: Int32Array): void;

  /** out = x with its axes permuted: out.shape[i] = shape[perm[i]]. */
  permute(x: Float32Array, shape: readonly number[], perm: readonly number[], out: Float32Array): void;

  /**
   * Strided copy of a box: for every index i < size (row-major over `size`), writes
   * out[outOffset + Σ i_d·outStrides_d] = x[xOffset + Σ i_d·xStrides_d]. Serves slicing, its
   * gradient, concat and stack. With `accumulate`, adds instead of writing.
   */
  copyStrided(
    x: Float32Array, xOffset: number, xStrides: readonly number[],
    out: Float32Array, outOffset: number, outStrides: readonly number[],
    size: readonly number[], accumulate: boolean,
  ): void;

  /**
   * Running sums along the middle axis of x viewed as [outer, size, inner] (float64 sums):
   * out[o, i, k] = Σ_{i' ≤ i} x[o, i', k], or Σ_{i' ≥ i} with `reverse` (cumsum's backward).
   */
  cumsum(x: Float32Array, outer: number, size: number, inner: number, reverse: boolean, out: Float32Array): void;

  /** Softmax (or log-softmax) over the last axis of x viewed as [rows, cols]. */
  softmax(x: Float32Array, rows: number, cols: number, out: Float32Array, log: boolean): void;

  /** Backward of softmax / log-softmax over the last axis, given its output y and upstream dy. */
  softmaxBackward(y: Float32Array, dy: Float32Array, rows: number, cols: number, out: Float32Array, log: boolean): void;

  /**
   * BatchNorm forward over x viewed as [n, c, inner], one pass of statistics per channel then
   * out = (x − mean)·invStd·weight + bias. In training it uses the batch mean and biased variance
   * and updates runningMean/runningVar in place (when given) with the unbiased variance; in eval
   * it uses the running statistics. `mean` and `invStd` [c] receive the statistics used.
   */
  batchNorm(
    x: Float32Array, n: number, c: number, inner: number,
    weight: Float32Array | null, bias: Float32Array | null,
    runningMean: Float32Array | null, runningVar: Float32Array | null,
    params: BatchNormParams, out: Float32Array, mean: Float32Array, invStd: Float32Array,
  ): void;

  /**
   * BatchNorm backward (closed form) from the forward's mean/invStd; writes each non-null output.
   * After a forward with a fused activation, `activation` names it and activationOut is that
   * forward's output y (else both null): dy is the activation's upstream gradient, and counts as
   * dy·f'(y) as unaryBackward computes it (rounded to float32): ReLU y > 0, sigmoid y(1 − y), tanh 1 − y².
   */
  batchNormBackward(
    x: Float32Array, dy: Float32Array, n: number, c: number, inner: number,
    weight: Float32Array | null, mean: Float32Array, invStd: Float32Array, training: boolean,
    dx: Float32Array | null, dWeight: Float32Array | null, dBias: Float32Array | null,
    activation: BatchNormActivation | null, activationOut: Float32Array | null,
  ): void;

  /**
   * LayerNorm over the rows of x viewed as [rows, cols]: each row's mean and biased variance
   * (float64), then out = (x − mean)·rstd·weight + bias with rstd = 1/√(var + eps) and weight,
   * bias [cols] (null: 1 and 0). `mean` and `rstd` [rows] receive the statistics for the backward.
   */
  layerNorm(
    x: Float32Array, rows: number, cols: number, weight: Float32Array | null, bias: Float32Array | null,
    eps: number, out: Float32Array, mean: Float32Array, rstd: Float32Array,
  ): void;

  /**
   * LayerNorm's backward from the forward's mean/rstd, x̂ = (x − mean)·rstd, g = dy·weight:
   * dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) along each row, dWeight = Σ_rows dy·x̂ and
   * dBias = Σ_rows dy; overwrites each non-null output.
   */
  layerNormBackward(
    x: Float32Array, dy: Float32Array, rows: number, cols: number, weight: Float32Array | null,
    mean: Float32Array, rstd: Float32Array, dx: Float32Array | null, dWeight: Float32Array | null, dBias: Float32Array | null,
  ): void;

  /**
   * maxPool2d(batchNorm(x)) (relu(batchNorm(x)) with params.activation 'relu', the only one it takes) of x [n, c, window.height,
   * window.width] without the normalized batch in memory: BatchNorm as `batchNorm` (statistics into
   * mean/invStd, running statistics updated in training), then out/argmax [n, c, outH, outW] as `maxPool2d`.
   */
  batchNormMaxPool2d(
    x: Float32Array, n: number, c: number, weight: Float32Array | null, bias: Float32Array | null,
    runningMean: Float32Array | null, runningVar: Float32Array | null, params: BatchNormParams, window: Window2d,
    out: Float32Array, argmax: Int32Array, mean: Float32Array, invStd: Float32Array,
  ): void;

  /**
   * Its backward: dy [n, c, outH, outW] routed to each window's argmax (skipping windows where
   * reluOut, the forward's output when it had the ReLU, is ≤ 0), then BatchNorm's backward as
   * `batchNormBackward`; writes each non-null output (dx overwritten).
   */
  batchNormMaxPool2dBackward(
    x: Float32Array, dy: Float32Array, argmax: Int32Array, reluOut: Float32Array | null, n: number, c: number,
    window: Window2d, weight: Float32Array | null, mean: Float32Array, invStd: Float32Array, training: boolean,
    dx: Float32Array | null, dWeight: Float32Array | null, dBias: Float32Array | null,
  ): void;

  /**
   * Convolution (cross-correlation, groups = 1) of `images` images x [images, channels, height,
   * width] with weight [outChannels, channels·kernelH·kernelW] and an optional bias [outChannels]:
   * writes out [images, outChannels, outH, outW].
   */
  conv2d(
    x: Float32Array, images: number, channels: number, window: Window2d,
    weight: Float32Array, outChannels: number, bias: Float32Array | null, out: Float32Array,
  ): void;

  /**
   * conv2d's backward from dy [images, outChannels, outH, outW]: overwrites each non-null output,
   * dx [images, channels, height, width], and dWeight [outChannels, channels·kernelH·kernelW] and
   * dBias [outChannels] summed over the images.
   */
  conv2dBackward(
    x: Float32Array, dy: Float32Array, images: number, channels: number, window: Window2d,
    weight: Float32Array, outChannels: number,
    dx: Float32Array | null, dWeight: Float32Array | null, dBias: Float32Array | null,
  ): void;

  /** Max over each window of `planes` planes (padding = −∞); argmax gets the winner's index within its plane. */
  maxPool2d(x: Float32Array, planes: number, window: Window2d, out: Float32Array, argmax: Int32Array): void;

  /** Adds dy into dx at each window's argmax. */
  maxPool2dBackward(dy: Float32Array, argmax: Int32Array, planes: number, window: Window2d, dx: Float32Array): void;

  /** Mean over each window, zero padding included in the divisor kernelH·kernelW (dilation must be 1). */
  avgPool2d(x: Float32Array, planes: number, window: Window2d, out: Float32Array): void;

  /** Adds dy / (kernelH·kernelW) into dx over each window's in-bounds pixels. */
  avgPool2dBackward(dy: Float32Array, planes: number, window: Window2d, dx: Float32Array): void;

  /**
   * Dropout's keep mask, counter-based: element i's draw is r = fmix32((key0 + (i + 1)·0x9E3779B9) xor key1)
   * (murmur3's finalizer over a Weyl sequence; key0, key1 unsigned 32-bit, drawn by the caller from the seeded
   * generator), kept (keep[i] = 1) when float32(r/2³²) ≥ float32(p), i.e. with probability 1 − p. Each element
   * is independent of the others, so the kernel may split the work across threads and vector lanes.
   */
  dropoutMask(key0: number, key1: number, p: number, keep: Uint8Array): void;

  /**
   * Inverted dropout in one pass: keep drawn as dropoutMask draws it, and out = x · (scale where kept, else 0),
   * scale = 1/(1 − p) rounded to float32 (0 when p = 1), so a NaN stays NaN as in x·mask. out may be x.
   */
  dropout(key0: number, key1: number, p: number, x: Float32Array, out: Float32Array, keep: Uint8Array): void;

  /** Its backward: dx = dy · (scale where keep[i] ≠ 0, else 0), scale as the forward's. */
  dropoutBackward(dy: Float32Array, keep: Uint8Array, p: number, dx: Float32Array): void;

  /**
   * Scaled dot-product attention of every (batch item, head) in one pass each: P = softmax(scale·q·kᵀ + mask)
   * row by row (mask: additive float matrices [·, L, S], item b·heads + h using matrix maskIndex[b·heads + h];
   * causal: columns j > i get probability 0), then out = (P ∘ dropout)·v (dropout: a keep mask [batch·heads, L, S]
   * as dropoutMask draws it, a kept weight scaled as dropout scales it; null for none). P [batch·heads, L, S] is
   * written to probs, the backward's input.
   */
  attention(
    q: Float32Array, k: Float32Array, v: Float32Array, params: AttentionParams,
    mask: Float32Array | null, maskIndex: Int32Array | null, dropout: Uint8Array | null,
    out: Float32Array, probs: Float32Array,
  ): void;

  /**
   * Its backward from the forward's probs and output `out` and the output's gradient dOut (out's view):
   * dV = P̃ᵀ·dO, dP = (dO·vᵀ) ∘ dropout, dS = P ∘ (dP − rowsum(dO ∘ O)), dQ = scale·dS·k, dK = scale·dSᵀ·q
   * (P̃ = P ∘ dropout), each written (not added) into its operand's view of dq, dk, dv when not null.
   */
  attentionBackward(
    q: Float32Array, k: Float32Array, v: Float32Array, params: AttentionParams,
    probs: Float32Array, dropout: Uint8Array | null, out: Float32Array, dOut: Float32Array,
    dq: Float32Array | null, dk: Float32Array | null, dv: Float32Array | null,
  ): void;

  /**
   * Softmax cross-entropy of logits [rows, cols] against class indices `target` (valid, checked
   * by the caller): writes the log-softmax into logProbs and each row's loss −Σ q·log p into
   * loss, with q = (1 − labelSmoothing)·onehot + labelSmoothing/cols.
   */
  crossEntropy(
    logits: Float32Array, rows: number, cols: number, target: Int32Array, labelSmoothing: number,
    logProbs: Float32Array, loss: Float32Array,
  ): void;

  /** out[r, j] = scale[r] · (softmax − q)[r, j], from the forward's logProbs. */
  crossEntropyBackward(
    logProbs: Float32Array, target: Int32Array, rows: number, cols: number, labelSmoothing: number,
    scale: Float32Array, out: Float32Array,
  ): void;

  /**
   * One Adam step in one pass, in place: expAvg ← β1·m + (1 − β1)·g, expAvgSq ← β2·v + (1 − β2)·g²,
   * maxExpAvgSq (AMSGrad, when given) ← max(itself, expAvgSq), then
   * param ← param − lr/(1 − β1ᵗ) · m / (√v̂ / √(1 − β2ᵗ) + eps), v̂ the max when AMSGrad.
   * Returns whether every updated parameter value is finite (checked in the same pass).
   */
  adamUpdate(
    param: Float32Array, grad: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array,
    maxExpAvgSq: Float32Array | null, params: AdamUpdateParams,
  ): boolean;

  /**
   * One SGD step in one pass, in place: g ← grad + weightDecay·param; with a momentum buffer b,
   * b ← momentum·b + (1 − dampening)·g (b ← g when initBuffer) and the step is b (g + momentum·b
   * with nesterov); param ← param − lr·step. A null buffer is plain SGD. Returns whether every
   * updated parameter value is finite (checked in the same pass).
   */
  sgdUpdate(param: Float32Array, grad: Float32Array, momentumBuffer: Float32Array | null, params: SgdUpdateParams): boolean;

  /**
   * The embedding-bag gather: out[b, :] = Σ w_k · weight[ids[k], :] over k in [offsets[b], offsets[b+1]) with
   * ids[k] ≠ paddingIdx (−1: none), w_k = perSampleWeights[k] or 1; 'mean' divides by the bag's count of
   * non-padding ids; an empty bag is zeros. offsets has numBags + 1 entries, from 0, nondecreasing, ≤ ids.length.
   * Embedding's lookup is the 'sum' of one-id bags.
   */
  embeddingBag(
    weight: Float32Array, dim: number, ids: Int32Array, offsets: Int32Array, numBags: number, mode: EmbeddingBagMode,
    perSampleWeights: Float32Array | null, paddingIdx: number, out: Float32Array,
  ): void;

  /**
   * Its backward scatter: out[rows[k], :] += w_k · grad[bag of k, :] for every non-padding k, in order of k
   * (w_k as the forward's, 1/count for 'mean'). rows[k] = ids[k] for a dense gradient, the id's slot among
   * the unique touched rows for a sparse one; so both hold the same bits in every touched row.
   */
  embeddingBagBackward(
    grad: Float32Array, dim: number, ids: Int32Array, offsets: Int32Array, numBags: number, mode: EmbeddingBagMode,
    perSampleWeights: Float32Array | null, paddingIdx: number, rows: Int32Array, out: Float32Array,
  ): void;

  /**
   * Row-sparse optimizer updates (js/sparse-updates.ts): only the rows `indices` (unique and ascending, refused otherwise) of a parameter
   * of rows of `rowSize`, with their gradient rows `values` [nnz, rowSize]; each coordinate as the dense
   * rule in optim/ computes it (float64 arithmetic, float32 storage). A step costs O(nnz · rowSize).
   */
  sparseSgdUpdate(param: Float32Array, rowSize: number, indices: Int32Array, values: Float32Array, lr: number): void;
  sparseAdagradUpdate(
    param: Float32Array, sum: Float32Array, rowSize: number, indices: Int32Array, values: Float32Array, clr: number, eps: number,
  ): void;
  /**
   * FTRL's n and z interleaved in `nz` (coordinate i's at 2i and 2i + 1, as optim/ftrl.ts keeps them): twice param's
   * length. param, nz and values must not overlap (native reads a block of coordinates before writing any back).
   */
  sparseFtrlUpdate(
    param: Float32Array, nz: Float32Array, rowSize: number, indices: Int32Array, values: Float32Array, params: SparseFtrlUpdateParams,
  ): void;
  sparseAdamUpdate(
    param: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array, rowSize: number, indices: Int32Array, values: Float32Array,
    params: SparseAdamUpdateParams,
  ): void;

  /**
   * One LSTM time step's pointwise part for `batch` rows of `hidden` units, PyTorch's gate order
   * i, f, g, o: `gates` [batch, 4·hidden] holds the pre-activations (x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)
   * and is overwritten with σ(i), σ(f), tanh(g), σ(o) (what the backward reads); then
   * c = f·cPrev + i·g and h = o·tanh(c), each [batch, hidden].
   */
  lstmCell(gates: Float32Array, cPrev: Float32Array, batch: number, hidden: number, c: Float32Array, h: Float32Array): void;

  /**
   * Its backward for one step, from that step's activated gates, cPrev and c (tanh(c) is recomputed):
   * the gradient reaching h is dh + dhOut (dh from the step after, dhOut from the layer's output), and dc holds
   * the gradient reaching c from the step after. Writes dGates [batch, 4·hidden] (of the
   * pre-activations) and replaces dc with the gradient of cPrev; dh is only read.
   */
  lstmCellBackward(
    gates: Float32Array, cPrev: Float32Array, c: Float32Array, dhOut: Float32Array, dh: Float32Array,
    dc: Float32Array, batch: number, hidden: number, dGates: Float32Array,
  ): void;

  /**
   * One GRU time step's pointwise part, PyTorch's gate order r, z, n: `gates` [batch, 3·hidden] holds
   * x·W_ihᵀ + b_ih and is overwritten with r, z, n; `hGates` [batch, 3·hidden] = h·W_hhᵀ + b_hh (read).
   * r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·h_n), h = (1 − z)·n + z·hPrev.
   */
  gruCell(gates: Float32Array, hGates: Float32Array, hPrev: Float32Array, batch: number, hidden: number, h: Float32Array): void;

  /**
   * Its backward for one step, from that step's r, z, n (`gates`), hGates and hPrev: the gradient
   * reaching h is dh + dhOut (as lstmCellBackward's). Writes the gradients of the two pre-activation
   * sums, dGates (of x·W_ihᵀ + b_ih) and dhGates (of h·W_hhᵀ + b_hh), each [batch, 3·hidden], and
   * replaces dh with the part of hPrev's gradient that does not go through W_hh (dh·z).
   */
  gruCellBackward(
    gates: Float32Array, hGates: Float32Array, hPrev: Float32Array, dhOut: Float32Array, dh: Float32Array,
    batch: number, hidden: number, dGates: Float32Array, dhGates: Float32Array,
  ): void;
}

export type EmbeddingBagMode = 'sum' | 'mean';

export interface SparseFtrlUpdateParams {
  lr: number;
  lrPower: number;
  l1: number;
  l2: number;
  beta: number;
}

export interface SparseAdamUpdateParams {
  beta1: number;
  beta2: number;
  eps: number;
  /** lr·√(1 − β2ᵗ)/(1 − β1ᵗ), t the parameter's step count (computed by the rule, so both backends use the same). */
  stepSize: number;
}
