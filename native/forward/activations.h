// Cell activations and their derivatives, selected by the cell configuration.
#pragma once

#include <cmath>

#include "../include/lstm_lrp.h"

namespace lstm_lrp {

template <typename Real>
inline Real sigmoid(Real a) {
  return Real(1) / (Real(1) + std::exp(-a));
}

// Unscaled g(a).
template <typename Real>
inline Real g_activation(lstm_lrp_g_activation g, Real a) {
  switch (g) {
    case LSTM_LRP_G_TANH: return std::tanh(a);
    case LSTM_LRP_G_SIGMOID: return sigmoid(a);
    case LSTM_LRP_G_RELU: return a > Real(0) ? a : Real(0);
    case LSTM_LRP_G_IDENTITY: return a;
  }
  return a;
}

// dg/da from a and the unscaled value g(a) the forward pass kept (no transcendental again).
template <typename Real>
inline Real g_derivative(lstm_lrp_g_activation g, Real a, Real value) {
  switch (g) {
    case LSTM_LRP_G_TANH: return Real(1) - value * value;
    case LSTM_LRP_G_SIGMOID: return value * (Real(1) - value);
    case LSTM_LRP_G_RELU: return a > Real(0) ? Real(1) : Real(0);
    case LSTM_LRP_G_IDENTITY: return Real(1);
  }
  return Real(1);
}

// Unscaled h(c).
template <typename Real>
inline Real h_activation(lstm_lrp_h_activation h, Real c) {
  return h == LSTM_LRP_H_TANH ? std::tanh(c) : c;
}

// dh/dc from the unscaled value h(c) the forward pass kept.
template <typename Real>
inline Real h_derivative(lstm_lrp_h_activation h, Real value) {
  return h == LSTM_LRP_H_TANH ? Real(1) - value * value : Real(1);
}

}  // namespace lstm_lrp
