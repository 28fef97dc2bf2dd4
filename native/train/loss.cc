#include "loss.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "../forward/softmax.h"

namespace lstm_lrp {

Status check_targets(lstm_lrp_loss loss, const double* targets, std::size_t rows, std::size_t outputs) {
  const std::size_t count = rows * targets_per_row(loss, outputs);
  for (std::size_t k = 0; k < count; ++k) {
    const double target = targets[k];
    if (!std::isfinite(target)) return Status::invalid("target " + std::to_string(k) + " is not finite");
    if (loss == LSTM_LRP_LOSS_CROSS_ENTROPY && (target < 0 || target >= static_cast<double>(outputs) || target != std::floor(target)))
      return Status::invalid("target " + std::to_string(k) + " must be a class index in [0, " + std::to_string(outputs) + "), got " +
                             std::to_string(target));
  }
  return Status::ok();
}

template <typename Real>
void score_row_losses(lstm_lrp_loss loss, const Real* scores, const double* targets, std::size_t rows, std::size_t outputs, double scale,
                      Real* gradient, LossTotals& totals) {
  std::vector<double> probabilities(outputs);
  for (std::size_t r = 0; r < rows; ++r) {
    const Real* row = scores + r * outputs;
    Real* row_gradient = gradient == nullptr ? nullptr : gradient + r * outputs;
    if (loss == LSTM_LRP_LOSS_MSE) {
      const double* expected = targets + r * outputs;
      for (std::size_t k = 0; k < outputs; ++k) {
        const double error = static_cast<double>(row[k]) - expected[k];
        totals.sum += error * error / static_cast<double>(outputs);
        if (row_gradient) row_gradient[k] = static_cast<Real>(scale * 2 * error / static_cast<double>(outputs));
      }
      continue;
    }
    const std::size_t target = static_cast<std::size_t>(targets[r]);
    softmax_row(row, outputs, probabilities.data());
    totals.sum -= std::log(std::max(probabilities[target], 1e-300));
    std::size_t best = 0;
    for (std::size_t k = 1; k < outputs; ++k)
      if (row[k] > row[best]) best = k;
    totals.correct += best == target ? 1 : 0;
    if (row_gradient)
      for (std::size_t k = 0; k < outputs; ++k) row_gradient[k] = static_cast<Real>(scale * (probabilities[k] - (k == target ? 1.0 : 0.0)));
  }
}

template void score_row_losses<float>(lstm_lrp_loss, const float*, const double*, std::size_t, std::size_t, double, float*, LossTotals&);
template void score_row_losses<double>(lstm_lrp_loss, const double*, const double*, std::size_t, std::size_t, double, double*, LossTotals&);

}  // namespace lstm_lrp
