// Layer-wise Relevance Propagation through the head and the stack of LSTM and GRU layers (docs/METHODS.md § LRP).
#include <algorithm>
#include <vector>

#include "../simd/gemv.h"
#include "../simd/scalar/lrp_rules_scalar.h"
#include "../forward/forward.h"
#include "backward.h"
#include "epsilon_rule.h"
#include "gru_lrp.h"
#include "product_rules.h"

namespace lstm_lrp {
namespace {

// The product each gate multiplies into, indexed by block (the cell input z has none).
constexpr int kProductOfGate[kBlocks] = {-1, LSTM_LRP_PRODUCT_INPUT, LSTM_LRP_PRODUCT_FORGET, LSTM_LRP_PRODUCT_OUTPUT};

struct Accounts {
  double absorbed = 0;
  double initial_state = 0;
};

// Whether block k's pre-activation receives relevance: the cell input always, a gate
// only when present and under a product rule that gives it a share ('all' gives none).
template <typename Real>
bool carries_relevance(const ExplainSettings<Real>& settings, const CellSpec& cell, int k) {
  return k == LSTM_LRP_BLOCK_Z || (cell.block_active[k] && settings.gate_receives[kProductOfGate[k]]);
}

// The rows of W and U (block-major) that can meet a nonzero message: up to the last
// block that carries relevance. Under LRP-all that is the cell input's H rows alone.
template <typename Real>
std::size_t relevant_rows(const ExplainSettings<Real>& settings, const CellSpec& cell, std::size_t H) {
  int last = LSTM_LRP_BLOCK_Z;
  for (int k = 0; k < kBlocks; ++k)
    if (carries_relevance(settings, cell, k)) last = k;
  return static_cast<std::size_t>(last + 1) * H;
}

// One sequence's LRP backward pass, cut where its products are: explain_lrp_group walks
// a group's sequences through each layer direction step by step together and gathers
// their products, so every sequence runs its own operations in its own order.
template <typename Real>
class SequenceRelevance {
 public:
  explicit SequenceRelevance(SequenceJob<Real>& job)
      : job_(job), settings_(job.settings), ws_(job.workspace), gru_(job.settings, job.workspace.gru) {}

  std::size_t steps() const { return job_.trace.steps; }
  const Model<Real>& model() const { return job_.model; }
  const ExplainSettings<Real>& settings() const { return settings_; }

  // Initial relevance at the scores and the head's epsilon rule: fills the top layer's output signal.
  void start() {
    const Model<Real>& model = job_.model;
    const std::size_t steps = job_.trace.steps;
    const std::size_t rows = score_rows(model, steps);
    const std::size_t C = model.outputs;
    const std::size_t D = model.head_input_size;
    const double bias_factor = static_cast<double>(settings_.bias_factor);
    prepare_workspace(model, steps, ws_);

    ws_.output_weights.resize(rows * C);
    relevance_in_ = initial_relevance(rows * C, ws_.output_weights.data());

    ws_.head_signal.assign(rows * D, Real(0));
    for (std::size_t r = 0; r < rows; ++r) {
      const double share = epsilon_messages(&job_.trace.scores[r * C], model.head_bias.data(), &ws_.output_weights[r * C], C, settings_.eps,
                                            ws_.messages.data(), ws_.epsilon_scratch.data(), accounts_.absorbed);
      accounts_.absorbed += (1 - bias_factor) * share;
      Real* head_relevance = &ws_.head_signal[r * D];
      gemv_transposed_accumulate(model.head_weight.data(), C, D, ws_.messages.data(), head_relevance);
      const Real spread = static_cast<Real>(bias_factor * share / static_cast<double>(D));
      const Real* v = &job_.trace.head_input[r * D];
      for (std::size_t j = 0; j < D; ++j) head_relevance[j] = v[j] * head_relevance[j] + spread;
    }
    scatter_head_signal(model, steps, ws_.head_signal.data(), ws_.layer_signal.back().data());
  }

  // Layer l's directions add their shares to the signal at its input, which starts at zero.
  void start_layer(std::size_t l) {
    Real* below = layer_input_signal(l);
    std::fill(below, below + job_.trace.steps * job_.model.layers[l].input_size, Real(0));
  }

