// Integrated gradients' buffers for the backward passes of its path points
// (explain/integrated_gradients.cc) and SmoothGrad's for its noisy copies
// (explain/smoothgrad.cc), reused from sequence to sequence.
#pragma once

#include <cstddef>
#include <vector>

#include "../common/aligned_vector.h"
#include "../forward/trace.h"

namespace lstm_lrp {

// One share's sums over its noisy copies.
struct NoisySums {
  std::vector<double> relevance;  // [T, I] Σ_k R_k
  double difference = 0;          // Σ_k f(x̃_k) − f(x') (integrated gradients)
  double sum = 0;                 // Σ_k Σ R_k
  double delta = 0;               // Σ_k (f(x̃_k) − f(x') − Σ R_k)
};

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
  std::vector<NoisySums> noisy_sums;  // SmoothGrad, per share
};

// One share's signals while its points pass backward together.
template <typename Real>
struct PointSignals {
  std::vector<std::vector<AlignedVector<Real>>> layer_signal;  // per point of a group, per layer below the top [T, D_l]
  AlignedVector<Real> recurrent;                               // [points, H]
  AlignedVector<Real> cell_next;                               // [points, H]
  AlignedVector<Real> block;                                   // [points, 4H]
};

// One of SmoothGrad's noisy copies x̃ while the points of its path from x' pass.
template <typename Real>
struct NoisyCopy {
  AlignedVector<Real> difference;                          // [T, I] x̃ − x'
  std::vector<AlignedVector<Real>> difference_projection;  // per first-layer direction [T, 4H] by time: W (x̃ − x')
  std::vector<AlignedVector<Real>> weighted_block;         // per first-layer direction [T, 4H] by time: Σ_j w_j block signals
  double score = 0;                                        // f(x̃) (integrated gradients)
};

// One share of SmoothGrad's noisy copies.
template <typename Real>
struct NoisyCopies {
  std::vector<NoisyCopy<Real>> copies;       // a ring: the copies a group's passes belong to
  std::vector<SequenceTrace<Real>*> points;  // the group's passes that go backward
  std::vector<double> weights;               // their quadrature weights
  std::vector<std::size_t> owners;           // their copies
  AlignedVector<Real> gradient;              // [T, I] a finished copy's (path-averaged) gradient
};

}  // namespace lstm_lrp
