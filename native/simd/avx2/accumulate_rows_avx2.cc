// accumulate_rows for AVX2 + FMA: f32 (8 lanes) and f64 (4 lanes), scalar tails.
#if defined(__x86_64__) || defined(_M_X64)
#include "target_begin.h"
#include "traits_avx2.h"

namespace lstm_lrp {

void accumulate_rows_f32_avx2(const float* A, std::size_t rows, std::size_t cols, const float* k, float* y) {
  accumulate_rows_blocked<Avx2F32>(A, rows, cols, k, y);
}

void accumulate_rows_f64_avx2(const double* A, std::size_t rows, std::size_t cols, const double* k, double* y) {
  accumulate_rows_blocked<Avx2F64>(A, rows, cols, k, y);
}

}  // namespace lstm_lrp

#include "../target_end.h"
#endif
