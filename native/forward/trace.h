// Everything a forward pass leaves behind for the backward passes of one sequence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../common/aligned_vector.h"

namespace lstm_lrp {

// One layer direction, indexed by processing step s (s = t forward, s = T-1-t backward).
template <typename Real>
struct DirectionTrace {
  AlignedVector<Real> pre;           // [T, 4H] block pre-activations a (GRU [T, 3H]: r, u, n)
  AlignedVector<Real> act;           // [T, 4H] z, i, f, o (an absent gate is 1; GRU [T, 3H]: r, u, n)
  AlignedVector<Real> cell;          // [T+1, H] c; row 0 is c_0 (LSTM only)
  AlignedVector<Real> cell_output;   // [T, H] hScale·h(c) (LSTM only)
  AlignedVector<Real> reset_signal;  // GRU [T, H]: q = U_n h' + b_hn (reset after), else r ⊙ h'
  AlignedVector<Real> output;        // [T+1, H] y (GRU h); row 0 is y_0
};

template <typename Real>
struct SequenceTrace {
  std::size_t steps = 0;
  AlignedVector<Real> input;  // [T, I] x (embedded)
  // [T] the token of each step while input holds their embeddings, else empty: the forward
  // pass then takes layer 0's input projections from the model's table. Whoever changes
  // input without its tokens clears it.
  std::vector<std::int32_t> tokens;
  std::vector<AlignedVector<Real>> layer_outputs;             // per layer [T, D_l]
  std::vector<std::vector<DirectionTrace<Real>>> directions;  // per layer, per direction
  AlignedVector<Real> head_input;                             // [rows, D]
  AlignedVector<Real> scores;                                 // [rows, C]; rows = 1 (last) or T (each)
};

inline std::size_t time_of_step(int direction, std::size_t step, std::size_t steps) { return direction == 0 ? step : steps - 1 - step; }

}  // namespace lstm_lrp
