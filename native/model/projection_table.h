// The input projection table of a token model (InputProjectionTable in model.h): built when
// a model is created and after training, dropped while training changes the weights.
#pragma once

#include "model.h"

namespace lstm_lrp {

// Computes the table when the model has an embedding, did not opt out, and the table takes
// at most LSTM_LRP_INPUT_PROJECTION_TABLE_BYTES and fits model_memory_limit() beside the
// weights; otherwise leaves it empty (the forward pass then multiplies).
template <typename Real>
void build_projection_table(Model<Real>& model);

template <typename Real>
void drop_projection_table(Model<Real>& model);

// Layer 0's table rows of `direction` when they may stand in for the product under the
// selected ISA, else null.
template <typename Real>
const Real* projection_rows(const Model<Real>& model, int direction);

}  // namespace lstm_lrp