  void start_direction(std::size_t H) {
    std::fill(ws_.recurrent_signal.begin(), ws_.recurrent_signal.begin() + H, Real(0));
    std::fill(ws_.cell_signal.begin(), ws_.cell_signal.begin() + H, Real(0));
    std::fill(ws_.recurrent_product.begin(), ws_.recurrent_product.begin() + H, Real(0));
    ws_.step_messages.resize(job_.trace.steps * 4 * H);
    ws_.step_spread.resize(job_.trace.steps);
  }

  // Step s of layer l's direction up to its gate-map messages; adds the product Uᵀ m to `products`.
  void step(std::size_t l, int direction, std::size_t s, std::size_t rows, ProductRows<Real>& products) {
    const Layer<Real>& layer = job_.model.layers[l];
    const DirectionTrace<Real>& trace = direction_trace(l, direction);
    const std::size_t H = layer.hidden_size;
    const Real* from_above = signal_from_above(l, direction, s);
    if (gates_take_nothing(layer.cell)) {
      cell_input_step(layer, direction, trace, s, from_above);
    } else {
      split_cell_relevance(layer.cell, trace, s, H, from_above, ws_.recurrent_signal.data(), ws_.cell_signal.data());
      gate_messages(layer, direction, trace, s, rows);
      std::fill(ws_.recurrent_product.begin(), ws_.recurrent_product.begin() + H, Real(0));
    }
    products.add(&ws_.step_messages[s * 4 * H], ws_.recurrent_product.data());
  }

  // R(y_prev) = y_prev ⊙ (Uᵀ m) + the bias share, once `products` has been multiplied. When no
  // gate takes relevance, the next step's kernel forms it from the product itself, so only the
  // last step (s = 0, whose y_prev is the initial state) needs it here.
  void finish_step(std::size_t l, int direction, std::size_t s) {
    const Layer<Real>& layer = job_.model.layers[l];
    if (s > 0 && gates_take_nothing(layer.cell)) return;
    const std::size_t H = layer.hidden_size;
    kernels<Real>().multiply_add_constant(&direction_trace(l, direction).output[s * H], ws_.recurrent_product.data(),
                                          static_cast<Real>(recurrent_spread_), ws_.recurrent_signal.data(), H);
  }

  // After the direction's first step: what reached the initial state, and every step's
  // input product Wᵀ m added to `products` (nothing in the recurrence depends on them).
  void end_direction(std::size_t l, ProductRows<Real>& products) {
    const Layer<Real>& layer = job_.model.layers[l];
    const std::size_t H = layer.hidden_size;
    const std::size_t I = layer.input_size;
    const std::size_t steps = job_.trace.steps;
    for (std::size_t j = 0; j < H; ++j) accounts_.initial_state += static_cast<double>(ws_.recurrent_signal[j] + ws_.cell_signal[j]);
    ws_.step_input_product.resize(steps * I);
    for (std::size_t s = 0; s < steps; ++s) products.add_from(&ws_.step_messages[s * 4 * H], nullptr, &ws_.step_input_product[s * I]);
  }

  // R_x = x ⊙ (Wᵀ m) + the bias share, added to the signal at layer l's input.
  void finish_input(std::size_t l, int direction) {
    const std::size_t I = job_.model.layers[l].input_size;
    const std::size_t steps = job_.trace.steps;
    const Real* x = layer_input(l);
    Real* x_relevance = layer_input_signal(l);
    for (std::size_t s = steps; s-- > 0;) {
      const std::size_t t = time_of_step(direction, s, steps);
      kernels<Real>().add_multiply_add_constant(&x[t * I], &ws_.step_input_product[s * I], ws_.step_spread[s], &x_relevance[t * I], I);
    }
  }

  // A GRU direction's pieces (gru_lrp.h), gathered by explain_lrp_group as the LSTM's are.
  void start_gru_direction(std::size_t l, int direction) {
    gru_.start_direction(job_.model.layers[l], direction, direction_trace(l, direction), job_.trace.steps);
  }
  void gru_step(std::size_t l, int direction, std::size_t s, ProductRows<Real>& products) {
    gru_.step(s, signal_from_above(l, direction, s), products);
  }
  void gru_reset_step(ProductRows<Real>& products) { gru_.reset_step(products); }
  void gru_finish_step() { gru_.finish_step(); }
  void end_gru_direction(ProductRows<Real>& products) { gru_.end_direction(products); }
  void finish_gru_input(std::size_t l) {
    gru_.finish_input(layer_input(l), layer_input_signal(l));
    accounts_.absorbed += gru_.accounts().absorbed;
    accounts_.initial_state += gru_.accounts().initial_state;
  }

