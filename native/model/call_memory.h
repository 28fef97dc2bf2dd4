// What one batch call will hold at once, estimated from the lengths alone and checked
// against memory_limit() before anything is allocated: every buffer that grows with the
// steps (traces, backward workspaces, score rows and their weights) of the groups that run
// together on the call's threads, plus the caller's arrays and, for gradients, a copy of
// the parameters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "batch.h"

namespace lstm_lrp {

// What the call computes after the forward pass; each kind keeps more per step than the one before.
enum class CallWork {
  kForward,    // predict: the traces and scores
  kLoss,       // evaluate: and the loss gradient at the scores
  kGradients,  // gradients and training: and backpropagation, and a gradient per parameter
  kBackward,   // LRP, gradient, gradient × input: a backward pass per sequence
  kDecompose,  // CD: and the relevant part of every layer's output
  kPerturbed,  // occlusion, integrated gradients, the sampling methods: and a second trace of a changed sequence
};

// What the passes of one sequence that run together (occlusion's changed copies, integrated
// gradients' path points, CD's decompositions) may hold beyond one pass: they run in groups of
// as many as fit, at least one.
constexpr std::uint64_t kPassGroupBytes = std::uint64_t(2) << 20;

// The shares those passes split into (explain/passes.h): a lone sequence runs them on the
// call's threads, each share in its own kPassGroupBytes.
constexpr std::size_t kPassShares = 4;

struct CallBudget {
  CallWork work;
  std::size_t threads;
  std::uint64_t caller_bytes;      // the arrays the caller passed (inputs, targets, outputs), alive for the whole call
  const char* what;                // the call, for the message
  std::uint64_t square_bytes = 0;  // per T² of the longest sequence on each running thread (KernelSHAP's, LIME's normal equations)
};

template <typename Real>
Status check_call_memory(const Model<Real>& model, const BatchLayout& layout, const CallBudget& budget);

// Bytes of a caller's array of `element`-byte values (0 when absent).
template <typename Buffer>
std::uint64_t buffer_bytes(const Buffer& buffer, std::size_t element) {
  return buffer.data == nullptr || buffer.length < 0 ? 0 : static_cast<std::uint64_t>(buffer.length) * element;
}

// Bytes of a batch's inputs or tokens and its lengths.
template <typename Real>
std::uint64_t batch_bytes(const lstm_lrp_batch& batch) {
  return buffer_bytes(batch.inputs, sizeof(Real)) + buffer_bytes(batch.tokens, sizeof(int32_t)) +
         static_cast<std::uint64_t>(batch.count < 0 ? 0 : batch.count) * sizeof(int32_t);
}

}  // namespace lstm_lrp
