// accumulate_rows for WebAssembly SIMD128: f32 (4 lanes) and f64 (2 lanes), no FMA.
#ifdef __wasm_simd128__
#include "traits_wasm128.h"

namespace lstm_lrp {

void accumulate_rows_f32_wasm128(const float* A, std::size_t rows, std::size_t cols, const float* k, float* y) {
  accumulate_rows_blocked<Wasm128F32>(A, rows, cols, k, y);
}

void accumulate_rows_f64_wasm128(const double* A, std::size_t rows, std::size_t cols, const double* k, double* y) {
  accumulate_rows_blocked<Wasm128F64>(A, rows, cols, k, y);
}

}  // namespace lstm_lrp

#endif
