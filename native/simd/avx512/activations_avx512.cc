// sigmoid and tanh over float32 for AVX-512F (f32 (16 lanes)).
#if defined(__x86_64__) || defined(_M_X64)
// Every function below, and every template it instantiates, is compiled for avx512f.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f")
// GCC 12 flags the intentionally undefined pass-through operands inside its own AVX-512 intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "../activations_vec.h"
#include "traits_avx512.h"

namespace lstm_lrp {

void sigmoid_f32_avx512(const float* in, float* out, std::size_t n) { map_f32<Avx512F32, sigmoid_f32<Avx512F32>>(in, out, n); }

void tanh_f32_avx512(const float* in, float* out, std::size_t n) { map_f32<Avx512F32, tanh_f32<Avx512F32>>(in, out, n); }

}  // namespace lstm_lrp

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif
