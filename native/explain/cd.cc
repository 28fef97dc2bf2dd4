// Contextual Decomposition (Murdoch et al. 2018) for every architecture (docs/METHODS.md § Contextual Decomposition).
// Every state of every layer and direction splits into a relevant part β (what the phrase
// contributes) and an irrelevant part γ; the relevant score is the head applied to the relevant
// part of its input, without the head bias.
//
// Only β is propagated: every split below sums to the true value, so γ = (true value) − β at
// every step, and the forward trace holds the true values. Where a split needs γ + bias it
// reads a − β, a the true pre-activation.
#include <algorithm>

#include "../forward/activations.h"
#include "../forward/forward.h"
#include "../simd/gemv.h"
#include "backward.h"
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

// The relevant part of G(a), a = bias + β + γ, by the two-player Shapley value over β and γ
// with the bias as fixed reference: ½[(G(bias + β) − G(bias)) + (G(a) − G(a − β))].
// It is 0 for β = 0.
template <typename Real, typename Activation>
Real relevant_share(Activation activation, Real a, Real activation_a, Real bias, Real activation_bias, Real beta) {
  return Real(0.5) * ((activation(bias + beta) - activation_bias) + (activation_a - activation(a - beta)));
}

template <typename Real>
class DirectionDecomposition {
 public:
  DirectionDecomposition(BackwardWorkspace<Real>& ws, const Phrase& phrase) : ws_(ws), phrase_(phrase) {}

  // Propagates β through one direction from the first step whose input may carry some (β is
  // exactly 0 before it) and writes β_y into the direction's columns of relevant_output, which
  // the caller has zeroed. Returns the steps written.
  Support operator()(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, const Real* relevant_input,
                     Support input_support, Real* relevant_output) const {
    const std::size_t H = layer.hidden_size;
    const std::size_t I = layer.input_size;
    const std::size_t D = layer.output_size();
    const std::size_t steps = trace.cell_output.size() / H;
    const CellSpec& cell = layer.cell;
    const DirectionWeights<Real>& w = layer.weights[direction];
    const Real g_scale = static_cast<Real>(cell.g_scale);
    const Real h_scale = static_cast<Real>(cell.h_scale);
    const auto cell_input = [&](Real a) { return g_scale * g_activation(cell.g, a); };
    const auto cell_output = [&](Real c) { return h_scale * h_activation(cell.h, c); };

    // z, i and f of the bias alone; an absent gate is the constant 1, all of it bias.
    Real* bias_activation = ws_.bias_activation.data();
    for (std::size_t j = 0; j < H; ++j) bias_activation[j] = cell_input(w.b[j]);
    for (int k = LSTM_LRP_BLOCK_I; k <= LSTM_LRP_BLOCK_F; ++k)
      for (std::size_t j = 0; j < H; ++j) bias_activation[k * H + j] = cell.block_active[k] ? sigmoid(w.b[k * H + j]) : Real(1);
    const bool has_input_gate = cell.block_active[LSTM_LRP_BLOCK_I];
    const bool has_forget_gate = cell.block_active[LSTM_LRP_BLOCK_F];

    Real* beta_pre = ws_.block_signal.data();
    Real* beta_cell = ws_.cell_signal.data();
    std::fill(beta_cell, beta_cell + H, Real(0));
    const Real* beta_y_prev = nullptr;  // β of y_{s-1}; 0 at the first step
    const std::size_t first_step = direction == 0 ? input_support.first : steps - 1 - input_support.last;
    for (std::size_t s = first_step; s < steps; ++s) {
      const std::size_t t = time_of_step(direction, s, steps);
      // β of the pre-activations: the maps are linear, W β_x + U β_y goes to β (and W γ_x + U γ_y to γ).
      std::fill(beta_pre, beta_pre + 4 * H, Real(0));
      if (t >= input_support.first && t <= input_support.last) gemv_accumulate(w.W.data(), 4 * H, I, relevant_input + t * I, beta_pre);
      if (beta_y_prev != nullptr) gemv_accumulate(w.U.data(), 4 * H, H, beta_y_prev, beta_pre);

      const Real* a = &trace.pre[s * 4 * H];
      const Real* act = &trace.act[s * 4 * H];
      const Real* c = &trace.cell[(s + 1) * H];
      const Real* hc = &trace.cell_output[s * H];
      const bool bias_term_relevant = t >= phrase_.bias_start && t < phrase_.bias_stop;
      Real* beta_y = relevant_output + t * D + direction * H;
      for (std::size_t j = 0; j < H; ++j) {
        const Real bias_z = bias_activation[j];
        const Real bias_i = bias_activation[H + j];
        const Real bias_f = bias_activation[2 * H + j];
        const Real beta_z = relevant_share(cell_input, a[j], act[j], w.b[j], bias_z, beta_pre[j]);
        const Real beta_i = has_input_gate ? relevant_share(sigmoid<Real>, a[H + j], act[H + j], w.b[H + j], bias_i, beta_pre[H + j]) : Real(0);
        const Real beta_f =
            has_forget_gate ? relevant_share(sigmoid<Real>, a[2 * H + j], act[2 * H + j], w.b[2 * H + j], bias_f, beta_pre[2 * H + j]) : Real(0);
        // i⊙z: β·β, β·bias and bias·β are relevant, bias·bias by the convention, the rest (any γ) irrelevant.
        // f⊙c_{t-1}: (β_f + bias_f)·β_c is relevant; every product with γ_c, and γ_f·β_c, irrelevant.
        Real beta_c = beta_i * (beta_z + bias_z) + bias_i * beta_z + (beta_f + bias_f) * beta_cell[j];
        if (bias_term_relevant) beta_c += bias_i * bias_z;
        beta_cell[j] = beta_c;
        // y = o ⊙ h(c) with the true output gate; h(0) = 0 is the reference of h's split.
        beta_y[j] = act[3 * H + j] * relevant_share(cell_output, c[j], hc[j], Real(0), Real(0), beta_c);
      }
      beta_y_prev = beta_y;
    }
    return direction == 0 ? Support{input_support.first, steps - 1} : Support{0, input_support.last};
  }

