#include "tensors.h"

namespace lstm_lrp {

std::string TensorSlot::name() const {
  const std::string prefix = "layers." + std::to_string(layer) + (direction == 0 ? ".fwd" : ".bwd");
  switch (kind) {
    case kEmbedding: return "embedding.weight";
    case kW: return prefix + ".W";
    case kU: return prefix + ".U";
    case kB: return prefix + ".b";
    case kBHn: return prefix + ".b_hn";
    case kHeadWeight: return "head.weight";
    case kHeadBias: return "head.bias";
  }
  return "?";
}

template <typename Real>
std::vector<TensorSlot> tensor_slots(const Model<Real>& model) {
  std::vector<TensorSlot> slots;
  if (model.vocab_size > 0) slots.push_back({TensorSlot::kEmbedding, 0, 0});
  for (std::size_t l = 0; l < model.layers.size(); ++l)
    for (int d = 0; d < model.layers[l].directions; ++d) {
      for (TensorSlot::Kind kind : {TensorSlot::kW, TensorSlot::kU, TensorSlot::kB}) slots.push_back({kind, l, d});
      if (model.layers[l].cell.reset_after) slots.push_back({TensorSlot::kBHn, l, d});
    }
  slots.push_back({TensorSlot::kHeadWeight, 0, 0});
  if (model.has_head_bias) slots.push_back({TensorSlot::kHeadBias, 0, 0});
  return slots;
}

template <typename Real>
const AlignedVector<Real>& weights_at(const Model<Real>& model, const TensorSlot& slot) {
  switch (slot.kind) {
    case TensorSlot::kEmbedding: return model.embedding;
    case TensorSlot::kW: return model.layers[slot.layer].weights[slot.direction].W;
    case TensorSlot::kU: return model.layers[slot.layer].weights[slot.direction].U;
    case TensorSlot::kB: return model.layers[slot.layer].weights[slot.direction].b;
    case TensorSlot::kBHn: return model.layers[slot.layer].weights[slot.direction].b_hn;
    case TensorSlot::kHeadWeight: return model.head_weight;
    case TensorSlot::kHeadBias: break;
  }
  return model.head_bias;
}

template <typename Real>
AlignedVector<Real>& gradient_at(Gradients<Real>& gradients, const TensorSlot& slot) {
  DirectionWeights<Real>* direction =
      slot.kind == TensorSlot::kW || slot.kind == TensorSlot::kU || slot.kind == TensorSlot::kB || slot.kind == TensorSlot::kBHn
          ? &gradients.parameters.layers[slot.layer][static_cast<std::size_t>(slot.direction)]
          : nullptr;
  switch (slot.kind) {
    case TensorSlot::kEmbedding: return gradients.embedding;
    case TensorSlot::kW: return direction->W;
    case TensorSlot::kU: return direction->U;
    case TensorSlot::kB: return direction->b;
    case TensorSlot::kBHn: return direction->b_hn;
    case TensorSlot::kHeadWeight: return gradients.parameters.head_weight;
    case TensorSlot::kHeadBias: break;
  }
  return gradients.parameters.head_bias;
}

template std::vector<TensorSlot> tensor_slots<float>(const Model<float>&);
template std::vector<TensorSlot> tensor_slots<double>(const Model<double>&);
template const AlignedVector<float>& weights_at<float>(const Model<float>&, const TensorSlot&);
template const AlignedVector<double>& weights_at<double>(const Model<double>&, const TensorSlot&);
template AlignedVector<float>& gradient_at<float>(Gradients<float>&, const TensorSlot&);
template AlignedVector<double>& gradient_at<double>(Gradients<double>&, const TensorSlot&);

}  // namespace lstm_lrp
