// Picks the kernels once, from what the CPU (or the WASM build) supports.
#include <atomic>
#include <cstring>

#include "kernels.h"
#include "scalar/elementwise_scalar.h"
#include "scalar/gradient_scalar.h"
#include "scalar/lrp_rules_scalar.h"
#include "scalar/rows_scalar.h"

namespace lstm_lrp {

AccumulateRows<float> accumulate_rows_f32_avx512, accumulate_rows_f32_avx2, accumulate_rows_f32_sse2, accumulate_rows_f32_wasm128,
    accumulate_rows_f32_neon;
AccumulateRows<double> accumulate_rows_f64_avx512, accumulate_rows_f64_avx2, accumulate_rows_f64_sse2, accumulate_rows_f64_wasm128,
    accumulate_rows_f64_neon;
AccumulateRowsPair<float> accumulate_rows_pair_f32_avx512, accumulate_rows_pair_f32_avx2, accumulate_rows_pair_f32_sse2,
    accumulate_rows_pair_f32_wasm128, accumulate_rows_pair_f32_neon;
AccumulateRowsPair<double> accumulate_rows_pair_f64_avx512, accumulate_rows_pair_f64_avx2, accumulate_rows_pair_f64_sse2,
    accumulate_rows_pair_f64_wasm128, accumulate_rows_pair_f64_neon;
void sigmoid_f32_avx512(const float*, float*, std::size_t);
void tanh_f32_avx512(const float*, float*, std::size_t);
void sigmoid_f32_avx2(const float*, float*, std::size_t);
void tanh_f32_avx2(const float*, float*, std::size_t);
void sigmoid_f32_sse2(const float*, float*, std::size_t);
void tanh_f32_sse2(const float*, float*, std::size_t);
void sigmoid_f32_neon(const float*, float*, std::size_t);
void tanh_f32_neon(const float*, float*, std::size_t);
void sigmoid_f32_wasm128(const float*, float*, std::size_t);
void tanh_f32_wasm128(const float*, float*, std::size_t);

void lrp_step_f32_avx512(const LrpStep<float>&);
void epsilon_messages_f32_avx512(const EpsilonMessages<float>&);
void lrp_step_f32_avx2(const LrpStep<float>&);
void epsilon_messages_f32_avx2(const EpsilonMessages<float>&);
void lrp_step_f32_sse2(const LrpStep<float>&);
void epsilon_messages_f32_sse2(const EpsilonMessages<float>&);
void lrp_step_f32_neon(const LrpStep<float>&);
void epsilon_messages_f32_neon(const EpsilonMessages<float>&);
void lrp_step_f32_wasm128(const LrpStep<float>&);
void epsilon_messages_f32_wasm128(const EpsilonMessages<float>&);
void gradient_step_f32_avx512(const GradientStep<float>&);
void scaled_add_f32_avx512(const float*, float, const float*, float*, std::size_t);
void multiply_add_constant_f32_avx512(const float*, const float*, float, float*, std::size_t);
void add_multiply_add_constant_f32_avx512(const float*, const float*, float, float*, std::size_t);
void cell_state_f32_avx512(float*, const float*, const float*, const float*, float, float*, std::size_t);
void cell_output_f32_avx512(float*, const float*, float, float*, float*, std::size_t);
void gradient_step_f32_avx2(const GradientStep<float>&);
void scaled_add_f32_avx2(const float*, float, const float*, float*, std::size_t);
void multiply_add_constant_f32_avx2(const float*, const float*, float, float*, std::size_t);
void add_multiply_add_constant_f32_avx2(const float*, const float*, float, float*, std::size_t);
void cell_state_f32_avx2(float*, const float*, const float*, const float*, float, float*, std::size_t);
void cell_output_f32_avx2(float*, const float*, float, float*, float*, std::size_t);
void gradient_step_f32_sse2(const GradientStep<float>&);
void scaled_add_f32_sse2(const float*, float, const float*, float*, std::size_t);
void multiply_add_constant_f32_sse2(const float*, const float*, float, float*, std::size_t);
void add_multiply_add_constant_f32_sse2(const float*, const float*, float, float*, std::size_t);
void cell_state_f32_sse2(float*, const float*, const float*, const float*, float, float*, std::size_t);
void cell_output_f32_sse2(float*, const float*, float, float*, float*, std::size_t);
void gradient_step_f32_wasm128(const GradientStep<float>&);
void scaled_add_f32_wasm128(const float*, float, const float*, float*, std::size_t);
void multiply_add_constant_f32_wasm128(const float*, const float*, float, float*, std::size_t);
void add_multiply_add_constant_f32_wasm128(const float*, const float*, float, float*, std::size_t);
void cell_state_f32_wasm128(float*, const float*, const float*, const float*, float, float*, std::size_t);
void cell_output_f32_wasm128(float*, const float*, float, float*, float*, std::size_t);

namespace {

struct IsaKernels {
  const char* name;
  bool (*supported)();
  Kernels<float> f32;
  Kernels<double> f64;
};

bool always() { return true; }

#if defined(__x86_64__) || defined(_M_X64)
bool has_avx512() { return __builtin_cpu_supports("avx512f"); }
bool has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#endif

// Best first; the first supported entry is the default.
const IsaKernels kIsas[] = {
#if defined(__x86_64__) || defined(_M_X64)
    {"avx512",
     has_avx512,
     {accumulate_rows_f32_avx512, accumulate_rows_pair_f32_avx512, rank_one_update_scalar<float>, sigmoid_f32_avx512, tanh_f32_avx512,
      lrp_step_f32_avx512, epsilon_messages_f32_avx512, gradient_step_f32_avx512, scaled_add_f32_avx512, multiply_add_constant_f32_avx512,
      add_multiply_add_constant_f32_avx512, cell_state_f32_avx512, cell_output_f32_avx512},
     {accumulate_rows_f64_avx512, accumulate_rows_pair_f64_avx512, rank_one_update_scalar<double>, sigmoid_scalar<double>,
      tanh_scalar<double>, lrp_step_scalar<double>, epsilon_messages_scalar<double>, gradient_step_scalar<double>,
      scaled_add_scalar<double>, multiply_add_constant_scalar<double>, add_multiply_add_constant_scalar<double>, cell_state_scalar<double>,
      cell_output_scalar<double>}},
    {"avx2",
     has_avx2,
     {accumulate_rows_f32_avx2, accumulate_rows_pair_f32_avx2, rank_one_update_scalar<float>, sigmoid_f32_avx2, tanh_f32_avx2,
      lrp_step_f32_avx2, epsilon_messages_f32_avx2, gradient_step_f32_avx2, scaled_add_f32_avx2, multiply_add_constant_f32_avx2,
      add_multiply_add_constant_f32_avx2, cell_state_f32_avx2, cell_output_f32_avx2},
     {accumulate_rows_f64_avx2, accumulate_rows_pair_f64_avx2, rank_one_update_scalar<double>, sigmoid_scalar<double>, tanh_scalar<double>,
      lrp_step_scalar<double>, epsilon_messages_scalar<double>, gradient_step_scalar<double>, scaled_add_scalar<double>,
      multiply_add_constant_scalar<double>, add_multiply_add_constant_scalar<double>, cell_state_scalar<double>,
      cell_output_scalar<double>}},
    {"sse2",
     always,
     {accumulate_rows_f32_sse2, accumulate_rows_pair_f32_sse2, rank_one_update_scalar<float>, sigmoid_f32_sse2, tanh_f32_sse2,
      lrp_step_f32_sse2, epsilon_messages_f32_sse2, gradient_step_f32_sse2, scaled_add_f32_sse2, multiply_add_constant_f32_sse2,
      add_multiply_add_constant_f32_sse2, cell_state_f32_sse2, cell_output_f32_sse2},
     {accumulate_rows_f64_sse2, accumulate_rows_pair_f64_sse2, rank_one_update_scalar<double>, sigmoid_scalar<double>, tanh_scalar<double>,
      lrp_step_scalar<double>, epsilon_messages_scalar<double>, gradient_step_scalar<double>, scaled_add_scalar<double>,
      multiply_add_constant_scalar<double>, add_multiply_add_constant_scalar<double>, cell_state_scalar<double>,
      cell_output_scalar<double>}},
#endif
#if defined(__aarch64__)
    // The gradient kernels stay scalar on AArch64: its compilers fuse the scalar code's
    // multiply-adds there, which a vector kernel of separate roundings would not match.
    {"neon",
     always,
     {accumulate_rows_f32_neon, accumulate_rows_pair_f32_neon, rank_one_update_scalar<float>, sigmoid_f32_neon, tanh_f32_neon,
      lrp_step_f32_neon, epsilon_messages_f32_neon, gradient_step_scalar<float>, scaled_add_scalar<float>,
      multiply_add_constant_scalar<float>, add_multiply_add_constant_scalar<float>, cell_state_scalar<float>, cell_output_scalar<float>},
     {accumulate_rows_f64_neon, accumulate_rows_pair_f64_neon, rank_one_update_scalar<double>, sigmoid_scalar<double>, tanh_scalar<double>,
      lrp_step_scalar<double>, epsilon_messages_scalar<double>, gradient_step_scalar<double>, scaled_add_scalar<double>,
      multiply_add_constant_scalar<double>, add_multiply_add_constant_scalar<double>, cell_state_scalar<double>,
      cell_output_scalar<double>}},
#endif
#ifdef __wasm_simd128__
    {"simd128",
     always,
     {accumulate_rows_f32_wasm128, accumulate_rows_pair_f32_wasm128, rank_one_update_scalar<float>, sigmoid_f32_wasm128, tanh_f32_wasm128,
      lrp_step_f32_wasm128, epsilon_messages_f32_wasm128, gradient_step_f32_wasm128, scaled_add_f32_wasm128,
      multiply_add_constant_f32_wasm128, add_multiply_add_constant_f32_wasm128, cell_state_f32_wasm128, cell_output_f32_wasm128},
     {accumulate_rows_f64_wasm128, accumulate_rows_pair_f64_wasm128, rank_one_update_scalar<double>, sigmoid_scalar<double>,
      tanh_scalar<double>, lrp_step_scalar<double>, epsilon_messages_scalar<double>, gradient_step_scalar<double>,
      scaled_add_scalar<double>, multiply_add_constant_scalar<double>, add_multiply_add_constant_scalar<double>, cell_state_scalar<double>,
      cell_output_scalar<double>}},
#endif
    {"scalar",
     always,
     {accumulate_rows_scalar<float>, accumulate_rows_pair_scalar<float>, rank_one_update_scalar<float>, sigmoid_scalar<float>,
      tanh_scalar<float>, lrp_step_scalar<float>, epsilon_messages_scalar<float>, gradient_step_scalar<float>, scaled_add_scalar<float>,
      multiply_add_constant_scalar<float>, add_multiply_add_constant_scalar<float>, cell_state_scalar<float>, cell_output_scalar<float>},
     {accumulate_rows_scalar<double>, accumulate_rows_pair_scalar<double>, rank_one_update_scalar<double>, sigmoid_scalar<double>,
      tanh_scalar<double>, lrp_step_scalar<double>, epsilon_messages_scalar<double>, gradient_step_scalar<double>,
      scaled_add_scalar<double>, multiply_add_constant_scalar<double>, add_multiply_add_constant_scalar<double>, cell_state_scalar<double>,
      cell_output_scalar<double>}},
};

const IsaKernels* best_supported() {
  for (const IsaKernels& isa : kIsas)
    if (isa.supported()) return &isa;
  return &kIsas[sizeof(kIsas) / sizeof(kIsas[0]) - 1];
}

std::atomic<const IsaKernels*> selected{best_supported()};

}  // namespace

template <>
const Kernels<float>& kernels<float>() {
  return selected.load()->f32;
}

template <>
const Kernels<double>& kernels<double>() {
  return selected.load()->f64;
}

const char* selected_isa() { return selected.load()->name; }

std::string supported_isas() {
  std::string names;
  for (const IsaKernels& isa : kIsas)
    if (isa.supported()) names += (names.empty() ? "" : ", ") + std::string(isa.name);
  return names;
}

bool select_isa(const char* name) {
  for (const IsaKernels& isa : kIsas) {
    if (std::strcmp(isa.name, name) != 0) continue;
    if (!isa.supported()) return false;
    selected.store(&isa);
    return true;
  }
  return false;
}

}  // namespace lstm_lrp
