// accumulate_rows for AVX-512F: f32 (16 lanes) and f64 (8 lanes), tiles of four sequences, masked partial vectors.
#if defined(__x86_64__) || defined(_M_X64)
#include "target_begin.h"
#include "traits_avx512.h"

namespace lstm_lrp {

LSTM_LRP_DEFINE_ACCUMULATE_ROWS(avx512, Avx512F32, Avx512F64)

}  // namespace lstm_lrp

#include "../target_end.h"
#endif
