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

// dg/da, unscaled.
template <typename Real>
inline Real g_derivative(lstm_lrp_g_activation g, Real a) {
  switch (g) {
    case LSTM_LRP_G_TANH: {
      const Real t = std::tanh(a);
      return Real(1) - t * t;
    }
    case LSTM_LRP_G_SIGMOID: {
      const Real s = sigmoid(a);
      return s * (Real(1) - s);
    }
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

// dh/dc, unscaled.
template <typename Real>
inline Real h_derivative(lstm_lrp_h_activation h, Real c) {
  if (h == LSTM_LRP_H_IDENTITY) return Real(1);
  const Real t = std::tanh(c);
  return Real(1) - t * t;
}

}  // namespace lstm_lrp
