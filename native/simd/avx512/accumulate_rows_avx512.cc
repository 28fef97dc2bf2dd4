// accumulate_rows for AVX-512F: f32 (16 lanes) and f64 (8 lanes), masked tails.
#if defined(__x86_64__) || defined(_M_X64)
// Every function below, and every template it instantiates, is compiled for avx512f.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f")
// GCC 12 flags the intentionally undefined pass-through operands inside its own AVX-512 intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "traits_avx512.h"

namespace lstm_lrp {

void accumulate_rows_f32_avx512(const float* A, std::size_t rows, std::size_t cols, const float* k, float* y) {
  accumulate_rows_blocked<Avx512F32>(A, rows, cols, k, y);
}

void accumulate_rows_f64_avx512(const double* A, std::size_t rows, std::size_t cols, const double* k, double* y) {
  accumulate_rows_blocked<Avx512F64>(A, rows, cols, k, y);
}

}  // namespace lstm_lrp

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif
