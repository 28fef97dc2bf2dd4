// Loading a group of a batch's sequences and running their forward passes together:
// shared by predict/explain batches and training steps.
#pragma once

#include <cstddef>
#include <vector>

#include "../model/batch.h"
#include "forward.h"

namespace lstm_lrp {

// The traces of one group, reused from group to group (their buffers keep their capacity).
template <typename Real>
struct GroupTraces {
  std::vector<SequenceTrace<Real>> traces;
  std::vector<SequenceTrace<Real>*> pointers;

  // Loads sequences group[k] into traces[k] and runs their forward passes together.
  void run(const Model<Real>& model, const lstm_lrp_batch& batch, const BatchLayout& layout, const std::vector<std::size_t>& group) {
    if (traces.size() < group.size()) traces.resize(group.size());
    pointers.clear();
    for (std::size_t k = 0; k < group.size(); ++k) {
      const std::size_t n = group[k];
      traces[k].steps = layout.offsets[n + 1] - layout.offsets[n];
      load_sequence(model, batch, layout, n, traces[k].input, traces[k].tokens);
      pointers.push_back(&traces[k]);
    }
    run_forward_group(model, pointers.data(), pointers.size());
  }
};

}  // namespace lstm_lrp
