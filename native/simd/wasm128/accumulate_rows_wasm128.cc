// accumulate_rows for WebAssembly SIMD128: f32 (4 lanes) and f64 (2 lanes), no FMA.
#ifdef __wasm_simd128__
#include "traits_wasm128.h"

namespace lstm_lrp {

LSTM_LRP_DEFINE_ACCUMULATE_ROWS(wasm128, Wasm128F32, Wasm128F64)

}  // namespace lstm_lrp

#endif
