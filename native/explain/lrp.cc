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

// What an LSTM direction's pass adds up on its own (its steps may run beside the other
// direction's), added to the sequence's once its pass is done.
struct DirectionAccounts {
  Accounts accounts;
  double recurrent_spread = 0;  // the current step's bias share per input of y_prev
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
      gemv_transposed_accumulate(model.head_weight.data(), C, D, D, ws_.messages.data(), head_relevance);
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

  // An LSTM direction of `layer` in buffers and sums `slot`, which start afresh.
  void start_direction(const Layer<Real>& layer, int direction, int slot) {
    slot_[direction] = slot;
    const std::size_t H = layer.hidden_size;
    LstmRelevanceBuffers<Real>& buf = ws_.lstm[slot];
    buf.block_signal.resize(4 * H);
    buf.recurrent_signal.assign(H, Real(0));
    buf.cell_signal.assign(H, Real(0));
    buf.recurrent_product.assign(H, Real(0));
    buf.step_messages.resize(job_.trace.steps * 4 * H);
    buf.step_spread.resize(job_.trace.steps);
    slot_sums_[slot] = DirectionAccounts{};
  }

  // Step s of layer l's direction up to its gate-map messages; adds the product Uᵀ m to `products`.
  void step(std::size_t l, int direction, std::size_t s, std::size_t rows, ProductRows<Real>& products) {
    const Layer<Real>& layer = job_.model.layers[l];
    const DirectionTrace<Real>& trace = direction_trace(l, direction);
    const std::size_t H = layer.hidden_size;
    LstmRelevanceBuffers<Real>& buf = buffers(direction);
    const Real* from_above = signal_from_above(l, direction, s);
    if (gates_take_nothing(layer.cell)) {
      cell_input_step(layer, direction, trace, s, from_above);
    } else {
      split_cell_relevance(layer.cell, direction, trace, s, H, from_above);
      gate_messages(layer, direction, trace, s, rows);
      std::fill(buf.recurrent_product.begin(), buf.recurrent_product.end(), Real(0));
    }
    products.add(&buf.step_messages[s * 4 * H], buf.recurrent_product.data());
  }

  // R(y_prev) = y_prev ⊙ (Uᵀ m) + the bias share, once `products` has been multiplied. When no
  // gate takes relevance, the next step's kernel forms it from the product itself, so only the
  // last step (s = 0, whose y_prev is the initial state) needs it here.
  void finish_step(std::size_t l, int direction, std::size_t s) {
    const Layer<Real>& layer = job_.model.layers[l];
    if (s > 0 && gates_take_nothing(layer.cell)) return;
    const std::size_t H = layer.hidden_size;
    LstmRelevanceBuffers<Real>& buf = buffers(direction);
    kernels<Real>().multiply_add_constant(&direction_trace(l, direction).output[s * H], buf.recurrent_product.data(),
                                          static_cast<Real>(sums_of(direction).recurrent_spread), buf.recurrent_signal.data(), H);
  }

  // After the direction's first step: what reached the initial state, and every step's
  // input product Wᵀ m added to `products` (nothing in the recurrence depends on them).
  void end_direction(std::size_t l, int direction, ProductRows<Real>& products) {
    const Layer<Real>& layer = job_.model.layers[l];
    const std::size_t H = layer.hidden_size;
    const std::size_t I = layer.input_size;
    const std::size_t steps = job_.trace.steps;
    LstmRelevanceBuffers<Real>& buf = buffers(direction);
    double& initial_state = sums_of(direction).accounts.initial_state;
    for (std::size_t j = 0; j < H; ++j) initial_state += static_cast<double>(buf.recurrent_signal[j] + buf.cell_signal[j]);
    buf.step_input_product.resize(steps * I);
    for (std::size_t s = 0; s < steps; ++s) products.add_from(&buf.step_messages[s * 4 * H], nullptr, &buf.step_input_product[s * I]);
  }

