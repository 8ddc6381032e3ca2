// NABLA_CLONES: compile a hot loop for AVX-512 and AVX2 as well as for the generic x86-64 the
// addon targets; the loader picks the best the CPU has (GCC's target_clones, an ifunc). The
// binary stays portable. binding.gyp sets -ffp-contract=off, so the wider clones do not fuse
// a·b + c into FMAs and compute exactly what the generic code computes.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define NABLA_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#define NABLA_CLONES_AVX2 __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define NABLA_CLONES
#define NABLA_CLONES_AVX2
#endif
