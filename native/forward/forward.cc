#include "forward.h"

#include <algorithm>

#include "../model/projection_table.h"
#include "../simd/gemv.h"
#include "activation_arrays.h"

namespace lstm_lrp {
namespace {

// One step of the cell after its pre-activations a are complete: activations, cell
// state, cell output and output y of processing step s, which also goes to layer_output.
template <typename Real>
void cell_step(const CellSpec& cell, const Kernels<Real>& kernel, std::size_t H, std::size_t s, DirectionTrace<Real>& trace,
               Real* layer_output) {
  const Real* a = &trace.pre[s * 4 * H];
  Real* act = &trace.act[s * 4 * H];
  const Real* c_prev = &trace.cell[s * H];
  Real* c = &trace.cell[(s + 1) * H];
  Real* hc = &trace.cell_output[s * H];
  Real* y = &trace.output[(s + 1) * H];

  cell_input(cell.g, kernel, a, act, H);
  if (cell.block_active[LSTM_LRP_BLOCK_I] && cell.block_active[LSTM_LRP_BLOCK_F] && cell.block_active[LSTM_LRP_BLOCK_O]) {
    kernel.sigmoid(a + H, act + H, 3 * H);  // the three gates are contiguous: one call
  } else {
    for (int k = LSTM_LRP_BLOCK_I; k < kBlocks; ++k) {
      Real* gate = act + k * H;
      if (cell.block_active[k])
        kernel.sigmoid(a + k * H, gate, H);
      else
        std::fill(gate, gate + H, Real(1));
    }
  }
  kernel.cell_state(act, act + H, act + 2 * H, c_prev, static_cast<Real>(cell.g_scale), c, H);
  cell_output(cell.h, kernel, c, hc, H);
  kernel.cell_output(hc, act + 3 * H, static_cast<Real>(cell.h_scale), y, layer_output, H);
}

// A GRU step once its r and u pre-activations are complete (processing step s): r and u, and
// where the reset gate comes before U_n, the reset product r ⊙ h' that U_n multiplies.
template <typename Real>
void gru_gates(const CellSpec& cell, const Kernels<Real>& kernel, std::size_t H, std::size_t s, DirectionTrace<Real>& trace,
               const AlignedVector<Real>& b_hn) {
  Real* act = &trace.act[s * 3 * H];
  kernel.sigmoid(&trace.pre[s * 3 * H], act, 2 * H);  // r and u are contiguous: one call
  Real* reset_signal = &trace.reset_signal[s * H];
  if (cell.reset_after) {
    std::copy(b_hn.begin(), b_hn.end(), reset_signal);  // q = b_hn + U_n h', the product added next
    return;
  }
  const Real* h_prev = &trace.output[s * H];
  for (std::size_t j = 0; j < H; ++j) reset_signal[j] = act[j] * h_prev[j];
}

// The rest of the GRU step once U_n's product is in: the candidate n and the state h.
template <typename Real>
void gru_state(const CellSpec& cell, const Kernels<Real>& kernel, std::size_t H, std::size_t s, DirectionTrace<Real>& trace) {
  Real* a = &trace.pre[s * 3 * H];
  Real* act = &trace.act[s * 3 * H];
  const Real* r = act;
  const Real* u = act + H;
  Real* n = act + 2 * H;
  const Real* q = &trace.reset_signal[s * H];
  if (cell.reset_after)
    for (std::size_t j = 0; j < H; ++j) a[2 * H + j] += r[j] * q[j];
  kernel.tanh(a + 2 * H, n, H);
  const Real* h_prev = &trace.output[s * H];
  Real* h = &trace.output[(s + 1) * H];
  for (std::size_t j = 0; j < H; ++j) h[j] = (Real(1) - u[j]) * n[j] + u[j] * h_prev[j];
}

// The table's rows are scattered over megabytes, one per token: fetching a few steps ahead
// overlaps their cache misses instead of waiting for each row in turn.
constexpr std::size_t kRowsAhead = 4;

// The table row of a sequence's processing step s (null without a table or tokens).
template <typename Real>
class TableRows {
 public:
  TableRows(const Real* table, std::size_t gates, int direction) : table_(table), gates_(gates), direction_(direction) {}

