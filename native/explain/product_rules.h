// The gated-product rules as a table indexed by lstm_lrp_product_rule.
#pragma once

#include <cmath>

#include "../simd/scalar/epsilon_message.h"
#include "settings.h"

namespace lstm_lrp {

template <typename Real>
void product_rule_all(Real, Real, Real, Real r, Real& r_gate, Real& r_signal) {
  r_gate = 0;
  r_signal = r;
}

template <typename Real>
void product_rule_prop(Real z_gate, Real z_signal, Real eps, Real r, Real& r_gate, Real& r_signal) {
  const Real sum = z_gate + z_signal;
  const Real denominator = sum + stabiliser_of(sum, eps);
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
