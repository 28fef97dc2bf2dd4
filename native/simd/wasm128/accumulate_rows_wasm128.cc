// accumulate_rows for WebAssembly SIMD128: f32 (4 lanes) and f64 (2 lanes), no FMA.
#ifdef __wasm_simd128__
#include "traits_wasm128.h"

namespace lstm_lrp {

void accumulate_rows_f32_wasm128(const float* A, std::size_t rows, std::size_t cols, const float* const* k, const float* const* start,
                                 float* const* y, std::size_t count) {
  accumulate_rows_gathered<Wasm128F32>(A, rows, cols, k, start, y, count);
}

void accumulate_rows_f64_wasm128(const double* A, std::size_t rows, std::size_t cols, const double* const* k, const double* const* start,
                                 double* const* y, std::size_t count) {
  accumulate_rows_gathered<Wasm128F64>(A, rows, cols, k, start, y, count);
}

}  // namespace lstm_lrp

#endif
