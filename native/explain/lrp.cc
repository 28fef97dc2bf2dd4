// Layer-wise Relevance Propagation through the head and the LSTM stack (docs/METHODS.md § LRP).
#include <algorithm>

#include "../simd/gemv.h"
#include "../forward/forward.h"
#include "backward.h"
#include "epsilon_rule.h"
#include "product_rules.h"

namespace lstm_lrp {
namespace {

// The product each gate multiplies into, indexed by block (the cell input z has none).
constexpr int kProductOfGate[kBlocks] = {-1, LSTM_LRP_PRODUCT_INPUT, LSTM_LRP_PRODUCT_FORGET, LSTM_LRP_PRODUCT_OUTPUT};

struct Accounts {
  double absorbed = 0;
  double initial_state = 0;
};

template <typename Real>
class DirectionRelevance {
 public:
  DirectionRelevance(const ExplainSettings<Real>& settings, BackwardWorkspace<Real>& ws, Accounts& accounts)
      : settings_(settings), ws_(ws), accounts_(accounts) {}

  void operator()(std::size_t, const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, const Real* x,
                  const Real* output_relevance, Real* input_relevance) const {
    const std::size_t H = layer.hidden_size;
    const std::size_t D = layer.output_size();
    const std::size_t steps = trace.cell_output.size() / H;
    const std::size_t rows = relevant_rows(layer.cell, H);
    Real* recurrent = ws_.recurrent_signal.data();
    Real* cell_next = ws_.cell_signal.data();
    std::fill(recurrent, recurrent + H, Real(0));
    std::fill(cell_next, cell_next + H, Real(0));
    ws_.step_messages.resize(steps * 4 * H);
    ws_.step_spread.resize(steps);

    for (std::size_t s = steps; s-- > 0;) {
      const std::size_t t = time_of_step(direction, s, steps);
      const Real* from_above = output_relevance + t * D + direction * H;
      if (gates_take_nothing(layer.cell))
        split_cell_relevance_to_signals(trace, s, H, from_above, recurrent, cell_next);
      else
        split_cell_relevance(layer.cell, trace, s, H, from_above, recurrent, cell_next);
      gate_maps(layer, direction, trace, s, rows, recurrent);
    }
    for (std::size_t j = 0; j < H; ++j) accounts_.initial_state += static_cast<double>(recurrent[j] + cell_next[j]);
    input_maps(layer, direction, steps, rows, x, input_relevance);
  }

 private:
  // Whether block k's pre-activation receives relevance: the cell input always, a gate
  // only when present and under a product rule that gives it a share ('all' gives none).
  bool carries_relevance(const CellSpec& cell, int k) const {
    return k == LSTM_LRP_BLOCK_Z || (cell.block_active[k] && settings_.gate_receives[kProductOfGate[k]]);
  }

  // The rows of W and U (block-major) that can meet a nonzero message: up to the last
  // block that carries relevance. Under LRP-all that is the cell input's H rows alone.
  std::size_t relevant_rows(const CellSpec& cell, std::size_t H) const {
    int last = LSTM_LRP_BLOCK_Z;
    for (int k = 0; k < kBlocks; ++k)
      if (carries_relevance(cell, k)) last = k;
    return static_cast<std::size_t>(last + 1) * H;
  }

  bool gates_take_nothing(const CellSpec& cell) const {
    return !carries_relevance(cell, LSTM_LRP_BLOCK_I) && !carries_relevance(cell, LSTM_LRP_BLOCK_F) &&
           !carries_relevance(cell, LSTM_LRP_BLOCK_O);
  }

  // split_cell_relevance when no gate takes relevance (LRP-all, or absent gates): only the
  // accumulation's epsilon rule remains, a SIMD kernel (simd/kernels.h). The absorbed parts
  // are summed afterwards in cell order, as doubles.
  void split_cell_relevance_to_signals(const DirectionTrace<Real>& trace, std::size_t s, std::size_t H, const Real* from_above,
                                       const Real* recurrent, Real* cell_next) const {
    const Real* act = &trace.act[s * 4 * H];
    Real* absorbed = ws_.block_signal.data() + H;  // free: the gates carry nothing
    kernels<Real>().lrp_split({from_above, recurrent, cell_next, act + H, act, act + 2 * H, &trace.cell[(s + 1) * H],
                               &trace.cell[s * H], ws_.block_signal.data(), absorbed, H, settings_.eps, settings_.bias_factor});
    double total = 0;
    for (std::size_t j = 0; j < H; ++j) total += static_cast<double>(absorbed[j]);
    accounts_.absorbed += total;
  }

