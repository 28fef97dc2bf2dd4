// Gradient of f = Σ w ⊙ scores with respect to the (embedded) inputs, by
// backpropagation through time; Gradient and Gradient × Input build on it.
#include <algorithm>

#include "../forward/activations.h"
#include "../simd/gemv.h"
#include "../forward/forward.h"
#include "backward.h"

namespace lstm_lrp {
namespace {

template <typename Real>
class DirectionGradient {
 public:
  explicit DirectionGradient(BackwardWorkspace<Real>& ws) : ws_(ws) {}

  void operator()(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, const Real*,
                  const Real* output_gradient, Real* input_gradient) const {
    const std::size_t H = layer.hidden_size;
    const std::size_t I = layer.input_size;
    const std::size_t D = layer.output_size();
    const std::size_t steps = trace.cell_output.size() / H;
    const CellSpec& cell = layer.cell;
    const DirectionWeights<Real>& w = layer.weights[direction];
    const Real g_scale = static_cast<Real>(cell.g_scale);
    const Real h_scale = static_cast<Real>(cell.h_scale);
    Real* recurrent = ws_.recurrent_signal.data();
    Real* cell_next = ws_.cell_signal.data();
    Real* block = ws_.block_signal.data();
    std::fill(recurrent, recurrent + H, Real(0));
    std::fill(cell_next, cell_next + H, Real(0));

    for (std::size_t s = steps; s-- > 0;) {
      const std::size_t t = time_of_step(direction, s, steps);
      const Real* a = &trace.pre[s * 4 * H];
      const Real* act = &trace.act[s * 4 * H];
      const Real* c = &trace.cell[(s + 1) * H];
      const Real* c_prev = &trace.cell[s * H];
      const Real* hc = &trace.cell_output[s * H];
      const Real* from_above = output_gradient + t * D + direction * H;
      for (std::size_t j = 0; j < H; ++j) {
        const Real z = act[j], i = act[H + j], f = act[2 * H + j], o = act[3 * H + j];
        const Real d_y = from_above[j] + recurrent[j];
        const Real d_c = d_y * o * h_scale * h_derivative(cell.h, c[j]) + cell_next[j];
        cell_next[j] = d_c * f;
        block[j] = d_c * i * g_scale * g_derivative(cell.g, a[j]);
        block[H + j] = cell.block_active[LSTM_LRP_BLOCK_I] ? d_c * z * i * (Real(1) - i) : Real(0);
        block[2 * H + j] = cell.block_active[LSTM_LRP_BLOCK_F] ? d_c * c_prev[j] * f * (Real(1) - f) : Real(0);
        block[3 * H + j] = cell.block_active[LSTM_LRP_BLOCK_O] ? d_y * hc[j] * o * (Real(1) - o) : Real(0);
      }
      gemv_transposed_accumulate(w.W.data(), 4 * H, I, block, input_gradient + t * I);
      std::fill(recurrent, recurrent + H, Real(0));
      gemv_transposed_accumulate(w.U.data(), 4 * H, H, block, recurrent);
    }
  }

 private:
  BackwardWorkspace<Real>& ws_;
};

// Leaves ∂f/∂x in job.relevance.
template <typename Real>
void input_gradient(SequenceJob<Real>& job) {
  const Model<Real>& model = job.model;
  BackwardWorkspace<Real>& ws = job.workspace;
  const std::size_t steps = job.trace.steps;
  const std::size_t rows = score_rows(model, steps);
  const std::size_t C = model.outputs;
  const std::size_t D = model.head_input_size;
  prepare_workspace(model, steps, ws);

  ws.output_weights.resize(rows * C);
  for (std::size_t k = 0; k < rows * C; ++k) ws.output_weights[k] = static_cast<Real>(job.target_weights[k]);
  ws.head_signal.assign(rows * D, Real(0));
  for (std::size_t r = 0; r < rows; ++r)
    gemv_transposed_accumulate(model.head_weight.data(), C, D, &ws.output_weights[r * C], &ws.head_signal[r * D]);
  scatter_head_signal(model, steps, ws.head_signal.data(), ws.layer_signal.back().data());

  backward_through_layers(model, job.trace, ws, job.relevance, DirectionGradient<Real>(ws));
  std::fill(job.conservation, job.conservation + LSTM_LRP_CONSERVATION_SIZE, 0.0);
}

}  // namespace

template <typename Real>
void explain_gradient(SequenceJob<Real>& job) {
  input_gradient(job);
  const std::size_t count = job.trace.steps * job.model.input_size;
  for (std::size_t k = 0; k < count; ++k) job.relevance[k] *= job.relevance[k];
  sum_rows(job.relevance, job.trace.steps, job.model.input_size, job.per_step);
}

template <typename Real>
void explain_gradient_x_input(SequenceJob<Real>& job) {
  input_gradient(job);
  const std::size_t count = job.trace.steps * job.model.input_size;
  for (std::size_t k = 0; k < count; ++k) job.relevance[k] *= job.trace.input[k];
  sum_rows(job.relevance, job.trace.steps, job.model.input_size, job.per_step);
}

template void explain_gradient<float>(SequenceJob<float>&);
template void explain_gradient<double>(SequenceJob<double>&);
template void explain_gradient_x_input<float>(SequenceJob<float>&);
template void explain_gradient_x_input<double>(SequenceJob<double>&);

}  // namespace lstm_lrp
