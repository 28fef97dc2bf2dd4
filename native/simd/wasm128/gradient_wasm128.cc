// The element-wise parts of the gradient backward pass over float32 for WebAssembly SIMD128 (4 lanes).
#ifdef __wasm_simd128__
#include "../unfused.h"
#include "../gradient_vec.h"
#include "traits_wasm128.h"

namespace lstm_lrp {

void gradient_step_f32_wasm128(const GradientStep<float>& step) { gradient_step_f32<Wasm128F32>(step); }

}  // namespace lstm_lrp

#endif