  const Real* at(const SequenceTrace<Real>& trace, std::size_t s) const {
    if (table_ == nullptr || trace.tokens.empty()) return nullptr;
    return table_ + static_cast<std::size_t>(trace.tokens[time_of_step(direction_, s, trace.steps)]) * gates_;
  }

 private:
  const Real* table_;
  std::size_t gates_;
  int direction_;
};

template <typename Real>
void prefetch_row(const Real* row, std::size_t count) {
  const char* bytes = reinterpret_cast<const char*>(row);
  for (std::size_t offset = 0; offset < count * sizeof(Real); offset += kCacheLine) __builtin_prefetch(bytes + offset);
}

// One direction of one layer for every sequence of the group. inputs[n] is sequence
// n's layer input ([T_n, I]); order lists the sequences longest first, so the ones still
// running at step s are a prefix of it. When prepared (run_forward_group_prepared), every
// trace's pre already holds the input projections b + W x, inputs are not read, and trace n
// resumes at processing step resume[n][direction] (0 without resume).
template <typename Real>
void run_direction(const Model<Real>& model, const Layer<Real>& layer, int direction, SequenceTrace<Real>* const* traces,
                   const std::vector<std::size_t>& order, const std::vector<const Real*>& inputs, std::size_t l, bool prepared,
                   const ResumeSteps* resume, ProductRows<Real>& rows) {
  const std::size_t H = layer.hidden_size;
  const std::size_t I = layer.input_size;
  const std::size_t D = layer.output_size();
  const std::size_t G = layer.gate_rows();
  const bool gru = layer.cell.gru;
  const DirectionWeights<Real>& w = layer.weights[direction];
  const Kernels<Real>& kernel = kernels<Real>();
  const auto trace_of = [&](std::size_t n) -> DirectionTrace<Real>& {
    return traces[n]->directions[l][static_cast<std::size_t>(direction)];
  };

  // The input projections b + W x of every step of every sequence: one matrix product, or
  // for tokens in layer 0 rows of the model's table (the same bits, model/projection_table.h),
  // which an LSTM's recurrent products start from instead of a copy (a GRU's U covers only
  // two of its three blocks, so its rows are copied).
  const TableRows<Real> table_rows(l == 0 && !prepared ? projection_rows(model, direction) : nullptr, G, direction);
  // The row an LSTM step's recurrent product starts from, if any.
  const auto start_row = [&](const SequenceTrace<Real>& sequence, std::size_t s) { return gru ? nullptr : table_rows.at(sequence, s); };
  rows.clear();
  for (std::size_t n : order) {
    const std::size_t steps = traces[n]->steps;
    DirectionTrace<Real>& trace = trace_of(n);
    trace.pre.resize(steps * G);
    trace.act.resize(steps * G);
    // Rows 1.. are written step by step; only the initial states c_0 = y_0 = 0 need filling.
    trace.cell.resize(gru ? 0 : (steps + 1) * H);
    if (!gru) std::fill(trace.cell.begin(), trace.cell.begin() + H, Real(0));
    trace.cell_output.resize(gru ? 0 : steps * H);
    trace.reset_signal.resize(gru ? steps * H : 0);
    trace.output.resize((steps + 1) * H);
    std::fill(trace.output.begin(), trace.output.begin() + H, Real(0));
    if (prepared) continue;
    if (table_rows.at(*traces[n], 0) != nullptr) {
      // Step 0 has no recurrent product: its pre-activations are its row. A GRU copies every
      // step's row; an LSTM's later steps start their products from theirs (the recurrence).
      const std::size_t copied = gru ? steps : 1;
      for (std::size_t s = 1; s < steps && s <= kRowsAhead; ++s) prefetch_row(table_rows.at(*traces[n], s), G);
      for (std::size_t s = 0; s < copied; ++s) {
        if (s + kRowsAhead < copied) prefetch_row(table_rows.at(*traces[n], s + kRowsAhead), G);
        const Real* row = table_rows.at(*traces[n], s);
        std::copy(row, row + G, &trace.pre[s * G]);
      }
      continue;
    }
    for (std::size_t s = 0; s < steps; ++s) rows.add_from(inputs[n] + time_of_step(direction, s, steps) * I, w.b.data(), &trace.pre[s * G]);
  }
  if (!rows.outputs.empty()) rows.multiply(w.Wt.data(), I, G, padded_stride<Real>(G));
  const auto resumes_at = [&](std::size_t n) { return resume != nullptr ? resume[n][static_cast<std::size_t>(direction)] : 0; };

  // The recurrence: U y_{s-1} for every running sequence at once (y_0 = 0 adds nothing).
  // A GRU's Ut covers r and u; U_n's product follows once r is known.
  const std::size_t recurrent_rows = gru ? 2 * H : G;
  const std::size_t longest = traces[order.front()]->steps;
  std::size_t running = order.size();
  for (std::size_t s = 0; s < longest; ++s) {
    while (traces[order[running - 1]]->steps <= s) --running;
    if (s > 0) {
      rows.clear();
      for (std::size_t k = 0; k < running; ++k) {
        if (resumes_at(order[k]) > s) continue;
        DirectionTrace<Real>& trace = trace_of(order[k]);
        const SequenceTrace<Real>& sequence = *traces[order[k]];
        if (const Real* projection = start_row(sequence, s)) {
          if (s + kRowsAhead < sequence.steps) prefetch_row(table_rows.at(sequence, s + kRowsAhead), G);
          rows.add_from(&trace.output[s * H], projection, &trace.pre[s * G]);
        } else {
          rows.add(&trace.output[s * H], &trace.pre[s * G]);
        }
      }
      rows.multiply(w.Ut.data(), H, recurrent_rows, padded_stride<Real>(recurrent_rows));
    }
    if (gru) {
      rows.clear();
      for (std::size_t k = 0; k < running; ++k) {
        if (resumes_at(order[k]) > s) continue;
        DirectionTrace<Real>& trace = trace_of(order[k]);
        gru_gates(layer.cell, kernel, H, s, trace, w.b_hn);
        if (s == 0) continue;  // h_0 = 0: U_n adds nothing
        if (layer.cell.reset_after)
          rows.add(&trace.output[s * H], &trace.reset_signal[s * H]);
        else
          rows.add(&trace.reset_signal[s * H], &trace.pre[s * G + 2 * H]);
      }
      if (!rows.outputs.empty()) rows.multiply(w.Unt.data(), H, H, padded_stride<Real>(H));
    }
    for (std::size_t k = 0; k < running; ++k) {
      const std::size_t n = order[k];
      if (resumes_at(n) > s) continue;
      DirectionTrace<Real>& trace = trace_of(n);
      const std::size_t t = time_of_step(direction, s, traces[n]->steps);
      Real* layer_output = traces[n]->layer_outputs[l].data() + t * D + direction * H;
      if (gru) {
        gru_state(layer.cell, kernel, H, s, trace);
        const Real* y = &trace.output[(s + 1) * H];
        std::copy(y, y + H, layer_output);
      } else {
        cell_step(layer.cell, kernel, H, s, trace, layer_output);
      }
    }
  }
}

// The forward passes of the group; first_layer_prepared and resume: see run_direction.
template <typename Real>
void forward_group(const Model<Real>& model, SequenceTrace<Real>* const* traces, std::size_t count, bool first_layer_prepared,
                   const ResumeSteps* resume) {
  const std::size_t layer_count = model.layers.size();
  std::vector<std::size_t> order(count);
  for (std::size_t n = 0; n < count; ++n) order[n] = n;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return traces[a]->steps > traces[b]->steps; });

