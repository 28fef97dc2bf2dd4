// Portable versions of the kernels: the reference every ISA is tested against,
// and the float64 path of every ISA (its activations keep the C library's accuracy).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace lstm_lrp {

template <typename Real>
void accumulate_rows_scalar(const Real* A, std::size_t rows, std::size_t cols, std::size_t stride, const Real* const* coefficients,
                            const Real* const* start, Real* const* y, std::size_t count) {
  for (std::size_t s = 0; s < count; ++s) {
    if (start[s] == nullptr)
      std::fill(y[s], y[s] + cols, Real(0));
    else if (start[s] != y[s])
      std::copy(start[s], start[s] + cols, y[s]);
  }
  for (std::size_t s = 0; s < count; ++s)
    for (std::size_t r = 0; r < rows; ++r) {
      const Real coefficient = coefficients[s][r];
      const Real* row = A + r * stride;
      for (std::size_t c = 0; c < cols; ++c) y[s][c] += coefficient * row[c];
    }
}

// The two products of Kernels::accumulate_rows_pair, one after the other.
template <typename Real>
void accumulate_rows_pair_scalar(const Real* const* A, std::size_t rows, std::size_t cols, std::size_t stride,
                                 const Real* const* coefficients, const Real* const* start, Real* const* y) {
  for (int d = 0; d < 2; ++d) accumulate_rows_scalar(A[d], rows, cols, stride, coefficients + d, start + d, y + d, 1);
}

template <typename Real>
void rank_one_update_scalar(Real* A, std::size_t rows, std::size_t cols, const Real* u, const Real* v) {
  for (std::size_t r = 0; r < rows; ++r) {
    const Real ur = u[r];
    if (ur == Real(0)) continue;
    Real* row = A + r * cols;
    for (std::size_t c = 0; c < cols; ++c) row[c] += ur * v[c];
  }
}

template <typename Real>
void sigmoid_scalar(const Real* in, Real* out, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) out[k] = Real(1) / (Real(1) + std::exp(-in[k]));
}

template <typename Real>
void tanh_scalar(const Real* in, Real* out, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) out[k] = std::tanh(in[k]);
}

}  // namespace lstm_lrp
