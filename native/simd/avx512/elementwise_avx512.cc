// The element-wise arithmetic of the forward and backward passes over float32 for AVX-512F (16 lanes).
#if defined(__x86_64__) || defined(_M_X64)
#include "target_begin.h"
#include "../unfused.h"
#include "../elementwise_vec.h"
#include "traits_avx512.h"

namespace lstm_lrp {

void scaled_add_f32_avx512(const float* base, float factor, const float* x, float* out, std::size_t n) {
  scaled_add_f32<Avx512F32>(base, factor, x, out, n);
}

void multiply_add_constant_f32_avx512(const float* x, const float* y, float c, float* out, std::size_t n) {
  multiply_add_constant_f32<Avx512F32>(x, y, c, out, n);
}

void add_multiply_add_constant_f32_avx512(const float* x, const float* y, float c, float* out, std::size_t n) {
  add_multiply_add_constant_f32<Avx512F32>(x, y, c, out, n);
}

void cell_state_f32_avx512(float* z, const float* i, const float* f, const float* c_prev, float g_scale, float* c, std::size_t n) {
  cell_state_f32<Avx512F32>(z, i, f, c_prev, g_scale, c, n);
}

void cell_output_f32_avx512(float* h, const float* o, float h_scale, float* y, float* y_copy, std::size_t n) {
  cell_output_f32<Avx512F32>(h, o, h_scale, y, y_copy, n);
}

}  // namespace lstm_lrp

#include "../target_end.h"
#endif
