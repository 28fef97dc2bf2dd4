// The element-wise parts of the gradient backward pass one value at a time: the reference of
// the vector kernels (simd/gradient_vec.h) and the float64 path.
#pragma once

#include <cstddef>

#include "../kernels.h"

namespace lstm_lrp {

// Per cell, with d_y = from_above + recurrent, tanh c = cell_output / h_scale and
// tanh a_z = z / g_scale:
//   d_c = d_y·o·h_scale·(1 − tanh² c) + cell_next,  cell_next = d_c·f,
//   block = (d_c·i·g_scale·(1 − tanh² a_z), d_c·z·i(1 − i), d_c·c_prev·f(1 − f), d_y·h_c·o(1 − o)).
template <typename Real>
void gradient_step_scalar(const GradientStep<Real>& g) {
  const std::size_t H = g.cells;
  const Real* act = g.activations;
  for (std::size_t j = 0; j < H; ++j) {
    const Real z = act[j], i = act[H + j], f = act[2 * H + j], o = act[3 * H + j];
    const Real hc = g.cell_output[j];
    const Real d_y = g.from_above[j] + g.recurrent[j];
    const Real tanh_c = hc / g.h_scale;
    const Real d_c = d_y * o * g.h_scale * (Real(1) - tanh_c * tanh_c) + g.cell_next[j];
    g.cell_next[j] = d_c * f;
    const Real tanh_a = z / g.g_scale;
    g.block[j] = d_c * i * g.g_scale * (Real(1) - tanh_a * tanh_a);
    g.block[H + j] = d_c * z * i * (Real(1) - i);
    g.block[2 * H + j] = d_c * g.cell_prev[j] * f * (Real(1) - f);
    g.block[3 * H + j] = d_y * hc * o * (Real(1) - o);
  }
}

}  // namespace lstm_lrp
