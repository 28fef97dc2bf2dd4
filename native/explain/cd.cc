// Contextual Decomposition (Murdoch et al. 2018) for every architecture (docs/METHODS.md § Contextual Decomposition,
// and § GRU layers for a GRU layer's splits). Every state of every layer and direction splits into a
// relevant part β (what the phrase contributes) and an irrelevant part γ; the relevant score is the
// head applied to the relevant part of its input, without the head bias.
//
// Only β is propagated: every split below sums to the true value, so γ = (true value) − β at
// every step, and the forward trace holds the true values. Where a split needs γ + bias it
// reads a − β, a the true pre-activation.
//
// The decompositions of a sequence (one per step without a phrase) run together, in shares
// and groups (passes.h): each step's products cover every decomposition the step
// propagates, and the activations of their splits run as arrays on the selected ISA's
// kernels, as in the forward pass.
#include <algorithm>

#include "../forward/activation_arrays.h"
#include "../forward/forward.h"
#include "../simd/gemv.h"
#include "backward.h"
#include "passes.h"
#include "target_score.h"

namespace lstm_lrp {
namespace {

// Time steps [first, last] where a layer's input may have a nonzero relevant part.
struct Support {
  std::size_t first;
  std::size_t last;
};

// One decomposition: the phrase [start, stop), and the steps [bias_start, bias_stop) whose
// bias × bias term of i⊙z counts as relevant.
struct Phrase {
  std::size_t start;
  std::size_t stop;
  std::size_t bias_start;
  std::size_t bias_stop;
};

Phrase make_phrase(std::size_t start, std::size_t stop, std::size_t bias_steps_left_out) {
  return {start, stop, start, stop - bias_steps_left_out};
}

// G(values) in place for the z block (gScale·g) or the gates (σ).
template <typename Real>
void scaled_cell_input(const CellSpec& cell, const Kernels<Real>& kernel, Real* values, std::size_t n) {
  cell_input(cell.g, kernel, values, values, n);
  const Real g_scale = static_cast<Real>(cell.g_scale);
  for (std::size_t j = 0; j < n; ++j) values[j] *= g_scale;
}

template <typename Real>
void scaled_cell_output(const CellSpec& cell, const Kernels<Real>& kernel, Real* values, std::size_t n) {
  cell_output(cell.h, kernel, values, values, n);
  const Real h_scale = static_cast<Real>(cell.h_scale);
  for (std::size_t j = 0; j < n; ++j) values[j] *= h_scale;
}

// The decompositions of one group: their phrases, and each one's support at the current layer.
template <typename Real>
class GroupDecomposition {
 public:
  GroupDecomposition(const SequenceJob<Real>& job, const std::vector<Phrase>& phrases, DecompositionScratch<Real>& scratch,
                     ProductRows<Real>& rows)
      : job_(job), phrases_(phrases), scratch_(scratch), rows_(rows), steps_(job.trace.steps) {}

  // Propagates β through every layer; leaves each decomposition's β of every layer's output
  // in scratch.relevant_output.
  void run() {
    const Model<Real>& model = job_.model;
    const std::size_t count = phrases_.size();
    // The model's input is all relevant inside the phrase and all irrelevant outside it.
    supports_.resize(count);
    for (std::size_t k = 0; k < count; ++k) supports_[k] = {phrases_[k].start, phrases_[k].stop - 1};
    scratch_.relevant_output.resize(model.layers.size());
    for (std::size_t l = 0; l < model.layers.size(); ++l) {
      const Layer<Real>& layer = model.layers[l];
      scratch_.relevant_output[l].assign(count * steps_ * layer.output_size(), Real(0));
      written_.assign(count, Support{steps_, 0});
      for (int d = 0; d < layer.directions; ++d) direction(l, d);
      supports_ = written_;
    }
  }

 private:
  // β of decomposition k's input to layer l at time t.
  const Real* relevant_input(std::size_t l, std::size_t k, std::size_t t) const {
    if (l == 0) return &job_.trace.input[t * job_.model.input_size];
    const std::size_t below = job_.model.layers[l - 1].output_size();
    return &scratch_.relevant_output[l - 1][(k * steps_ + t) * below];
  }

