// sigmoid and tanh over float32 for AVX-512F (f32 (16 lanes)).
#if defined(__x86_64__) || defined(_M_X64)
#include "target_begin.h"
#include "../activations_vec.h"
#include "traits_avx512.h"

namespace lstm_lrp {

void sigmoid_f32_avx512(const float* in, float* out, std::size_t n) { map_f32<Avx512F32, sigmoid_f32<Avx512F32>>(in, out, n); }

void tanh_f32_avx512(const float* in, float* out, std::size_t n) { map_f32<Avx512F32, tanh_f32<Avx512F32>>(in, out, n); }

}  // namespace lstm_lrp

#include "../target_end.h"
#endif
