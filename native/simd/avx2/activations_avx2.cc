// sigmoid and tanh over float32 for AVX2 + FMA (f32 (8 lanes)).
#if defined(__x86_64__) || defined(_M_X64)
// Every function below, and every template it instantiates, is compiled for avx2,fma.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
#include "../activations_vec.h"
#include "traits_avx2.h"

namespace lstm_lrp {

void sigmoid_f32_avx2(const float* in, float* out, std::size_t n) { map_f32<Avx2F32, sigmoid_f32<Avx2F32>>(in, out, n); }

void tanh_f32_avx2(const float* in, float* out, std::size_t n) { map_f32<Avx2F32, tanh_f32<Avx2F32>>(in, out, n); }

}  // namespace lstm_lrp

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif
