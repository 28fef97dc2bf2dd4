// Closes the region a target_begin.h opened. No include guard: each kernel file closes it once.
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