  // Propagates β through one direction of layer l from each decomposition's first step that
  // its input reaches (β is exactly 0 before it) and writes β_y into the direction's columns.
  void direction(std::size_t l, int direction) {
    if (job_.model.layers[l].cell.gru)
      gru_direction(l, direction);
    else
      lstm_direction(l, direction);
    for (std::size_t k = 0; k < phrases_.size(); ++k) {
      const Support reached = direction == 0 ? Support{supports_[k].first, steps_ - 1} : Support{0, supports_[k].last};
      written_[k] = {std::min(written_[k].first, reached.first), std::max(written_[k].last, reached.last)};
    }
  }

  // The processing step at which decomposition k's input first reaches the direction.
  std::size_t first_step(int direction, std::size_t k) const {
    return direction == 0 ? supports_[k].first : steps_ - 1 - supports_[k].last;
  }

  // Lists in scratch.active the decompositions processing step s propagates; returns their number.
  std::size_t activate(int direction, std::size_t s) {
    scratch_.active.clear();
    for (std::size_t k = 0; k < phrases_.size(); ++k)
      if (first_step(direction, k) <= s) scratch_.active.push_back(k);
    return scratch_.active.size();
  }

  // β of the output the direction wrote at the step before s (read only after decomposition k's first step).
  const Real* previous_relevant_output(std::size_t l, int direction, std::size_t k, std::size_t s) const {
    const std::size_t t = time_of_step(direction, s, steps_);
    const std::size_t t_before = direction == 0 ? t - 1 : t + 1;
    const Layer<Real>& layer = job_.model.layers[l];
    return &scratch_.relevant_output[l][(k * steps_ + t_before) * layer.output_size() +
                                        static_cast<std::size_t>(direction) * layer.hidden_size];
  }

  // β of the pre-activations at processing step s of every active decomposition, [G] each in
  // scratch.beta_pre: the maps are linear, W β_x + U β_y goes to β (and W γ_x + U γ_y to γ).
  // Ut covers the first recurrent_rows of the G blocks.
  void relevant_pre_activations(std::size_t l, int direction, std::size_t s, const Real* Ut, std::size_t recurrent_rows) {
    const Layer<Real>& layer = job_.model.layers[l];
    const std::size_t G = layer.gate_rows();
    const std::size_t t = time_of_step(direction, s, steps_);
    for (std::size_t k : scratch_.active) std::fill(&scratch_.beta_pre[k * G], &scratch_.beta_pre[(k + 1) * G], Real(0));
    rows_.clear();
    for (std::size_t k : scratch_.active)
      if (t >= supports_[k].first && t <= supports_[k].last) rows_.add(relevant_input(l, k, t), &scratch_.beta_pre[k * G]);
    rows_.multiply(layer.weights[direction].Wt.data(), layer.input_size, G, padded_stride<Real>(G));
    rows_.clear();
    for (std::size_t k : scratch_.active)
      if (s > first_step(direction, k)) rows_.add(previous_relevant_output(l, direction, k, s), &scratch_.beta_pre[k * G]);
    rows_.multiply(Ut, layer.hidden_size, recurrent_rows, padded_stride<Real>(recurrent_rows));
  }

