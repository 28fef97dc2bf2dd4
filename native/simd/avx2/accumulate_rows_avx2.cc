// accumulate_rows for AVX2 + FMA: f32 (8 lanes) and f64 (4 lanes), scalar tails.
#if defined(__x86_64__) || defined(_M_X64)
// Every function below, and every template it instantiates, is compiled for avx2,fma.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
#include "traits_avx2.h"

namespace lstm_lrp {

void accumulate_rows_f32_avx2(const float* A, std::size_t rows, std::size_t cols, const float* k, float* y) {
  accumulate_rows_blocked<Avx2F32>(A, rows, cols, k, y);
}

void accumulate_rows_f64_avx2(const double* A, std::size_t rows, std::size_t cols, const double* k, double* y) {
  accumulate_rows_blocked<Avx2F64>(A, rows, cols, k, y);
}

}  // namespace lstm_lrp

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif
