// accumulate_rows for any vector ISA, given its traits: columns are taken in
// blocks of up to kBlock vectors whose accumulators stay in registers while the
// rows stream past; the last columns that fill no whole vector go to the
// traits' tail (masked where the ISA has masks, else scalar).
//
// Include it after the ISA's target pragma, with Traits from an
// anonymous namespace: every instantiation is then compiled for that ISA and
// stays local to its file, never merged with another ISA's copy.
#pragma once

#include <cstddef>

namespace lstm_lrp {

// Traits: Vec, Real, kLanes, load, store, broadcast, fma (acc + a·b).
template <typename Traits, int kVectors>
inline void accumulate_block(const typename Traits::Real* A, std::size_t rows, std::size_t cols,
                             const typename Traits::Real* coefficients, typename Traits::Real* y) {
  using Vec = typename Traits::Vec;
  Vec acc[kVectors];
  for (int v = 0; v < kVectors; ++v) acc[v] = Traits::load(y + v * Traits::kLanes);
  for (std::size_t r = 0; r < rows; ++r) {
    const typename Traits::Real coefficient = coefficients[r];
    if (coefficient == 0) continue;
    const Vec factor = Traits::broadcast(coefficient);
    const typename Traits::Real* row = A + r * cols;
    for (int v = 0; v < kVectors; ++v) acc[v] = Traits::fma(factor, Traits::load(row + v * Traits::kLanes), acc[v]);
  }
  for (int v = 0; v < kVectors; ++v) Traits::store(y + v * Traits::kLanes, acc[v]);
}

template <typename Traits>
inline void accumulate_rows_blocked(const typename Traits::Real* A, std::size_t rows, std::size_t cols,
                                    const typename Traits::Real* coefficients, typename Traits::Real* y) {
  constexpr std::size_t kBlock = 8;
  constexpr std::size_t kLanes = Traits::kLanes;
  std::size_t c = 0;
  for (; c + kBlock * kLanes <= cols; c += kBlock * kLanes) accumulate_block<Traits, kBlock>(A + c, rows, cols, coefficients, y + c);
  switch ((cols - c) / kLanes) {
    case 7: accumulate_block<Traits, 7>(A + c, rows, cols, coefficients, y + c); break;
    case 6: accumulate_block<Traits, 6>(A + c, rows, cols, coefficients, y + c); break;
    case 5: accumulate_block<Traits, 5>(A + c, rows, cols, coefficients, y + c); break;
    case 4: accumulate_block<Traits, 4>(A + c, rows, cols, coefficients, y + c); break;
    case 3: accumulate_block<Traits, 3>(A + c, rows, cols, coefficients, y + c); break;
    case 2: accumulate_block<Traits, 2>(A + c, rows, cols, coefficients, y + c); break;
    case 1: accumulate_block<Traits, 1>(A + c, rows, cols, coefficients, y + c); break;
    default: break;
  }
  c += (cols - c) / kLanes * kLanes;
  if (c < cols) Traits::tail(A + c, rows, cols, cols - c, coefficients, y + c);
}

// The columns that fill no whole vector, one scalar row at a time.
template <typename Traits>
inline void scalar_tail(const typename Traits::Real* A, std::size_t rows, std::size_t stride, std::size_t width,
                        const typename Traits::Real* coefficients, typename Traits::Real* y) {
  for (std::size_t r = 0; r < rows; ++r) {
    const typename Traits::Real coefficient = coefficients[r];
    if (coefficient == 0) continue;
    for (std::size_t c = 0; c < width; ++c) y[c] += coefficient * A[r * stride + c];
  }
}

}  // namespace lstm_lrp