  void lstm_direction(std::size_t l, int direction) {
    const Layer<Real>& layer = job_.model.layers[l];
    const std::size_t H = layer.hidden_size;
    const std::size_t D = layer.output_size();
    const std::size_t count = phrases_.size();
    const CellSpec& cell = layer.cell;
    const DirectionWeights<Real>& w = layer.weights[direction];
    const DirectionTrace<Real>& trace = job_.trace.directions[l][static_cast<std::size_t>(direction)];
    const Kernels<Real>& kernel = kernels<Real>();

    // z, i and f of the bias alone; an absent gate is the constant 1, all of it bias.
    scratch_.bias_activation.assign(w.b.begin(), w.b.begin() + 3 * H);
    Real* bias_activation = scratch_.bias_activation.data();
    scaled_cell_input(cell, kernel, bias_activation, H);
    kernel.sigmoid(bias_activation + H, bias_activation + H, 2 * H);
    const bool has_input_gate = cell.block_active[LSTM_LRP_BLOCK_I];
    const bool has_forget_gate = cell.block_active[LSTM_LRP_BLOCK_F];
    if (!has_input_gate) std::fill(bias_activation + H, bias_activation + 2 * H, Real(1));
    if (!has_forget_gate) std::fill(bias_activation + 2 * H, bias_activation + 3 * H, Real(1));

    scratch_.beta_pre.resize(count * 4 * H);
    scratch_.beta_cell.assign(count * H, Real(0));
    scratch_.with_beta.resize(count * 3 * H);
    scratch_.without_beta.resize(count * 3 * H);
    scratch_.output_of_beta.resize(count * H);
    scratch_.output_without_beta.resize(count * H);
    for (std::size_t s = 0; s < steps_; ++s) {
      const std::size_t t = time_of_step(direction, s, steps_);
      const std::size_t n = activate(direction, s);
      if (n == 0) continue;
      relevant_pre_activations(l, direction, s, w.Ut.data(), 4 * H);

      // G(b + β) and G(a − β) of z, i and f for every active decomposition, as arrays.
      const Real* a = &trace.pre[s * 4 * H];
      for (std::size_t m = 0; m < n; ++m) {
        const Real* beta = &scratch_.beta_pre[scratch_.active[m] * 4 * H];
        for (std::size_t j = 0; j < H; ++j) {
          scratch_.with_beta[m * H + j] = w.b[j] + beta[j];
          scratch_.without_beta[m * H + j] = a[j] - beta[j];
        }
        Real* with_gates = &scratch_.with_beta[n * H + m * 2 * H];
        Real* without_gates = &scratch_.without_beta[n * H + m * 2 * H];
        for (std::size_t j = 0; j < 2 * H; ++j) {
          with_gates[j] = w.b[H + j] + beta[H + j];
          without_gates[j] = a[H + j] - beta[H + j];
        }
      }
      scaled_cell_input(cell, kernel, scratch_.with_beta.data(), n * H);
      scaled_cell_input(cell, kernel, scratch_.without_beta.data(), n * H);
      kernel.sigmoid(&scratch_.with_beta[n * H], &scratch_.with_beta[n * H], n * 2 * H);
      kernel.sigmoid(&scratch_.without_beta[n * H], &scratch_.without_beta[n * H], n * 2 * H);

      const Real* act = &trace.act[s * 4 * H];
      const Real* c = &trace.cell[(s + 1) * H];
      for (std::size_t m = 0; m < n; ++m) {
        const std::size_t k = scratch_.active[m];
        const Phrase& phrase = phrases_[k];
        const bool bias_term_relevant = t >= phrase.bias_start && t < phrase.bias_stop;
        Real* beta_cell = &scratch_.beta_cell[k * H];
        const Real* with_z = &scratch_.with_beta[m * H];
        const Real* without_z = &scratch_.without_beta[m * H];
        const Real* with_gates = &scratch_.with_beta[n * H + m * 2 * H];
        const Real* without_gates = &scratch_.without_beta[n * H + m * 2 * H];
        for (std::size_t j = 0; j < H; ++j) {
          const Real bias_z = bias_activation[j];
          const Real bias_i = bias_activation[H + j];
          const Real bias_f = bias_activation[2 * H + j];
          // The two-player Shapley split with the bias as reference: ½[(G(b + β) − G(b)) + (G(a) − G(a − β))].
          const Real beta_z = Real(0.5) * ((with_z[j] - bias_z) + (act[j] - without_z[j]));
          const Real beta_i = has_input_gate ? Real(0.5) * ((with_gates[j] - bias_i) + (act[H + j] - without_gates[j])) : Real(0);
          const Real beta_f =
              has_forget_gate ? Real(0.5) * ((with_gates[H + j] - bias_f) + (act[2 * H + j] - without_gates[H + j])) : Real(0);
          // i⊙z: β·β, β·bias and bias·β are relevant, bias·bias by the convention, the rest (any γ) irrelevant.
          // f⊙c_{t-1}: (β_f + bias_f)·β_c is relevant; every product with γ_c, and γ_f·β_c, irrelevant.
          Real beta_c = beta_i * (beta_z + bias_z) + bias_i * beta_z + (beta_f + bias_f) * beta_cell[j];
          if (bias_term_relevant) beta_c += bias_i * bias_z;
          beta_cell[j] = beta_c;
          scratch_.output_of_beta[m * H + j] = beta_c;
          scratch_.output_without_beta[m * H + j] = c[j] - beta_c;
        }
      }
      scaled_cell_output(cell, kernel, scratch_.output_of_beta.data(), n * H);
      scaled_cell_output(cell, kernel, scratch_.output_without_beta.data(), n * H);

      // y = o ⊙ H(c) with the true output gate; H(0) = 0 is the reference of H's split.
      const Real* hc = &trace.cell_output[s * H];
      for (std::size_t m = 0; m < n; ++m) {
        const std::size_t k = scratch_.active[m];
        Real* beta_y = &scratch_.relevant_output[l][(k * steps_ + t) * D + direction * H];
        for (std::size_t j = 0; j < H; ++j)
          beta_y[j] =
              act[3 * H + j] * (Real(0.5) * (scratch_.output_of_beta[m * H + j] + (hc[j] - scratch_.output_without_beta[m * H + j])));
      }
    }
  }

