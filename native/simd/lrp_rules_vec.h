// The element-wise LRP rules (scalar/lrp_rules_scalar.h) over float32 vectors of any ISA,
// given its traits: the same operations in the same order, lane by lane, with selects
// where the scalar code branches, each rounded on its own (the including file starts with
// unfused.h), so every result has the scalar code's bits. Include it after the ISA's target
// pragma, with Traits from an anonymous namespace.
#pragma once

#include <cstddef>
#include <limits>
#include <utility>

#include "../common/interleaved_sum.h"
#include "kernels.h"
#include "lanes.h"

namespace lstm_lrp {

// The epsilon rule's message lane by lane, as scalar/epsilon_message.h has it one value at a
// time: the stabiliser eps·sign(z) (sign(0) = +1), and r / (z + stabiliser) where the
// denominator is not 0 and the quotient is finite, else 0 (passes says which lanes passed).
template <typename T>
struct EpsilonLanes {
  using V = typename T::Vec;
  using Mask = decltype(T::less(std::declval<V>(), std::declval<V>()));
  struct Message {
    V stabiliser;
    V message;
    Mask passes;
  };

  V zero = T::set1(0.0f);
  V one = T::set1(1.0f);
  V infinity = T::set1(std::numeric_limits<float>::infinity());
  V eps;
  V negative_eps;

  explicit EpsilonLanes(float epsilon) : eps(T::set1(epsilon)), negative_eps(T::set1(-epsilon)) {}

  Message message(V relevance, V z) const {
    const V stabiliser = T::select(T::less(z, zero), negative_eps, eps);
    const V denominator = T::add(z, stabiliser);
    const auto nonzero = T::less(zero, T::abs(denominator));
    const V quotient = T::div(relevance, T::select(nonzero, denominator, one));
    // A zero denominator or an overflowing quotient (Inf or NaN fails |q| < ∞).
    const Mask passes = T::less(T::abs(T::select(nonzero, quotient, infinity)), infinity);
    return {stabiliser, T::select(passes, quotient, zero), passes};
  }
};

// The eight float64 partial sums of common/interleaved_sum.h in T's float64 lanes (T::Groups):
// each group of four lanes, values first + 4g .. first + 4g + 3, goes to the partial sums of
// their k mod 8, the groups in turn. Adds the first `width` lanes of v, the values from index
// `first` on, whose lanes from `width` on are not values.
template <typename T>
inline typename T::Groups add_to_partial_sums(typename T::Groups sums, typename T::Vec v, std::size_t first, std::size_t width) {
  // Lanes past the end of the array are left out by adding +0, which leaves a partial sum
  // unchanged (no partial sum is ever -0).
  if (width != T::kLanes) v = zero_lanes_from<T>(v, width);
  return T::add_groups(sums, v, first, (width + 3) / 4);
}

template <typename T>
inline double partial_sums_total(typename T::Groups sums) {
  InterleavedSum<double> sum;
  T::store_groups(sum.partial, sums);
  return sum.total();
}

template <typename T>
inline void lrp_step_f32(const LrpStep<float>& a) {
  using V = typename T::Vec;
  const EpsilonLanes<T> epsilon(a.eps);
  const V half_bias_factor = T::set1(a.bias_factor * 0.5f);
  const V absorbed_factor = T::set1(1.0f - a.bias_factor);
  const V next_spread = T::set1(a.next_spread);
  typename T::Groups accumulation_absorbed = T::no_groups(), map_absorbed = T::no_groups(), map_shares = T::no_groups();
  over_vectors<T>(a.cells, [&](std::size_t j, std::size_t width) {
    const auto in = [&](const float* p) { return load_lanes<T>(p + j, width); };
    const auto out = [&](float* p, V v) { store_lanes<T>(p + j, width, v); };
    V recurrent = epsilon.zero;
    if (a.output != nullptr) {
      recurrent = T::add(T::mul(in(a.output), in(a.next_product)), next_spread);
      out(a.next_product, epsilon.zero);
    }
    const V r_c = T::add(T::add(in(a.from_above), recurrent), in(a.cell_next));
    const auto split = epsilon.message(r_c, in(a.cell));
    const V spread = T::mul(half_bias_factor, split.stabiliser);
    const V r_z = T::mul(T::add(T::mul(in(a.input_gate), in(a.cell_input)), spread), split.message);
    out(a.cell_next, T::mul(T::add(T::mul(in(a.forget_gate), in(a.cell_prev)), spread), split.message));
    const V absorbed = T::select(split.passes, T::mul(T::mul(absorbed_factor, split.stabiliser), split.message), r_c);
    accumulation_absorbed = add_to_partial_sums<T>(accumulation_absorbed, absorbed, j, width);
    const auto map = epsilon.message(r_z, in(a.cell_input_pre));
    out(a.messages, map.message);
    map_absorbed = add_to_partial_sums<T>(map_absorbed, T::select(map.passes, epsilon.zero, r_z), j, width);
    map_shares = add_to_partial_sums<T>(map_shares, T::mul(T::add(in(a.cell_input_bias), map.stabiliser), map.message), j, width);
  });
  a.sums[0] = partial_sums_total<T>(accumulation_absorbed);
  a.sums[1] = partial_sums_total<T>(map_absorbed);
  a.sums[2] = partial_sums_total<T>(map_shares);
}

template <typename T>
inline void epsilon_messages_f32(const EpsilonMessages<float>& m) {
  using V = typename T::Vec;
  const EpsilonLanes<T> epsilon(m.eps);
  over_vectors<T>(m.count, [&](std::size_t k, std::size_t width) {
    const auto in = [&](const float* p) { return load_lanes<T>(p + k, width); };
    const auto out = [&](float* p, V v) { store_lanes<T>(p + k, width, v); };
    const V relevance = in(m.relevance);
    const auto [stabiliser, message, passes] = epsilon.message(relevance, in(m.z));
    out(m.messages, message);
    out(m.shares, T::mul(T::add(m.bias != nullptr ? in(m.bias) : epsilon.zero, stabiliser), message));
    out(m.absorbed, T::select(passes, epsilon.zero, relevance));
  });
}

}  // namespace lstm_lrp
