// accumulate_rows for AArch64 NEON: f32 (4 lanes) and f64 (2 lanes), tiles of four sequences, with FMA.
#if defined(__aarch64__)
#include "traits_neon.h"

namespace lstm_lrp {

LSTM_LRP_DEFINE_ACCUMULATE_ROWS(neon, NeonF32, NeonF64)

}  // namespace lstm_lrp

#endif
