// sigmoid and tanh over float32 for SSE2, the x86-64 baseline (f32 (4 lanes)).
#if defined(__x86_64__) || defined(_M_X64)
#include "../activations_vec.h"
#include "traits_sse2.h"

namespace lstm_lrp {

void sigmoid_f32_sse2(const float* in, float* out, std::size_t n) { map_f32<Sse2F32, sigmoid_f32<Sse2F32>>(in, out, n); }

void tanh_f32_sse2(const float* in, float* out, std::size_t n) { map_f32<Sse2F32, tanh_f32<Sse2F32>>(in, out, n); }

}  // namespace lstm_lrp

#endif
