// NEON (AArch64 Advanced SIMD) vector traits for the generic kernels. NEON is part of
// every AArch64 CPU, so these need no target pragma and no runtime check.
#pragma once

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "../rows_blocked.h"

namespace lstm_lrp {
namespace {

struct NeonF32 {
  using Real = float;
  using Vec = float32x4_t;
  static constexpr std::size_t kLanes = 4;
  // 32 vector registers: tiles of four sequences × four vectors fit with room to spare.
  static constexpr std::size_t kTileSequences = 4;
  static Vec load_partial(const float* p, std::size_t width) { return load_partial_buffered<NeonF32>(p, width); }
  static void store_partial(float* p, std::size_t width, Vec v) { store_partial_buffered<NeonF32>(p, width, v); }
  static Vec load(const float* p) { return vld1q_f32(p); }
  static void store(float* p, Vec v) { vst1q_f32(p, v); }
  static Vec set1(float x) { return vdupq_n_f32(x); }
  static Vec broadcast(float x) { return vdupq_n_f32(x); }
  static Vec add(Vec a, Vec b) { return vaddq_f32(a, b); }
  static Vec sub(Vec a, Vec b) { return vsubq_f32(a, b); }
  static Vec mul(Vec a, Vec b) { return vmulq_f32(a, b); }
  static Vec div(Vec a, Vec b) { return vdivq_f32(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return vfmaq_f32(c, a, b); }
  static Vec min(Vec a, Vec b) { return vminq_f32(a, b); }
  static Vec max(Vec a, Vec b) { return vmaxq_f32(a, b); }
  static Vec abs(Vec a) { return vabsq_f32(a); }
  static Vec copy_sign(Vec magnitude, Vec sign) {
    const uint32x4_t sign_bit = vdupq_n_u32(0x80000000u);
    return vbslq_f32(sign_bit, sign, magnitude);
  }
  static Vec nearest(Vec a) { return vrndnq_f32(a); }
  static Vec exp2i(Vec n) { return vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127)), 23)); }
  static uint32x4_t less(Vec a, Vec b) { return vcltq_f32(a, b); }
  static Vec select(uint32x4_t mask, Vec if_true, Vec if_false) { return vbslq_f32(mask, if_true, if_false); }
  // Eight float64 partial sums (common/interleaved_sum.h), two lanes each: add_groups adds the
  // vector's four lanes, converted, to sums 0-3 or 4-7 (the vector's values from index first on,
  // so lane l goes to partial sum (first + l) mod 8); store_groups writes the eight sums.
  struct Groups {
    float64x2_t sum[4];
  };
  static Groups no_groups() { return {{vdupq_n_f64(0.0), vdupq_n_f64(0.0), vdupq_n_f64(0.0), vdupq_n_f64(0.0)}}; }
  static Groups add_groups(Groups sums, Vec v, std::size_t first, std::size_t) {
    const std::size_t half = first % 8 / 2;
    sums.sum[half] = vaddq_f64(sums.sum[half], vcvt_f64_f32(vget_low_f32(v)));
    sums.sum[half + 1] = vaddq_f64(sums.sum[half + 1], vcvt_high_f64_f32(v));
    return sums;
  }
  static void store_groups(double* out, Groups sums) {
    for (int k = 0; k < 4; ++k) vst1q_f64(out + 2 * k, sums.sum[k]);
  }
};

struct NeonF64 {
  using Real = double;
  using Vec = float64x2_t;
  static constexpr std::size_t kLanes = 2;
  static constexpr std::size_t kTileSequences = 4;
  static Vec load_partial(const double* p, std::size_t width) { return load_partial_buffered<NeonF64>(p, width); }
  static void store_partial(double* p, std::size_t width, Vec v) { store_partial_buffered<NeonF64>(p, width, v); }
  static Vec load(const double* p) { return vld1q_f64(p); }
  static void store(double* p, Vec v) { vst1q_f64(p, v); }
  static Vec broadcast(double x) { return vdupq_n_f64(x); }
  static Vec fma(Vec a, Vec b, Vec acc) { return vfmaq_f64(acc, a, b); }
};

}  // namespace
}  // namespace lstm_lrp
