// accumulate_rows for AVX2 + FMA: f32 (8 lanes) and f64 (4 lanes), tiles of two sequences, masked partial vectors.
#if defined(__x86_64__) || defined(_M_X64)
#include "target_begin.h"
#include "traits_avx2.h"

namespace lstm_lrp {

LSTM_LRP_DEFINE_ACCUMULATE_ROWS(avx2, Avx2F32, Avx2F64)

}  // namespace lstm_lrp

#include "../target_end.h"
#endif
