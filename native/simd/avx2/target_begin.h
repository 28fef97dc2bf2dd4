// Compiles everything up to target_end.h for avx2,fma: the kernels and every template
// they instantiate (which, taking traits from an anonymous namespace, stay in this file).
// No include guard: each kernel file opens the region once.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")

#endif
