// The element-wise parts of the gradient backward pass over float32 for SSE2, the x86-64 baseline (4 lanes).
#if defined(__x86_64__) || defined(_M_X64)
#include "../unfused.h"
#include "../gradient_vec.h"
#include "traits_sse2.h"

namespace lstm_lrp {

void gradient_step_f32_sse2(const GradientStep<float>& step) { gradient_step_f32<Sse2F32>(step); }

}  // namespace lstm_lrp

#endif
