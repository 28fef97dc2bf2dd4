// accumulate_rows for AVX-512F: f32 (16 lanes) and f64 (8 lanes), masked tails.
#if defined(__x86_64__) || defined(_M_X64)
#include "target_begin.h"
#include "traits_avx512.h"

namespace lstm_lrp {

void accumulate_rows_f32_avx512(const float* A, std::size_t rows, std::size_t cols, const float* k, float* y) {
  accumulate_rows_blocked<Avx512F32>(A, rows, cols, k, y);
}

void accumulate_rows_f64_avx512(const double* A, std::size_t rows, std::size_t cols, const double* k, double* y) {
  accumulate_rows_blocked<Avx512F64>(A, rows, cols, k, y);
}

}  // namespace lstm_lrp

#include "../target_end.h"
#endif
