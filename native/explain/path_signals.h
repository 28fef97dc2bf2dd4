// Integrated gradients' buffers for the backward passes of its path points
// (explain/integrated_gradients.cc), reused from sequence to sequence.
#pragma once

#include <vector>

#include "../common/aligned_vector.h"

namespace lstm_lrp {

// What every share of the path points reads, and each share's weighted block signals.
template <typename Real>
struct PathSignals {
  AlignedVector<Real> difference;  // [T, I] x − x'
  std::vector<AlignedVector<Real>>
      baseline_projection;  // per first-layer direction [4H]: b + W x'; 4H stands for a layer's gate rows (a GRU's 3H)
  std::vector<AlignedVector<Real>> difference_projection;  // per first-layer direction [T, 4H] by time: W (x − x')
  AlignedVector<Real> top_signal;                          // [T, D] ∂f/∂(top layer's outputs), the same at every point
  // per share, per first-layer direction [T, 4H] by time: Σ_k w_k (block signals at point k) over the share's points
  std::vector<std::vector<AlignedVector<Real>>> weighted_block;
};

// One share's signals while its points pass backward together.
template <typename Real>
struct PointSignals {
  std::vector<std::vector<AlignedVector<Real>>> layer_signal;  // per point of a group, per layer below the top [T, D_l]
  AlignedVector<Real> recurrent;                               // [points, H]
  AlignedVector<Real> cell_next;                               // [points, H]
  AlignedVector<Real> block;                                   // [points, 4H]
};

}  // namespace lstm_lrp
