// The cell's activations over arrays, on the selected ISA's kernels where they are tanh or
// sigmoid: the forward pass and CD's splits evaluate them the same way.
#pragma once

#include <algorithm>
#include <cstddef>

#include "../simd/kernels.h"
#include "activations.h"

namespace lstm_lrp {

// z = g(a), unscaled.
template <typename Real>
void cell_input(lstm_lrp_g_activation g, const Kernels<Real>& kernel, const Real* a, Real* z, std::size_t n) {
  if (g == LSTM_LRP_G_TANH) return kernel.tanh(a, z, n);
  if (g == LSTM_LRP_G_SIGMOID) return kernel.sigmoid(a, z, n);
  for (std::size_t j = 0; j < n; ++j) z[j] = g_activation(g, a[j]);
}

// h(c), unscaled.
template <typename Real>
void cell_output(lstm_lrp_h_activation h, const Kernels<Real>& kernel, const Real* c, Real* out, std::size_t n) {
  if (h == LSTM_LRP_H_TANH) return kernel.tanh(c, out, n);
  std::copy(c, c + n, out);
}

}  // namespace lstm_lrp
