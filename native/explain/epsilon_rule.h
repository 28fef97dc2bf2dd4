// The epsilon rule's messages for a linear map z = W a + b (docs/METHODS.md § LRP), without
// materialising the message matrix: callers finish with R_a = a ⊙ (Wᵀ s).
#pragma once

#include <cstddef>

#include "../common/interleaved_sum.h"
#include "../simd/kernels.h"

namespace lstm_lrp {

// s_k = R_k / (z_k + eps·sign z_k), or 0 where that denominator is exactly 0 or so small
// that the quotient overflows (then R_k is added to absorbed): the selected ISA's kernel
// (simd/kernels.h). Returns Σ_k (b_k + eps·sign z_k) s_k, the share the bias and stabiliser
// take; bias may be null (no bias). scratch holds 2·count values. Both sums are float64
// (common/interleaved_sum.h).
template <typename Real>
double epsilon_messages(const Real* z, const Real* bias, const Real* relevance, std::size_t count, Real eps, Real* s, Real* scratch,
                        double& absorbed) {
  Real* shares = scratch;
  Real* not_passed = scratch + count;
  kernels<Real>().epsilon_messages({z, bias, relevance, count, eps, s, shares, not_passed});
  absorbed += interleaved_sum<double>(not_passed, count);
  return interleaved_sum<double>(shares, count);
}

}  // namespace lstm_lrp
