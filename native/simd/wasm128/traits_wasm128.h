// WebAssembly SIMD128 vector traits for the generic kernels (no FMA).
#pragma once

#include <wasm_simd128.h>

#include <cstddef>

#include "../rows_blocked.h"

namespace lstm_lrp {
namespace {

struct Wasm128F32 {
  using Real = float;
  using Vec = v128_t;
  static constexpr std::size_t kLanes = 4;
  static constexpr std::size_t kTileSequences = 2;
  static Vec load_partial(const float* p, std::size_t width) { return load_partial_buffered<Wasm128F32>(p, width); }
  static void store_partial(float* p, std::size_t width, Vec v) { store_partial_buffered<Wasm128F32>(p, width, v); }
  static Vec load(const float* p) { return wasm_v128_load(p); }
  static void store(float* p, Vec v) { wasm_v128_store(p, v); }
  static Vec set1(float x) { return wasm_f32x4_splat(x); }
  static Vec broadcast(float x) { return wasm_f32x4_splat(x); }
  static Vec add(Vec a, Vec b) { return wasm_f32x4_add(a, b); }
  static Vec sub(Vec a, Vec b) { return wasm_f32x4_sub(a, b); }
  static Vec mul(Vec a, Vec b) { return wasm_f32x4_mul(a, b); }
  static Vec div(Vec a, Vec b) { return wasm_f32x4_div(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }
  static Vec min(Vec a, Vec b) { return wasm_f32x4_min(a, b); }
  static Vec max(Vec a, Vec b) { return wasm_f32x4_max(a, b); }
  static Vec abs(Vec a) { return wasm_f32x4_abs(a); }
  static Vec copy_sign(Vec magnitude, Vec sign) {
    const Vec sign_bit = wasm_f32x4_splat(-0.0f);
    return wasm_v128_or(wasm_v128_andnot(magnitude, sign_bit), wasm_v128_and(sign, sign_bit));
  }
  static Vec nearest(Vec a) { return wasm_f32x4_nearest(a); }
  static Vec exp2i(Vec n) { return wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23); }
  static Vec less(Vec a, Vec b) { return wasm_f32x4_lt(a, b); }
  static Vec select(Vec mask, Vec if_true, Vec if_false) { return wasm_v128_bitselect(if_true, if_false, mask); }
  // Eight float64 partial sums (common/interleaved_sum.h), two lanes each: add_groups adds the
  // vector's four lanes, converted, to sums 0-3 or 4-7 (the vector's values from index first on,
  // so lane l goes to partial sum (first + l) mod 8); store_groups writes the eight sums.
  struct Groups {
    v128_t sum[4];
  };
  static Groups no_groups() { return {{wasm_f64x2_splat(0.0), wasm_f64x2_splat(0.0), wasm_f64x2_splat(0.0), wasm_f64x2_splat(0.0)}}; }
  static Groups add_groups(Groups sums, Vec v, std::size_t first, std::size_t) {
    const std::size_t half = first % 8 / 2;
    sums.sum[half] = wasm_f64x2_add(sums.sum[half], wasm_f64x2_promote_low_f32x4(v));
    sums.sum[half + 1] = wasm_f64x2_add(sums.sum[half + 1], wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1)));
    return sums;
  }
  static void store_groups(double* out, Groups sums) {
    for (int k = 0; k < 4; ++k) wasm_v128_store(out + 2 * k, sums.sum[k]);
  }
};

struct Wasm128F64 {
  using Real = double;
  using Vec = v128_t;
  static constexpr std::size_t kLanes = 2;
  static constexpr std::size_t kTileSequences = 2;
  static Vec load_partial(const double* p, std::size_t width) { return load_partial_buffered<Wasm128F64>(p, width); }
  static void store_partial(double* p, std::size_t width, Vec v) { store_partial_buffered<Wasm128F64>(p, width, v); }
  static Vec load(const double* p) { return wasm_v128_load(p); }
  static void store(double* p, Vec v) { wasm_v128_store(p, v); }
  static Vec broadcast(double x) { return wasm_f64x2_splat(x); }
  static Vec fma(Vec a, Vec b, Vec acc) { return wasm_f64x2_add(acc, wasm_f64x2_mul(a, b)); }
};

}  // namespace
}  // namespace lstm_lrp
