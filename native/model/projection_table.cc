#include "projection_table.h"

#include <algorithm>

#include "../common/aligned_vector.h"
#include "../simd/gemv.h"

namespace lstm_lrp {
namespace {

template <typename Real>
std::uint64_t weight_bytes(const Model<Real>& model) {
  std::uint64_t count = model.embedding.size() + model.head_weight.size() + model.head_bias.size();
  for (const Layer<Real>& layer : model.layers)
    for (int d = 0; d < layer.directions; ++d) {
      const DirectionWeights<Real>& w = layer.weights[d];
      count += w.W.size() + w.U.size() + w.b.size() + w.b_hn.size() + w.Wt.size() + w.Ut.size() + w.Unt.size() + w.Wp.size() + w.Up.size();
    }
  return count * sizeof(Real);
}

// Row v = b + W e_v, computed as the forward pass computes a step's projection (the bias
// copied, then one gathered product over Wt), so a row equals that product's result bit for bit.
template <typename Real>
void project_vocabulary(const Model<Real>& model, const DirectionWeights<Real>& w, std::size_t gates, AlignedVector<Real>& rows) {
  const std::size_t I = model.input_size;
  rows.resize(model.vocab_size * gates);
  ProductRows<Real> products;
  for (std::size_t v = 0; v < model.vocab_size; ++v) {
    std::copy(w.b.begin(), w.b.end(), rows.begin() + v * gates);
    products.add(&model.embedding[v * I], &rows[v * gates]);
  }
  products.multiply(w.Wt.data(), I, gates, padded_stride<Real>(gates));
}

}  // namespace

template <typename Real>
void build_projection_table(Model<Real>& model) {
  drop_projection_table(model);
  if (!model.wants_projection_table || model.vocab_size == 0) return;
  const Layer<Real>& first = model.layers.front();
  const std::size_t gates = first.gate_rows();
  const std::uint64_t bytes = static_cast<std::uint64_t>(model.vocab_size) * gates * first.directions * sizeof(Real);
  if (bytes > LSTM_LRP_INPUT_PROJECTION_TABLE_BYTES || weight_bytes(model) + bytes > model_memory_limit()) return;
  for (int d = 0; d < first.directions; ++d) project_vocabulary(model, first.weights[d], gates, model.projection_table.rows[d]);
  model.projection_table.product = kernels<Real>().accumulate_rows;
}

template <typename Real>
void drop_projection_table(Model<Real>& model) {
  for (AlignedVector<Real>& rows : model.projection_table.rows) AlignedVector<Real>().swap(rows);
  model.projection_table.product = nullptr;
}

template <typename Real>
const Real* projection_rows(const Model<Real>& model, int direction) {
  const InputProjectionTable<Real>& table = model.projection_table;
  if (table.product == nullptr || table.product != kernels<Real>().accumulate_rows) return nullptr;
  return table.rows[direction].data();
}

template void build_projection_table<float>(Model<float>&);
template void build_projection_table<double>(Model<double>&);
template void drop_projection_table<float>(Model<float>&);
template void drop_projection_table<double>(Model<double>&);
template const float* projection_rows<float>(const Model<float>&, int);
template const double* projection_rows<double>(const Model<double>&, int);

}  // namespace lstm_lrp
