// The element-wise LRP rules over float32 for AVX2 (8 lanes).
#if defined(__x86_64__) || defined(_M_X64)
#include "target_begin.h"
#include "../unfused.h"
#include "../lrp_rules_vec.h"
#include "traits_avx2.h"

namespace lstm_lrp {

void lrp_step_f32_avx2(const LrpStep<float>& step) { lrp_step_f32<Avx2F32>(step); }

void epsilon_messages_f32_avx2(const EpsilonMessages<float>& map) { epsilon_messages_f32<Avx2F32>(map); }

}  // namespace lstm_lrp

#include "../target_end.h"
#endif
