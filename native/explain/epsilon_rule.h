// The epsilon rule's messages for a linear map z = W a + b (SPEC §4.1), without
// materialising the message matrix: callers finish with R_a = a ⊙ (Wᵀ s).
#pragma once

#include <cstddef>

#include "product_rules.h"

namespace lstm_lrp {

// s_k = R_k / (z_k + eps·sign z_k), or 0 where that denominator is exactly 0 or so
// small that the quotient overflows (then R_k is added to absorbed). Returns Σ_k (b_k + eps·sign z_k) s_k, the
// share the bias and stabiliser take; bias may be null (no bias).
template <typename Real>
double epsilon_messages(const Real* z, const Real* bias, const Real* relevance, std::size_t count, Real eps,
                        Real* s, double& absorbed) {
  double bias_share = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const Real stabiliser = eps * sign_of(z[k]);
    const Real denominator = z[k] + stabiliser;
    if (!passes_message(relevance[k], denominator)) {
      s[k] = 0;
      absorbed += relevance[k];
      continue;
    }
    s[k] = relevance[k] / denominator;
    bias_share += static_cast<double>(((bias != nullptr ? bias[k] : Real(0)) + stabiliser) * s[k]);
  }
  return bias_share;
}

}  // namespace lstm_lrp
