#include "bptt.h"

#include <algorithm>

#include "../forward/activations.h"
#include "../forward/forward.h"
#include "../simd/gemv.h"
#include "gru_bptt.h"

namespace lstm_lrp {
namespace {

template <typename Real>
class DirectionGradient {
 public:
  DirectionGradient(BackwardWorkspace<Real>& ws, ParameterGradients<Real>* parameters) : ws_(ws), parameters_(parameters) {}

  void operator()(std::size_t layer_index, const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, const Real* x,
                  const Real* output_gradient, Real* input_gradient) const {
    const std::size_t H = layer.hidden_size;
    const std::size_t I = layer.input_size;
    const std::size_t D = layer.output_size();
    const std::size_t steps = trace.output.size() / H - 1;
    const CellSpec& cell = layer.cell;
    DirectionWeights<Real>* grads = parameters_ ? &parameters_->layers[layer_index][static_cast<std::size_t>(direction)] : nullptr;
    if (cell.gru) {
      gru_direction_gradient(layer, direction, trace, steps, x, output_gradient, input_gradient, grads, ws_.recurrent_signal.data(),
                             ws_.block_signal.data(), ws_.recurrent_product.data());
      return;
    }
    const DirectionWeights<Real>& w = layer.weights[direction];
    Real* recurrent = ws_.recurrent_signal.data();
    Real* cell_next = ws_.cell_signal.data();
    Real* block = ws_.block_signal.data();
    std::fill(recurrent, recurrent + H, Real(0));
    std::fill(cell_next, cell_next + H, Real(0));

    for (std::size_t s = steps; s-- > 0;) {
      const std::size_t t = time_of_step(direction, s, steps);
      const Real* y_prev = &trace.output[s * H];
      gradient_step(cell, H, trace, s, output_gradient + t * D + direction * H, recurrent, cell_next, block);
      gemv_transposed_accumulate(w.Wp.data(), 4 * H, I, padded_stride<Real>(I), block, input_gradient + t * I);
      std::fill(recurrent, recurrent + H, Real(0));
      gemv_transposed_accumulate(w.Up.data(), 4 * H, H, padded_stride<Real>(H), block, recurrent);
      if (grads == nullptr) continue;
      rank_one_accumulate(grads->W.data(), 4 * H, I, block, x + t * I);
      rank_one_accumulate(grads->U.data(), 4 * H, H, block, y_prev);
      for (std::size_t k = 0; k < 4 * H; ++k) grads->b[k] += block[k];
    }
  }

 private:
  BackwardWorkspace<Real>& ws_;
  ParameterGradients<Real>* parameters_;
};

}  // namespace

template <typename Real>
void ParameterGradients<Real>::zero_like(const Model<Real>& model) {
  layers.resize(model.layers.size());
  for (std::size_t l = 0; l < model.layers.size(); ++l) {
    const Layer<Real>& layer = model.layers[l];
    layers[l].resize(static_cast<std::size_t>(layer.directions));
    for (int d = 0; d < layer.directions; ++d) {
      DirectionWeights<Real>& g = layers[l][static_cast<std::size_t>(d)];
      g.W.assign(layer.weights[d].W.size(), Real(0));
      g.U.assign(layer.weights[d].U.size(), Real(0));
      g.b.assign(layer.weights[d].b.size(), Real(0));
      g.b_hn.assign(layer.weights[d].b_hn.size(), Real(0));
    }
  }
  head_weight.assign(model.head_weight.size(), Real(0));
  head_bias.assign(model.head_bias.size(), Real(0));
}

template <typename Real>
void backpropagate(const Model<Real>& model, const SequenceTrace<Real>& trace, const Real* output_gradient, BackwardWorkspace<Real>& ws,
                   Real* input_gradient, ParameterGradients<Real>* parameters) {
  const std::size_t steps = trace.steps;
  const std::size_t rows = score_rows(model, steps);
  const std::size_t C = model.outputs;
  const std::size_t D = model.head_input_size;
  prepare_workspace(model, steps, ws);

  ws.head_signal.assign(rows * D, Real(0));
  for (std::size_t r = 0; r < rows; ++r) {
    gemv_transposed_accumulate(model.head_weight.data(), C, D, D, output_gradient + r * C, &ws.head_signal[r * D]);
    if (parameters == nullptr) continue;
    rank_one_accumulate(parameters->head_weight.data(), C, D, output_gradient + r * C, &trace.head_input[r * D]);
    for (std::size_t k = 0; k < C; ++k) parameters->head_bias[k] += output_gradient[r * C + k];
  }
  scatter_head_signal(model, steps, ws.head_signal.data(), ws.layer_signal.back().data());
  backward_through_layers(model, trace, ws, input_gradient, DirectionGradient<Real>(ws, parameters));
}

template struct ParameterGradients<float>;
template struct ParameterGradients<double>;
template void backpropagate<float>(const Model<float>&, const SequenceTrace<float>&, const float*, BackwardWorkspace<float>&, float*,
                                   ParameterGradients<float>*);
template void backpropagate<double>(const Model<double>&, const SequenceTrace<double>&, const double*, BackwardWorkspace<double>&, double*,
                                    ParameterGradients<double>*);

}  // namespace lstm_lrp
