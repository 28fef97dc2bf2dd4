// Forward pass over the layer stack and head for one sequence.
#pragma once

#include <cstddef>

#include "../model/model.h"
#include "trace.h"

namespace lstm_lrp {

// Runs the model on trace.input ([steps, input_size]) and fills the rest of trace.
template <typename Real>
void run_forward(const Model<Real>& model, SequenceTrace<Real>& trace);

// Score rows of a sequence: 1 for readout last, T for readout each.
template <typename Real>
std::size_t score_rows(const Model<Real>& model, std::size_t steps) {
  return model.readout == LSTM_LRP_READOUT_LAST ? 1 : steps;
}

}  // namespace lstm_lrp
