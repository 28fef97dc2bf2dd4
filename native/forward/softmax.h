// Softmax of one score row, in float64 whatever the model dtype.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace lstm_lrp {

template <typename Real, typename Out>
void softmax_row(const Real* scores, std::size_t count, Out* probabilities) {
  const double largest = static_cast<double>(*std::max_element(scores, scores + count));
  double normaliser = 0;
  for (std::size_t k = 0; k < count; ++k) normaliser += std::exp(static_cast<double>(scores[k]) - largest);
  for (std::size_t k = 0; k < count; ++k)
    probabilities[k] = static_cast<Out>(std::exp(static_cast<double>(scores[k]) - largest) / normaliser);
}

}  // namespace lstm_lrp
