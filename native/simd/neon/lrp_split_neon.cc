// The LRP accumulation split over float32 for AArch64 NEON (4 lanes).
#if defined(__aarch64__)
#include "../lrp_split_vec.h"
#include "traits_neon.h"

namespace lstm_lrp {

void lrp_split_f32_neon(const AccumulationSplit<float>& split) { lrp_split_f32<NeonF32>(split); }

}  // namespace lstm_lrp

#endif
