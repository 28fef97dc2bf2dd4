// exp, sigmoid and tanh over float32 vectors for any ISA, given its traits
// (Cephes-style: Cody–Waite range reduction and minimax polynomials, ~1–2 ulp).
// Include it after the ISA's target pragma, with Traits from an anonymous namespace.
#pragma once

#include <cstddef>

#include "lanes.h"

namespace lstm_lrp {

// Traits: Vec, kLanes, load, store, load_partial and store_partial (the first `width` lanes, the
// others zero), set1, add, sub, mul, div, fma(a, b, c) = a·b + c, min, max,
// abs, nearest (round to nearest), exp2i (2^n for integral-valued n), select(less(a, b), x, y),
// copy_sign(magnitude, sign).
template <typename T>
inline typename T::Vec exp_f32(typename T::Vec x) {
  using V = typename T::Vec;
  x = T::min(T::max(x, T::set1(-87.3f)), T::set1(88.3f));
  const V n = T::nearest(T::mul(x, T::set1(1.44269504088896341f)));
  V r = T::fma(n, T::set1(-0.693359375f), x);
  r = T::fma(n, T::set1(2.12194440e-4f), r);
  V p = T::set1(1.9875691500e-4f);
  p = T::fma(p, r, T::set1(1.3981999507e-3f));
  p = T::fma(p, r, T::set1(8.3334519073e-3f));
  p = T::fma(p, r, T::set1(4.1665795894e-2f));
  p = T::fma(p, r, T::set1(1.6666665459e-1f));
  p = T::fma(p, r, T::set1(5.0000001201e-1f));
  p = T::fma(T::mul(p, r), r, T::add(r, T::set1(1.0f)));
  return T::mul(p, T::exp2i(n));
}

template <typename T>
inline typename T::Vec sigmoid_f32(typename T::Vec x) {
  const typename T::Vec one = T::set1(1.0f);
  return T::div(one, T::add(one, exp_f32<T>(T::sub(T::set1(0.0f), x))));
}

template <typename T>
inline typename T::Vec tanh_f32(typename T::Vec x) {
  using V = typename T::Vec;
  const V magnitude = T::min(T::abs(x), T::set1(9.0f));
  // Near zero an odd polynomial keeps the relative accuracy that 1 − 2/(e^{2x}+1) would lose.
  const V z = T::mul(magnitude, magnitude);
  V p = T::set1(-5.70498872745e-3f);
  p = T::fma(p, z, T::set1(2.06390887954e-2f));
  p = T::fma(p, z, T::set1(-5.37397155531e-2f));
  p = T::fma(p, z, T::set1(1.33314422036e-1f));
  p = T::fma(p, z, T::set1(-3.33332819422e-1f));
  const V small = T::fma(T::mul(p, z), magnitude, magnitude);
  const V two = T::set1(2.0f);
  const V large = T::sub(T::set1(1.0f), T::div(two, T::add(exp_f32<T>(T::mul(two, magnitude)), T::set1(1.0f))));
  return T::copy_sign(T::select(T::less(magnitude, T::set1(0.625f)), small, large), x);
}

template <typename T, typename T::Vec (*F)(typename T::Vec)>
inline void map_f32(const float* in, float* out, std::size_t n) {
  over_vectors<T>(n, [&](std::size_t k, std::size_t width) { store_lanes<T>(out + k, width, F(load_lanes<T>(in + k, width))); });
}

}  // namespace lstm_lrp