  // R_x = x ⊙ (Wᵀ m) + the bias share, added to the signal at layer l's input; the direction's
  // sums join the sequence's.
  void finish_input(std::size_t l, int direction) {
    const std::size_t I = job_.model.layers[l].input_size;
    const std::size_t steps = job_.trace.steps;
    const LstmRelevanceBuffers<Real>& buf = buffers(direction);
    const Real* x = layer_input(l);
    Real* x_relevance = layer_input_signal(l);
    for (std::size_t s = steps; s-- > 0;) {
      const std::size_t t = time_of_step(direction, s, steps);
      kernels<Real>().add_multiply_add_constant(&x[t * I], &buf.step_input_product[s * I], buf.step_spread[s], &x_relevance[t * I], I);
    }
    accounts_.absorbed += sums_of(direction).accounts.absorbed;
    accounts_.initial_state += sums_of(direction).accounts.initial_state;
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
  LstmRelevanceBuffers<Real>& buffers(int direction) const { return ws_.lstm[slot_[direction]]; }
  DirectionAccounts& sums_of(int direction) { return slot_sums_[slot_[direction]]; }

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
    LstmRelevanceBuffers<Real>& buf = buffers(direction);
    DirectionAccounts& own = sums_of(direction);
    const Real* act = &trace.act[s * 4 * H];
    const bool first = s + 1 == job_.trace.steps;  // the direction's first backward step: no next step
    double sums[3];
    kernels<Real>().lrp_step({from_above, first ? nullptr : &trace.output[(s + 1) * H], buf.recurrent_product.data(),
                              static_cast<Real>(own.recurrent_spread), buf.cell_signal.data(), act + H, act, act + 2 * H,
                              &trace.cell[(s + 1) * H], &trace.cell[s * H], &trace.pre[s * 4 * H], layer.weights[direction].b.data(),
                              &buf.step_messages[s * 4 * H], sums, H, settings_.eps, settings_.bias_factor});
    own.accounts.absorbed += sums[0];
    own.accounts.absorbed += sums[1];
    double spread_x = 0;
    double spread_y = 0;
    share_bias(layer, LSTM_LRP_BLOCK_Z, sums[2], spread_x, spread_y, own.accounts);
    buf.step_spread[s] = static_cast<Real>(spread_x);
    own.recurrent_spread = spread_y;
  }

  // Output product, accumulation, input and forget products of step s: fills
  // ws_.block_signal with the relevance of each block's pre-activation and
  // cell_next with the relevance of c_{s-1}. A gate under rule 'all' gets nothing
  // and its signal everything, so its rule is not called.
  void split_cell_relevance(const CellSpec& cell, int direction, const DirectionTrace<Real>& trace, std::size_t s, std::size_t H,
                            const Real* from_above) {
    LstmRelevanceBuffers<Real>& buf = buffers(direction);
    const Real* recurrent = buf.recurrent_signal.data();
    Real* cell_next = buf.cell_signal.data();
    const Real* a = &trace.pre[s * 4 * H];
    const Real* act = &trace.act[s * 4 * H];
    const Real* c = &trace.cell[(s + 1) * H];
    const Real* c_prev = &trace.cell[s * H];
    Real* block = buf.block_signal.data();
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
    sums_of(direction).accounts.absorbed += absorbed;
  }

  // Epsilon rule through the four gate maps a = W x + U y_prev + b of step s: keeps the
  // step's messages and input bias share for finish_input, and y_prev's for finish_step.
  void gate_messages(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, std::size_t s, std::size_t rows) {
    const std::size_t H = layer.hidden_size;
    const CellSpec& cell = layer.cell;
    const DirectionWeights<Real>& w = layer.weights[direction];
    LstmRelevanceBuffers<Real>& buf = buffers(direction);
    DirectionAccounts& own = sums_of(direction);
    const Real* a = &trace.pre[s * 4 * H];
    Real* messages = &buf.step_messages[s * 4 * H];

    double spread_x = 0;
    double spread_y = 0;
    for (int k = 0; k < kBlocks; ++k) {
      Real* block_messages = messages + k * H;
      if (!carries_relevance(settings_, cell, k)) {
        // The products read the first `rows` messages only (all of z's under LRP-all).
        if (static_cast<std::size_t>(k) * H < rows) std::fill(block_messages, block_messages + H, Real(0));
        continue;
      }
      const double share = epsilon_messages(a + k * H, w.b.data() + k * H, buf.block_signal.data() + k * H, H, settings_.eps,
                                            block_messages, ws_.epsilon_scratch.data(), own.accounts.absorbed);
      share_bias(layer, k, share, spread_x, spread_y, own.accounts);
    }
    buf.step_spread[s] = static_cast<Real>(spread_x);
    own.recurrent_spread = spread_y;
  }

