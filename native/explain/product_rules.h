// The gated-product rules as a table indexed by lstm_lrp_product_rule.
#pragma once

#include <cmath>
#include <limits>

#include "settings.h"

namespace lstm_lrp {

template <typename Real>
inline Real sign_of(Real value) {
  return value >= Real(0) ? Real(1) : Real(-1);
}

// Whether relevance r divided by denominator is a usable message: the denominator is not
// 0 and the quotient does not overflow (a denominator below ~1e-38 in f32, ~1e-308 in f64,
// e.g. under a tiny eps); otherwise the relevance is absorbed, never turned into Inf or NaN.
template <typename Real>
inline bool passes_message(Real r, Real denominator) {
  return denominator != Real(0) && std::fabs(r / denominator) <= std::numeric_limits<Real>::max();
}

template <typename Real>
void product_rule_all(Real, Real, Real, Real r, Real& r_gate, Real& r_signal) {
  r_gate = 0;
  r_signal = r;
}

template <typename Real>
void product_rule_prop(Real z_gate, Real z_signal, Real eps, Real r, Real& r_gate, Real& r_signal) {
  const Real sum = z_gate + z_signal;
  const Real denominator = sum + eps * sign_of(sum);
  if (!passes_message(r, denominator)) {
    r_gate = r_signal = 0;
    return;
  }
  r_gate = z_gate / denominator * r;
  r_signal = z_signal / denominator * r;
}

template <typename Real>
void product_rule_abs(Real z_gate, Real z_signal, Real eps, Real r, Real& r_gate, Real& r_signal) {
  const Real denominator = std::fabs(z_gate) + std::fabs(z_signal) + eps;
  if (denominator == Real(0)) {
    r_gate = r_signal = 0;
    return;
  }
  r_gate = std::fabs(z_gate) / denominator * r;
  r_signal = std::fabs(z_signal) / denominator * r;
}

template <typename Real>
void product_rule_half(Real, Real, Real, Real r, Real& r_gate, Real& r_signal) {
  r_gate = r / 2;
  r_signal = r / 2;
}

template <typename Real>
constexpr ProductRule<Real> kProductRules[] = {
    product_rule_all<Real>,   // LSTM_LRP_RULE_ALL
    product_rule_prop<Real>,  // LSTM_LRP_RULE_PROP
    product_rule_abs<Real>,   // LSTM_LRP_RULE_ABS
    product_rule_half<Real>,  // LSTM_LRP_RULE_HALF
};

}  // namespace lstm_lrp
