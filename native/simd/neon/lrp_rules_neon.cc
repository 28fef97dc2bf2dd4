// The element-wise LRP rules over float32 for AArch64 NEON (4 lanes).
#if defined(__aarch64__)
#include "../lrp_rules_vec.h"
#include "traits_neon.h"

namespace lstm_lrp {

void lrp_split_f32_neon(const AccumulationSplit<float>& split) { lrp_split_f32<NeonF32>(split); }

void epsilon_messages_f32_neon(const EpsilonMessages<float>& map) { epsilon_messages_f32<NeonF32>(map); }

}  // namespace lstm_lrp

#endif
