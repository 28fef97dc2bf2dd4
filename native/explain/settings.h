// Explanation options after validation, in the model's dtype.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../include/lstm_lrp.h"

namespace lstm_lrp {

// Splits the relevance r of a product p = gate · signal (docs/METHODS.md § LRP, the paper's Table 11.1).
// z_gate and z_signal are the pre-activations; whatever is not passed on is absorbed.
template <typename Real>
using ProductRule = void (*)(Real z_gate, Real z_signal, Real eps, Real r, Real& r_gate, Real& r_signal);

template <typename Real>
struct ExplainSettings {
  lstm_lrp_method method;
  Real eps;
  Real bias_factor;
  ProductRule<Real> product_rule[LSTM_LRP_PRODUCTS];
  bool gate_receives[LSTM_LRP_PRODUCTS];  // per product: whether its rule gives the gate a share (every rule but 'all')
  Real product_eps[LSTM_LRP_PRODUCTS];
  lstm_lrp_init init;
  lstm_lrp_occlusion_score occlusion_score;
  lstm_lrp_occlusion_replacement occlusion_replacement;
  const Real* occlusion_vector;
  // CD: steps at the end of a phrase whose bias × bias term stays irrelevant (the convention),
  // and the phrase [start, stop), stop == 0 for one decomposition per step.
  std::size_t cd_bias_steps_left_out;
  std::size_t cd_phrase_start;
  std::size_t cd_phrase_stop;
  // Integrated gradients: path points α in (0, 1) with their quadrature weights, and the
  // baseline vector ([input_size], or null for zeros).
  std::vector<double> ig_alphas;
  std::vector<double> ig_weights;
  const Real* ig_baseline;
  // The sampling methods (docs/METHODS.md § Sampling methods): samples per sequence, the seed
  // every sequence's generator starts from, and the method's own parameters. Shapley values,
  // KernelSHAP and LIME remove a step as occlusion replaces it (occlusion_replacement, _vector)
  // and measure the target score occlusion measures (occlusion_score).
  std::size_t samples;
  std::uint32_t seed;
  bool shapley_exact;
  double lime_kernel_width;
  double lime_ridge;
  double smoothgrad_noise;
  lstm_lrp_method smoothgrad_base;
};

}  // namespace lstm_lrp
