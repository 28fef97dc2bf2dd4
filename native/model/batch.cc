#include "batch.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "../common/aligned_vector.h"
#include "../common/buffers.h"
#include "../common/finite_check.h"
#include "call_memory.h"

namespace lstm_lrp {
namespace {

// Bounds what one call may ask of memory before anything is allocated.
constexpr std::size_t kMaxTotalSteps = std::size_t(1) << 28;

}  // namespace

template <typename Real>
Status validate_batch(const Model<Real>& model, const lstm_lrp_batch& batch, const CallBudget& budget, BatchLayout& layout) {
  if (batch.count < 0) return Status::invalid("batch count must be >= 0, got " + std::to_string(batch.count));
  if (batch.count > 0 && batch.lengths == nullptr) return Status::invalid("batch lengths is a null pointer");
  const bool has_tokens = batch.tokens.data != nullptr;
  if ((batch.inputs.data == nullptr) == !has_tokens) return Status::invalid("a batch needs exactly one of inputs and tokens");
  if (has_tokens && model.vocab_size == 0)
    return Status::invalid("token ids need a model with an embedding; this model takes input vectors");
  const std::size_t count = static_cast<std::size_t>(batch.count);
  layout.offsets.assign(count + 1, 0);
  for (std::size_t n = 0; n < count; ++n) {
    const int32_t length = batch.lengths[n];
    if (length < 1)
      return Status::invalid("sequence " + std::to_string(n) + " has length " + std::to_string(length) + "; lengths must be >= 1");
    layout.offsets[n + 1] = layout.offsets[n] + static_cast<std::size_t>(length);
    if (layout.offsets[n + 1] > kMaxTotalSteps)
      return Status::invalid("batch has more than " + std::to_string(kMaxTotalSteps) + " steps in total");
  }
  LSTM_LRP_RETURN_IF_ERROR(check_call_memory(model, layout, budget));
  const std::size_t total = layout.offsets[count];
  layout.score_rows = model.readout == LSTM_LRP_READOUT_LAST ? count : total;
  if (has_tokens)
    LSTM_LRP_RETURN_IF_ERROR(check_buffer(batch.tokens, total, "tokens"));
  else
    LSTM_LRP_RETURN_IF_ERROR(check_buffer(batch.inputs, elements(total, model.input_size), "inputs"));

  // The message is built only for the value that fails: building it for every step was a
  // noticeable share of a batch call's time, spent on one thread while the others waited.
  const auto where = [&](std::size_t step) {
    const std::size_t n =
        static_cast<std::size_t>(std::upper_bound(layout.offsets.begin(), layout.offsets.end(), step) - layout.offsets.begin()) - 1;
    return "sequence " + std::to_string(n) + ", step " + std::to_string(step - layout.offsets[n]);
  };
  if (has_tokens) {
    const int32_t* tokens = static_cast<const int32_t*>(batch.tokens.data);
    for (std::size_t step = 0; step < total; ++step)
      if (tokens[step] < 0 || static_cast<std::size_t>(tokens[step]) >= model.vocab_size)
        return Status::invalid(where(step) + ": token id " + std::to_string(tokens[step]) + " is outside the vocabulary [0, " +
                               std::to_string(model.vocab_size) + ")");
    return Status::ok();
  }
  const Real* inputs = static_cast<const Real*>(batch.inputs.data);
  if (all_finite(inputs, total * model.input_size)) return Status::ok();
  for (std::size_t k = 0; k < total * model.input_size; ++k)
    if (!std::isfinite(static_cast<double>(inputs[k])))
      return Status::invalid(where(k / model.input_size) + ", feature " + std::to_string(k % model.input_size) + ": input is not finite");
  return Status::ok();
}

template <typename Real>
void load_sequence(const Model<Real>& model, const lstm_lrp_batch& batch, const BatchLayout& layout, std::size_t n, AlignedVector<Real>& x,
                   std::vector<std::int32_t>& tokens) {
  const std::size_t I = model.input_size;
  const std::size_t first = layout.offsets[n];
  const std::size_t steps = layout.offsets[n + 1] - first;
  x.resize(steps * I);
  if (batch.tokens.data == nullptr) {
    tokens.clear();
    const Real* rows = static_cast<const Real*>(batch.inputs.data) + first * I;
    std::copy(rows, rows + steps * I, x.begin());
    return;
  }
  const int32_t* source = static_cast<const int32_t*>(batch.tokens.data) + first;
  tokens.assign(source, source + steps);
  for (std::size_t t = 0; t < steps; ++t) {
    const Real* vector = &model.embedding[static_cast<std::size_t>(tokens[t]) * I];
    std::copy(vector, vector + I, x.begin() + t * I);
  }
}

template Status validate_batch<float>(const Model<float>&, const lstm_lrp_batch&, const CallBudget&, BatchLayout&);
template Status validate_batch<double>(const Model<double>&, const lstm_lrp_batch&, const CallBudget&, BatchLayout&);
std::vector<std::vector<std::size_t>> group_sequences(const BatchLayout& layout, GroupOrder order) {
  const std::size_t count = layout.offsets.size() - 1;
  const auto steps = [&](std::size_t n) { return layout.offsets[n + 1] - layout.offsets[n]; };
  std::vector<std::size_t> sequences(count);
  for (std::size_t n = 0; n < count; ++n) sequences[n] = n;
  if (order == GroupOrder::kLongestFirst)
    std::stable_sort(sequences.begin(), sequences.end(), [&](std::size_t a, std::size_t b) { return steps(a) > steps(b); });
  std::vector<std::vector<std::size_t>> groups;
  std::size_t group_steps = 0;
  for (std::size_t n : sequences) {
    if (groups.empty() || groups.back().size() == kGroupSequences || group_steps + steps(n) > kGroupSteps) {
      groups.emplace_back();
      group_steps = 0;
    }
    groups.back().push_back(n);
    group_steps += steps(n);
  }
  return groups;
}

template void load_sequence<float>(const Model<float>&, const lstm_lrp_batch&, const BatchLayout&, std::size_t, AlignedVector<float>&,
                                   std::vector<std::int32_t>&);
template void load_sequence<double>(const Model<double>&, const lstm_lrp_batch&, const BatchLayout&, std::size_t, AlignedVector<double>&,
                                    std::vector<std::int32_t>&);

}  // namespace lstm_lrp
