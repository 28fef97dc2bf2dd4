// The kernel's own copy of a model: weights in one dtype, blocks of absent
// gates and switched-off connections zeroed so the kernels need no masks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../common/aligned_vector.h"
#include "../common/status.h"
#include "../include/lstm_lrp.h"
#include "../simd/kernels.h"

namespace lstm_lrp {

constexpr int kBlocks = 4;     // z, i, f, o
constexpr int kGruBlocks = 3;  // r, u, n

struct CellSpec {
  bool gru;          // a GRU: the fields below reset_after do not apply
  bool reset_after;  // GRU: r ⊙ (U_n h' + b_hn), else U_n (r ⊙ h')
  lstm_lrp_g_activation g;
  double g_scale;
  lstm_lrp_h_activation h;
  double h_scale;
  bool block_active[kBlocks];  // z always; a gate when present
  bool input_connected[kBlocks];
  bool recurrent_connected[kBlocks];

  // Inputs of a block's gate map, the N of the bias_factor spread.
  std::size_t fan_in(int block, std::size_t input_size, std::size_t hidden_size) const {
    return (input_connected[block] ? input_size : 0) + (recurrent_connected[block] ? hidden_size : 0);
  }
};

template <typename Real>
struct DirectionWeights {
  AlignedVector<Real> W;     // [4H, I] (GRU [3H, I])
  AlignedVector<Real> U;     // [4H, H] (GRU [3H, H])
  AlignedVector<Real> b;     // [4H] (GRU [3H])
  AlignedVector<Real> b_hn;  // GRU with reset after: [H]; else empty
  // W and U transposed ([I, 4H], [H, 4H]): the forward pass sums their rows, so
  // every product runs on one "sum of rows" kernel without horizontal reductions.
  // A GRU's Ut holds its r and u blocks ([H, 2H]) and Unt its n block ([H, H]): the
  // candidate's recurrent product is taken apart from theirs. Each row is padded to whole
  // cache lines (padded_stride of its width), as Wp and Up are.
  AlignedVector<Real> Wt;
  AlignedVector<Real> Ut;
  AlignedVector<Real> Unt;
  // W and U with each row padded to whole cache lines ([4H, padded_stride(I)], [4H,
  // padded_stride(H)]): the backward passes sum their rows, and rows of 60 floats, 240 bytes
  // apart, split most vector loads across two lines, which made a lone sequence's products a
  // third slower.
  AlignedVector<Real> Wp;
  AlignedVector<Real> Up;
};

// How many values apart the rows of a padded matrix (Wp, Up, Wt, Ut, Unt) lie for rows of `count`
// values: count rounded up to whole cache lines.
template <typename Real>
constexpr std::size_t padded_stride(std::size_t count) {
  constexpr std::size_t line = kCacheLine / sizeof(Real);
  return (count + line - 1) / line * line;
}

// Rebuilds Wt, Ut (and a GRU's Unt), Wp and Up from W and U (after loading, and after every training step).
template <typename Real>
void derive_weight_layouts(DirectionWeights<Real>& w, std::size_t hidden, std::size_t input, bool gru);

template <typename Real>
struct Layer {
  std::size_t input_size;
  std::size_t hidden_size;
  int directions;  // 1 or 2
  CellSpec cell;
  DirectionWeights<Real> weights[2];

  std::size_t output_size() const { return hidden_size * directions; }
  // Rows of W, U and b: 4H, or 3H for a GRU.
  std::size_t gate_rows() const { return (cell.gru ? kGruBlocks : kBlocks) * hidden_size; }
};

// The first layer's input projections b + W·e_v of every vocabulary row, per direction
// ([V, 4H], a GRU's [V, 3H]): a token model's forward pass copies a step's row instead of multiplying.
template <typename Real>
struct InputProjectionTable {
  AlignedVector<Real> rows[2];
  // The product kernel that computed the rows. A row is bit for bit what that kernel writes
  // for the step, so while another ISA is selected the forward pass multiplies instead.
  AccumulateRows<Real>* product = nullptr;
};

template <typename Real>
struct Model {
  std::size_t input_size = 0;
  std::size_t vocab_size = 0;
  AlignedVector<Real> embedding;  // [V, E]
  std::vector<Layer<Real>> layers;
  std::size_t outputs = 0;
  std::size_t head_input_size = 0;
  AlignedVector<Real> head_weight;  // [C, D]
  AlignedVector<Real> head_bias;    // [C], zeros when the head has no bias
  bool has_head_bias = false;
  lstm_lrp_readout readout = LSTM_LRP_READOUT_LAST;
  bool wants_projection_table = true;  // false: the description opted out
  InputProjectionTable<Real> projection_table;

  std::size_t max_hidden_size() const;
};

// Zeroes every block a cell does not use, so dense kernels over [4H, ·] are exact
// (and gradients of unused blocks stay zero).
template <typename Real>
void zero_unused_blocks(const CellSpec& cell, std::size_t hidden, std::size_t input, DirectionWeights<Real>& w);

// The bytes one model may keep: the smaller of LSTM_LRP_MAX_MODEL_BYTES and memory_limit().
std::uint64_t model_memory_limit();

// Validates desc and copies its weights into model.
template <typename Real>
Status build_model(const lstm_lrp_model_desc& desc, Model<Real>& model);

}  // namespace lstm_lrp
