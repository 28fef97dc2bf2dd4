#include "forward.h"

#include <algorithm>

#include "../simd/gemv.h"
#include "activations.h"

namespace lstm_lrp {
namespace {

template <typename Real>
void run_direction(const Layer<Real>& layer, int direction, const Real* x, std::size_t steps,
                   DirectionTrace<Real>& trace, Real* layer_output) {
  const std::size_t H = layer.hidden_size;
  const std::size_t I = layer.input_size;
  const std::size_t D = layer.output_size();
  const CellSpec& cell = layer.cell;
  const DirectionWeights<Real>& w = layer.weights[direction];
  const Real g_scale = static_cast<Real>(cell.g_scale);
  const Real h_scale = static_cast<Real>(cell.h_scale);

  trace.pre.resize(steps * 4 * H);
  trace.act.resize(steps * 4 * H);
  trace.cell.assign((steps + 1) * H, Real(0));
  trace.cell_output.resize(steps * H);
  trace.output.assign((steps + 1) * H, Real(0));

  for (std::size_t s = 0; s < steps; ++s) {
    const std::size_t t = time_of_step(direction, s, steps);
    Real* a = &trace.pre[s * 4 * H];
    Real* act = &trace.act[s * 4 * H];
    const Real* y_prev = &trace.output[s * H];
    const Real* c_prev = &trace.cell[s * H];
    Real* c = &trace.cell[(s + 1) * H];
    Real* hc = &trace.cell_output[s * H];
    Real* y = &trace.output[(s + 1) * H];

    std::copy(w.b.begin(), w.b.end(), a);
    gemv_accumulate(w.W.data(), 4 * H, I, x + t * I, a);
    gemv_accumulate(w.U.data(), 4 * H, H, y_prev, a);

    for (std::size_t j = 0; j < H; ++j) act[j] = g_scale * g_activation(cell.g, a[j]);
    for (int k = LSTM_LRP_BLOCK_I; k < kBlocks; ++k) {
      Real* gate = act + k * H;
      const Real* gate_pre = a + k * H;
      if (cell.block_active[k])
        for (std::size_t j = 0; j < H; ++j) gate[j] = sigmoid(gate_pre[j]);
      else
        std::fill(gate, gate + H, Real(1));
    }
    const Real* z = act;
    const Real* i = act + H;
    const Real* f = act + 2 * H;
    const Real* o = act + 3 * H;
    for (std::size_t j = 0; j < H; ++j) {
      c[j] = i[j] * z[j] + f[j] * c_prev[j];
      hc[j] = h_scale * h_activation(cell.h, c[j]);
      y[j] = o[j] * hc[j];
    }
    std::copy(y, y + H, layer_output + t * D + direction * H);
  }
}

}  // namespace

template <typename Real>
void run_forward(const Model<Real>& model, SequenceTrace<Real>& trace) {
  const std::size_t steps = trace.steps;
  const std::size_t layer_count = model.layers.size();
  trace.layer_outputs.resize(layer_count);
  trace.directions.resize(layer_count);

  const Real* x = trace.input.data();
  for (std::size_t l = 0; l < layer_count; ++l) {
    const Layer<Real>& layer = model.layers[l];
    trace.layer_outputs[l].resize(steps * layer.output_size());
    trace.directions[l].resize(static_cast<std::size_t>(layer.directions));
    for (int d = 0; d < layer.directions; ++d)
      run_direction(layer, d, x, steps, trace.directions[l][static_cast<std::size_t>(d)], trace.layer_outputs[l].data());
    x = trace.layer_outputs[l].data();
  }

  const Layer<Real>& top = model.layers.back();
  const std::size_t D = model.head_input_size;
  const std::size_t H = top.hidden_size;
  if (model.readout == LSTM_LRP_READOUT_LAST) {
    // The final state of each direction: y_fwd(T) and y_bwd(1).
    trace.head_input.resize(D);
    const std::vector<Real>& top_output = trace.layer_outputs.back();
    std::copy(&top_output[(steps - 1) * D], &top_output[(steps - 1) * D] + H, trace.head_input.begin());
    if (top.directions == 2) std::copy(&top_output[H], &top_output[2 * H], trace.head_input.begin() + H);
  } else {
    trace.head_input = trace.layer_outputs.back();
  }

  const std::size_t rows = score_rows(model, steps);
  const std::size_t C = model.outputs;
  trace.scores.resize(rows * C);
  for (std::size_t r = 0; r < rows; ++r) {
    std::copy(model.head_bias.begin(), model.head_bias.end(), &trace.scores[r * C]);
    gemv_accumulate(model.head_weight.data(), C, D, &trace.head_input[r * D], &trace.scores[r * C]);
  }
}

template void run_forward<float>(const Model<float>&, SequenceTrace<float>&);
template void run_forward<double>(const Model<double>&, SequenceTrace<double>&);

}  // namespace lstm_lrp
