# The native backend: N-API addon over OpenBLAS (see DESIGN.md "Memory and speed").
# Built by scripts/build-native.mjs at install; plain -O3 with generic x86-64 vectors so the
# binary runs on any machine of the architecture (no -march=native).
{
  'targets': [
    {
      'target_name': 'nabla',
      'sources': [
        'src/addon.cc',
        'src/args.cc',
        'src/gemm.cc',
        'src/gemm-async.cc',
        'src/gemm-product.cc',
        'src/unique-rows.cc',
        'src/unary.cc',
        'src/unary-forward.cc',
        'src/unary-backward.cc',
        'src/binary.cc',
        'src/reduce.cc',
        'src/softmax.cc',
        'src/fields.cc',
        'src/batch-norm.cc',
        'src/batch-norm-max-pool.cc',
        'src/layer-norm.cc',
        'src/cross-entropy.cc',
        'src/attention.cc',
        'src/dropout.cc',
        'src/im2col.cc',
        'src/conv2d.cc',
        'src/pool.cc',
        'src/optimizer-updates.cc',
        'src/malloc-tuning.cc',
        'src/copy-strided.cc',
        'src/first-non-finite.cc',
        'src/sum-of-squares.cc',
        'src/lookup-rows.cc',
        'src/huge-pages.cc',
        'src/embedding-bag.cc',
        'src/sparse-updates.cc',
        'src/parallel.cc',
        'src/recurrent-cells.cc',
      ],
      'dependencies': ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except_all"],
      'defines': ['NAPI_VERSION=8'],
      # -fno-math-errno, -fno-trapping-math: lets GCC vectorize sqrt and branchy loops (no effect on
      # values); -fopenmp-simd: honours `#pragma omp simd` reductions (no OpenMP runtime).
      # -ffp-contract=off: no FMA contraction in the AVX2/AVX-512 clones (simd.h), same results as generic code.
      'cflags_cc': ['-O3', '-fno-math-errno', '-fno-trapping-math', '-fopenmp-simd', '-ffp-contract=off', '-std=c++17'],
      'cflags_cc!': ['-O2', '-O0'],
      'libraries': ['-lopenblas'],
    },
  ],
}
