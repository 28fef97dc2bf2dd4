// accumulate_rows for AArch64 NEON: f32 (4 lanes) and f64 (2 lanes), tiles of four sequences, with FMA.
#if defined(__aarch64__)
#include "traits_neon.h"

namespace lstm_lrp {

void accumulate_rows_f32_neon(const float* A, std::size_t rows, std::size_t cols, const float* const* k, const float* const* start,
                              float* const* y, std::size_t count) {
  accumulate_rows_gathered<NeonF32>(A, rows, cols, k, start, y, count);
}

void accumulate_rows_f64_neon(const double* A, std::size_t rows, std::size_t cols, const double* const* k, const double* const* start,
                              double* const* y, std::size_t count) {
  accumulate_rows_gathered<NeonF64>(A, rows, cols, k, start, y, count);
}

}  // namespace lstm_lrp

#endif
