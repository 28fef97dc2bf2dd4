// The explained output F of a sequence's score rows, in float64.
#pragma once

#include <cstddef>
#include <vector>

#include "../common/aligned_vector.h"
#include "../forward/softmax.h"
#include "../include/lstm_lrp.h"

namespace lstm_lrp {

// F = Σ w ⊙ scores (logit), or Σ w ⊙ softmax(scores) per score row (prob).
template <typename Real>
double target_score(const AlignedVector<Real>& scores, const double* weights, std::size_t rows, std::size_t C,
                    lstm_lrp_occlusion_score score) {
  double total = 0;
  std::vector<double> probabilities;
  for (std::size_t r = 0; r < rows; ++r) {
    const Real* row = &scores[r * C];
    if (score == LSTM_LRP_SCORE_LOGIT) {
      for (std::size_t k = 0; k < C; ++k) total += weights[r * C + k] * static_cast<double>(row[k]);
      continue;
    }
    probabilities.resize(C);
    softmax_row(row, C, probabilities.data());
    for (std::size_t k = 0; k < C; ++k) total += weights[r * C + k] * probabilities[k];
  }
  return total;
}

}  // namespace lstm_lrp
