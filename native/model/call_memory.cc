#include "call_memory.h"

#include <algorithm>

#include "../common/memory_limit.h"

namespace lstm_lrp {
namespace {

// Values (model dtype) per step and per score row, and float64 values per score row.
struct Footprint {
  std::uint64_t per_step = 0;
  std::uint64_t per_row = 0;
  std::uint64_t doubles_per_row = 0;
  std::uint64_t per_sequence = 0;
};

// Counted from forward/trace.h, explain/backward.h and train/training.cc: each vector that is
// sized by T or by the score rows, rounded up where a buffer is per layer direction.
template <typename Real>
Footprint footprint(const Model<Real>& model, CallWork work) {
  Footprint f;
  const std::uint64_t I = model.input_size;
  const std::uint64_t D = model.head_input_size;
  const std::uint64_t C = model.outputs;
  const std::uint64_t H = model.max_hidden_size();
  std::uint64_t trace = I;  // the (embedded) input
  std::uint64_t layer_outputs = 0;
  for (const Layer<Real>& layer : model.layers) {
    // outputs, then per direction: pre-activations and activations (4H each), c, hScale·h(c), y
    trace += layer.output_size() + 11 * static_cast<std::uint64_t>(layer.directions) * layer.hidden_size;
    layer_outputs += layer.output_size();
    f.per_sequence += 2 * static_cast<std::uint64_t>(layer.directions) * layer.hidden_size;  // c_0 and y_0
  }
  f.per_step = trace;
  f.per_row = D + C;  // head input and scores
  if (work == CallWork::kForward) return f;
  f.per_row += C;  // the loss gradient at the scores, or the target weights in the dtype
  if (work == CallWork::kLoss) return f;
  f.per_step += layer_outputs + I;  // the signal at every layer's outputs and at the input
  f.per_row += D;                   // the signal at the head input
  if (work == CallWork::kGradients) return f;
  f.per_step += 4 * H + 1 + I;  // LRP's per-step messages, bias spread and input products
  f.doubles_per_row += C;       // the argmax target's one-hot weights
  if (work == CallWork::kBackward) return f;
  if (work == CallWork::kDecompose) {
    f.per_step += layer_outputs;  // β of every layer
    f.per_row += D + C;           // β at the head, W_head β
    return f;
  }
  // A changed sequence's trace (more run together within kPassGroupBytes); integrated gradients'
  // x − x', and per first-layer direction W (x − x') and the weighted block signals.
  f.per_step += trace + I + 2 * 4 * H * 2;
  f.per_row += D + C;
  f.per_sequence *= 2;
  return f;
}

template <typename Real>
std::uint64_t parameter_count(const Model<Real>& model) {
  std::uint64_t count = model.embedding.size() + model.head_weight.size() + model.head_bias.size();
  for (const Layer<Real>& layer : model.layers)
    for (int d = 0; d < layer.directions; ++d) count += layer.weights[d].W.size() + layer.weights[d].U.size() + layer.weights[d].b.size();
  return count;
}

}  // namespace

template <typename Real>
Status check_call_memory(const Model<Real>& model, const BatchLayout& layout, const CallBudget& budget) {
  const Footprint f = footprint(model, budget.work);
  const bool row_per_step = model.readout == LSTM_LRP_READOUT_EACH;
  // The groups of group_sequences: at most kGroupSequences sequences and kGroupSteps steps,
  // or one longer sequence; `threads` of them run at once.
  std::uint64_t largest_group = 0;
  std::uint64_t longest = 0;
  std::size_t groups = 0;
  for (const std::vector<std::size_t>& group : group_sequences(layout, GroupOrder::kLongestFirst)) {
    std::uint64_t steps = 0;
    for (std::size_t n : group) {
      steps += layout.offsets[n + 1] - layout.offsets[n];
      longest = std::max<std::uint64_t>(longest, layout.offsets[n + 1] - layout.offsets[n]);
    }
    const std::uint64_t rows = row_per_step ? steps : group.size();
    const std::uint64_t bytes =
        (steps * f.per_step + rows * f.per_row + group.size() * f.per_sequence) * sizeof(Real) + rows * f.doubles_per_row * sizeof(double);
    largest_group = std::max(largest_group, bytes);
    ++groups;
  }
  const std::uint64_t running = std::min<std::uint64_t>(std::max<std::size_t>(budget.threads, 1), groups);
  // Capped where the square alone exceeds any memory, so the product cannot overflow.
  const std::uint64_t side = std::min<std::uint64_t>(longest + 1, std::uint64_t(1) << 24);
  std::uint64_t total = budget.caller_bytes + running * (largest_group + side * side * budget.square_bytes);
  if (budget.work == CallWork::kGradients) total += parameter_count(model) * sizeof(Real);
  const bool lone_sequence = layout.offsets.size() == 2 && budget.threads > 1;
  if (budget.work == CallWork::kPerturbed || budget.work == CallWork::kDecompose)
    total += (lone_sequence ? kPassShares : running) * kPassGroupBytes;
  return check_memory(total, std::string(budget.what) + " of " + std::to_string(layout.offsets.back()) + " steps");
}

template Status check_call_memory<float>(const Model<float>&, const BatchLayout&, const CallBudget&);
template Status check_call_memory<double>(const Model<double>&, const BatchLayout&, const CallBudget&);

}  // namespace lstm_lrp