 private:
  BackwardWorkspace<Real>& ws_;
  const Phrase& phrase_;
};

// Σ w ⊙ W_head β of one decomposition; leaves β of every layer's output in ws.relevant_output.
template <typename Real>
double relevant_score(const SequenceJob<Real>& job, const Phrase& phrase) {
  const Model<Real>& model = job.model;
  BackwardWorkspace<Real>& ws = job.workspace;
  const std::size_t steps = job.trace.steps;
  const DirectionDecomposition<Real> decompose(ws, phrase);
  // The model's input is all relevant inside the phrase and all irrelevant outside it.
  const Real* relevant_input = job.trace.input.data();
  Support support{phrase.start, phrase.stop - 1};
  for (std::size_t l = 0; l < model.layers.size(); ++l) {
    const Layer<Real>& layer = model.layers[l];
    std::vector<Real>& output = ws.relevant_output[l];
    std::fill(output.begin(), output.end(), Real(0));
    Support written{steps, 0};
    for (int d = 0; d < layer.directions; ++d) {
      const Support direction_written =
          decompose(layer, d, job.trace.directions[l][static_cast<std::size_t>(d)], relevant_input, support, output.data());
      written = {std::min(written.first, direction_written.first), std::max(written.last, direction_written.last)};
    }
    relevant_input = output.data();
    support = written;
  }
  read_head_input(model, steps, ws.relevant_output.back(), ws.relevant_head_input);
  apply_head(model, ws.relevant_head_input, false, ws.relevant_scores);
  return target_score(ws.relevant_scores, job.target_weights, score_rows(model, steps), model.outputs, LSTM_LRP_SCORE_LOGIT);
}

template <typename Real>
void prepare_cd_workspace(const Model<Real>& model, std::size_t steps, BackwardWorkspace<Real>& ws) {
  prepare_workspace(model, steps, ws);
  ws.relevant_output.resize(model.layers.size());
  for (std::size_t l = 0; l < model.layers.size(); ++l) ws.relevant_output[l].resize(steps * model.layers[l].output_size());
  ws.bias_activation.resize(3 * model.max_hidden_size());
}

// Σ w ⊙ head bias over the score rows.
template <typename Real>
double bias_score(const Model<Real>& model, const double* target_weights, std::size_t rows) {
  double total = 0;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t k = 0; k < model.outputs; ++k) total += target_weights[r * model.outputs + k] * static_cast<double>(model.head_bias[k]);
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
  prepare_cd_workspace(model, steps, job.workspace);
  std::fill(job.conservation, job.conservation + LSTM_LRP_CONSERVATION_SIZE, 0.0);

  if (settings.cd_phrase_stop == 0) {
    for (std::size_t t = 0; t < steps; ++t) set_step(job, t, relevant_score(job, make_phrase(t, t + 1, settings.cd_bias_steps_left_out)));
    return;
  }
  const std::size_t start = settings.cd_phrase_start;
  const std::size_t stop = settings.cd_phrase_stop;
  const std::size_t rows = score_rows(model, steps);
  const double relevant = relevant_score(job, make_phrase(start, stop, settings.cd_bias_steps_left_out));
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
