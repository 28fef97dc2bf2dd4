// Matrix-vector products and rank-one updates on row-major matrices. The
// "sum of rows" forms run on the kernels of the selected ISA (simd/kernels.h).
#pragma once

#include <cstddef>
#include <vector>

#include "kernels.h"

namespace lstm_lrp {

// y[r] += Σ_c A[r, c] x[c] for A of rows × cols (dot-product form, for small maps).
template <typename Real>
void gemv_accumulate(const Real* A, std::size_t rows, std::size_t cols, const Real* x, Real* y) {
  for (std::size_t r = 0; r < rows; ++r) {
    const Real* row = A + r * cols;
    Real sum = 0;
    for (std::size_t c = 0; c < cols; ++c) sum += row[c] * x[c];
    y[r] += sum;
  }
}

// y[c] += Σ_r A[r, c] s[r] for one vector s: a Wᵀ·s product of one sequence at one step
// (several at once: ProductRows).
template <typename Real>
void gemv_transposed_accumulate(const Real* A, std::size_t rows, std::size_t cols, const Real* s, Real* y) {
  const Real* start = y;
  kernels<Real>().accumulate_rows(A, rows, cols, &s, &start, &y, 1);
}

// A[r, c] += u[r] v[c]: the rank-one update of every parameter gradient.
template <typename Real>
void rank_one_accumulate(Real* A, std::size_t rows, std::size_t cols, const Real* u, const Real* v) {
  kernels<Real>().rank_one_update(A, rows, cols, u, v);
}

// The coefficient and output vectors of one gathered product, collected row by row
// (steps of a sequence, or sequences at one step) and reused between products.
template <typename Real>
struct ProductRows {
  std::vector<const Real*> coefficients;
  std::vector<const Real*> starts;
  std::vector<Real*> outputs;

  void clear() {
    coefficients.clear();
    starts.clear();
    outputs.clear();
  }
  // output += Aᵀ coefficient.
  void add(const Real* coefficient, Real* output) { add_from(coefficient, output, output); }
  // output = start + Aᵀ coefficient (start null: zeros), without copying start into output first.
  void add_from(const Real* coefficient, const Real* start, Real* output) {
    coefficients.push_back(coefficient);
    starts.push_back(start);
    outputs.push_back(output);
  }
  // Every row added: one matrix–matrix product that reads A once per tile of rows.
  void multiply(const Real* A, std::size_t rows, std::size_t cols) const {
    kernels<Real>().accumulate_rows(A, rows, cols, coefficients.data(), starts.data(), outputs.data(), outputs.size());
  }
};

}  // namespace lstm_lrp
