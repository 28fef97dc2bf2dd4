// Compiles everything up to target_end.h for avx512f: the kernels and every template
// they instantiate (which, taking traits from an anonymous namespace, stay in this file).
// No include guard: each kernel file opens the region once.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f")
// GCC 12 flags the intentionally undefined pass-through operands inside its own AVX-512 intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
