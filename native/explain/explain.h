// Batch entry points behind the C ABI, one instantiation per dtype.
#pragma once

#include <cstddef>

#include "../model/model.h"

namespace lstm_lrp {

// Both split the batch into groups of similar length (model/batch.h) that run on up to
// `threads` threads; every result is the same whatever the grouping and thread count.
template <typename Real>
Status predict_batch(const Model<Real>& model, const lstm_lrp_batch& batch, const lstm_lrp_output_buffer& scores,
                     const lstm_lrp_output_buffer& probabilities, std::size_t threads);

template <typename Real>
Status explain_batch(const Model<Real>& model, const lstm_lrp_explain_options& options, const lstm_lrp_batch& batch,
                     const lstm_lrp_input_buffer& target_weights, const lstm_lrp_explain_outputs& outputs, std::size_t threads);

}  // namespace lstm_lrp
