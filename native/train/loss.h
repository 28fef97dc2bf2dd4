// Losses of score rows and their gradients (docs/METHODS.md § Training): mean squared error and
// softmax cross-entropy, averaged over the score rows of a batch.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../common/status.h"
#include "../include/lstm_lrp.h"

namespace lstm_lrp {

struct LossTotals {
  double sum = 0;            // Σ per-row losses
  std::int64_t correct = 0;  // cross-entropy: rows whose argmax is the target
};

// Target values one score row takes: 1 (a class index) or C.
inline std::size_t targets_per_row(lstm_lrp_loss loss, std::size_t outputs) { return loss == LSTM_LRP_LOSS_CROSS_ENTROPY ? 1 : outputs; }

// Checks that every target is usable: finite, and a class index in [0, C) for cross-entropy.
Status check_targets(lstm_lrp_loss loss, const double* targets, std::size_t rows, std::size_t outputs);

// Adds the losses of `rows` score rows to totals; where gradient is not null, writes
// scale · ∂loss_row/∂scores into it.
template <typename Real>
void score_row_losses(lstm_lrp_loss loss, const Real* scores, const double* targets, std::size_t rows, std::size_t outputs, double scale,
                      Real* gradient, LossTotals& totals);

}  // namespace lstm_lrp
