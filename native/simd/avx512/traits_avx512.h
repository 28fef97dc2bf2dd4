// AVX-512F vector traits for the generic kernels. Include after the avx512f target pragma.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "../rows_blocked.h"

namespace lstm_lrp {
namespace {

struct Avx512F32 {
  using Real = float;
  using Vec = __m512;
  static constexpr std::size_t kLanes = 16;
  static constexpr std::size_t kTileSequences = 4;
  static Vec load_partial(const float* p, std::size_t width) { return _mm512_maskz_loadu_ps(mask(width), p); }
  static void store_partial(float* p, std::size_t width, Vec v) { _mm512_mask_storeu_ps(p, mask(width), v); }
  static __mmask16 mask(std::size_t width) { return static_cast<__mmask16>((1u << width) - 1); }
  static Vec load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, Vec v) { _mm512_storeu_ps(p, v); }
  static Vec set1(float x) { return _mm512_set1_ps(x); }
  static Vec broadcast(float x) { return _mm512_set1_ps(x); }
  static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm512_sub_ps(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm512_mul_ps(a, b); }
  static Vec div(Vec a, Vec b) { return _mm512_div_ps(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
  static Vec min(Vec a, Vec b) { return _mm512_min_ps(a, b); }
  static Vec max(Vec a, Vec b) { return _mm512_max_ps(a, b); }
  static Vec abs(Vec a) { return _mm512_castsi512_ps(_mm512_and_epi32(_mm512_castps_si512(a), _mm512_set1_epi32(0x7fffffff))); }
  static Vec copy_sign(Vec magnitude, Vec sign) {
    return _mm512_castsi512_ps(
        _mm512_or_epi32(_mm512_castps_si512(abs(magnitude)), _mm512_and_epi32(_mm512_castps_si512(sign), _mm512_set1_epi32(INT32_MIN))));
  }
  static Vec nearest(Vec a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static Vec exp2i(Vec n) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23));
  }
  static __mmask16 less(Vec a, Vec b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
  static Vec select(__mmask16 mask, Vec if_true, Vec if_false) { return _mm512_mask_blend_ps(mask, if_false, if_true); }
  // Eight float64 partial sums (common/interleaved_sum.h): add_groups adds lanes 0-7, converted,
  // then lanes 8-15 where there are more than two groups (a vector starts at a multiple of 16,
  // so lane l goes to partial sum l mod 8); store_groups writes the eight sums.
  using Groups = __m512d;
  static Groups no_groups() { return _mm512_setzero_pd(); }
  static Groups add_groups(Groups sums, Vec v, std::size_t, std::size_t groups) {
    sums = _mm512_add_pd(sums, _mm512_cvtps_pd(_mm512_castps512_ps256(v)));
    if (groups > 2) sums = _mm512_add_pd(sums, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1))));
    return sums;
  }
  static void store_groups(double* out, Groups sums) { _mm512_storeu_pd(out, sums); }
};

struct Avx512F64 {
  using Real = double;
  using Vec = __m512d;
  static constexpr std::size_t kLanes = 8;
  static constexpr std::size_t kTileSequences = 4;
  static Vec load_partial(const double* p, std::size_t width) { return _mm512_maskz_loadu_pd(mask(width), p); }
  static void store_partial(double* p, std::size_t width, Vec v) { _mm512_mask_storeu_pd(p, mask(width), v); }
  static __mmask8 mask(std::size_t width) { return static_cast<__mmask8>((1u << width) - 1); }
  static Vec load(const double* p) { return _mm512_loadu_pd(p); }
  static void store(double* p, Vec v) { _mm512_storeu_pd(p, v); }
  static Vec broadcast(double x) { return _mm512_set1_pd(x); }
  static Vec fma(Vec a, Vec b, Vec acc) { return _mm512_fmadd_pd(a, b, acc); }
};

}  // namespace
}  // namespace lstm_lrp
