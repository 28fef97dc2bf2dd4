// AVX2 + FMA vector traits for the generic kernels. Include after the avx2,fma target pragma.
#pragma once

#include <immintrin.h>

#include <cstddef>

#include "../rows_blocked.h"

namespace lstm_lrp {
namespace {

struct Avx2F32 {
  using Real = float;
  using Vec = __m256;
  static constexpr std::size_t kLanes = 8;
  static constexpr std::size_t kTileSequences = 2;
  static Vec load_partial(const float* p, std::size_t width) { return _mm256_maskload_ps(p, mask(width)); }
  static void store_partial(float* p, std::size_t width, Vec v) { _mm256_maskstore_ps(p, mask(width), v); }
  static __m256i mask(std::size_t width) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(width)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static Vec load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
  static Vec set1(float x) { return _mm256_set1_ps(x); }
  static Vec broadcast(float x) { return _mm256_set1_ps(x); }
  static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
  static Vec div(Vec a, Vec b) { return _mm256_div_ps(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
  static Vec min(Vec a, Vec b) { return _mm256_min_ps(a, b); }
  static Vec max(Vec a, Vec b) { return _mm256_max_ps(a, b); }
  static Vec abs(Vec a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
  static Vec copy_sign(Vec magnitude, Vec sign) {
    const Vec sign_bit = _mm256_set1_ps(-0.0f);
    return _mm256_or_ps(_mm256_andnot_ps(sign_bit, magnitude), _mm256_and_ps(sign_bit, sign));
  }
  static Vec nearest(Vec a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static Vec exp2i(Vec n) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23));
  }
  static Vec less(Vec a, Vec b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
  static Vec select(Vec mask, Vec if_true, Vec if_false) { return _mm256_blendv_ps(if_false, if_true, mask); }
  // Eight float64 partial sums (common/interleaved_sum.h), 0-3 and 4-7: add_groups adds lanes
  // 0-3 and 4-7, converted, to them (a vector starts at a multiple of 8); store_groups writes the
  // eight sums.
  struct Groups {
    __m256d low, high;
  };
  static Groups no_groups() { return {_mm256_setzero_pd(), _mm256_setzero_pd()}; }
  static Groups add_groups(Groups sums, Vec v, std::size_t, std::size_t) {
    return {_mm256_add_pd(sums.low, _mm256_cvtps_pd(_mm256_castps256_ps128(v))),
            _mm256_add_pd(sums.high, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)))};
  }
  static void store_groups(double* out, Groups sums) {
    _mm256_storeu_pd(out, sums.low);
    _mm256_storeu_pd(out + 4, sums.high);
  }
};

struct Avx2F64 {
  using Real = double;
  using Vec = __m256d;
  static constexpr std::size_t kLanes = 4;
  static constexpr std::size_t kTileSequences = 2;
  static Vec load_partial(const double* p, std::size_t width) { return _mm256_maskload_pd(p, mask(width)); }
  static void store_partial(double* p, std::size_t width, Vec v) { _mm256_maskstore_pd(p, mask(width), v); }
  static __m256i mask(std::size_t width) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(width)), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  static Vec load(const double* p) { return _mm256_loadu_pd(p); }
  static void store(double* p, Vec v) { _mm256_storeu_pd(p, v); }
  static Vec broadcast(double x) { return _mm256_set1_pd(x); }
  static Vec fma(Vec a, Vec b, Vec acc) { return _mm256_fmadd_pd(a, b, acc); }
};

}  // namespace
}  // namespace lstm_lrp
