// The element-wise LRP rules over float32 for SSE2, the x86-64 baseline (4 lanes).
#if defined(__x86_64__) || defined(_M_X64)
#include "../unfused.h"
#include "../lrp_rules_vec.h"
#include "traits_sse2.h"

namespace lstm_lrp {

void lrp_step_f32_sse2(const LrpStep<float>& step) { lrp_step_f32<Sse2F32>(step); }

void epsilon_messages_f32_sse2(const EpsilonMessages<float>& map) { epsilon_messages_f32<Sse2F32>(map); }

}  // namespace lstm_lrp

#endif