  std::vector<const Real*> inputs(count);
  for (std::size_t n = 0; n < count; ++n) {
    inputs[n] = traces[n]->input.data();
    traces[n]->layer_outputs.resize(layer_count);
    traces[n]->directions.resize(layer_count);
  }
  ProductRows<Real> rows;
  for (std::size_t l = 0; l < layer_count; ++l) {
    const Layer<Real>& layer = model.layers[l];
    for (std::size_t n = 0; n < count; ++n) {
      traces[n]->layer_outputs[l].resize(traces[n]->steps * layer.output_size());
      traces[n]->directions[l].resize(static_cast<std::size_t>(layer.directions));
    }
    for (int d = 0; d < layer.directions; ++d)
      run_direction(model, layer, d, traces, order, inputs, l, first_layer_prepared && l == 0, l == 0 ? resume : nullptr, rows);
    for (std::size_t n = 0; n < count; ++n) inputs[n] = traces[n]->layer_outputs[l].data();
  }

  for (std::size_t n = 0; n < count; ++n) {
    read_head_input(model, traces[n]->steps, traces[n]->layer_outputs.back(), traces[n]->head_input);
    apply_head(model, traces[n]->head_input, true, traces[n]->scores);
  }
}

}  // namespace

template <typename Real>
void run_forward(const Model<Real>& model, SequenceTrace<Real>& trace) {
  SequenceTrace<Real>* one = &trace;
  run_forward_group(model, &one, 1);
}

