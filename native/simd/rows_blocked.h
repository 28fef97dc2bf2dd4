// accumulate_rows for any vector ISA, given its traits: y_s[c] += Σ_r k_s[r] · A[r, c]
// for several sequences s at once. A tile of sequences × column vectors keeps its
// accumulators in registers while A's rows stream past, so each loaded row vector
// feeds every sequence of the tile (a matrix–matrix product with gathered rows).
// Every element sees the same operations in the same order whatever the tile, so a
// sequence's result does not depend on the others computed with it.
//
// Include it after the ISA's target pragma, with Traits from an
// anonymous namespace: every instantiation is then compiled for that ISA and
// stays local to its file, never merged with another ISA's copy.
#pragma once

#include <algorithm>
#include <cstddef>

namespace lstm_lrp {

// Traits: Vec, Real, kLanes, kTileSequences, load, store, load_partial, store_partial,
// broadcast, fma (acc + a·b). The last vector of a tile is partial when kPartial.
template <typename Traits, int kSequences, int kVectors, bool kPartial>
inline void accumulate_tile(const typename Traits::Real* A, std::size_t rows, std::size_t cols,
                            const typename Traits::Real* const* coefficients, typename Traits::Real* const* y,
                            std::size_t width) {
  using Vec = typename Traits::Vec;
  constexpr std::size_t kLanes = Traits::kLanes;
  constexpr int kFull = kPartial ? kVectors - 1 : kVectors;
  // The loops over sequences and vectors are unrolled by pragma: without it GCC 12
  // mirrors tiles of more than eight accumulators on the stack at every row.
  Vec acc[kSequences][kFull > 0 ? kFull : 1];
  Vec last[kSequences];
#pragma GCC unroll 16
  for (int s = 0; s < kSequences; ++s) {
  #pragma GCC unroll 16
    for (int v = 0; v < kFull; ++v) acc[s][v] = Traits::load(y[s] + v * kLanes);
    if (kPartial) last[s] = Traits::load_partial(y[s] + kFull * kLanes, width);
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const typename Traits::Real* row = A + r * cols;
    Vec weights[kFull > 0 ? kFull : 1];
  #pragma GCC unroll 16
    for (int v = 0; v < kFull; ++v) weights[v] = Traits::load(row + v * kLanes);
    Vec partial_weights;
    if (kPartial) partial_weights = Traits::load_partial(row + kFull * kLanes, width);
  #pragma GCC unroll 16
    for (int s = 0; s < kSequences; ++s) {
      const Vec factor = Traits::broadcast(coefficients[s][r]);
#pragma GCC unroll 16
      for (int v = 0; v < kFull; ++v) acc[s][v] = Traits::fma(factor, weights[v], acc[s][v]);
      if (kPartial) last[s] = Traits::fma(factor, partial_weights, last[s]);
    }
  }
#pragma GCC unroll 16
  for (int s = 0; s < kSequences; ++s) {
  #pragma GCC unroll 16
    for (int v = 0; v < kFull; ++v) Traits::store(y[s] + v * kLanes, acc[s][v]);
    if (kPartial) Traits::store_partial(y[s] + kFull * kLanes, width, last[s]);
  }
}

// Columns [c, cols) of kSequences sequences: blocks of kBlock vectors, then the
// remaining whole vectors together with the partial one.
template <typename Traits, int kSequences>
inline void accumulate_columns(const typename Traits::Real* A, std::size_t rows, std::size_t cols,
                               const typename Traits::Real* const* coefficients, typename Traits::Real* const* y) {
  using Real = typename Traits::Real;
  constexpr std::size_t kLanes = Traits::kLanes;
  // One sequence needs more vectors in flight to hide the FMA latency.
  constexpr int kBlock = kSequences == 1 ? 8 : 4;
  Real* shifted[kSequences];
  const auto at = [&](std::size_t c) {
    for (int s = 0; s < kSequences; ++s) shifted[s] = y[s] + c;
    return shifted;
  };
  std::size_t c = 0;
  for (; c + kBlock * kLanes <= cols; c += kBlock * kLanes)
    accumulate_tile<Traits, kSequences, kBlock, false>(A + c, rows, cols, coefficients, at(c), 0);
  const std::size_t whole = (cols - c) / kLanes;
  const std::size_t width = (cols - c) % kLanes;
  const int vectors = static_cast<int>(whole) + (width > 0 ? 1 : 0);
  if (vectors == 0) return;
  Real* const* out = at(c);
  const Real* block = A + c;
  // Runtime (vectors, partial) to a compile-time tile; vectors < kBlock + 1.
#define LSTM_LRP_TILE(V)                                                                                          \
  case V:                                                                                                         \
    if (width > 0)                                                                                                \
      accumulate_tile<Traits, kSequences, V, true>(block, rows, cols, coefficients, out, width);                 \
    else                                                                                                          \
      accumulate_tile<Traits, kSequences, (V < kBlock ? V : 1), false>(block, rows, cols, coefficients, out, 0); \
    break;
  switch (vectors) {
    LSTM_LRP_TILE(1)
    LSTM_LRP_TILE(2)
    LSTM_LRP_TILE(3)
    LSTM_LRP_TILE(4)
    LSTM_LRP_TILE(5)
    LSTM_LRP_TILE(6)
    LSTM_LRP_TILE(7)
    LSTM_LRP_TILE(8)
    default: break;
  }
#undef LSTM_LRP_TILE
}

template <typename Traits>
inline void accumulate_rows_gathered(const typename Traits::Real* A, std::size_t rows, std::size_t cols,
                                     const typename Traits::Real* const* coefficients, typename Traits::Real* const* y,
                                     std::size_t count) {
  constexpr std::size_t kTile = Traits::kTileSequences;
  static_assert(kTile >= 1 && kTile <= 4, "tiles hold one to four sequences");
  for (std::size_t first = 0; first < count; first += kTile) {
    const auto* k = coefficients + first;
    auto* const* out = y + first;
    switch (std::min(kTile, count - first)) {
      case 1: accumulate_columns<Traits, 1>(A, rows, cols, k, out); break;
      case 2: accumulate_columns<Traits, 2>(A, rows, cols, k, out); break;
      case 3: accumulate_columns<Traits, (kTile >= 3 ? 3 : 1)>(A, rows, cols, k, out); break;
      default: accumulate_columns<Traits, (kTile >= 4 ? 4 : 1)>(A, rows, cols, k, out); break;
    }
  }
}

// Partial vectors for ISAs without masked loads: through a zero-padded buffer.
template <typename Traits>
inline typename Traits::Vec load_partial_buffered(const typename Traits::Real* p, std::size_t width) {
  alignas(64) typename Traits::Real buffer[Traits::kLanes] = {};
  std::copy(p, p + width, buffer);
  return Traits::load(buffer);
}

template <typename Traits>
inline void store_partial_buffered(typename Traits::Real* p, std::size_t width, typename Traits::Vec v) {
  alignas(64) typename Traits::Real buffer[Traits::kLanes];
  Traits::store(buffer, v);
  std::copy(buffer, buffer + width, p);
}

}  // namespace lstm_lrp
