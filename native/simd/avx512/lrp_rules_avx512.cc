// The element-wise LRP rules over float32 for AVX-512F (16 lanes).
#if defined(__x86_64__) || defined(_M_X64)
#include "target_begin.h"
#include "../unfused.h"
#include "../lrp_rules_vec.h"
#include "traits_avx512.h"

namespace lstm_lrp {

void lrp_step_f32_avx512(const LrpStep<float>& step) { lrp_step_f32<Avx512F32>(step); }

void epsilon_messages_f32_avx512(const EpsilonMessages<float>& map) { epsilon_messages_f32<Avx512F32>(map); }

}  // namespace lstm_lrp

#include "../target_end.h"
#endif
