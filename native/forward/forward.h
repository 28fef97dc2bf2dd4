// Forward pass over the layer stack and head for one sequence.
#pragma once

#include <array>
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

// Per first-layer direction, the processing step from which a trace's forward pass runs.
using ResumeSteps = std::array<std::size_t, 2>;

// The same for traces whose first layer is prepared: its input projections b + W x already
// fill directions[0][d].pre ([T, 4H] by processing step, each direction sized) and the input
// is not read. With resume (else null), trace n's first-layer direction d runs from processing
// step resume[n][d] on: every value of the steps before it is already in place (pre, act and
// cell_output rows, cell and output rows up to and including that step, the direction's
// columns of layer_outputs[0]). Integrated gradients interpolates the projections along its
// path; occlusion resumes each changed copy where it parts from the original.
template <typename Real>
void run_forward_group_prepared(const Model<Real>& model, SequenceTrace<Real>* const* traces, const ResumeSteps* resume, std::size_t count);

// The head's input rows v ([rows, D]) read from the top layer's outputs ([T, D]): the final
// state of each direction (readout last) or every step (readout each).
template <typename Real>
void read_head_input(const Model<Real>& model, std::size_t steps, const AlignedVector<Real>& top_output, AlignedVector<Real>& head_input);

// scores = W_head v per head input row, plus the head bias when with_bias.
template <typename Real>
void apply_head(const Model<Real>& model, const AlignedVector<Real>& head_input, bool with_bias, AlignedVector<Real>& scores);

// Score rows of a sequence: 1 for readout last, T for readout each.
template <typename Real>
std::size_t score_rows(const Model<Real>& model, std::size_t steps) {
  return model.readout == LSTM_LRP_READOUT_LAST ? 1 : steps;
}

}  // namespace lstm_lrp
