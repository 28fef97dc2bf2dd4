// The input gradient's backward pass through one direction of a GRU layer (docs/METHODS.md § GRU layers).
#pragma once

#include <algorithm>
#include <cstddef>

#include "../forward/trace.h"
#include "../model/model.h"
#include "../simd/gemv.h"

namespace lstm_lrp {

// Processing step s of a GRU direction: from ∂f/∂h_s (from_above + recurrent), the signals at
// the three blocks' pre-activations (block, [3H]); recurrent becomes ∂f/∂h_{s-1}. With reset_after,
// product ([H]) ends holding the signal at q = U_n h' + b_hn (d_n ⊙ r); otherwise it is scratch.
template <typename Real>
void gru_gradient_step(const Layer<Real>& layer, const DirectionWeights<Real>& w, const DirectionTrace<Real>& trace, std::size_t s,
                       const Real* from_above, Real* recurrent, Real* block, Real* product) {
  const std::size_t H = layer.hidden_size;
  const std::size_t stride = padded_stride<Real>(H);
  const Real* U_n = w.Up.data() + 2 * H * stride;
  const Real* act = &trace.act[s * 3 * H];
  const Real* h_prev = &trace.output[s * H];
  const Real* reset_signal = &trace.reset_signal[s * H];
  Real* d_r = block;
  Real* d_u = block + H;
  Real* d_n = block + 2 * H;
  // h = (1 - u)⊙n + u⊙h'; recurrent becomes ∂/∂h' of the step.
  for (std::size_t j = 0; j < H; ++j) {
    const Real r = act[j], u = act[H + j], n = act[2 * H + j];
    const Real d_h = from_above[j] + recurrent[j];
    d_n[j] = d_h * (Real(1) - u) * (Real(1) - n * n);
    d_u[j] = d_h * (h_prev[j] - n) * u * (Real(1) - u);
    recurrent[j] = d_h * u;
    if (layer.cell.reset_after) {
      // a_n = W_n x + b_in + r⊙q, q = U_n h' + b_hn
      d_r[j] = d_n[j] * reset_signal[j] * r * (Real(1) - r);
      product[j] = d_n[j] * r;
    }
  }
  if (layer.cell.reset_after) {
    gemv_transposed_accumulate(U_n, H, H, stride, product, recurrent);
  } else {
    // a_n = W_n x + b_n + U_n (r⊙h')
    std::fill(product, product + H, Real(0));
    gemv_transposed_accumulate(U_n, H, H, stride, d_n, product);
    for (std::size_t k = 0; k < H; ++k) {
      const Real r = act[k];
      d_r[k] = product[k] * h_prev[k] * r * (Real(1) - r);
      recurrent[k] += product[k] * r;
    }
  }
  gemv_transposed_accumulate(w.Up.data(), 2 * H, H, padded_stride<Real>(H), block, recurrent);
}

// Adds step s's share of the parameter gradients, from the signals gru_gradient_step left in
// block and product: W, b and U's r and u rows see the blocks' signals; U_n's rows see d_n ⊙ r
// against h' (reset after, which also gives b_hn), or d_n against r ⊙ h' (reset before).
template <typename Real>
void gru_accumulate_parameter_gradients(const Layer<Real>& layer, const DirectionTrace<Real>& trace, std::size_t s, const Real* x,
                                        const Real* block, const Real* product, DirectionWeights<Real>& grads) {
  const std::size_t H = layer.hidden_size;
  const Real* h_prev = &trace.output[s * H];
  Real* U_n = grads.U.data() + 2 * H * H;
  rank_one_accumulate(grads.W.data(), 3 * H, layer.input_size, block, x);
  rank_one_accumulate(grads.U.data(), 2 * H, H, block, h_prev);
  for (std::size_t k = 0; k < 3 * H; ++k) grads.b[k] += block[k];
  if (layer.cell.reset_after) {
    rank_one_accumulate(U_n, H, H, product, h_prev);
    for (std::size_t k = 0; k < H; ++k) grads.b_hn[k] += product[k];
  } else {
    rank_one_accumulate(U_n, H, H, block + 2 * H, &trace.reset_signal[s * H]);
  }
}

// Adds ∂f/∂x of the direction to input_gradient ([T, I]), from output_gradient ([T, D]), and,
// when grads is not null, ∂f/∂ of the direction's parameters to grads (x: the layer's input, [T, I]).
// recurrent ([H]), block ([3H]) and product ([H]) are scratch.
template <typename Real>
void gru_direction_gradient(const Layer<Real>& layer, int direction, const DirectionTrace<Real>& trace, std::size_t steps, const Real* x,
                            const Real* output_gradient, Real* input_gradient, DirectionWeights<Real>* grads, Real* recurrent, Real* block,
                            Real* product) {
  const std::size_t H = layer.hidden_size;
  const std::size_t I = layer.input_size;
  const std::size_t D = layer.output_size();
  const DirectionWeights<Real>& w = layer.weights[direction];
  std::fill(recurrent, recurrent + H, Real(0));
  for (std::size_t s = steps; s-- > 0;) {
    const std::size_t t = time_of_step(direction, s, steps);
    gru_gradient_step(layer, w, trace, s, output_gradient + t * D + static_cast<std::size_t>(direction) * H, recurrent, block, product);
    gemv_transposed_accumulate(w.Wp.data(), 3 * H, I, padded_stride<Real>(I), block, input_gradient + t * I);
    if (grads != nullptr) gru_accumulate_parameter_gradients(layer, trace, s, x + t * I, block, product, *grads);
  }
}

}  // namespace lstm_lrp
