#include "gru_lrp.h"

#include <algorithm>

#include "../common/aligned_vector.h"
#include "../simd/gemv.h"
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

template <typename Real>
class GruDirectionRelevance {
 public:
  GruDirectionRelevance(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, std::size_t steps,
                        const ExplainSettings<Real>& settings, GruRelevanceAccounts& accounts)
      : layer_(layer),
        w_(layer.weights[direction]),
        trace_(trace),
        settings_(settings),
        accounts_(accounts),
        H_(layer.hidden_size),
        I_(layer.input_size),
        block_(3 * H_),
        step_messages_(steps * 3 * H_),
        step_spread_(steps),
        scratch_(2 * H_),
        reset_relevance_(H_),
        reset_messages_(H_),
        recurrent_product_(H_),
        reset_product_(H_),
        recurrent_(H_, Real(0)),
        next_recurrent_(H_) {}

  // Processing step s: relevance from above at h_s, added up with what step s+1 sent to it.
  // Leaves the relevance of h_{s-1} for the next call, and keeps the messages to x_s for
  // add_input_relevance.
  void step(std::size_t s, const Real* from_above) {
    const Real* a = &trace_.pre[s * 3 * H_];
    const Real* act = &trace_.act[s * 3 * H_];
    const Real* h = &trace_.output[(s + 1) * H_];
    const Real* h_prev = &trace_.output[s * H_];
    const Real* reset_signal = &trace_.reset_signal[s * H_];
    Real* r_gates = block_.data();  // r, u, n pre-activation relevance
    Real* messages = &step_messages_[s * 3 * H_];
    double absorbed = 0;
    std::fill(next_recurrent_.begin(), next_recurrent_.end(), Real(0));

    for (std::size_t j = 0; j < H_; ++j) {
      const Real r_h = from_above[j] + recurrent_[j];
      const Real u = act[H_ + j];
      // h = (1 - u)⊙n + u⊙h': the epsilon rule over the two summands, no bias.
      const AccumulationShares<Real> shares =
          split_accumulation(r_h, h[j], Real(1) - u, act[2 * H_ + j], u, h_prev[j], settings_.eps, settings_.bias_factor);
      absorbed += static_cast<double>(shares.absorbed);
      const Real r_new = shares.passed ? shares.input_product : Real(0);
      const Real r_kept = shares.passed ? shares.forget_product : Real(0);
      // The update products: 1 - u's pre-activation is -a_u; both gate shares reach a_u.
      Real r_gate_new = 0, r_candidate = 0, r_gate_kept = 0, r_state = 0;
      apply_product_rule(settings_, LSTM_LRP_PRODUCT_UPDATE, -a[H_ + j], act[2 * H_ + j], r_new, r_gate_new, r_candidate, absorbed);
      apply_product_rule(settings_, LSTM_LRP_PRODUCT_UPDATE, a[H_ + j], h_prev[j], r_kept, r_gate_kept, r_state, absorbed);
      r_gates[H_ + j] = r_gate_new + r_gate_kept;
      r_gates[2 * H_ + j] = r_candidate;  // n = tanh(a_n) passes it on unchanged
      next_recurrent_[j] = r_state;
    }

    // a_n = W_n x + b_n + (r⊙q, one unit per hidden unit | U_n (r⊙h')): the epsilon rule.
    const Real* a_n = a + 2 * H_;
    const double share_n =
        epsilon_messages(a_n, w_.b.data() + 2 * H_, r_gates + 2 * H_, H_, settings_.eps, messages + 2 * H_, scratch_.data(), absorbed);
    double spread_x = 0;
    double spread_h = 0;
    const double bias_factor = static_cast<double>(settings_.bias_factor);
    absorbed += (1 - bias_factor) * share_n;
    const Real* m_n = messages + 2 * H_;
    Real* r_r = r_gates;
    if (layer_.cell.reset_after) {
      // N = I + 1 per unit: each x gets the whole block's share / N, each s_j its unit's share / N.
      const Real* unit_shares = scratch_.data();
      const double per_input = bias_factor / static_cast<double>(I_ + 1);
      spread_x += per_input * share_n;
      for (std::size_t j = 0; j < H_; ++j) {
        const Real r_product = act[j] * reset_signal[j] * m_n[j] + static_cast<Real>(per_input * static_cast<double>(unit_shares[j]));
        Real r_q = 0;
        apply_product_rule(settings_, LSTM_LRP_PRODUCT_RESET, a[j], reset_signal[j], r_product, r_r[j], r_q, absorbed);
        reset_relevance_[j] = r_q;
      }
      // q = U_n h' + b_hn: the epsilon rule to h' (N = H).
      const double share_q = epsilon_messages(reset_signal, w_.b_hn.data(), reset_relevance_.data(), H_, settings_.eps,
                                              reset_messages_.data(), scratch_.data(), absorbed);
      absorbed += (1 - bias_factor) * share_q;
      spread_h += bias_factor * share_q / static_cast<double>(H_);
      std::fill(reset_product_.begin(), reset_product_.end(), Real(0));
      gemv_transposed_accumulate(w_.U.data() + 2 * H_ * H_, H_, H_, reset_messages_.data(), reset_product_.data());
      for (std::size_t k = 0; k < H_; ++k) next_recurrent_[k] += h_prev[k] * reset_product_[k];
    } else {
      // The H products p_k = r_k h'_k reach a_n through U_n: N = I + H.
      const double per_input = bias_factor * share_n / static_cast<double>(I_ + H_);
      spread_x += per_input;
      std::fill(reset_product_.begin(), reset_product_.end(), Real(0));
      gemv_transposed_accumulate(w_.U.data() + 2 * H_ * H_, H_, H_, m_n, reset_product_.data());
      for (std::size_t k = 0; k < H_; ++k) {
        const Real r_product = reset_signal[k] * reset_product_[k] + static_cast<Real>(per_input);
        Real r_state = 0;
        apply_product_rule(settings_, LSTM_LRP_PRODUCT_RESET, a[k], h_prev[k], r_product, r_r[k], r_state, absorbed);
        next_recurrent_[k] += r_state;
      }
    }

    // The gates' maps a = W x + U h' + b (N = I + H): the epsilon rule to x and h'.
    const double share_gates = epsilon_messages(a, w_.b.data(), r_gates, 2 * H_, settings_.eps, messages, gate_scratch(), absorbed);
    absorbed += (1 - bias_factor) * share_gates;
    const double per_gate_input = bias_factor * share_gates / static_cast<double>(I_ + H_);
    spread_x += per_gate_input;
    spread_h += per_gate_input;
    std::fill(recurrent_product_.begin(), recurrent_product_.end(), Real(0));
    gemv_transposed_accumulate(w_.U.data(), 2 * H_, H_, messages, recurrent_product_.data());
    for (std::size_t k = 0; k < H_; ++k) next_recurrent_[k] += h_prev[k] * recurrent_product_[k] + static_cast<Real>(spread_h);

    step_spread_[s] = static_cast<Real>(spread_x);

    recurrent_.swap(next_recurrent_);
    accounts_.absorbed += absorbed;
  }

