// Integrated gradients' buffers for the backward passes of its path points
// (explain/integrated_gradients.cc), reused from sequence to sequence.
#pragma once

#include <vector>

namespace lstm_lrp {

// What every share of the path points reads, and each share's weighted block signals.
template <typename Real>
struct PathSignals {
  std::vector<Real> difference;                          // [T, I] x − x'
  std::vector<std::vector<Real>> baseline_projection;    // per first-layer direction [4H]: b + W x'
  std::vector<std::vector<Real>> difference_projection;  // per first-layer direction [T, 4H] by time: W (x − x')
  std::vector<Real> top_signal;                          // [T, D] ∂f/∂(top layer's outputs), the same at every point
  // per share, per first-layer direction [T, 4H] by time: Σ_k w_k (block signals at point k) over the share's points
  std::vector<std::vector<std::vector<Real>>> weighted_block;
};

// One share's signals while its points pass backward together.
template <typename Real>
struct PointSignals {
  std::vector<std::vector<std::vector<Real>>> layer_signal;  // per point of a group, per layer below the top [T, D_l]
  std::vector<Real> recurrent;                               // [points, H]
  std::vector<Real> cell_next;                               // [points, H]
  std::vector<Real> block;                                   // [points, 4H]
};

}  // namespace lstm_lrp
