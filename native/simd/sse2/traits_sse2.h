// SSE2 vector traits for the generic kernels (the x86-64 baseline: no FMA, no blend).
#pragma once

#include <emmintrin.h>

#include <cstddef>

#include "../rows_blocked.h"

namespace lstm_lrp {
namespace {

struct Sse2F32 {
  using Real = float;
  using Vec = __m128;
  static constexpr std::size_t kLanes = 4;
  static constexpr std::size_t kTileSequences = 2;
  static Vec load_partial(const float* p, std::size_t width) { return load_partial_buffered<Sse2F32>(p, width); }
  static void store_partial(float* p, std::size_t width, Vec v) { store_partial_buffered<Sse2F32>(p, width, v); }
  static Vec load(const float* p) { return _mm_loadu_ps(p); }
  static void store(float* p, Vec v) { _mm_storeu_ps(p, v); }
  static Vec set1(float x) { return _mm_set1_ps(x); }
  static Vec broadcast(float x) { return _mm_set1_ps(x); }
  static Vec add(Vec a, Vec b) { return _mm_add_ps(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm_sub_ps(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm_mul_ps(a, b); }
  static Vec div(Vec a, Vec b) { return _mm_div_ps(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
  static Vec min(Vec a, Vec b) { return _mm_min_ps(a, b); }
  static Vec max(Vec a, Vec b) { return _mm_max_ps(a, b); }
  static Vec abs(Vec a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }
  static Vec copy_sign(Vec magnitude, Vec sign) {
    const Vec sign_bit = _mm_set1_ps(-0.0f);
    return _mm_or_ps(_mm_andnot_ps(sign_bit, magnitude), _mm_and_ps(sign_bit, sign));
  }
  // Rounds to nearest under the default rounding mode; |a| stays far below 2^31 here.
  static Vec nearest(Vec a) { return _mm_cvtepi32_ps(_mm_cvtps_epi32(a)); }
  static Vec exp2i(Vec n) { return _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(_mm_cvtps_epi32(n), _mm_set1_epi32(127)), 23)); }
  static Vec less(Vec a, Vec b) { return _mm_cmplt_ps(a, b); }
  static Vec select(Vec mask, Vec if_true, Vec if_false) { return _mm_or_ps(_mm_and_ps(mask, if_true), _mm_andnot_ps(mask, if_false)); }
  // Eight float64 partial sums (common/interleaved_sum.h), two lanes each: add_groups adds the
  // vector's four lanes, converted, to sums 0-3 or 4-7 (the vector's values from index first on,
  // so lane l goes to partial sum (first + l) mod 8); store_groups writes the eight sums.
  struct Groups {
    __m128d sum[4];
  };
  static Groups no_groups() { return {{_mm_setzero_pd(), _mm_setzero_pd(), _mm_setzero_pd(), _mm_setzero_pd()}}; }
  static Groups add_groups(Groups sums, Vec v, std::size_t first, std::size_t) {
    const std::size_t half = first % 8 / 2;
    sums.sum[half] = _mm_add_pd(sums.sum[half], _mm_cvtps_pd(v));
    sums.sum[half + 1] = _mm_add_pd(sums.sum[half + 1], _mm_cvtps_pd(_mm_movehl_ps(v, v)));
    return sums;
  }
  static void store_groups(double* out, Groups sums) {
    for (int k = 0; k < 4; ++k) _mm_storeu_pd(out + 2 * k, sums.sum[k]);
  }
};

struct Sse2F64 {
  using Real = double;
  using Vec = __m128d;
  static constexpr std::size_t kLanes = 2;
  static constexpr std::size_t kTileSequences = 2;
  static Vec load_partial(const double* p, std::size_t width) { return load_partial_buffered<Sse2F64>(p, width); }
  static void store_partial(double* p, std::size_t width, Vec v) { store_partial_buffered<Sse2F64>(p, width, v); }
  static Vec load(const double* p) { return _mm_loadu_pd(p); }
  static void store(double* p, Vec v) { _mm_storeu_pd(p, v); }
  static Vec broadcast(double x) { return _mm_set1_pd(x); }
  static Vec fma(Vec a, Vec b, Vec acc) { return _mm_add_pd(acc, _mm_mul_pd(a, b)); }
};

}  // namespace
}  // namespace lstm_lrp
