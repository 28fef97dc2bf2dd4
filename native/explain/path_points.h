// Passes at points of straight paths into the input (integrated gradients' path points,
// SmoothGrad's noisy copies and their paths): each point's first-layer pre-activations from
// the path's two projections, and the backward passes of a group of points, which add each
// point's weighted first-layer block signals to its path's sum.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "../backprop/bptt.h"
#include "../backprop/gru_bptt.h"
#include "../common/aligned_vector.h"
#include "../forward/forward.h"
#include "../forward/trace.h"
#include "../model/model.h"
#include "../simd/gemv.h"
#include "backward.h"
#include "path_signals.h"

namespace lstm_lrp {

// Values a point's pass holds per step: its trace and the signals at every layer's outputs.
template <typename Real>
std::size_t point_values_per_step(const Model<Real>& model) {
  std::size_t values = trace_values_per_step(model);
  for (const Layer<Real>& layer : model.layers) values += layer.output_size();
  return values;
}

// ∂f/∂(top layer's outputs) into top_signal ([T, D]): f = Σ w ⊙ scores is linear in the head
// input, so its signal there is the same at every point.
template <typename Real>
void target_top_signal(SequenceJob<Real>& job, AlignedVector<Real>& top_signal) {
  const Model<Real>& model = job.model;
  BackwardWorkspace<Real>& ws = job.workspace;
  const std::size_t steps = job.trace.steps;
  const std::size_t C = model.outputs;
  const std::size_t D = model.head_input_size;
  const std::size_t rows = score_rows(model, steps);
  ws.head_signal.assign(rows * D, Real(0));
  ws.output_weights.assign(job.target_weights, job.target_weights + rows * C);
  for (std::size_t r = 0; r < rows; ++r)
    gemv_transposed_accumulate(model.head_weight.data(), C, D, D, &ws.output_weights[r * C], &ws.head_signal[r * D]);
  top_signal.resize(steps * D);
  scatter_head_signal(model, steps, ws.head_signal.data(), top_signal.data());
}

// The path's start in the first layer's pre-activations, per direction [4H]: b + W x' (b when
// baseline is null: x' = 0).
template <typename Real>
void project_path_start(const Layer<Real>& first, const Real* baseline, std::vector<AlignedVector<Real>>& start, ProductRows<Real>& rows) {
  start.resize(static_cast<std::size_t>(first.directions));
  for (int d = 0; d < first.directions; ++d) {
    const DirectionWeights<Real>& w = first.weights[d];
    start[static_cast<std::size_t>(d)] = w.b;
    if (baseline == nullptr) continue;
    rows.clear();
    rows.add(baseline, start[static_cast<std::size_t>(d)].data());
    rows.multiply(w.Wt.data(), first.input_size, first.gate_rows(), padded_stride<Real>(first.gate_rows()));
  }
}

// ∂/∂x of the first layer's block signals summed ([T, 4H] by time per direction) into
// gradient ([T, I]): Σ_d W_dᵀ sum_d, one product per direction.
template <typename Real>
void first_layer_input_gradient(const Layer<Real>& first, const std::vector<AlignedVector<Real>>& sum, std::size_t steps, Real* gradient,
                                ProductRows<Real>& rows) {
  const std::size_t I = first.input_size;
  const std::size_t G = first.gate_rows();
  std::fill(gradient, gradient + steps * I, Real(0));
  for (int d = 0; d < first.directions; ++d) {
    rows.clear();
    for (std::size_t t = 0; t < steps; ++t) rows.add(&sum[static_cast<std::size_t>(d)][t * G], gradient + t * I);
    rows.multiply(first.weights[d].Wp.data(), G, I, padded_stride<Real>(I));
  }
}

// Sets pass up at x' + α(x − x'): per first-layer direction, its pre-activations by processing
// step from start ([4H]: b + W x') and change ([T, 4H] by time: W (x − x')).
template <typename Real>
void place_on_path(const Model<Real>& model, const std::vector<AlignedVector<Real>>& start, const std::vector<AlignedVector<Real>>& change,
                   std::size_t steps, Real alpha, SequenceTrace<Real>& pass) {
  const Layer<Real>& first = model.layers.front();
  const std::size_t G = first.gate_rows();
  pass.steps = steps;
  pass.directions.resize(model.layers.size());
  pass.directions[0].resize(static_cast<std::size_t>(first.directions));
  for (int d = 0; d < first.directions; ++d) {
    AlignedVector<Real>& pre = pass.directions[0][static_cast<std::size_t>(d)].pre;
    pre.resize(steps * G);
    const Real* base = start[static_cast<std::size_t>(d)].data();
    for (std::size_t s = 0; s < steps; ++s) {
      const Real* row = &change[static_cast<std::size_t>(d)][time_of_step(d, s, steps) * G];
      kernels<Real>().scaled_add(base, alpha, row, &pre[s * G], G);
    }
  }
}

// The backward passes of count points from top_signal ([T, D] ∂f/∂(top layer's outputs), the
// same at every point) with weights: every layer above the first passes each point's signal
// down; the first adds weights[k] · (point k's block signals) per step and direction to
// sum(k) (per first-layer direction [T, 4H] by time), in the order of k.
template <typename Real, typename Sum>
void backpropagate_points(const Model<Real>& model, const Real* top_signal, SequenceTrace<Real>* const* points, const double* weights,
                          std::size_t count, PointSignals<Real>& signals, ProductRows<Real>& rows, Sum sum) {
  const std::size_t steps = points[0]->steps;
  const std::size_t top = model.layers.size() - 1;
  if (signals.layer_signal.size() < count) signals.layer_signal.resize(count);
  for (std::size_t l = model.layers.size(); l-- > 0;) {
    const Layer<Real>& layer = model.layers[l];
    const std::size_t H = layer.hidden_size;
    const std::size_t G = layer.gate_rows();
    const std::size_t I = layer.input_size;
    const std::size_t D = layer.output_size();
    const bool gru = layer.cell.gru;
    const auto above = [&](std::size_t k) { return l == top ? top_signal : signals.layer_signal[k][l].data(); };
    if (l > 0)
      for (std::size_t k = 0; k < count; ++k) {
        signals.layer_signal[k].resize(top);
        signals.layer_signal[k][l - 1].assign(steps * I, Real(0));
      }
    signals.recurrent.resize(count * H);
    signals.cell_next.resize(count * H);
    signals.block.resize(count * G);
    for (int d = 0; d < layer.directions; ++d) {
      const DirectionWeights<Real>& w = layer.weights[d];
      std::fill(signals.recurrent.begin(), signals.recurrent.end(), Real(0));
      std::fill(signals.cell_next.begin(), signals.cell_next.end(), Real(0));
      for (std::size_t s = steps; s-- > 0;) {
        const std::size_t t = time_of_step(d, s, steps);
        for (std::size_t k = 0; k < count; ++k) {
          const DirectionTrace<Real>& trace = points[k]->directions[l][static_cast<std::size_t>(d)];
          // A GRU step passes its recurrent signal on itself (cell_next is its scratch).
          if (gru)
            gru_gradient_step(layer, w, trace, s, above(k) + t * D + d * H, &signals.recurrent[k * H], &signals.block[k * G],
                              &signals.cell_next[k * H]);
          else
            gradient_step(layer.cell, H, trace, s, above(k) + t * D + d * H, &signals.recurrent[k * H], &signals.cell_next[k * H],
                          &signals.block[k * G]);
        }
        if (l == 0) {
          for (std::size_t k = 0; k < count; ++k) {
            Real* weighted = &sum(k)[static_cast<std::size_t>(d)][t * G];
            kernels<Real>().scaled_add(weighted, static_cast<Real>(weights[k]), &signals.block[k * G], weighted, G);
          }
        } else {
          rows.clear();
          for (std::size_t k = 0; k < count; ++k) rows.add(&signals.block[k * G], &signals.layer_signal[k][l - 1][t * I]);
          rows.multiply(w.Wp.data(), G, I, padded_stride<Real>(I));
        }
        if (s == 0 || gru) continue;  // no step before the first to pass a recurrent signal to
        std::fill(signals.recurrent.begin(), signals.recurrent.end(), Real(0));
        rows.clear();
        for (std::size_t k = 0; k < count; ++k) rows.add(&signals.block[k * 4 * H], &signals.recurrent[k * H]);
        rows.multiply(w.Up.data(), 4 * H, H, padded_stride<Real>(H));
      }
    }
  }
}

}  // namespace lstm_lrp
