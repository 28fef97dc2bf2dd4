// The element-wise LRP rules over float32 for AArch64 NEON (4 lanes).
#if defined(__aarch64__)
#include "../unfused.h"
#include "../lrp_rules_vec.h"
#include "traits_neon.h"

namespace lstm_lrp {

void lrp_step_f32_neon(const LrpStep<float>& step) { lrp_step_f32<NeonF32>(step); }

void epsilon_messages_f32_neon(const EpsilonMessages<float>& map) { epsilon_messages_f32<NeonF32>(map); }

}  // namespace lstm_lrp

#endif