template <typename Real>
void run_forward_group(const Model<Real>& model, SequenceTrace<Real>* const* traces, std::size_t count) {
  forward_group(model, traces, count, false, nullptr);
}

template <typename Real>
void run_forward_group_prepared(const Model<Real>& model, SequenceTrace<Real>* const* traces, const ResumeSteps* resume,
                                std::size_t count) {
  forward_group(model, traces, count, true, resume);
}

template <typename Real>
void read_head_input(const Model<Real>& model, std::size_t steps, const AlignedVector<Real>& top_output, AlignedVector<Real>& head_input) {
  if (model.readout == LSTM_LRP_READOUT_EACH) {
    head_input = top_output;
    return;
  }
  // The final state of each direction: y_fwd(T) and y_bwd(1).
  const Layer<Real>& top = model.layers.back();
  const std::size_t D = model.head_input_size;
  const std::size_t H = top.hidden_size;
  head_input.resize(D);
  std::copy(&top_output[(steps - 1) * D], &top_output[(steps - 1) * D] + H, head_input.begin());
  if (top.directions == 2) std::copy(&top_output[H], &top_output[2 * H], head_input.begin() + H);
}

template <typename Real>
void apply_head(const Model<Real>& model, const AlignedVector<Real>& head_input, bool with_bias, AlignedVector<Real>& scores) {
  const std::size_t C = model.outputs;
  const std::size_t D = model.head_input_size;
  const std::size_t rows = head_input.size() / D;
  scores.resize(rows * C);
  for (std::size_t r = 0; r < rows; ++r) {
    if (with_bias)
      std::copy(model.head_bias.begin(), model.head_bias.end(), &scores[r * C]);
    else
      std::fill(&scores[r * C], &scores[(r + 1) * C], Real(0));
    gemv_accumulate(model.head_weight.data(), C, D, &head_input[r * D], &scores[r * C]);
  }
}

template void run_forward<float>(const Model<float>&, SequenceTrace<float>&);
template void run_forward<double>(const Model<double>&, SequenceTrace<double>&);
template void run_forward_group<float>(const Model<float>&, SequenceTrace<float>* const*, std::size_t);
template void run_forward_group<double>(const Model<double>&, SequenceTrace<double>* const*, std::size_t);
template void run_forward_group_prepared<float>(const Model<float>&, SequenceTrace<float>* const*, const ResumeSteps*, std::size_t);
template void run_forward_group_prepared<double>(const Model<double>&, SequenceTrace<double>* const*, const ResumeSteps*, std::size_t);
template void read_head_input<float>(const Model<float>&, std::size_t, const AlignedVector<float>&, AlignedVector<float>&);
template void read_head_input<double>(const Model<double>&, std::size_t, const AlignedVector<double>&, AlignedVector<double>&);
template void apply_head<float>(const Model<float>&, const AlignedVector<float>&, bool, AlignedVector<float>&);
template void apply_head<double>(const Model<double>&, const AlignedVector<double>&, bool, AlignedVector<double>&);

}  // namespace lstm_lrp
