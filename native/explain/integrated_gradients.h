// The quadrature Integrated Gradients integrates along its path with.
#pragma once

#include <cstddef>
#include <vector>

#include "../include/lstm_lrp.h"

namespace lstm_lrp {

// Points α in (0, 1) and weights (summing to 1) of a rule with the given number of points
// for ∫₀¹ φ(α) dα.
void path_quadrature(lstm_lrp_ig_rule rule, std::size_t points, std::vector<double>& alphas, std::vector<double>& weights);

}  // namespace lstm_lrp
