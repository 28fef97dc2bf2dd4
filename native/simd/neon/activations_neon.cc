// sigmoid and tanh over float32 for AArch64 NEON (4 lanes).
#if defined(__aarch64__)
#include "../activations_vec.h"
#include "traits_neon.h"

namespace lstm_lrp {

void sigmoid_f32_neon(const float* in, float* out, std::size_t n) { map_f32<NeonF32, sigmoid_f32<NeonF32>>(in, out, n); }

void tanh_f32_neon(const float* in, float* out, std::size_t n) { map_f32<NeonF32, tanh_f32<NeonF32>>(in, out, n); }

}  // namespace lstm_lrp

#endif
