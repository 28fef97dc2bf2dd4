// Explanation options after validation, in the model's dtype.
#pragma once

#include "../include/lstm_lrp.h"

namespace lstm_lrp {

// Splits the relevance r of a product p = gate · signal (SPEC §4.1, Table 11.1).
// z_gate and z_signal are the pre-activations; whatever is not passed on is absorbed.
template <typename Real>
using ProductRule = void (*)(Real z_gate, Real z_signal, Real eps, Real r, Real& r_gate, Real& r_signal);

template <typename Real>
struct ExplainSettings {
  lstm_lrp_method method;
  Real eps;
  Real bias_factor;
  ProductRule<Real> product_rule[3];
  Real product_eps[3];
  lstm_lrp_init init;
  lstm_lrp_occlusion_score occlusion_score;
  lstm_lrp_occlusion_replacement occlusion_replacement;
  const Real* occlusion_vector;
};

}  // namespace lstm_lrp
