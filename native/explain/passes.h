// The passes one sequence's explanation runs (the changed copies of occlusion and the sampling methods, integrated
// gradients' path points, SmoothGrad's noisy copies, CD's decompositions): in shares, each run in groups whose passes
// go through each step together. The shares are fixed by the number of passes alone, so
// the results are the same whatever the threads that run them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../common/thread_pool.h"
#include "../forward/forward.h"
#include "../forward/trace.h"
#include "../model/call_memory.h"
#include "../model/model.h"
#include "../simd/gemv.h"
#include "cd_scratch.h"
#include "path_signals.h"

namespace lstm_lrp {

// What one share of the passes works in; shares that run at once each have their own.
template <typename Real>
struct PassShare {
  std::vector<SequenceTrace<Real>> passes;
  std::vector<SequenceTrace<Real>*> pointers;
  std::vector<ResumeSteps> resume;      // coalitions: where each changed copy's first layer resumes
  std::vector<std::uint8_t> kept;       // coalitions: the steps the copy being prepared keeps
  std::vector<std::size_t> kept_times;  // coalitions: their times
  ProductRows<Real> rows;
  PointSignals<Real> points;      // integrated gradients, SmoothGrad
  NoisyCopies<Real> noisy;        // SmoothGrad
  DecompositionScratch<Real> cd;  // CD

  // The first `count` traces, grown as needed, as pointers.
  SequenceTrace<Real>* const* group(std::size_t count) {
    if (passes.size() < count) passes.resize(count);
    pointers.resize(count);
    for (std::size_t k = 0; k < count; ++k) pointers[k] = &passes[k];
    return pointers.data();
  }
};

// Values a trace holds per step (forward/trace.h): the input, and per layer its outputs and
// per direction 11 H (pre-activations, activations, cell, cell output, output).
template <typename Real>
std::size_t trace_values_per_step(const Model<Real>& model) {
  std::size_t values = model.input_size;
  for (const Layer<Real>& layer : model.layers)
    values += layer.output_size() + 11 * static_cast<std::size_t>(layer.directions) * layer.hidden_size;
  return values;
}

// How many passes of a sequence of `steps` run together: as many as fit in kPassGroupBytes
// with values_per_step each, at least one.
template <typename Real>
std::size_t passes_per_group(std::size_t steps, std::size_t values_per_step) {
  const std::size_t bytes = std::max<std::size_t>(1, steps * values_per_step * sizeof(Real));
  return std::max<std::size_t>(1, static_cast<std::size_t>(kPassGroupBytes) / bytes);
}

// Runs body(first, count) over [share_first, share_stop) in the fewest groups of at most
// group_size passes, their sizes within one of each other: a remainder group of one or two
// passes would multiply with tiles of one or two sequences, which read the weights per pass.
template <typename Body>
void for_each_group(std::size_t share_first, std::size_t share_stop, std::size_t group_size, Body body) {
  const std::size_t passes = share_stop - share_first;
  const std::size_t groups = (passes + group_size - 1) / group_size;
  for (std::size_t g = 0; g < groups; ++g) {
    const std::size_t first = share_first + g * passes / groups;
    body(first, share_first + (g + 1) * passes / groups - first);
  }
}

// The number of shares of `count` passes whose results are summed across passes (integrated
// gradients, SmoothGrad): fixed by count, so the order of those sums does not depend on threads.
inline std::size_t pass_shares(std::size_t count) { return std::min<std::size_t>(kPassShares, std::max<std::size_t>(count, 1)); }

// The number of shares of `count` passes that each yield a value of their own (the coalition
// methods' copies, CD's decompositions): one per thread, up to kPassShares, so each thread runs
// its passes in groups as large as they can be. No value depends on its share or its group.
inline std::size_t independent_pass_shares(std::size_t count, std::size_t threads) {
  return std::min(pass_shares(count), std::max<std::size_t>(threads, 1));
}

// Runs body(share, first, stop, scratch) for each of `shares` shares [first, stop) of `count`
// passes, on up to `threads` threads. Thread slot k runs shares k, k + slots, ... in one scratch of
// its own, which the next share finds in its core's caches (a scratch per share, the shares taken
// by whichever thread was free, made a share's passes fetch another core's lines).
template <typename Real, typename Body>
void for_each_share(std::size_t count, std::size_t shares, std::size_t threads, std::vector<PassShare<Real>>& scratch, Body body) {
  const std::size_t slots = std::max<std::size_t>(1, std::min(threads, shares));
  if (scratch.size() < slots) scratch.resize(slots);
  parallel_for(slots, slots, [&](std::size_t slot) {
    for (std::size_t share = slot; share < shares; share += slots)
      body(share, share * count / shares, (share + 1) * count / shares, scratch[slot]);
  });
}

}  // namespace lstm_lrp
