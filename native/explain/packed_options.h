// The explain options as the bindings pass them: one array of float64 values (LSTM_LRP_PACKED_*).
#pragma once

#include <cstdint>

#include "../common/status.h"
#include "../include/lstm_lrp.h"

namespace lstm_lrp {

// Fills the numeric fields of options from values; the vectors are left as they were.
Status unpack_explain_options(const double* values, std::int64_t count, lstm_lrp_explain_options& options);

}  // namespace lstm_lrp
