// The passes one sequence's explanation runs (occlusion's changed copies, integrated
// gradients' path points), in groups whose forward passes run together.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "../forward/trace.h"
#include "../model/call_memory.h"
#include "../model/model.h"

namespace lstm_lrp {

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

// The first `count` traces of `passes`, grown as needed, and pointers to them.
template <typename Real>
SequenceTrace<Real>* const* pass_group(std::vector<SequenceTrace<Real>>& passes, std::vector<SequenceTrace<Real>*>& pointers,
                                       std::size_t count) {
  if (passes.size() < count) passes.resize(count);
  pointers.resize(count);
  for (std::size_t k = 0; k < count; ++k) pointers[k] = &passes[k];
  return pointers.data();
}

}  // namespace lstm_lrp