  // What reached h_0 after the first processing step.
  void finish() {
    for (std::size_t j = 0; j < H_; ++j) accounts_.initial_state += static_cast<double>(recurrent_[j]);
  }

  // Every step's Wᵀ m at once, after the recurrence: one product that reads W once per tile of
  // steps instead of once per step. x ([T, I]) and x_relevance ([T, I]) by time.
  void add_input_relevance(int direction, std::size_t steps, const Real* x, Real* x_relevance) {
    AlignedVector<Real> input_product(steps * I_, Real(0));
    ProductRows<Real> rows;
    for (std::size_t s = 0; s < steps; ++s) rows.add(&step_messages_[s * 3 * H_], &input_product[s * I_]);
    rows.multiply(w_.W.data(), 3 * H_, I_);
    for (std::size_t s = 0; s < steps; ++s) {
      const std::size_t t = time_of_step(direction, s, steps);
      const Real* product = &input_product[s * I_];
      for (std::size_t i = 0; i < I_; ++i) x_relevance[t * I_ + i] += x[t * I_ + i] * product[i] + step_spread_[s];
    }
  }

 private:
  // epsilon_messages' scratch for the 2H gate outputs (2·2H values).
  Real* gate_scratch() {
    if (gate_scratch_.size() < 4 * H_) gate_scratch_.resize(4 * H_);
    return gate_scratch_.data();
  }

  const Layer<Real>& layer_;
  const DirectionWeights<Real>& w_;
  const DirectionTrace<Real>& trace_;
  const ExplainSettings<Real>& settings_;
  GruRelevanceAccounts& accounts_;
  const std::size_t H_;
  const std::size_t I_;
  AlignedVector<Real> block_;
  AlignedVector<Real> step_messages_;  // [T, 3H] each processing step's messages to its inputs
  AlignedVector<Real> step_spread_;    // [T] each step's bias share per input
  AlignedVector<Real> scratch_;
  AlignedVector<Real> reset_relevance_;
  AlignedVector<Real> reset_messages_;
  AlignedVector<Real> recurrent_product_;
  AlignedVector<Real> reset_product_;
  AlignedVector<Real> recurrent_;
  AlignedVector<Real> next_recurrent_;
  AlignedVector<Real> gate_scratch_;
};

}  // namespace

template <typename Real>
void gru_direction_relevance(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, std::size_t steps, const Real* x,
                             const Real* output_signal, const ExplainSettings<Real>& settings, Real* input_signal,
                             GruRelevanceAccounts& accounts) {
  const std::size_t H = layer.hidden_size;
  const std::size_t D = layer.output_size();
  GruDirectionRelevance<Real> pass(layer, direction, trace, steps, settings, accounts);
  for (std::size_t s = steps; s-- > 0;) {
    const std::size_t t = time_of_step(direction, s, steps);
    pass.step(s, output_signal + t * D + static_cast<std::size_t>(direction) * H);
  }
  pass.finish();
  pass.add_input_relevance(direction, steps, x, input_signal);
}

template void gru_direction_relevance<float>(const Layer<float>&, int, const DirectionTrace<float>&, std::size_t, const float*,
                                             const float*, const ExplainSettings<float>&, float*, GruRelevanceAccounts&);
template void gru_direction_relevance<double>(const Layer<double>&, int, const DirectionTrace<double>&, std::size_t, const double*,
                                              const double*, const ExplainSettings<double>&, double*, GruRelevanceAccounts&);

}  // namespace lstm_lrp
