// Validation and unpacking of a batch of variable-length sequences.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../common/aligned_vector.h"
#include "model.h"

namespace lstm_lrp {

struct BatchLayout {
  std::vector<std::size_t> offsets;  // first step of each sequence; offsets[count] = total steps
  std::size_t score_rows = 0;        // rows of the scores output
};

struct CallBudget;  // model/call_memory.h

// Checks lengths, then that the call fits `budget` (before reading or allocating anything
// sized by them), then tokens against the vocabulary and inputs for finiteness.
template <typename Real>
Status validate_batch(const Model<Real>& model, const lstm_lrp_batch& batch, const CallBudget& budget, BatchLayout& layout);

// Writes sequence n's input rows ([T, input_size], embedded when tokens) into x, and its
// tokens into tokens (empty for an input batch).
template <typename Real>
void load_sequence(const Model<Real>& model, const lstm_lrp_batch& batch, const BatchLayout& layout, std::size_t n, AlignedVector<Real>& x,
                   std::vector<std::int32_t>& tokens);

// The sequences in groups that run their forward passes together, at most kGroupSequences
// of them and kGroupSteps steps (a longer sequence forms a group of its own): longest
// first, so each group holds similar lengths (predict, explain), or in batch order
// (training, whose losses add up in that order). Four sequences fill one tile of the products
// (two tiles on AVX2, SSE2 and WebAssembly); larger groups read each weight block from L2 fewer
// times, but their traces outgrow L2 and a step's rows L1, which costs more: on the SST shape,
// groups of 16 explained 13-23 % slower (bench/RESULTS.md, the fourteenth round).
constexpr std::size_t kGroupSequences = 4;
constexpr std::size_t kGroupSteps = 1024;
enum class GroupOrder { kLongestFirst, kBatchOrder };
std::vector<std::vector<std::size_t>> group_sequences(const BatchLayout& layout, GroupOrder order);

}  // namespace lstm_lrp
