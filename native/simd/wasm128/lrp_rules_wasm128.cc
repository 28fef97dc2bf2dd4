// The element-wise LRP rules over float32 for WebAssembly SIMD128 (4 lanes).
#ifdef __wasm_simd128__
#include "../unfused.h"
#include "../lrp_rules_vec.h"
#include "traits_wasm128.h"

namespace lstm_lrp {

void lrp_step_f32_wasm128(const LrpStep<float>& step) { lrp_step_f32<Wasm128F32>(step); }

void epsilon_messages_f32_wasm128(const EpsilonMessages<float>& map) { epsilon_messages_f32<Wasm128F32>(map); }

}  // namespace lstm_lrp

#endif
