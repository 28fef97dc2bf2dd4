// sigmoid and tanh over float32 for WebAssembly SIMD128 (f32 (4 lanes)).
#ifdef __wasm_simd128__
#include "../activations_vec.h"
#include "traits_wasm128.h"

namespace lstm_lrp {

void sigmoid_f32_wasm128(const float* in, float* out, std::size_t n) { map_f32<Wasm128F32, sigmoid_f32<Wasm128F32>>(in, out, n); }

void tanh_f32_wasm128(const float* in, float* out, std::size_t n) { map_f32<Wasm128F32, tanh_f32<Wasm128F32>>(in, out, n); }

}  // namespace lstm_lrp

#endif
