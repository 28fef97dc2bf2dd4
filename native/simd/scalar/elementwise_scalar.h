// The element-wise arithmetic of the forward and backward passes one value at a time: the
// reference of the vector kernels (simd/elementwise_vec.h) and the float64 path.
#pragma once

#include <cstddef>

namespace lstm_lrp {

template <typename Real>
void scaled_add_scalar(const Real* base, Real factor, const Real* x, Real* out, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) out[k] = base[k] + factor * x[k];
}

template <typename Real>
void multiply_add_constant_scalar(const Real* x, const Real* y, Real c, Real* out, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) out[k] = x[k] * y[k] + c;
}

template <typename Real>
void add_multiply_add_constant_scalar(const Real* x, const Real* y, Real c, Real* out, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) out[k] += x[k] * y[k] + c;
}

template <typename Real>
void cell_state_scalar(Real* z, const Real* i, const Real* f, const Real* c_prev, Real g_scale, Real* c, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) {
    z[k] *= g_scale;
    c[k] = i[k] * z[k] + f[k] * c_prev[k];
  }
}

template <typename Real>
void cell_output_scalar(Real* h, const Real* o, Real h_scale, Real* y, Real* y_copy, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) {
    h[k] *= h_scale;
    y[k] = o[k] * h[k];
    y_copy[k] = y[k];
  }
}

}  // namespace lstm_lrp
