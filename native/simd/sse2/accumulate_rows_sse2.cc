// accumulate_rows for SSE2, the x86-64 baseline: f32 (4 lanes) and f64 (2 lanes), no FMA.
#if defined(__x86_64__) || defined(_M_X64)
#include "traits_sse2.h"

namespace lstm_lrp {

LSTM_LRP_DEFINE_ACCUMULATE_ROWS(sse2, Sse2F32, Sse2F64)

}  // namespace lstm_lrp

#endif