  // A GRU direction (docs/METHODS.md § GRU layers, Contextual Decomposition): r, u and n split
  // as the LSTM's blocks; r ⊙ q (reset after) as the input product with its bias × bias term
  // σ(b_r) b_hn kept in the bias part of a^n, r ⊙ h' (reset before) as the forget product;
  // (1 − u) ⊙ n as the input product, u ⊙ h' as the forget product; y = h.
  void gru_direction(std::size_t l, int direction) {
    const Layer<Real>& layer = job_.model.layers[l];
    const std::size_t H = layer.hidden_size;
    const std::size_t D = layer.output_size();
    const std::size_t count = phrases_.size();
    const bool reset_after = layer.cell.reset_after;
    const DirectionWeights<Real>& w = layer.weights[direction];
    const DirectionTrace<Real>& trace = job_.trace.directions[l][static_cast<std::size_t>(direction)];
    const Kernels<Real>& kernel = kernels<Real>();

    // σ(b_r), σ(b_u), and tanh of a^n's bias part b_n (+ σ(b_r) b_hn after reset).
    scratch_.bias_activation.assign(w.b.begin(), w.b.begin() + 3 * H);
    Real* bias_activation = scratch_.bias_activation.data();
    kernel.sigmoid(bias_activation, bias_activation, 2 * H);
    scratch_.bias_candidate.assign(w.b.begin() + 2 * H, w.b.begin() + 3 * H);
    Real* bias_candidate = scratch_.bias_candidate.data();
    if (reset_after)
      for (std::size_t j = 0; j < H; ++j) bias_candidate[j] += bias_activation[j] * w.b_hn[j];
    kernel.tanh(bias_candidate, bias_activation + 2 * H, H);

    scratch_.beta_pre.resize(count * 3 * H);
    scratch_.beta_reset.resize(count * H);
    scratch_.beta_activation.resize(count * 2 * H);
    scratch_.with_beta.resize(count * 3 * H);
    scratch_.without_beta.resize(count * 3 * H);
    scratch_.zero_state.assign(H, Real(0));
    for (std::size_t s = 0; s < steps_; ++s) {
      const std::size_t t = time_of_step(direction, s, steps_);
      const std::size_t n = activate(direction, s);
      if (n == 0) continue;
      // The forward pass's Ut holds r and u; U_n's products follow once β_r is known.
      relevant_pre_activations(l, direction, s, w.Ut.data(), 2 * H);
      scratch_.beta_state.resize(n);
      for (std::size_t m = 0; m < n; ++m) {
        const std::size_t k = scratch_.active[m];
        scratch_.beta_state[m] = s > first_step(direction, k) ? previous_relevant_output(l, direction, k, s) : scratch_.zero_state.data();
      }

      // σ(b + β) and σ(a − β) of r and u for every active decomposition, as arrays, and their β.
      const Real* a = &trace.pre[s * 3 * H];
      const Real* act = &trace.act[s * 3 * H];
      for (std::size_t m = 0; m < n; ++m) {
        const Real* beta = &scratch_.beta_pre[scratch_.active[m] * 3 * H];
        for (std::size_t j = 0; j < 2 * H; ++j) {
          scratch_.with_beta[m * 2 * H + j] = w.b[j] + beta[j];
          scratch_.without_beta[m * 2 * H + j] = a[j] - beta[j];
        }
      }
      kernel.sigmoid(scratch_.with_beta.data(), scratch_.with_beta.data(), n * 2 * H);
      kernel.sigmoid(scratch_.without_beta.data(), scratch_.without_beta.data(), n * 2 * H);
      for (std::size_t m = 0; m < n; ++m)
        for (std::size_t j = 0; j < 2 * H; ++j)
          scratch_.beta_activation[m * 2 * H + j] =
              Real(0.5) * ((scratch_.with_beta[m * 2 * H + j] - bias_activation[j]) + (act[j] - scratch_.without_beta[m * 2 * H + j]));

      // β of a^n: W_n β_x (already in beta_pre) plus the reset part.
      rows_.clear();
      for (std::size_t m = 0; m < n; ++m) {
        const std::size_t k = scratch_.active[m];
        const Real* beta_r = &scratch_.beta_activation[m * 2 * H];
        const Real* beta_h = scratch_.beta_state[m];
        Real* beta_reset = &scratch_.beta_reset[k * H];
        if (reset_after) {
          std::fill(beta_reset, beta_reset + H, Real(0));  // β_q = U_n β_h'
          rows_.add(beta_h, beta_reset);
        } else {
          for (std::size_t j = 0; j < H; ++j) beta_reset[j] = (beta_r[j] + bias_activation[j]) * beta_h[j];  // β of r ⊙ h'
          rows_.add(beta_reset, &scratch_.beta_pre[k * 3 * H + 2 * H]);
        }
      }
      rows_.multiply(w.Unt.data(), H, H, padded_stride<Real>(H));
      if (reset_after) {
        for (std::size_t m = 0; m < n; ++m) {
          const std::size_t k = scratch_.active[m];
          const Real* beta_r = &scratch_.beta_activation[m * 2 * H];
          const Real* beta_q = &scratch_.beta_reset[k * H];
          Real* beta_candidate = &scratch_.beta_pre[k * 3 * H + 2 * H];
          // r ⊙ q: β_r (β_q + b_hn) + σ(b_r) β_q; σ(b_r) b_hn is in the bias part.
          for (std::size_t j = 0; j < H; ++j) beta_candidate[j] += beta_r[j] * (beta_q[j] + w.b_hn[j]) + bias_activation[j] * beta_q[j];
        }
      }

      // tanh(bias part + β) and tanh(a − β) of a^n, as arrays, after the gates' values.
      Real* with_candidate = &scratch_.with_beta[n * 2 * H];
      Real* without_candidate = &scratch_.without_beta[n * 2 * H];
      for (std::size_t m = 0; m < n; ++m) {
        const Real* beta = &scratch_.beta_pre[scratch_.active[m] * 3 * H + 2 * H];
        for (std::size_t j = 0; j < H; ++j) {
          with_candidate[m * H + j] = bias_candidate[j] + beta[j];
          without_candidate[m * H + j] = a[2 * H + j] - beta[j];
        }
      }
      kernel.tanh(with_candidate, with_candidate, n * H);
      kernel.tanh(without_candidate, without_candidate, n * H);

      for (std::size_t m = 0; m < n; ++m) {
        const std::size_t k = scratch_.active[m];
        const Phrase& phrase = phrases_[k];
        const bool bias_term_relevant = t >= phrase.bias_start && t < phrase.bias_stop;
        const Real* beta_u = &scratch_.beta_activation[m * 2 * H + H];
        const Real* beta_h = scratch_.beta_state[m];
        Real* beta_y = &scratch_.relevant_output[l][(k * steps_ + t) * D + direction * H];
        for (std::size_t j = 0; j < H; ++j) {
          const Real bias_u = bias_activation[H + j];
          const Real bias_n = bias_activation[2 * H + j];
          const Real bias_keep = Real(1) - bias_u;  // the bias part of 1 − u, whose β is −β_u
          const Real beta_n = Real(0.5) * ((with_candidate[m * H + j] - bias_n) + (act[2 * H + j] - without_candidate[m * H + j]));
          // (1 − u) ⊙ n as i⊙z, the bias × bias term by the convention; u ⊙ h' as f⊙c_{t-1}.
          Real beta = -beta_u[j] * (beta_n + bias_n) + bias_keep * beta_n + (beta_u[j] + bias_u) * beta_h[j];
          if (bias_term_relevant) beta += bias_keep * bias_n;
          beta_y[j] = beta;
        }
      }
    }
  }

