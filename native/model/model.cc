#include "model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "../common/aligned_vector.h"
#include "../common/buffers.h"
#include "../common/memory_limit.h"
#include "projection_table.h"

namespace lstm_lrp {
namespace {

constexpr std::size_t kMaxSize = LSTM_LRP_MAX_WIDTH;
constexpr std::size_t kMaxVocab = LSTM_LRP_MAX_VOCAB;
constexpr int kMaxLayers = LSTM_LRP_MAX_LAYERS;

// Bounds the memory one model may take (weights, their transposed copies, embedding and head)
// before anything is allocated: sizes that each pass their own limit can still multiply into
// more than a machine has (hidden 65536 x input 65536 x 4 gates = 16 G elements per matrix).
// The smaller of this and memory_limit() applies. Override at build time with -DLSTM_LRP_MAX_MODEL_BYTES=...
#ifndef LSTM_LRP_MAX_MODEL_BYTES
#if defined(__EMSCRIPTEN__) || UINTPTR_MAX <= 0xffffffffu
#define LSTM_LRP_MAX_MODEL_BYTES (std::uint64_t(1) << 30)
#else
#define LSTM_LRP_MAX_MODEL_BYTES (std::uint64_t(1) << 34)
#endif
#endif
constexpr std::uint64_t kMaxModelBytes = LSTM_LRP_MAX_MODEL_BYTES;

Status check_size(long long value, std::size_t max, const std::string& what) {
  if (value < 1 || static_cast<unsigned long long>(value) > max)
    return Status::invalid(what + " must be an integer in [1, " + std::to_string(max) + "], got " + std::to_string(value));
  return Status::ok();
}

template <typename Real>
Status copy_tensor(const lstm_lrp_input_buffer& source, std::uint64_t count, const std::string& name, AlignedVector<Real>& target) {
  LSTM_LRP_RETURN_IF_ERROR(check_buffer(source, count, "tensor " + name));
  const Real* values = static_cast<const Real*>(source.data);
  target.assign(values, values + static_cast<std::size_t>(count));
  for (std::size_t k = 0; k < target.size(); ++k)
    if (!std::isfinite(static_cast<double>(target[k])))
      return Status::invalid("tensor " + name + " has a non-finite value at flat index " + std::to_string(k));
  return Status::ok();
}

Status build_cell(const lstm_lrp_cell& source, const std::string& where, CellSpec& cell) {
  if (source.type != LSTM_LRP_CELL_LSTM && source.type != LSTM_LRP_CELL_GRU)
    return Status::invalid(where + ": unknown cell type " + std::to_string(source.type));
  cell.gru = source.type == LSTM_LRP_CELL_GRU;
  cell.reset_after = cell.gru && source.reset_after != 0;
  if (cell.gru) {
    // Every GRU block is present and connected; the LSTM-only fields are ignored.
    cell.g = LSTM_LRP_G_TANH;
    cell.h = LSTM_LRP_H_TANH;
    cell.g_scale = cell.h_scale = 1;
    for (int k = 0; k < kBlocks; ++k) cell.block_active[k] = cell.input_connected[k] = cell.recurrent_connected[k] = k < kGruBlocks;
    return Status::ok();
  }
  if (source.g < LSTM_LRP_G_TANH || source.g > LSTM_LRP_G_IDENTITY)
    return Status::invalid(where + ": unknown g activation " + std::to_string(source.g));
  if (source.h < LSTM_LRP_H_TANH || source.h > LSTM_LRP_H_IDENTITY)
    return Status::invalid(where + ": unknown h activation " + std::to_string(source.h));
  const double max_scale = LSTM_LRP_MAX_CELL_SCALE;
  const std::string bounds = " must be in (0, " + std::to_string(LSTM_LRP_MAX_CELL_SCALE) + "]";
  if (!(source.g_scale > 0 && source.g_scale <= max_scale)) return Status::invalid(where + ": gScale" + bounds);
  if (!(source.h_scale > 0 && source.h_scale <= max_scale)) return Status::invalid(where + ": hScale" + bounds);
  cell.g = static_cast<lstm_lrp_g_activation>(source.g);
  cell.h = static_cast<lstm_lrp_h_activation>(source.h);
  cell.g_scale = source.g_scale;
  cell.h_scale = source.h_scale;
  for (int k = 0; k < kBlocks; ++k) {
    cell.block_active[k] = k == LSTM_LRP_BLOCK_Z || source.gate_present[k] != 0;
    cell.input_connected[k] = cell.block_active[k] && source.input_connected[k] != 0;
    cell.recurrent_connected[k] = cell.block_active[k] && source.recurrent_connected[k] != 0;
  }
  return Status::ok();
}

// The bytes the description asks for, counted only over sizes that pass their own checks
// (the others fail with their own message later). No product can wrap: every factor is at
// most 2^26 and there are at most LSTM_LRP_MAX_LAYERS layers.
template <typename Real>
Status check_model_bytes(const lstm_lrp_model_desc& desc) {
  if (desc.input_size < 1 || static_cast<std::size_t>(desc.input_size) > kMaxSize) return Status::ok();
  const std::uint64_t input = static_cast<std::uint64_t>(desc.input_size);
  std::uint64_t total = 0;
  if (desc.vocab_size > 0 && static_cast<std::size_t>(desc.vocab_size) <= kMaxVocab)
    total += static_cast<std::uint64_t>(desc.vocab_size) * input;
  std::uint64_t layer_input = input;
  if (desc.layers != nullptr && desc.num_layers >= 1 && desc.num_layers <= kMaxLayers) {
    for (int l = 0; l < desc.num_layers; ++l) {
      const lstm_lrp_layer_desc& layer = desc.layers[l];
      if (layer.hidden_size < 1 || static_cast<std::size_t>(layer.hidden_size) > kMaxSize) return Status::ok();
      const std::uint64_t H = static_cast<std::uint64_t>(layer.hidden_size);
      const std::uint64_t directions = layer.bidirectional ? 2 : 1;
      const bool gru = layer.cell.type == LSTM_LRP_CELL_GRU;
      const std::uint64_t blocks = gru ? kGruBlocks : kBlocks;
      const std::uint64_t bias_vectors = blocks + (gru && layer.cell.reset_after ? 1 : 0);  // b, and b_hn
      // W and U, each also kept with padded rows and transposed (a GRU's U in two parts), and the biases.
      const auto pad = [](std::uint64_t count) { return static_cast<std::uint64_t>(padded_stride<Real>(static_cast<std::size_t>(count))); };
      const std::uint64_t padded = blocks * H * (pad(layer_input) + pad(H));
      const std::uint64_t transposed = layer_input * pad(blocks * H) + H * (gru ? pad(2 * H) + pad(H) : pad(blocks * H));
      total += directions * (blocks * H * (layer_input + H) + padded + transposed + bias_vectors * H);
      layer_input = directions * H;
    }
  }
  if (desc.outputs >= 1 && static_cast<std::size_t>(desc.outputs) <= kMaxSize)
    total += static_cast<std::uint64_t>(desc.outputs) * (layer_input + 1);
  const std::uint64_t bytes = total * sizeof(Real);
  const std::uint64_t limit = model_memory_limit();
  if (bytes > limit)
    return Status::out_of_memory("the model would take " + std::to_string(bytes) + " bytes of weights; the limit is " +
                                 std::to_string(limit) + " bytes (LSTM_LRP_MAX_MODEL_BYTES, at most half the machine's memory)");
  return Status::ok();
}

}  // namespace

std::uint64_t model_memory_limit() { return std::min(kMaxModelBytes, memory_limit()); }

template <typename Real>
void zero_unused_blocks(const CellSpec& cell, std::size_t hidden, std::size_t input, DirectionWeights<Real>& w) {
  if (cell.gru) return;  // every block in use
  for (int k = 0; k < kBlocks; ++k) {
    const std::size_t first_row = k * hidden;
    if (!cell.input_connected[k]) std::fill(w.W.begin() + first_row * input, w.W.begin() + (first_row + hidden) * input, Real(0));
    if (!cell.recurrent_connected[k]) std::fill(w.U.begin() + first_row * hidden, w.U.begin() + (first_row + hidden) * hidden, Real(0));
    if (!cell.block_active[k]) std::fill(w.b.begin() + first_row, w.b.begin() + first_row + hidden, Real(0));
  }
}

template <typename Real>
void derive_weight_layouts(DirectionWeights<Real>& w, std::size_t hidden, std::size_t input, bool gru) {
  const std::size_t rows = (gru ? kGruBlocks : kBlocks) * hidden;
  const auto pad_rows = [rows](const AlignedVector<Real>& matrix, std::size_t cols, AlignedVector<Real>& padded) {
    const std::size_t stride = padded_stride<Real>(cols);
    padded.assign(rows * stride, Real(0));
    for (std::size_t r = 0; r < rows; ++r) std::copy(&matrix[r * cols], &matrix[r * cols] + cols, &padded[r * stride]);
  };
  pad_rows(w.W, input, w.Wp);
  pad_rows(w.U, hidden, w.Up);
  // The transposes' rows padded too: [I, padded_stride(4H)] and so on.
  const auto transpose =
      [](const AlignedVector<Real>& matrix, std::size_t first_row, std::size_t count, std::size_t cols, AlignedVector<Real>& transposed) {
    const std::size_t stride = padded_stride<Real>(count);
    transposed.assign(cols * stride, Real(0));
    for (std::size_t r = 0; r < count; ++r)
      for (std::size_t c = 0; c < cols; ++c) transposed[c * stride + r] = matrix[(first_row + r) * cols + c];
  };
  transpose(w.W, 0, rows, input, w.Wt);
  // A GRU's recurrent products: r and u together, n apart (the candidate block follows them).
  const std::size_t recurrent_rows = gru ? 2 * hidden : rows;
  transpose(w.U, 0, recurrent_rows, hidden, w.Ut);
  if (gru)
    transpose(w.U, recurrent_rows, hidden, hidden, w.Unt);
  else
    w.Unt.clear();
}

template <typename Real>
std::size_t Model<Real>::max_hidden_size() const {
  std::size_t largest = 0;
  for (const auto& layer : layers) largest = layer.hidden_size > largest ? layer.hidden_size : largest;
  return largest;
}

template <typename Real>
Status build_model(const lstm_lrp_model_desc& desc, Model<Real>& model) {
  LSTM_LRP_RETURN_IF_ERROR(check_size(desc.input_size, kMaxSize, "input_size"));
  LSTM_LRP_RETURN_IF_ERROR(check_model_bytes<Real>(desc));
  model.input_size = static_cast<std::size_t>(desc.input_size);
  if (desc.vocab_size != 0) {
    LSTM_LRP_RETURN_IF_ERROR(check_size(desc.vocab_size, kMaxVocab, "vocab_size"));
    model.vocab_size = static_cast<std::size_t>(desc.vocab_size);
    LSTM_LRP_RETURN_IF_ERROR(
        copy_tensor(desc.embedding, elements(model.vocab_size, model.input_size), "embedding.weight", model.embedding));
  }
  if (desc.num_layers < 1 || desc.num_layers > kMaxLayers)
    return Status::invalid("num_layers must be in [1, " + std::to_string(kMaxLayers) + "], got " + std::to_string(desc.num_layers));
  if (desc.layers == nullptr) return Status::invalid("layers is a null pointer");

  std::size_t layer_input = model.input_size;
  model.layers.resize(static_cast<std::size_t>(desc.num_layers));
  for (int l = 0; l < desc.num_layers; ++l) {
    const lstm_lrp_layer_desc& source = desc.layers[l];
    Layer<Real>& layer = model.layers[static_cast<std::size_t>(l)];
    const std::string where = "layers." + std::to_string(l);
    LSTM_LRP_RETURN_IF_ERROR(check_size(source.hidden_size, kMaxSize, where + ".hidden_size"));
    LSTM_LRP_RETURN_IF_ERROR(build_cell(source.cell, where + ".cell", layer.cell));
    layer.input_size = layer_input;
    layer.hidden_size = static_cast<std::size_t>(source.hidden_size);
    layer.directions = source.bidirectional ? 2 : 1;
    const std::size_t H = layer.hidden_size;
    const std::size_t blocks = layer.cell.gru ? kGruBlocks : kBlocks;
    for (int d = 0; d < layer.directions; ++d) {
      const std::string prefix = where + (d == 0 ? ".fwd" : ".bwd");
      DirectionWeights<Real>& w = layer.weights[d];
      LSTM_LRP_RETURN_IF_ERROR(copy_tensor(source.W[d], elements(blocks, H, layer_input), prefix + ".W", w.W));
      LSTM_LRP_RETURN_IF_ERROR(copy_tensor(source.U[d], elements(blocks, H, H), prefix + ".U", w.U));
      LSTM_LRP_RETURN_IF_ERROR(copy_tensor(source.b[d], elements(blocks, H), prefix + ".b", w.b));
      if (layer.cell.reset_after)
        LSTM_LRP_RETURN_IF_ERROR(copy_tensor(source.b_hn[d], H, prefix + ".b_hn", w.b_hn));
      else if (source.b_hn[d].data != nullptr)
        return Status::invalid("tensor " + prefix + ".b_hn is given but the layer is not a GRU with reset after");
      zero_unused_blocks(layer.cell, H, layer_input, w);
      derive_weight_layouts(w, H, layer_input, layer.cell.gru);
    }
    layer_input = layer.output_size();
  }

  LSTM_LRP_RETURN_IF_ERROR(check_size(desc.outputs, kMaxSize, "outputs"));
  if (desc.readout != LSTM_LRP_READOUT_LAST && desc.readout != LSTM_LRP_READOUT_EACH)
    return Status::invalid("unknown readout " + std::to_string(desc.readout));
  model.readout = static_cast<lstm_lrp_readout>(desc.readout);
  model.outputs = static_cast<std::size_t>(desc.outputs);
  model.head_input_size = layer_input;
  LSTM_LRP_RETURN_IF_ERROR(copy_tensor(desc.head_weight, elements(model.outputs, layer_input), "head.weight", model.head_weight));
  model.has_head_bias = desc.head_bias.data != nullptr;
  if (model.has_head_bias)
    LSTM_LRP_RETURN_IF_ERROR(copy_tensor(desc.head_bias, model.outputs, "head.bias", model.head_bias));
  else
    model.head_bias.assign(model.outputs, Real(0));
  if (desc.input_projection_table != LSTM_LRP_PROJECTION_TABLE_AUTO && desc.input_projection_table != LSTM_LRP_PROJECTION_TABLE_OFF)
    return Status::invalid("unknown input_projection_table " + std::to_string(desc.input_projection_table));
  model.wants_projection_table = desc.input_projection_table == LSTM_LRP_PROJECTION_TABLE_AUTO;
  build_projection_table(model);
  return Status::ok();
}

template struct Model<float>;
template struct Model<double>;
template void derive_weight_layouts<float>(DirectionWeights<float>&, std::size_t, std::size_t, bool);
template void derive_weight_layouts<double>(DirectionWeights<double>&, std::size_t, std::size_t, bool);
template void zero_unused_blocks<float>(const CellSpec&, std::size_t, std::size_t, DirectionWeights<float>&);
template void zero_unused_blocks<double>(const CellSpec&, std::size_t, std::size_t, DirectionWeights<double>&);
template Status build_model<float>(const lstm_lrp_model_desc&, Model<float>&);
template Status build_model<double>(const lstm_lrp_model_desc&, Model<double>&);

}  // namespace lstm_lrp
