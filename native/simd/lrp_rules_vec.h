// The element-wise LRP rules (scalar/lrp_rules_scalar.h) over float32 vectors of any ISA,
// given its traits: the same operations in the same order, lane by lane, with selects
// where the scalar code branches. Include it after the ISA's target pragma, with Traits
// from an anonymous namespace.
#pragma once

#include <cstddef>
#include <limits>
#include <utility>

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

template <typename T>
inline void lrp_split_f32(const AccumulationSplit<float>& a) {
  using V = typename T::Vec;
  const EpsilonLanes<T> epsilon(a.eps);
  const V half_bias_factor = T::set1(a.bias_factor * 0.5f);
  const V absorbed_factor = T::set1(1.0f - a.bias_factor);
  over_vectors<T>(a.cells, [&](std::size_t j, std::size_t width) {
    const auto in = [&](const float* p) { return load_lanes<T>(p + j, width); };
    const auto out = [&](float* p, V v) { store_lanes<T>(p + j, width, v); };
    const V r_c = T::add(T::add(in(a.from_above), in(a.recurrent)), in(a.cell_next));
    const auto [stabiliser, message, passes] = epsilon.message(r_c, in(a.cell));
    const V spread = T::mul(half_bias_factor, stabiliser);
    out(a.cell_input_relevance, T::mul(T::add(T::mul(in(a.input_gate), in(a.cell_input)), spread), message));
    out(a.cell_next, T::mul(T::add(T::mul(in(a.forget_gate), in(a.cell_prev)), spread), message));
    out(a.absorbed, T::select(passes, T::mul(T::mul(absorbed_factor, stabiliser), message), r_c));
  });
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
