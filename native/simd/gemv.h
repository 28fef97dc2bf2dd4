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

// y[c] += Σ_r A[r, c] s[r] for one vector s and A's rows `stride` values apart: a Wᵀ·s product of
// one sequence at one step (several at once: ProductRows).
template <typename Real>
void gemv_transposed_accumulate(const Real* A, std::size_t rows, std::size_t cols, std::size_t stride, const Real* s, Real* y) {
  const Real* start = y;
  kernels<Real>().accumulate_rows(A, rows, cols, stride, &s, &start, &y, 1);
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
  // Every row added: one matrix–matrix product that reads A (rows × cols, rows `stride` apart)
  // once per tile of rows.
  void multiply(const Real* A, std::size_t rows, std::size_t cols, std::size_t stride) const {
    kernels<Real>().accumulate_rows(A, rows, cols, stride, coefficients.data(), starts.data(), outputs.data(), outputs.size());
  }
  void multiply(const Real* A, std::size_t rows, std::size_t cols) const { multiply(A, rows, cols, cols); }
};

// The products of `first` over A0 and of `second` over A1 (both rows × cols, rows `stride`
// apart): where each has a single row, the two run side by side (Kernels::accumulate_rows_pair),
// with the same bits.
template <typename Real>
void multiply_pair(const ProductRows<Real>& first, const Real* A0, const ProductRows<Real>& second, const Real* A1, std::size_t rows,
                   std::size_t cols, std::size_t stride) {
  if (first.outputs.size() != 1 || second.outputs.size() != 1) {
    first.multiply(A0, rows, cols, stride);
    second.multiply(A1, rows, cols, stride);
    return;
  }
  const Real* const matrices[2] = {A0, A1};
  const Real* const coefficients[2] = {first.coefficients[0], second.coefficients[0]};
  const Real* const starts[2] = {first.starts[0], second.starts[0]};
  Real* const outputs[2] = {first.outputs[0], second.outputs[0]};
  kernels<Real>().accumulate_rows_pair(matrices, rows, cols, stride, coefficients, starts, outputs);
}

}  // namespace lstm_lrp