  // Block k's map bias share (bias and stabiliser): the part 1 - bias_factor is absorbed, the
  // rest spread evenly over the map's inputs, x and y_prev (absorbed too when it has none).
  void share_bias(const Layer<Real>& layer, int k, double share, double& spread_x, double& spread_y, Accounts& accounts) const {
    const double bias_factor = static_cast<double>(settings_.bias_factor);
    accounts.absorbed += (1 - bias_factor) * share;
    const std::size_t fan_in = layer.cell.fan_in(k, layer.input_size, layer.hidden_size);
    if (fan_in == 0) {
      accounts.absorbed += bias_factor * share;
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
  DirectionAccounts slot_sums_[2];
  int slot_[2] = {0, 1};  // per direction: its slot of buffers and sums (directions side by side need two)
  double relevance_in_ = 0;
};

// The directions [first, first + count) of LSTM layer l for a group's sequences, step by step
// from the longest sequence's last processing step down, side by side: at each step the
// sequences still running multiply Uᵀ m of each direction as one product per direction, two
// directions' products together. After the first step, each direction's every step's Wᵀ m is
// one product, in order of direction.
template <typename Real>
void lstm_directions_in_lockstep(std::vector<SequenceRelevance<Real>>& sequences, std::size_t l, std::size_t longest, int first, int count,
                                 ProductRows<Real>* const* products) {
  const Layer<Real>& layer = sequences[0].model().layers[l];
  const std::size_t H = layer.hidden_size;
  const std::size_t rows = relevant_rows(sequences[0].settings(), layer.cell, H);
  const std::size_t recurrent_stride = padded_stride<Real>(H);
  for (SequenceRelevance<Real>& sequence : sequences)
    for (int k = 0; k < count; ++k) sequence.start_direction(layer, first + k, k);
  for (std::size_t s = longest; s-- > 0;) {
    for (int k = 0; k < count; ++k) {
      products[k]->clear();
      for (SequenceRelevance<Real>& sequence : sequences)
        if (s < sequence.steps()) sequence.step(l, first + k, s, rows, *products[k]);
    }
    if (count == 2)
      multiply_pair(*products[0], layer.weights[first].Up.data(), *products[1], layer.weights[first + 1].Up.data(), rows, H,
                    recurrent_stride);
    else
      products[0]->multiply(layer.weights[first].Up.data(), rows, H, recurrent_stride);
    for (int d = first; d < first + count; ++d)
      for (SequenceRelevance<Real>& sequence : sequences)
        if (s < sequence.steps()) sequence.finish_step(l, d, s);
  }
  for (int d = first; d < first + count; ++d) {
    products[0]->clear();
    for (SequenceRelevance<Real>& sequence : sequences) sequence.end_direction(l, d, *products[0]);
    products[0]->multiply(layer.weights[d].Wp.data(), rows, layer.input_size, padded_stride<Real>(layer.input_size));
    for (SequenceRelevance<Real>& sequence : sequences) sequence.finish_input(l, d);
  }
}

// LSTM layer l for a group's sequences. A lone sequence runs its two directions side by side,
// so each one's chain of multiply-adds fills the other's waits; a group's tiles of sequences
// already keep the multipliers busy, and its directions run one after the other, which leaves
// more of the caches to each (side by side cost batches 1.5 %).
template <typename Real>
void lstm_layer_in_lockstep(std::vector<SequenceRelevance<Real>>& sequences, std::size_t l, std::size_t longest,
                            ProductRows<Real>* const* products) {
  const int directions = sequences[0].model().layers[l].directions;
  if (sequences.size() == 1 && directions == 2) {
    lstm_directions_in_lockstep(sequences, l, longest, 0, 2, products);
    return;
  }
  for (int d = 0; d < directions; ++d) lstm_directions_in_lockstep(sequences, l, longest, d, 1, products);
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
  const std::size_t recurrent_stride = padded_stride<Real>(H);
  const Real* candidate_rows = w.Up.data() + 2 * H * recurrent_stride;  // U_n: U's third block of H rows
  const std::size_t first_row = gru_first_relevant_row(sequences[0].settings(), H);
  for (SequenceRelevance<Real>& sequence : sequences) sequence.start_gru_direction(l, d);
  for (std::size_t s = longest; s-- > 0;) {
    products.clear();
    for (SequenceRelevance<Real>& sequence : sequences)
      if (s < sequence.steps()) sequence.gru_step(l, d, s, products);
    products.multiply(candidate_rows, H, H, recurrent_stride);
    products.clear();
    for (SequenceRelevance<Real>& sequence : sequences)
      if (s < sequence.steps()) sequence.gru_reset_step(products);
    if (first_row == 0) products.multiply(w.Up.data(), 2 * H, H, recurrent_stride);
    for (SequenceRelevance<Real>& sequence : sequences)
      if (s < sequence.steps()) sequence.gru_finish_step();
  }
  products.clear();
  for (SequenceRelevance<Real>& sequence : sequences) sequence.end_gru_direction(products);
  products.multiply(w.Wp.data() + first_row * padded_stride<Real>(I), 3 * H - first_row, I, padded_stride<Real>(I));
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
  ProductRows<Real>* const both_products[2] = {&products, &jobs[0].workspace.second_product_rows};
  for (std::size_t l = model.layers.size(); l-- > 0;) {
    const Layer<Real>& layer = model.layers[l];
    for (SequenceRelevance<Real>& sequence : sequences) sequence.start_layer(l);
    if (!layer.cell.gru) {
      lstm_layer_in_lockstep(sequences, l, longest, both_products);
      continue;
    }
    for (int d = 0; d < layer.directions; ++d) gru_direction_in_lockstep(sequences, l, d, longest, products);
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
