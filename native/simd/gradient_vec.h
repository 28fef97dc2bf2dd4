// The element-wise parts of the gradient backward pass (scalar/gradient_scalar.h) over float32
// vectors of any ISA, given its traits: the same operations in the same order, lane by lane,
// each rounded on its own (the including file starts with unfused.h), so every result has the
// scalar code's bits. Include it after the ISA's target pragma, with Traits from an anonymous
// namespace.
#pragma once

#include <cstddef>

#include "kernels.h"
#include "lanes.h"

namespace lstm_lrp {

// kUnitScales: g_scale = h_scale = 1, whose divisions and products change no bit and are left out.
template <typename T, bool kUnitScales>
inline void gradient_step_f32_of(const GradientStep<float>& g) {
  using V = typename T::Vec;
  const V one = T::set1(1.0f);
  const V g_scale = T::set1(g.g_scale);
  const V h_scale = T::set1(g.h_scale);
  const std::size_t H = g.cells;
  over_vectors<T>(H, [&](std::size_t j, std::size_t width) {
    const auto in = [&](const float* p) { return load_lanes<T>(p + j, width); };
    const auto out = [&](float* p, V v) { store_lanes<T>(p + j, width, v); };
    const V z = in(g.activations), i = in(g.activations + H), f = in(g.activations + 2 * H), o = in(g.activations + 3 * H);
    const V hc = in(g.cell_output);
    const V d_y = T::add(in(g.from_above), in(g.recurrent));
    const V tanh_c = kUnitScales ? hc : T::div(hc, h_scale);
    const V d_y_o = kUnitScales ? T::mul(d_y, o) : T::mul(T::mul(d_y, o), h_scale);
    const V d_c = T::add(T::mul(d_y_o, T::sub(one, T::mul(tanh_c, tanh_c))), in(g.cell_next));
    out(g.cell_next, T::mul(d_c, f));
    const V tanh_a = kUnitScales ? z : T::div(z, g_scale);
    const V d_c_i = kUnitScales ? T::mul(d_c, i) : T::mul(T::mul(d_c, i), g_scale);
    out(g.block, T::mul(d_c_i, T::sub(one, T::mul(tanh_a, tanh_a))));
    out(g.block + H, T::mul(T::mul(T::mul(d_c, z), i), T::sub(one, i)));
    out(g.block + 2 * H, T::mul(T::mul(T::mul(d_c, in(g.cell_prev)), f), T::sub(one, f)));
    out(g.block + 3 * H, T::mul(T::mul(T::mul(d_y, hc), o), T::sub(one, o)));
  });
}

template <typename T>
inline void gradient_step_f32(const GradientStep<float>& g) {
  if (g.g_scale == 1.0f && g.h_scale == 1.0f)
    gradient_step_f32_of<T, true>(g);
  else
    gradient_step_f32_of<T, false>(g);
}

}  // namespace lstm_lrp
