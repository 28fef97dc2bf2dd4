// accumulate_rows for any vector ISA, given its traits: y_s[c] = start_s[c] + Σ_r k_s[r] · A[r, c]
// for several sequences s at once (start_s is y_s itself, another row, or null for zeros). A
// tile of sequences × column vectors keeps its accumulators in registers while A's rows
// stream past, so each loaded row vector feeds every sequence of the tile (a matrix–matrix
// product with gathered rows). Every element sees the same operations in the same order
// whatever the tile, so a sequence's result does not depend on the others computed with it.
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
inline void accumulate_tile(const typename Traits::Real* A, std::size_t rows, std::size_t stride,
                            const typename Traits::Real* const* coefficients, const typename Traits::Real* const* start,
                            typename Traits::Real* const* y, std::size_t width) {
  using Vec = typename Traits::Vec;
  constexpr std::size_t kLanes = Traits::kLanes;
  constexpr int kFull = kPartial ? kVectors - 1 : kVectors;
  // The loops over sequences and vectors are unrolled by pragma: without it GCC 12
  // mirrors tiles of more than eight accumulators on the stack at every row.
  Vec acc[kSequences][kFull > 0 ? kFull : 1];
  Vec last[kSequences];
#pragma GCC unroll 16
  for (int s = 0; s < kSequences; ++s) {
    // A zero start is the +0 a zeroed row would hold: the same sums, without writing the zeros first.
    const typename Traits::Real* from = start[s];
#pragma GCC unroll 16
    for (int v = 0; v < kFull; ++v) acc[s][v] = from != nullptr ? Traits::load(from + v * kLanes) : Traits::broadcast(0);
    if (kPartial) last[s] = from != nullptr ? Traits::load_partial(from + kFull * kLanes, width) : Traits::broadcast(0);
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const typename Traits::Real* row = A + r * stride;
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

// Columns [c, c + vectors · kLanes) of kSequences sequences (the last vector partial when width > 0).
template <typename Traits, int kSequences>
inline void accumulate_block(const typename Traits::Real* A, std::size_t rows, std::size_t stride,
                             const typename Traits::Real* const* coefficients, const typename Traits::Real* const* start,
                             typename Traits::Real* const* y, std::size_t c, int vectors, std::size_t width) {
  using Real = typename Traits::Real;
  const Real* from[kSequences];
  Real* out[kSequences];
  for (int s = 0; s < kSequences; ++s) {
    from[s] = start[s] != nullptr ? start[s] + c : nullptr;
    out[s] = y[s] + c;
  }
  const Real* block = A + c;
  // Runtime (vectors, partial) to a compile-time tile: up to 8 vectors for one sequence, 4 for
  // more (the only blocks accumulate_rows_gathered makes), so no larger tile is ever compiled.
  constexpr auto Tile = [](int tile_vectors) { return kSequences == 1 || tile_vectors <= 4 ? tile_vectors : 1; };
#define LSTM_LRP_TILE(V)                                                                                       \
  case V:                                                                                                      \
    if (width > 0)                                                                                             \
      accumulate_tile<Traits, kSequences, Tile(V), true>(block, rows, stride, coefficients, from, out, width); \
    else                                                                                                       \
      accumulate_tile<Traits, kSequences, Tile(V), false>(block, rows, stride, coefficients, from, out, 0);    \
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

// The products of count sequences, a block of A's columns at a time: every tile of sequences
// passes while the block's rows are in L1, so A streams from L2 once per call, not once per
// tile. Consecutive calls walk the blocks in opposite orders, so the block the last call read
// last (often the same matrix: the recurrence's U every step) is still in L1 when this one
// starts. Neither order changes a result: each element sums its rows in the same order.
template <typename Traits>
inline void accumulate_rows_gathered(const typename Traits::Real* A, std::size_t rows, std::size_t cols, std::size_t stride,
                                     const typename Traits::Real* const* coefficients, const typename Traits::Real* const* start,
                                     typename Traits::Real* const* y, std::size_t count) {
  constexpr std::size_t kLanes = Traits::kLanes;
  constexpr std::size_t kTile = Traits::kTileSequences;
  static_assert(kTile >= 1 && kTile <= 4, "tiles hold one to four sequences");
  // A lone sequence needs more vectors in flight to hide the FMA latency.
  const std::size_t block_vectors = count == 1 ? 8 : 4;
  const std::size_t vectors = (cols + kLanes - 1) / kLanes;
  const std::size_t blocks = (vectors + block_vectors - 1) / block_vectors;
  thread_local bool backwards = false;
  backwards = !backwards;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t first_vector = (backwards ? blocks - 1 - b : b) * block_vectors;
    const std::size_t c = first_vector * kLanes;
    const std::size_t span = std::min(cols - c, block_vectors * kLanes);
    const int block = static_cast<int>((span + kLanes - 1) / kLanes);
    const std::size_t width = span % kLanes;
    for (std::size_t first = 0; first < count; first += kTile) {
      const auto* k = coefficients + first;
      const auto* from = start + first;
      auto* const* out = y + first;
      switch (std::min(kTile, count - first)) {
        case 1: accumulate_block<Traits, 1>(A, rows, stride, k, from, out, c, block, width); break;
        case 2: accumulate_block<Traits, 2>(A, rows, stride, k, from, out, c, block, width); break;
        case 3: accumulate_block<Traits, (kTile >= 3 ? 3 : 1)>(A, rows, stride, k, from, out, c, block, width); break;
        default: accumulate_block<Traits, (kTile >= 4 ? 4 : 1)>(A, rows, stride, k, from, out, c, block, width); break;
      }
    }
  }
}

// Columns [c, c + kVectors · kLanes) of two products of one row each, over matrices A[0] and
// A[1] of the same shape: each element's operations are accumulate_tile's, and the two chains
// of multiply-adds run side by side, so each hides the other's latency (a lone sequence's two
// directions, whose single rows leave a tile of their own waiting on every multiply-add).
template <typename Traits, int kVectors, bool kPartial>
inline void accumulate_tile_pair(const typename Traits::Real* const* A, std::size_t rows, std::size_t stride,
                                 const typename Traits::Real* const* coefficients, const typename Traits::Real* const* start,
                                 typename Traits::Real* const* y, std::size_t c, std::size_t width) {
  using Vec = typename Traits::Vec;
  constexpr std::size_t kLanes = Traits::kLanes;
  constexpr int kFull = kPartial ? kVectors - 1 : kVectors;
  Vec acc[2][kFull > 0 ? kFull : 1];
  Vec last[2];
#pragma GCC unroll 2
  for (int d = 0; d < 2; ++d) {
    const typename Traits::Real* from = start[d] != nullptr ? start[d] + c : nullptr;
#pragma GCC unroll 8
    for (int v = 0; v < kFull; ++v) acc[d][v] = from != nullptr ? Traits::load(from + v * kLanes) : Traits::broadcast(0);
    if (kPartial) last[d] = from != nullptr ? Traits::load_partial(from + kFull * kLanes, width) : Traits::broadcast(0);
  }
  for (std::size_t r = 0; r < rows; ++r) {
#pragma GCC unroll 2
    for (int d = 0; d < 2; ++d) {
      const typename Traits::Real* row = A[d] + r * stride + c;
      const Vec factor = Traits::broadcast(coefficients[d][r]);
#pragma GCC unroll 8
      for (int v = 0; v < kFull; ++v) acc[d][v] = Traits::fma(factor, Traits::load(row + v * kLanes), acc[d][v]);
      if (kPartial) last[d] = Traits::fma(factor, Traits::load_partial(row + kFull * kLanes, width), last[d]);
    }
  }
#pragma GCC unroll 2
  for (int d = 0; d < 2; ++d) {
#pragma GCC unroll 8
    for (int v = 0; v < kFull; ++v) Traits::store(y[d] + c + v * kLanes, acc[d][v]);
    if (kPartial) Traits::store_partial(y[d] + c + kFull * kLanes, width, last[d]);
  }
}

// y_d = start_d + Σ_r coefficients[d][r] · A[d][r, ·] for d = 0, 1, in blocks of four column
// vectors: the same bits as two accumulate_rows calls of one row each.
template <typename Traits>
inline void accumulate_rows_pair_gathered(const typename Traits::Real* const* A, std::size_t rows, std::size_t cols, std::size_t stride,
                                          const typename Traits::Real* const* coefficients, const typename Traits::Real* const* start,
                                          typename Traits::Real* const* y) {
  constexpr std::size_t kLanes = Traits::kLanes;
  constexpr std::size_t kBlockVectors = 4;
  for (std::size_t c = 0; c < cols; c += kBlockVectors * kLanes) {
    const std::size_t span = std::min(cols - c, kBlockVectors * kLanes);
    const std::size_t width = span % kLanes;
#define LSTM_LRP_PAIR_TILE(V)                                                                   \
  case V:                                                                                       \
    if (width > 0)                                                                              \
      accumulate_tile_pair<Traits, V, true>(A, rows, stride, coefficients, start, y, c, width); \
    else                                                                                        \
      accumulate_tile_pair<Traits, V, false>(A, rows, stride, coefficients, start, y, c, 0);    \
    break;
    switch ((span + kLanes - 1) / kLanes) {
      LSTM_LRP_PAIR_TILE(1)
      LSTM_LRP_PAIR_TILE(2)
      LSTM_LRP_PAIR_TILE(3)
      LSTM_LRP_PAIR_TILE(4)
      default: break;
    }
#undef LSTM_LRP_PAIR_TILE
  }
}

// Defines accumulate_rows_f32_<isa>, accumulate_rows_f64_<isa> and their _pair forms
// (simd/dispatch.cc's entries) on the ISA's traits, in the ISA's own file.
#define LSTM_LRP_DEFINE_ACCUMULATE_ROWS(isa, F32Traits, F64Traits)                                                                \
  void accumulate_rows_f32_##isa(const float* A, std::size_t rows, std::size_t cols, std::size_t stride, const float* const* k,   \
                                 const float* const* start, float* const* y, std::size_t count) {                                 \
    accumulate_rows_gathered<F32Traits>(A, rows, cols, stride, k, start, y, count);                                               \
  }                                                                                                                               \
  void accumulate_rows_f64_##isa(const double* A, std::size_t rows, std::size_t cols, std::size_t stride, const double* const* k, \
                                 const double* const* start, double* const* y, std::size_t count) {                               \
    accumulate_rows_gathered<F64Traits>(A, rows, cols, stride, k, start, y, count);                                               \
  }                                                                                                                               \
  void accumulate_rows_pair_f32_##isa(const float* const* A, std::size_t rows, std::size_t cols, std::size_t stride,              \
                                      const float* const* k, const float* const* start, float* const* y) {                        \
    accumulate_rows_pair_gathered<F32Traits>(A, rows, cols, stride, k, start, y);                                                 \
  }                                                                                                                               \
  void accumulate_rows_pair_f64_##isa(const double* const* A, std::size_t rows, std::size_t cols, std::size_t stride,             \
                                      const double* const* k, const double* const* start, double* const* y) {                     \
    accumulate_rows_pair_gathered<F64Traits>(A, rows, cols, stride, k, start, y);                                                 \
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