  // Output product, accumulation, input and forget products of step s: fills
  // ws_.block_signal with the relevance of each block's pre-activation and
  // cell_next with the relevance of c_{s-1}. A gate under rule 'all' gets nothing
  // and its signal everything, so its rule is not called.
  void split_cell_relevance(const CellSpec& cell, const DirectionTrace<Real>& trace, std::size_t s, std::size_t H,
                            const Real* from_above, const Real* recurrent, Real* cell_next) const {
    const Real* a = &trace.pre[s * 4 * H];
    const Real* act = &trace.act[s * 4 * H];
    const Real* c = &trace.cell[(s + 1) * H];
    const Real* c_prev = &trace.cell[s * H];
    Real* block = ws_.block_signal.data();
    const Real eps = settings_.eps;
    const Real bias_factor = settings_.bias_factor;
    const bool split_output = carries_relevance(cell, LSTM_LRP_BLOCK_O);
    const bool split_input = carries_relevance(cell, LSTM_LRP_BLOCK_I);
    const bool split_forget = carries_relevance(cell, LSTM_LRP_BLOCK_F);
    const ProductRule<Real> input_rule = settings_.product_rule[LSTM_LRP_PRODUCT_INPUT];
    const ProductRule<Real> forget_rule = settings_.product_rule[LSTM_LRP_PRODUCT_FORGET];
    const ProductRule<Real> output_rule = settings_.product_rule[LSTM_LRP_PRODUCT_OUTPUT];
    double absorbed = 0;

    for (std::size_t j = 0; j < H; ++j) {
      const Real r_y = from_above[j] + recurrent[j];
      Real r_o = 0;
      Real r_cell_output = r_y;
      if (split_output) {
        output_rule(a[3 * H + j], c[j], settings_.product_eps[LSTM_LRP_PRODUCT_OUTPUT], r_y, r_o, r_cell_output);
        absorbed += static_cast<double>(r_y - r_o - r_cell_output);
      }
      const Real r_c = r_cell_output + cell_next[j];

      // Accumulation c = i⊙z + f⊙c_prev: epsilon rule over two summands, no bias, N = 2.
      Real r_input_product = 0;
      Real r_forget_product = 0;
      const Real stabiliser = eps * sign_of(c[j]);
      const Real denominator = c[j] + stabiliser;
      if (!passes_message(r_c, denominator)) {
        absorbed += static_cast<double>(r_c);
      } else {
        const Real message = r_c / denominator;
        const Real spread = bias_factor * stabiliser / Real(2);
        r_input_product = (act[H + j] * act[j] + spread) * message;
        r_forget_product = (act[2 * H + j] * c_prev[j] + spread) * message;
        absorbed += static_cast<double>((Real(1) - bias_factor) * stabiliser * message);
      }

      Real r_i = 0;
      Real r_z = r_input_product;
      if (split_input) {
        input_rule(a[H + j], a[j], settings_.product_eps[LSTM_LRP_PRODUCT_INPUT], r_input_product, r_i, r_z);
        absorbed += static_cast<double>(r_input_product - r_i - r_z);
      }
      Real r_f = 0;
      Real r_c_prev = r_forget_product;
      if (split_forget) {
        forget_rule(a[2 * H + j], c_prev[j], settings_.product_eps[LSTM_LRP_PRODUCT_FORGET], r_forget_product, r_f, r_c_prev);
        absorbed += static_cast<double>(r_forget_product - r_f - r_c_prev);
      }
      cell_next[j] = r_c_prev;
      block[j] = r_z;
      block[H + j] = r_i;
      block[2 * H + j] = r_f;
      block[3 * H + j] = r_o;
    }
    accounts_.absorbed += absorbed;
  }

  // Epsilon rule through the four gate maps a = W x + U y_prev + b of step s: keeps the
  // step's messages and input bias share for input_maps, and passes relevance to y_prev.
  void gate_maps(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, std::size_t s, std::size_t rows,
                 Real* recurrent) const {
    const std::size_t H = layer.hidden_size;
    const std::size_t I = layer.input_size;
    const CellSpec& cell = layer.cell;
    const DirectionWeights<Real>& w = layer.weights[direction];
    const Real* a = &trace.pre[s * 4 * H];
    const Real* y_prev = &trace.output[s * H];
    Real* messages = &ws_.step_messages[s * 4 * H];
    const double bias_factor = static_cast<double>(settings_.bias_factor);

    double spread_x = 0;
    double spread_y = 0;
    for (int k = 0; k < kBlocks; ++k) {
      Real* block_messages = messages + k * H;
      if (!carries_relevance(cell, k)) {
        // The products read the first `rows` messages only (all of z's under LRP-all).
        if (static_cast<std::size_t>(k) * H < rows) std::fill(block_messages, block_messages + H, Real(0));
        continue;
      }
      const double share = epsilon_messages(a + k * H, w.b.data() + k * H, ws_.block_signal.data() + k * H, H,
                                            settings_.eps, block_messages, ws_.epsilon_scratch.data(), accounts_.absorbed);
      accounts_.absorbed += (1 - bias_factor) * share;
      const std::size_t fan_in = cell.fan_in(k, I, H);
      if (fan_in == 0) {
        accounts_.absorbed += bias_factor * share;
        continue;
      }
      const double per_input = bias_factor * share / static_cast<double>(fan_in);
      if (cell.input_connected[k]) spread_x += per_input;
      if (cell.recurrent_connected[k]) spread_y += per_input;
    }
    ws_.step_spread[s] = static_cast<Real>(spread_x);

    Real* y_product = ws_.recurrent_product.data();
    std::fill(y_product, y_product + H, Real(0));
    gemv_transposed_accumulate(w.U.data(), rows, H, messages, y_product);
    for (std::size_t j = 0; j < H; ++j) recurrent[j] = y_prev[j] * y_product[j] + static_cast<Real>(spread_y);
  }

