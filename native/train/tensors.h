// The model's trainable tensors in one fixed order, so weights, gradients,
// optimiser state and the caller's buffers line up slot by slot.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "../backprop/bptt.h"
#include "../common/aligned_vector.h"
#include "../common/buffers.h"
#include "../model/model.h"

namespace lstm_lrp {

struct TensorSlot {
  enum Kind { kEmbedding, kW, kU, kB, kBHn, kHeadWeight, kHeadBias } kind;
  std::size_t layer = 0;
  int direction = 0;

  std::string name() const;
};

template <typename Real>
std::vector<TensorSlot> tensor_slots(const Model<Real>& model);

// Parameter gradients including the embedding's (the caller scatters into it by token id).
template <typename Real>
struct Gradients {
  ParameterGradients<Real> parameters;
  AlignedVector<Real> embedding;

  void zero_like(const Model<Real>& model) {
    parameters.zero_like(model);
    embedding.assign(model.embedding.size(), Real(0));
  }
};

template <typename Real>
const AlignedVector<Real>& weights_at(const Model<Real>& model, const TensorSlot& slot);

template <typename Real>
AlignedVector<Real>& weights_at(Model<Real>& model, const TensorSlot& slot) {
  return const_cast<AlignedVector<Real>&>(weights_at(static_cast<const Model<Real>&>(model), slot));
}

template <typename Real>
AlignedVector<Real>& gradient_at(Gradients<Real>& gradients, const TensorSlot& slot);

// Writes one tensor per slot into the caller's buffers, checking each length.
template <typename Real, typename TensorOf>
Status copy_tensors_out(const std::vector<TensorSlot>& slots, const lstm_lrp_tensors& out, std::size_t num_layers, TensorOf tensor_of) {
  if (out.num_layers < 0 || static_cast<std::size_t>(out.num_layers) != num_layers || (num_layers > 0 && out.layers == nullptr))
    return Status::invalid("tensors output has " + std::to_string(out.num_layers) + " layers; expected " + std::to_string(num_layers));
  for (const TensorSlot& slot : slots) {
    const AlignedVector<Real>& tensor = tensor_of(slot);
    lstm_lrp_output_buffer buffer{};
    switch (slot.kind) {
      case TensorSlot::kEmbedding: buffer = out.embedding; break;
      case TensorSlot::kW: buffer = out.layers[slot.layer].W[slot.direction]; break;
      case TensorSlot::kU: buffer = out.layers[slot.layer].U[slot.direction]; break;
      case TensorSlot::kB: buffer = out.layers[slot.layer].b[slot.direction]; break;
      case TensorSlot::kBHn: buffer = out.layers[slot.layer].b_hn[slot.direction]; break;
      case TensorSlot::kHeadWeight: buffer = out.head_weight; break;
      case TensorSlot::kHeadBias: buffer = out.head_bias; break;
    }
    LSTM_LRP_RETURN_IF_ERROR(check_buffer(buffer, tensor.size(), "output tensor " + slot.name()));
    std::copy(tensor.begin(), tensor.end(), static_cast<Real*>(buffer.data));
  }
  return Status::ok();
}

}  // namespace lstm_lrp
