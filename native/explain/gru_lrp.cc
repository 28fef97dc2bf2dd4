#include "gru_lrp.h"

#include <algorithm>

#include "../simd/scalar/lrp_rules_scalar.h"
#include "epsilon_rule.h"

namespace lstm_lrp {
namespace {

// Splits r by a product's rule: the gate's share into r_gate, the signal's into r_signal, and
// what the rule keeps into absorbed. 'all' passes everything to the signal.
template <typename Real>
void apply_product_rule(const ExplainSettings<Real>& settings, int product, Real z_gate, Real z_signal, Real r, Real& r_gate,
                        Real& r_signal, double& absorbed) {
  if (!settings.gate_receives[product]) {
    r_gate = 0;
    r_signal = r;
    return;
  }
  settings.product_rule[product](z_gate, z_signal, settings.product_eps[product], r, r_gate, r_signal);
  absorbed += static_cast<double>(r - r_gate - r_signal);
}

}  // namespace

template <typename Real>
void GruDirectionRelevance<Real>::start_direction(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace,
                                                  std::size_t steps) {
  layer_ = &layer;
  w_ = &layer.weights[direction];
  trace_ = &trace;
  direction_ = direction;
  steps_ = steps;
  H_ = layer.hidden_size;
  I_ = layer.input_size;
  first_row_ = gru_first_relevant_row(settings_, H_);
  accounts_ = GruRelevanceAccounts{};
  buf_.block.resize(3 * H_);
  buf_.step_messages.resize(steps * 3 * H_);
  buf_.step_spread.resize(steps);
  buf_.scratch.resize(2 * H_);
  buf_.gate_scratch.resize(4 * H_);
  buf_.reset_relevance.resize(H_);
  buf_.reset_messages.resize(H_);
  buf_.reset_product.resize(H_);
  buf_.recurrent_product.resize(H_);
  buf_.recurrent.assign(H_, Real(0));
  buf_.next_recurrent.resize(H_);
}

template <typename Real>
void GruDirectionRelevance<Real>::step(std::size_t s, const Real* from_above, ProductRows<Real>& products) {
  const Real* a = &trace_->pre[s * 3 * H_];
  const Real* act = &trace_->act[s * 3 * H_];
  const Real* h = &trace_->output[(s + 1) * H_];
  const Real* h_prev = &trace_->output[s * H_];
  const Real* reset_signal = &trace_->reset_signal[s * H_];
  Real* r_gates = buf_.block.data();  // r, u, n pre-activation relevance
  Real* messages = &buf_.step_messages[s * 3 * H_];
  Real* next_recurrent = buf_.next_recurrent.data();
  s_ = s;
  absorbed_ = 0;
  spread_x_ = 0;
  spread_h_ = 0;
  std::fill(buf_.next_recurrent.begin(), buf_.next_recurrent.end(), Real(0));

  for (std::size_t j = 0; j < H_; ++j) {
    const Real r_h = from_above[j] + buf_.recurrent[j];
    const Real u = act[H_ + j];
    // h = (1 - u)⊙n + u⊙h': the epsilon rule over the two summands, no bias.
    const AccumulationShares<Real> shares =
        split_accumulation(r_h, h[j], Real(1) - u, act[2 * H_ + j], u, h_prev[j], settings_.eps, settings_.bias_factor);
    absorbed_ += static_cast<double>(shares.absorbed);
    const Real r_new = shares.passed ? shares.input_product : Real(0);
    const Real r_kept = shares.passed ? shares.forget_product : Real(0);
    // The update products: 1 - u's pre-activation is -a_u; both gate shares reach a_u.
    Real r_gate_new = 0, r_candidate = 0, r_gate_kept = 0, r_state = 0;
    apply_product_rule(settings_, LSTM_LRP_PRODUCT_UPDATE, -a[H_ + j], act[2 * H_ + j], r_new, r_gate_new, r_candidate, absorbed_);
    apply_product_rule(settings_, LSTM_LRP_PRODUCT_UPDATE, a[H_ + j], h_prev[j], r_kept, r_gate_kept, r_state, absorbed_);
    r_gates[H_ + j] = r_gate_new + r_gate_kept;
    r_gates[2 * H_ + j] = r_candidate;  // n = tanh(a_n) passes it on unchanged
    next_recurrent[j] = r_state;
  }

  // a_n = W_n x + b_n + (r⊙q, one unit per hidden unit | U_n (r⊙h')): the epsilon rule.
  const Real* a_n = a + 2 * H_;
  const double share_n =
      epsilon_messages(a_n, w_->b.data() + 2 * H_, r_gates + 2 * H_, H_, settings_.eps, messages + 2 * H_, buf_.scratch.data(), absorbed_);
  const double bias_factor = static_cast<double>(settings_.bias_factor);
  absorbed_ += (1 - bias_factor) * share_n;
  std::fill(buf_.reset_product.begin(), buf_.reset_product.end(), Real(0));
  if (!layer_->cell.reset_after) {
    // The H products p_k = r_k h'_k reach a_n through U_n: N = I + H. reset_step splits them.
    product_spread_ = bias_factor * share_n / static_cast<double>(I_ + H_);
    spread_x_ += product_spread_;
    products.add(messages + 2 * H_, buf_.reset_product.data());
    return;
  }
  // N = I + 1 per unit: each x gets the whole block's share / N, each s_j its unit's share / N.
  const Real* m_n = messages + 2 * H_;
  const Real* unit_shares = buf_.scratch.data();
  const double per_input = bias_factor / static_cast<double>(I_ + 1);
  spread_x_ += per_input * share_n;
  for (std::size_t j = 0; j < H_; ++j) {
    const Real r_product = act[j] * reset_signal[j] * m_n[j] + static_cast<Real>(per_input * static_cast<double>(unit_shares[j]));
    Real r_q = 0;
    apply_product_rule(settings_, LSTM_LRP_PRODUCT_RESET, a[j], reset_signal[j], r_product, r_gates[j], r_q, absorbed_);
    buf_.reset_relevance[j] = r_q;
  }
  // q = U_n h' + b_hn: the epsilon rule to h' (N = H).
  const double share_q = epsilon_messages(reset_signal, w_->b_hn.data(), buf_.reset_relevance.data(), H_, settings_.eps,
                                          buf_.reset_messages.data(), buf_.scratch.data(), absorbed_);
  absorbed_ += (1 - bias_factor) * share_q;
  spread_h_ += bias_factor * share_q / static_cast<double>(H_);
  products.add(buf_.reset_messages.data(), buf_.reset_product.data());
}

template <typename Real>
void GruDirectionRelevance<Real>::reset_step(ProductRows<Real>& products) {
  const std::size_t s = s_;
  const Real* a = &trace_->pre[s * 3 * H_];
  const Real* h_prev = &trace_->output[s * H_];
  const Real* reset_signal = &trace_->reset_signal[s * H_];
  const Real* reset_product = buf_.reset_product.data();
  Real* r_gates = buf_.block.data();
  Real* messages = &buf_.step_messages[s * 3 * H_];
  Real* next_recurrent = buf_.next_recurrent.data();
  if (layer_->cell.reset_after) {
    for (std::size_t k = 0; k < H_; ++k) next_recurrent[k] += h_prev[k] * reset_product[k];
  } else {
    for (std::size_t k = 0; k < H_; ++k) {
      const Real r_product = reset_signal[k] * reset_product[k] + static_cast<Real>(product_spread_);
      Real r_state = 0;
      apply_product_rule(settings_, LSTM_LRP_PRODUCT_RESET, a[k], h_prev[k], r_product, r_gates[k], r_state, absorbed_);
      next_recurrent[k] += r_state;
    }
  }

  std::fill(buf_.recurrent_product.begin(), buf_.recurrent_product.end(), Real(0));
  // Gates that receive nothing have zero messages and shares, which change no sum and no
  // product (gru_first_relevant_row): none of them is computed.
  if (first_row_ != 0) return;

  // The gates' maps a = W x + U h' + b (N = I + H): the epsilon rule to x and h'.
  const double share_gates =
      epsilon_messages(a, w_->b.data(), r_gates, 2 * H_, settings_.eps, messages, buf_.gate_scratch.data(), absorbed_);
  const double bias_factor = static_cast<double>(settings_.bias_factor);
  absorbed_ += (1 - bias_factor) * share_gates;
  const double per_gate_input = bias_factor * share_gates / static_cast<double>(I_ + H_);
  spread_x_ += per_gate_input;
  spread_h_ += per_gate_input;
  products.add(messages, buf_.recurrent_product.data());
}

template <typename Real>
void GruDirectionRelevance<Real>::finish_step() {
  kernels<Real>().add_multiply_add_constant(&trace_->output[s_ * H_], buf_.recurrent_product.data(), static_cast<Real>(spread_h_),
                                            buf_.next_recurrent.data(), H_);
  buf_.step_spread[s_] = static_cast<Real>(spread_x_);
  buf_.recurrent.swap(buf_.next_recurrent);
  accounts_.absorbed += absorbed_;
}

template <typename Real>
void GruDirectionRelevance<Real>::end_direction(ProductRows<Real>& products) {
  for (std::size_t j = 0; j < H_; ++j) accounts_.initial_state += static_cast<double>(buf_.recurrent[j]);
  buf_.step_input_product.resize(steps_ * I_);
  for (std::size_t s = 0; s < steps_; ++s)
    products.add_from(&buf_.step_messages[s * 3 * H_ + first_row_], nullptr, &buf_.step_input_product[s * I_]);
}

template <typename Real>
void GruDirectionRelevance<Real>::finish_input(const Real* x, Real* x_relevance) const {
  for (std::size_t s = 0; s < steps_; ++s) {
    const std::size_t t = time_of_step(direction_, s, steps_);
    kernels<Real>().add_multiply_add_constant(&x[t * I_], &buf_.step_input_product[s * I_], buf_.step_spread[s], &x_relevance[t * I_], I_);
  }
}

template class GruDirectionRelevance<float>;
template class GruDirectionRelevance<double>;

}  // namespace lstm_lrp
