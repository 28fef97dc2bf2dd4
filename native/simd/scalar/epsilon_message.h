// The epsilon rule's message, one value at a time: shared by the scalar kernels
// (lrp_rules_scalar.h) and the LRP code of native/explain, so the stabiliser and the test that
// keeps Inf and NaN out are written once.
#pragma once

#include <cmath>
#include <limits>

namespace lstm_lrp {

// eps·sign(z), with sign(0) = +1.
template <typename Real>
inline Real stabiliser_of(Real z, Real eps) {
  return z >= Real(0) ? eps : -eps;
}

// Whether relevance r divided by denominator is a usable message: the denominator is not
// 0 and the quotient does not overflow (a denominator below ~1e-38 in f32, ~1e-308 in f64,
// e.g. under a tiny eps); otherwise the relevance is absorbed, never turned into Inf or NaN.
template <typename Real>
inline bool passes_message(Real r, Real denominator) {
  return denominator != Real(0) && std::fabs(r / denominator) <= std::numeric_limits<Real>::max();
}

// The epsilon rule's message of relevance r at pre-activation z: r / (z + eps·sign z), or 0
// when that is no usable message (then r is absorbed).
template <typename Real>
struct EpsilonMessage {
  Real stabiliser;
  Real message;
  bool passed;
};

template <typename Real>
inline EpsilonMessage<Real> epsilon_message(Real r, Real z, Real eps) {
  const Real stabiliser = stabiliser_of(z, eps);
  const Real denominator = z + stabiliser;
  const bool passed = passes_message(r, denominator);
  return {stabiliser, passed ? r / denominator : Real(0), passed};
}

}  // namespace lstm_lrp