  // The input side of every step's gate maps at once: one product Wᵀ m over all steps
  // (nothing in the recurrence depends on it), then R_x = x ⊙ (Wᵀ m) + the bias share.
  void input_maps(const Layer<Real>& layer, int direction, std::size_t steps, std::size_t rows, const Real* x,
                  Real* x_relevance) const {
    const std::size_t H = layer.hidden_size;
    const std::size_t I = layer.input_size;
    ws_.step_input_product.assign(steps * I, Real(0));
    ProductRows<Real>& products = ws_.product_rows;
    products.clear();
    for (std::size_t s = 0; s < steps; ++s) products.add(&ws_.step_messages[s * 4 * H], &ws_.step_input_product[s * I]);
    products.multiply(layer.weights[direction].W.data(), rows, I);
    for (std::size_t s = steps; s-- > 0;) {
      const std::size_t t = time_of_step(direction, s, steps);
      const Real* product = &ws_.step_input_product[s * I];
      const Real spread = ws_.step_spread[s];
      for (std::size_t j = 0; j < I; ++j) x_relevance[t * I + j] += x[t * I + j] * product[j] + spread;
    }
  }

  const ExplainSettings<Real>& settings_;
  BackwardWorkspace<Real>& ws_;
  Accounts& accounts_;
};

// Initial relevance at the scores: w ⊙ scores (logit) or w (one).
template <typename Real>
double initial_relevance(const SequenceJob<Real>& job, std::size_t count, Real* relevance) {
  double total = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const Real weight = static_cast<Real>(job.target_weights[k]);
    relevance[k] = job.settings.init == LSTM_LRP_INIT_LOGIT ? weight * job.trace.scores[k] : weight;
    total += static_cast<double>(relevance[k]);
  }
  return total;
}

}  // namespace

template <typename Real>
void explain_lrp(SequenceJob<Real>& job) {
  const Model<Real>& model = job.model;
  BackwardWorkspace<Real>& ws = job.workspace;
  const std::size_t steps = job.trace.steps;
  const std::size_t rows = score_rows(model, steps);
  const std::size_t C = model.outputs;
  const std::size_t D = model.head_input_size;
  const double bias_factor = static_cast<double>(job.settings.bias_factor);
  prepare_workspace(model, steps, ws);
  Accounts accounts;

  ws.output_weights.resize(rows * C);
  const double relevance_in = initial_relevance(job, rows * C, ws.output_weights.data());

  ws.head_signal.assign(rows * D, Real(0));
  for (std::size_t r = 0; r < rows; ++r) {
    const double share = epsilon_messages(&job.trace.scores[r * C], model.head_bias.data(), &ws.output_weights[r * C], C,
                                          job.settings.eps, ws.messages.data(), ws.epsilon_scratch.data(), accounts.absorbed);
    accounts.absorbed += (1 - bias_factor) * share;
    Real* head_relevance = &ws.head_signal[r * D];
    gemv_transposed_accumulate(model.head_weight.data(), C, D, ws.messages.data(), head_relevance);
    const Real spread = static_cast<Real>(bias_factor * share / static_cast<double>(D));
    const Real* v = &job.trace.head_input[r * D];
    for (std::size_t j = 0; j < D; ++j) head_relevance[j] = v[j] * head_relevance[j] + spread;
  }
  scatter_head_signal(model, steps, ws.head_signal.data(), ws.layer_signal.back().data());

  backward_through_layers(model, job.trace, ws, job.relevance, DirectionRelevance<Real>(job.settings, ws, accounts));

  sum_rows(job.relevance, steps, model.input_size, job.per_step);
  double relevance_out = 0;
  for (std::size_t t = 0; t < steps; ++t) relevance_out += static_cast<double>(job.per_step[t]);
  job.conservation[LSTM_LRP_CONSERVATION_INPUT] = relevance_in;
  job.conservation[LSTM_LRP_CONSERVATION_INPUTS] = relevance_out;
  job.conservation[LSTM_LRP_CONSERVATION_ABSORBED] = accounts.absorbed;
  job.conservation[LSTM_LRP_CONSERVATION_INITIAL] = accounts.initial_state;
}

template void explain_lrp<float>(SequenceJob<float>&);
template void explain_lrp<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
