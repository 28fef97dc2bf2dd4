// Backpropagation through time: the gradient of Σ g ⊙ scores, for a given
// output gradient g ([rows, C]), with respect to the (embedded) inputs and,
// when asked, every parameter. Explanations and training share this one pass.
#pragma once

#include <vector>

#include "../common/aligned_vector.h"
#include "../forward/activations.h"

#include "../explain/backward.h"
#include "../forward/trace.h"
#include "../model/model.h"
#include "../simd/kernels.h"

namespace lstm_lrp {

// Gradients in the shapes of the model's tensors (the embedding is the caller's:
// it alone knows the token ids).
template <typename Real>
struct ParameterGradients {
  std::vector<std::vector<DirectionWeights<Real>>> layers;  // per layer, per direction
  AlignedVector<Real> head_weight;
  AlignedVector<Real> head_bias;

  void zero_like(const Model<Real>& model);
};

// One step s of a direction's backward pass: from the output signal (from_above + recurrent)
// and cell_next (∂/∂c_s, which becomes ∂/∂c_{s-1}), the signals at the four blocks'
// pre-activations. The usual cell (tanh g and h, every gate) runs on the selected ISA's
// kernel (simd/kernels.h), which gives the bits of this loop with tanh and every gate.
// The signals never overlap the trace or each other: restrict lets the loop vectorise without
// run-time overlap checks (more than the compiler will emit).
template <typename Real>
inline void gradient_step_of_any_cell(const CellSpec& cell, std::size_t H, const DirectionTrace<Real>& trace, std::size_t s,
                                      const Real* __restrict from_above, const Real* __restrict recurrent, Real* __restrict cell_next,
                                      Real* __restrict block) {
  const bool has_input_gate = cell.block_active[LSTM_LRP_BLOCK_I];
  const bool has_forget_gate = cell.block_active[LSTM_LRP_BLOCK_F];
  const bool has_output_gate = cell.block_active[LSTM_LRP_BLOCK_O];
  const Real g_scale = static_cast<Real>(cell.g_scale);
  const Real h_scale = static_cast<Real>(cell.h_scale);
  const Real* a = &trace.pre[s * 4 * H];
  const Real* act = &trace.act[s * 4 * H];
  const Real* c_prev = &trace.cell[s * H];
  const Real* hc = &trace.cell_output[s * H];
  for (std::size_t j = 0; j < H; ++j) {
    const Real z = act[j], i = act[H + j], f = act[2 * H + j], o = act[3 * H + j];
    const Real d_y = from_above[j] + recurrent[j];
    const Real d_c = d_y * o * h_scale * h_derivative(cell.h, hc[j] / h_scale) + cell_next[j];
    cell_next[j] = d_c * f;
    block[j] = d_c * i * g_scale * g_derivative(cell.g, a[j], z / g_scale);
    block[H + j] = has_input_gate ? d_c * z * i * (Real(1) - i) : Real(0);
    block[2 * H + j] = has_forget_gate ? d_c * c_prev[j] * f * (Real(1) - f) : Real(0);
    block[3 * H + j] = has_output_gate ? d_y * hc[j] * o * (Real(1) - o) : Real(0);
  }
}

template <typename Real>
inline void gradient_step(const CellSpec& cell, std::size_t H, const DirectionTrace<Real>& trace, std::size_t s, const Real* from_above,
                          const Real* recurrent, Real* cell_next, Real* block) {
  const bool tanh_cell = cell.g == LSTM_LRP_G_TANH && cell.h == LSTM_LRP_H_TANH && cell.block_active[LSTM_LRP_BLOCK_I] &&
                         cell.block_active[LSTM_LRP_BLOCK_F] && cell.block_active[LSTM_LRP_BLOCK_O];
  if (!tanh_cell) return gradient_step_of_any_cell(cell, H, trace, s, from_above, recurrent, cell_next, block);
  kernels<Real>().gradient_step({from_above, recurrent, cell_next, &trace.act[s * 4 * H], &trace.cell[s * H], &trace.cell_output[s * H],
                                 block, H, static_cast<Real>(cell.g_scale), static_cast<Real>(cell.h_scale)});
}

// input_gradient: [T, I], overwritten. parameters: accumulated into, or null.
template <typename Real>
void backpropagate(const Model<Real>& model, const SequenceTrace<Real>& trace, const Real* output_gradient, BackwardWorkspace<Real>& ws,
                   Real* input_gradient, ParameterGradients<Real>* parameters);

}  // namespace lstm_lrp