  // Per-step relevance and the conservation report.
  void finish() {
    const std::size_t steps = job_.trace.steps;
    sum_rows(job_.relevance, steps, job_.model.input_size, job_.per_step);
    double relevance_out = 0;
    for (std::size_t t = 0; t < steps; ++t) relevance_out += static_cast<double>(job_.per_step[t]);
    job_.conservation[LSTM_LRP_CONSERVATION_INPUT] = relevance_in_;
    job_.conservation[LSTM_LRP_CONSERVATION_INPUTS] = relevance_out;
    job_.conservation[LSTM_LRP_CONSERVATION_ABSORBED] = accounts_.absorbed;
    job_.conservation[LSTM_LRP_CONSERVATION_INITIAL] = accounts_.initial_state;
  }

 private:
  const DirectionTrace<Real>& direction_trace(std::size_t l, int direction) const {
    return job_.trace.directions[l][static_cast<std::size_t>(direction)];
  }

  // The relevance from above at step s of layer l's direction: its share of the layer's output signal.
  const Real* signal_from_above(std::size_t l, int direction, std::size_t s) const {
    const Layer<Real>& layer = job_.model.layers[l];
    const std::size_t t = time_of_step(direction, s, job_.trace.steps);
    return ws_.layer_signal[l].data() + t * layer.output_size() + static_cast<std::size_t>(direction) * layer.hidden_size;
  }

  // Layer l's input x: the embedded input, or the layer below's outputs.
  const Real* layer_input(std::size_t l) const { return l == 0 ? job_.trace.input.data() : job_.trace.layer_outputs[l - 1].data(); }

  // The signal at layer l's input: the layer below's output signal, or the input relevance.
  Real* layer_input_signal(std::size_t l) const { return l == 0 ? job_.relevance : ws_.layer_signal[l - 1].data(); }

  // Initial relevance at the scores: w ⊙ scores (logit) or w (one).
  double initial_relevance(std::size_t count, Real* relevance) const {
    double total = 0;
    for (std::size_t k = 0; k < count; ++k) {
      const Real weight = static_cast<Real>(job_.target_weights[k]);
      relevance[k] = settings_.init == LSTM_LRP_INIT_LOGIT ? weight * job_.trace.scores[k] : weight;
      total += static_cast<double>(relevance[k]);
    }
    return total;
  }

  bool gates_take_nothing(const CellSpec& cell) const {
    return !carries_relevance(settings_, cell, LSTM_LRP_BLOCK_I) && !carries_relevance(settings_, cell, LSTM_LRP_BLOCK_F) &&
           !carries_relevance(settings_, cell, LSTM_LRP_BLOCK_O);
  }

  // Step s when no gate takes relevance (LRP-all, or absent gates): one kernel (simd/kernels.h)
  // from R(y) to the cell input map's messages, with its three float64 sums. The gates' rows of
  // step_messages stay unread: the products take z's rows alone (relevant_rows).
  void cell_input_step(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, std::size_t s, const Real* from_above) {
    const std::size_t H = layer.hidden_size;
    const Real* act = &trace.act[s * 4 * H];
    const bool first = s + 1 == job_.trace.steps;  // the direction's first backward step: no next step
    double sums[3];
    kernels<Real>().lrp_step({from_above, first ? nullptr : &trace.output[(s + 1) * H], ws_.recurrent_product.data(),
                              static_cast<Real>(recurrent_spread_), ws_.cell_signal.data(), act + H, act, act + 2 * H,
                              &trace.cell[(s + 1) * H], &trace.cell[s * H], &trace.pre[s * 4 * H], layer.weights[direction].b.data(),
                              &ws_.step_messages[s * 4 * H], sums, H, settings_.eps, settings_.bias_factor});
    accounts_.absorbed += sums[0];
    accounts_.absorbed += sums[1];
    double spread_x = 0;
    double spread_y = 0;
    share_bias(layer, LSTM_LRP_BLOCK_Z, sums[2], spread_x, spread_y);
    ws_.step_spread[s] = static_cast<Real>(spread_x);
    recurrent_spread_ = spread_y;
  }

