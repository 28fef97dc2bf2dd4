// Matrix-vector kernels on row-major matrices (products and rank-one updates).
// per-ISA kernels and their dispatch replace these bodies, not their callers.
#pragma once

#include <cstddef>

namespace lstm_lrp {

// y[r] += Σ_c A[r, c] x[c] for A of rows × cols.
template <typename Real>
void gemv_accumulate(const Real* A, std::size_t rows, std::size_t cols, const Real* x, Real* y) {
  for (std::size_t r = 0; r < rows; ++r) {
    const Real* row = A + r * cols;
    Real sum = 0;
    for (std::size_t c = 0; c < cols; ++c) sum += row[c] * x[c];
    y[r] += sum;
  }
}

// y[c] += Σ_r A[r, c] s[r]: the Wᵀ·s product of every backward pass.
template <typename Real>
void gemv_transposed_accumulate(const Real* A, std::size_t rows, std::size_t cols, const Real* s, Real* y) {
  for (std::size_t r = 0; r < rows; ++r) {
    const Real sr = s[r];
    if (sr == Real(0)) continue;
    const Real* row = A + r * cols;
    for (std::size_t c = 0; c < cols; ++c) y[c] += row[c] * sr;
  }
}

}  // namespace lstm_lrp

namespace lstm_lrp {

// A[r, c] += u[r] v[c]: the rank-one update of every parameter gradient.
template <typename Real>
void rank_one_accumulate(Real* A, std::size_t rows, std::size_t cols, const Real* u, const Real* v) {
  for (std::size_t r = 0; r < rows; ++r) {
    const Real ur = u[r];
    if (ur == Real(0)) continue;
    Real* row = A + r * cols;
    for (std::size_t c = 0; c < cols; ++c) row[c] += ur * v[c];
  }
}

}  // namespace lstm_lrp
