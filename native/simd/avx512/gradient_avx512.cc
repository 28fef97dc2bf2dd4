// The element-wise parts of the gradient backward pass over float32 for AVX-512F (16 lanes).
#if defined(__x86_64__) || defined(_M_X64)
#include "target_begin.h"
#include "../unfused.h"
#include "../gradient_vec.h"
#include "traits_avx512.h"

namespace lstm_lrp {

void gradient_step_f32_avx512(const GradientStep<float>& step) { gradient_step_f32<Avx512F32>(step); }

}  // namespace lstm_lrp

#include "../target_end.h"
#endif