  // Output product, accumulation, input and forget products of step s: fills
  // ws_.block_signal with the relevance of each block's pre-activation and
  // cell_next with the relevance of c_{s-1}. A gate under rule 'all' gets nothing
  // and its signal everything, so its rule is not called.
  void split_cell_relevance(const CellSpec& cell, const DirectionTrace<Real>& trace, std::size_t s, std::size_t H, const Real* from_above,
                            const Real* recurrent, Real* cell_next) {
    const Real* a = &trace.pre[s * 4 * H];
    const Real* act = &trace.act[s * 4 * H];
    const Real* c = &trace.cell[(s + 1) * H];
    const Real* c_prev = &trace.cell[s * H];
    Real* block = ws_.block_signal.data();
    const Real eps = settings_.eps;
    const Real bias_factor = settings_.bias_factor;
    const bool split_output = carries_relevance(settings_, cell, LSTM_LRP_BLOCK_O);
    const bool split_input = carries_relevance(settings_, cell, LSTM_LRP_BLOCK_I);
    const bool split_forget = carries_relevance(settings_, cell, LSTM_LRP_BLOCK_F);
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

      // Accumulation c = i⊙z + f⊙c_prev: the kernels' epsilon rule over two summands, no bias.
      // Where no message passes, both products are exactly 0 here; the kernels multiply by a zero
      // message, which leaves -0 (or NaN) for a negative (or infinite) summand.
      const AccumulationShares<Real> shares =
          split_accumulation(r_c, c[j], act[H + j], act[j], act[2 * H + j], c_prev[j], eps, bias_factor);
      absorbed += static_cast<double>(shares.absorbed);
      const Real r_input_product = shares.passed ? shares.input_product : Real(0);
      const Real r_forget_product = shares.passed ? shares.forget_product : Real(0);

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
  // step's messages and input bias share for finish_input, and y_prev's for finish_step.
  void gate_messages(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, std::size_t s, std::size_t rows) {
    const std::size_t H = layer.hidden_size;
    const CellSpec& cell = layer.cell;
    const DirectionWeights<Real>& w = layer.weights[direction];
    const Real* a = &trace.pre[s * 4 * H];
    Real* messages = &ws_.step_messages[s * 4 * H];

    double spread_x = 0;
    double spread_y = 0;
    for (int k = 0; k < kBlocks; ++k) {
      Real* block_messages = messages + k * H;
      if (!carries_relevance(settings_, cell, k)) {
        // The products read the first `rows` messages only (all of z's under LRP-all).
        if (static_cast<std::size_t>(k) * H < rows) std::fill(block_messages, block_messages + H, Real(0));
        continue;
      }
      const double share = epsilon_messages(a + k * H, w.b.data() + k * H, ws_.block_signal.data() + k * H, H, settings_.eps,
                                            block_messages, ws_.epsilon_scratch.data(), accounts_.absorbed);
      share_bias(layer, k, share, spread_x, spread_y);
    }
    ws_.step_spread[s] = static_cast<Real>(spread_x);
    recurrent_spread_ = spread_y;
  }

  // Block k's map bias share (bias and stabiliser): the part 1 - bias_factor is absorbed, the
  // rest spread evenly over the map's inputs, x and y_prev (absorbed too when it has none).
  void share_bias(const Layer<Real>& layer, int k, double share, double& spread_x, double& spread_y) {
    const double bias_factor = static_cast<double>(settings_.bias_factor);
    accounts_.absorbed += (1 - bias_factor) * share;
    const std::size_t fan_in = layer.cell.fan_in(k, layer.input_size, layer.hidden_size);
    if (fan_in == 0) {
      accounts_.absorbed += bias_factor * share;
      return;
    }
    const double per_input = bias_factor * share / static_cast<double>(fan_in);
    if (layer.cell.input_connected[k]) spread_x += per_input;
    if (layer.cell.recurrent_connected[k]) spread_y += per_input;
  }

  SequenceJob<Real>& job_;
  const ExplainSettings<Real>& settings_;
  BackwardWorkspace<Real>& ws_;
  GruDirectionRelevance<Real> gru_;
  Accounts accounts_;
  double relevance_in_ = 0;
  double recurrent_spread_ = 0;  // the current step's bias share per input of y_prev
};

// An LSTM direction of layer l for a group's sequences, step by step from the longest
// sequence's last processing step down: the sequences still running at a step multiply
// Uᵀ m as one product, and after the first step every step's Wᵀ m of the direction is another.
template <typename Real>
void lstm_direction_in_lockstep(std::vector<SequenceRelevance<Real>>& sequences, std::size_t l, int d, std::size_t longest,
                                ProductRows<Real>& products) {
  const Layer<Real>& layer = sequences[0].model().layers[l];
  const std::size_t H = layer.hidden_size;
  const std::size_t rows = relevant_rows(sequences[0].settings(), layer.cell, H);
  const DirectionWeights<Real>& w = layer.weights[d];
  for (SequenceRelevance<Real>& sequence : sequences) sequence.start_direction(H);
  for (std::size_t s = longest; s-- > 0;) {
    products.clear();
    for (SequenceRelevance<Real>& sequence : sequences)
      if (s < sequence.steps()) sequence.step(l, d, s, rows, products);
    products.multiply(w.U.data(), rows, H);
    for (SequenceRelevance<Real>& sequence : sequences)
      if (s < sequence.steps()) sequence.finish_step(l, d, s);
  }
  products.clear();
  for (SequenceRelevance<Real>& sequence : sequences) sequence.end_direction(l, products);
  products.multiply(w.W.data(), rows, layer.input_size);
  for (SequenceRelevance<Real>& sequence : sequences) sequence.finish_input(l, d);
}

// A GRU direction likewise, with two products per step: U_n's block (the candidate map's
// reset products or q map), then the r and u blocks (the gate maps), whose messages depend on
// the first product's result; the second is left out when the gates receive nothing.
template <typename Real>
void gru_direction_in_lockstep(std::vector<SequenceRelevance<Real>>& sequences, std::size_t l, int d, std::size_t longest,
                               ProductRows<Real>& products) {
  const Layer<Real>& layer = sequences[0].model().layers[l];
  const std::size_t H = layer.hidden_size;
  const std::size_t I = layer.input_size;
  const DirectionWeights<Real>& w = layer.weights[d];
  const Real* candidate_rows = w.U.data() + 2 * H * H;  // U_n: U's third block of H rows
  const std::size_t first_row = gru_first_relevant_row(sequences[0].settings(), H);
  for (SequenceRelevance<Real>& sequence : sequences) sequence.start_gru_direction(l, d);
  for (std::size_t s = longest; s-- > 0;) {
    products.clear();
    for (SequenceRelevance<Real>& sequence : sequences)
      if (s < sequence.steps()) sequence.gru_step(l, d, s, products);
    products.multiply(candidate_rows, H, H);
    products.clear();
    for (SequenceRelevance<Real>& sequence : sequences)
      if (s < sequence.steps()) sequence.gru_reset_step(products);
    if (first_row == 0) products.multiply(w.U.data(), 2 * H, H);
    for (SequenceRelevance<Real>& sequence : sequences)
      if (s < sequence.steps()) sequence.gru_finish_step();
  }
  products.clear();
  for (SequenceRelevance<Real>& sequence : sequences) sequence.end_gru_direction(products);
  products.multiply(w.W.data() + first_row * I, 3 * H - first_row, I);
  for (SequenceRelevance<Real>& sequence : sequences) sequence.finish_gru_input(l);
}

}  // namespace

// The backward passes of a group's sequences, layer direction by layer direction in lockstep
// (above), so that each tile of a product's rows reads the weights once for up to four
// sequences. A product's rows do not depend on each other (simd/kernels.h), so each
// sequence's results are those of running it alone.
template <typename Real>
void explain_lrp_group(SequenceJob<Real>* jobs, std::size_t count) {
  const Model<Real>& model = jobs[0].model;
  std::vector<SequenceRelevance<Real>> sequences;
  sequences.reserve(count);
  std::size_t longest = 0;
  for (std::size_t k = 0; k < count; ++k) {
    sequences.emplace_back(jobs[k]);
    sequences.back().start();
    longest = std::max(longest, jobs[k].trace.steps);
  }
  ProductRows<Real>& products = jobs[0].workspace.product_rows;
  for (std::size_t l = model.layers.size(); l-- > 0;) {
    const Layer<Real>& layer = model.layers[l];
    for (SequenceRelevance<Real>& sequence : sequences) sequence.start_layer(l);
    for (int d = 0; d < layer.directions; ++d) {
      if (layer.cell.gru)
        gru_direction_in_lockstep(sequences, l, d, longest, products);
      else
        lstm_direction_in_lockstep(sequences, l, d, longest, products);
    }
  }
  for (SequenceRelevance<Real>& sequence : sequences) sequence.finish();
}

template <typename Real>
void explain_lrp(SequenceJob<Real>& job) {
  explain_lrp_group(&job, 1);
}

template void explain_lrp_group<float>(SequenceJob<float>*, std::size_t);
template void explain_lrp_group<double>(SequenceJob<double>*, std::size_t);
template void explain_lrp<float>(SequenceJob<float>&);
template void explain_lrp<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
