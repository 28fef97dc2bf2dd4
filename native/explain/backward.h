// What every backward pass (relevance or gradient) shares: the job of one
// sequence, its reusable buffers, and the walk from the head down the stack.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "../common/aligned_vector.h"
#include "../common/interleaved_sum.h"
#include "../forward/trace.h"
#include "../simd/gemv.h"
#include "../model/model.h"
#include "gru_lrp.h"
#include "passes.h"
#include "settings.h"

namespace lstm_lrp {

// One LSTM direction's buffers in a sequence's LRP pass: directions that run side by side each
// have their own.
template <typename Real>
struct LstmRelevanceBuffers {
  AlignedVector<Real> block_signal;        // [4H] relevance of the four blocks' pre-activations
  AlignedVector<Real> recurrent_signal;    // [H] relevance of y_prev from the next step
  AlignedVector<Real> cell_signal;         // [H] relevance of c_prev from the next step
  AlignedVector<Real> recurrent_product;   // [H] Uᵀ m of the step
  AlignedVector<Real> step_messages;       // [T, 4H] each step's gate-map messages
  AlignedVector<Real> step_spread;         // [T] each step's bias share per input
  AlignedVector<Real> step_input_product;  // [T, I] Wᵀ m of each step
};

template <typename Real>
struct BackwardWorkspace {
  std::vector<AlignedVector<Real>> layer_signal;             // per layer [T, D_l]: relevance or gradient at its output
  AlignedVector<Real> head_signal;                           // [rows, D]
  AlignedVector<Real> output_weights;                        // [rows, C]
  AlignedVector<Real> messages;                              // [max(C, 4H)]
  AlignedVector<Real> epsilon_scratch;                       // [2 max(C, H)]: epsilon_messages' per-output terms
  AlignedVector<Real> block_signal;                          // [4H]
  AlignedVector<Real> recurrent_signal;                      // [H]
  AlignedVector<Real> cell_signal;                           // [H]
  AlignedVector<Real> input_product;                         // [I]
  AlignedVector<Real> recurrent_product;                     // [H]
  LstmRelevanceBuffers<Real> lstm[2];                        // LRP: an LSTM direction's pass, per direction side by side
  ProductRows<Real> product_rows;                            // pointer lists of gathered products
  ProductRows<Real> second_product_rows;                     // LRP: the second direction's, gathered beside the first's
  GruRelevanceBuffers<Real> gru;                             // LRP: a GRU direction's pass
  std::vector<PassShare<Real>> shares;                       // coalitions, CD, integrated gradients: the shares of their passes
  std::vector<AlignedVector<Real>> original_projections;     // coalitions: per first-layer direction b + W x [T, 4H]
  std::vector<AlignedVector<Real>> replacement_projections;  // coalitions: per first-layer direction b + W r [4H]
  PathSignals<Real> path;                                    // integrated gradients: what its path points share
};

// One sequence to explain; the forward pass has already filled trace.
template <typename Real>
struct SequenceJob {
  const Model<Real>& model;
  const ExplainSettings<Real>& settings;
  SequenceTrace<Real>& trace;
  const double* target_weights;  // [rows, C]
  Real* relevance;               // [T, I]
  Real* per_step;                // [T]
  double* conservation;          // [LSTM_LRP_CONSERVATION_SIZE]
  BackwardWorkspace<Real>& workspace;
  std::size_t pass_threads = 1;  // the threads a multi-pass method may spread its passes over
  std::string failure;           // set by a method whose options cannot explain this sequence (the call's error)
};

// Routes the head's input signal ([rows, D]) onto the top layer's outputs ([T, D]).
template <typename Real>
void scatter_head_signal(const Model<Real>& model, std::size_t steps, const Real* head_signal, Real* top_signal) {
  const std::size_t D = model.head_input_size;
  if (model.readout == LSTM_LRP_READOUT_EACH) {
    std::copy(head_signal, head_signal + steps * D, top_signal);
    return;
  }
  std::fill(top_signal, top_signal + steps * D, Real(0));
  const std::size_t H = model.layers.back().hidden_size;
  // y_fwd(T) sits at the last step, y_bwd(1) at the first.
  std::copy(head_signal, head_signal + H, top_signal + (steps - 1) * D);
  if (model.layers.back().directions == 2) std::copy(head_signal + H, head_signal + 2 * H, top_signal + H);
}

// Walks the stack top-down: layer_signal[l] holds the signal at layer l's outputs;
// pass(l, layer, direction, trace, layer_input, output_signal, input_signal) adds
// one direction's share to input_signal. The signal at x lands in input_signal.
template <typename Real, typename DirectionPass>
void backward_through_layers(const Model<Real>& model, const SequenceTrace<Real>& trace, BackwardWorkspace<Real>& ws, Real* input_signal,
                             DirectionPass pass) {
  const std::size_t steps = trace.steps;
  for (std::size_t l = model.layers.size(); l-- > 0;) {
    const Layer<Real>& layer = model.layers[l];
    Real* below = l == 0 ? input_signal : ws.layer_signal[l - 1].data();
    std::fill(below, below + steps * layer.input_size, Real(0));
    const Real* layer_input = l == 0 ? trace.input.data() : trace.layer_outputs[l - 1].data();
    for (int d = 0; d < layer.directions; ++d)
      pass(l, layer, d, trace.directions[l][static_cast<std::size_t>(d)], layer_input, ws.layer_signal[l].data(), below);
  }
}

template <typename Real>
void prepare_workspace(const Model<Real>& model, std::size_t steps, BackwardWorkspace<Real>& ws) {
  ws.layer_signal.resize(model.layers.size());
  for (std::size_t l = 0; l < model.layers.size(); ++l) ws.layer_signal[l].resize(steps * model.layers[l].output_size());
  const std::size_t H = model.max_hidden_size();
  std::size_t widest_input = model.input_size;
  for (const auto& layer : model.layers) widest_input = std::max(widest_input, layer.input_size);
  ws.messages.resize(std::max(model.outputs, 4 * H));
  ws.epsilon_scratch.resize(2 * std::max(model.outputs, H));
  ws.block_signal.resize(4 * H);
  ws.recurrent_signal.resize(H);
  ws.cell_signal.resize(H);
  ws.input_product.resize(widest_input);
  ws.recurrent_product.resize(H);
}

// sums[r] = Σ_c matrix[r, c] in the dtype (common/interleaved_sum.h): each step's relevance.
template <typename Real>
void sum_rows(const Real* matrix, std::size_t rows, std::size_t cols, Real* sums) {
  for (std::size_t r = 0; r < rows; ++r) sums[r] = interleaved_sum<Real>(matrix + r * cols, cols);
}

template <typename Real>
void explain_lrp(SequenceJob<Real>& job);
// LRP for a group of sequences whose forward passes ran together, each job with its own workspace.
template <typename Real>
void explain_lrp_group(SequenceJob<Real>* jobs, std::size_t count);
template <typename Real>
void explain_gradient(SequenceJob<Real>& job);
template <typename Real>
void explain_gradient_x_input(SequenceJob<Real>& job);
template <typename Real>
void explain_occlusion(SequenceJob<Real>& job);
template <typename Real>
void explain_cd(SequenceJob<Real>& job);
template <typename Real>
void explain_integrated_gradients(SequenceJob<Real>& job);
template <typename Real>
void explain_shapley(SequenceJob<Real>& job);
template <typename Real>
void explain_kernel_shap(SequenceJob<Real>& job);
template <typename Real>
void explain_lime(SequenceJob<Real>& job);
template <typename Real>
void explain_smoothgrad(SequenceJob<Real>& job);

// Indexed by lstm_lrp_method.
template <typename Real>
constexpr void (*kExplainMethods[])(SequenceJob<Real>&) = {
    explain_lrp<Real>,        explain_gradient<Real>,    explain_gradient_x_input<Real>,
    explain_occlusion<Real>,  explain_cd<Real>,          explain_integrated_gradients<Real>,
    explain_shapley<Real>,    explain_kernel_shap<Real>, explain_lime<Real>,
    explain_smoothgrad<Real>,
};
static_assert(sizeof(kExplainMethods<float>) / sizeof(kExplainMethods<float>[0]) == LSTM_LRP_METHOD_SMOOTHGRAD + 1,
              "one entry per lstm_lrp_method");

}  // namespace lstm_lrp