  const SequenceJob<Real>& job_;
  const std::vector<Phrase>& phrases_;
  DecompositionScratch<Real>& scratch_;
  ProductRows<Real>& rows_;
  const std::size_t steps_;
  std::vector<Support> supports_;
  std::vector<Support> written_;
};

// Σ w ⊙ W_head β of each decomposition of a group (after GroupDecomposition::run).
template <typename Real>
void relevant_scores(const SequenceJob<Real>& job, std::size_t count, DecompositionScratch<Real>& scratch, double* scores) {
  const Model<Real>& model = job.model;
  const std::size_t steps = job.trace.steps;
  const std::size_t D = model.head_input_size;
  for (std::size_t k = 0; k < count; ++k) {
    const Real* top = &scratch.relevant_output.back()[k * steps * D];
    scratch.relevant_top.assign(top, top + steps * D);
    read_head_input(model, steps, scratch.relevant_top, scratch.relevant_head_input);
    apply_head(model, scratch.relevant_head_input, false, scratch.relevant_scores);
    scores[k] = target_score(scratch.relevant_scores, job.target_weights, score_rows(model, steps), model.outputs, LSTM_LRP_SCORE_LOGIT);
  }
}

// The relevant scores of the given phrases, in shares and groups of decompositions (passes.h).
template <typename Real>
void decompose(SequenceJob<Real>& job, const std::vector<Phrase>& phrases, double* scores) {
  std::size_t values_per_step = 0;
  for (const Layer<Real>& layer : job.model.layers) values_per_step += layer.output_size();
  const std::size_t group_size = passes_per_group<Real>(job.trace.steps, values_per_step);
  const std::size_t count = phrases.size();
  for_each_share(count, independent_pass_shares(count, job.pass_threads), job.pass_threads, job.workspace.shares,
                 [&](std::size_t, std::size_t share_first, std::size_t share_stop, PassShare<Real>& share) {
    std::vector<Phrase> group;
    for_each_group(share_first, share_stop, group_size, [&](std::size_t first, std::size_t passes) {
      group.assign(phrases.begin() + first, phrases.begin() + first + passes);
      GroupDecomposition<Real>(job, group, share.cd, share.rows).run();
      relevant_scores(job, passes, share.cd, scores + first);
    });
  });
}

// Σ w ⊙ head bias over the score rows.
template <typename Real>
double bias_score(const Model<Real>& model, const double* target_weights, std::size_t rows) {
  double total = 0;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t k = 0; k < model.outputs; ++k)
      total += target_weights[r * model.outputs + k] * static_cast<double>(model.head_bias[k]);
  return total;
}

// perStep[t] = value, spread equally over the step's features.
template <typename Real>
void set_step(SequenceJob<Real>& job, std::size_t t, double value) {
  const std::size_t I = job.model.input_size;
  job.per_step[t] = static_cast<Real>(value);
  std::fill(job.relevance + t * I, job.relevance + (t + 1) * I, static_cast<Real>(value / static_cast<double>(I)));
}

}  // namespace

