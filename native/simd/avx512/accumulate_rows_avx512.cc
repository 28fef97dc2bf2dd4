// accumulate_rows for AVX-512F: f32 (16 lanes) and f64 (8 lanes), tiles of four sequences, masked partial vectors.
#if defined(__x86_64__) || defined(_M_X64)
#include "target_begin.h"
#include "traits_avx512.h"

namespace lstm_lrp {

void accumulate_rows_f32_avx512(const float* A, std::size_t rows, std::size_t cols, const float* const* k, const float* const* start,
                                float* const* y, std::size_t count) {
  accumulate_rows_gathered<Avx512F32>(A, rows, cols, k, start, y, count);
}

void accumulate_rows_f64_avx512(const double* A, std::size_t rows, std::size_t cols, const double* const* k, const double* const* start,
                                double* const* y, std::size_t count) {
  accumulate_rows_gathered<Avx512F64>(A, rows, cols, k, start, y, count);
}

}  // namespace lstm_lrp

#include "../target_end.h"
#endif
