// Batch entry points behind the C ABI, one instantiation per dtype.
#pragma once

#include "../model/model.h"

namespace lstm_lrp {

template <typename Real>
Status predict_batch(const Model<Real>& model, const lstm_lrp_batch& batch, const lstm_lrp_output_buffer& scores,
                     const lstm_lrp_output_buffer& probabilities);

template <typename Real>
Status explain_batch(const Model<Real>& model, const lstm_lrp_explain_options& options, const lstm_lrp_batch& batch,
                     const lstm_lrp_input_buffer& target_weights, const lstm_lrp_explain_outputs& outputs);

}  // namespace lstm_lrp
