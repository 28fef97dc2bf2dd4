// accumulate_rows for SSE2, the x86-64 baseline: f32 (4 lanes) and f64 (2 lanes), no FMA.
#if defined(__x86_64__) || defined(_M_X64)
#include "traits_sse2.h"

namespace lstm_lrp {

void accumulate_rows_f32_sse2(const float* A, std::size_t rows, std::size_t cols, const float* const* k, const float* const* start,
                              float* const* y, std::size_t count) {
  accumulate_rows_gathered<Sse2F32>(A, rows, cols, k, start, y, count);
}

void accumulate_rows_f64_sse2(const double* A, std::size_t rows, std::size_t cols, const double* const* k, const double* const* start,
                              double* const* y, std::size_t count) {
  accumulate_rows_gathered<Sse2F64>(A, rows, cols, k, start, y, count);
}

}  // namespace lstm_lrp

#endif
