// Forward pass over the layer stack and head for one sequence.
#pragma once

#include <cstddef>
#include <vector>

#include "../model/model.h"
#include "trace.h"

namespace lstm_lrp {

// Runs the model on trace.input ([steps, input_size]) and fills the rest of trace.
template <typename Real>
void run_forward(const Model<Real>& model, SequenceTrace<Real>& trace);

// The same for count sequences at once (each trace's steps and input set): every step's
// matrix products cover all sequences still running, so the weights are read once per
// tile of sequences. Each trace ends up exactly as run_forward would leave it.
template <typename Real>
void run_forward_group(const Model<Real>& model, SequenceTrace<Real>* const* traces, std::size_t count);

// The same for traces whose first layer's input projections b + W x already fill
// directions[0][d].pre ([T, 4H] by processing step, each direction sized); their input is
// not read. Integrated gradients interpolates those projections along its path.
template <typename Real>
void run_forward_group_projected(const Model<Real>& model, SequenceTrace<Real>* const* traces, std::size_t count);

// The head's input rows v ([rows, D]) read from the top layer's outputs ([T, D]): the final
// state of each direction (readout last) or every step (readout each).
template <typename Real>
void read_head_input(const Model<Real>& model, std::size_t steps, const std::vector<Real>& top_output, std::vector<Real>& head_input);

// scores = W_head v per head input row, plus the head bias when with_bias.
template <typename Real>
void apply_head(const Model<Real>& model, const std::vector<Real>& head_input, bool with_bias, std::vector<Real>& scores);

// Score rows of a sequence: 1 for readout last, T for readout each.
template <typename Real>
std::size_t score_rows(const Model<Real>& model, std::size_t steps) {
  return model.readout == LSTM_LRP_READOUT_LAST ? 1 : steps;
}

}  // namespace lstm_lrp