// Without a phrase, perStep[t] is the relevant score of the phrase {t}; with one, the phrase's
// relevant score spread equally over its steps, and the report splits the target score.
template <typename Real>
void explain_cd(SequenceJob<Real>& job) {
  const Model<Real>& model = job.model;
  const ExplainSettings<Real>& settings = job.settings;
  const std::size_t steps = job.trace.steps;
  std::fill(job.conservation, job.conservation + LSTM_LRP_CONSERVATION_SIZE, 0.0);

  if (settings.cd_phrase_stop == 0) {
    std::vector<Phrase> phrases;
    for (std::size_t t = 0; t < steps; ++t) phrases.push_back(make_phrase(t, t + 1, settings.cd_bias_steps_left_out));
    std::vector<double> scores(steps);
    decompose(job, phrases, scores.data());
    for (std::size_t t = 0; t < steps; ++t) set_step(job, t, scores[t]);
    return;
  }
  const std::size_t start = settings.cd_phrase_start;
  const std::size_t stop = settings.cd_phrase_stop;
  const std::size_t rows = score_rows(model, steps);
  double relevant = 0;
  decompose(job, {make_phrase(start, stop, settings.cd_bias_steps_left_out)}, &relevant);
  const double score = target_score(job.trace.scores, job.target_weights, rows, model.outputs, LSTM_LRP_SCORE_LOGIT);
  const double bias = bias_score(model, job.target_weights, rows);
  job.conservation[LSTM_LRP_CD_SCORE] = score;
  job.conservation[LSTM_LRP_CD_RELEVANT] = relevant;
  job.conservation[LSTM_LRP_CD_IRRELEVANT] = score - bias - relevant;
  job.conservation[LSTM_LRP_CD_BIAS] = bias;
  for (std::size_t t = 0; t < steps; ++t) set_step(job, t, t >= start && t < stop ? relevant / static_cast<double>(stop - start) : 0.0);
}

template void explain_cd<float>(SequenceJob<float>&);
template void explain_cd<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
