// The element-wise arithmetic of the forward and backward passes (scalar/elementwise_scalar.h)
// over float32 vectors of any ISA, given its traits: the same operations in the same order, lane
// by lane, each rounded on its own (the including file starts with unfused.h), so every result
// has the scalar code's bits. Include it after the ISA's target pragma, with Traits from an
// anonymous namespace.
#pragma once

#include <cstddef>

#include "lanes.h"

namespace lstm_lrp {

template <typename T>
inline void scaled_add_f32(const float* base, float factor, const float* x, float* out, std::size_t n) {
  const typename T::Vec scale = T::set1(factor);
  over_vectors<T>(n, [&](std::size_t k, std::size_t width) {
    store_lanes<T>(out + k, width, T::add(load_lanes<T>(base + k, width), T::mul(scale, load_lanes<T>(x + k, width))));
  });
}

template <typename T>
inline void multiply_add_constant_f32(const float* x, const float* y, float c, float* out, std::size_t n) {
  const typename T::Vec constant = T::set1(c);
  over_vectors<T>(n, [&](std::size_t k, std::size_t width) {
    store_lanes<T>(out + k, width, T::add(T::mul(load_lanes<T>(x + k, width), load_lanes<T>(y + k, width)), constant));
  });
}

template <typename T>
inline void add_multiply_add_constant_f32(const float* x, const float* y, float c, float* out, std::size_t n) {
  const typename T::Vec constant = T::set1(c);
  over_vectors<T>(n, [&](std::size_t k, std::size_t width) {
    const typename T::Vec sum = T::add(T::mul(load_lanes<T>(x + k, width), load_lanes<T>(y + k, width)), constant);
    store_lanes<T>(out + k, width, T::add(load_lanes<T>(out + k, width), sum));
  });
}

template <typename T>
inline void cell_state_f32(float* z, const float* i, const float* f, const float* c_prev, float g_scale, float* c, std::size_t n) {
  const typename T::Vec scale = T::set1(g_scale);
  over_vectors<T>(n, [&](std::size_t k, std::size_t width) {
    const typename T::Vec scaled = T::mul(load_lanes<T>(z + k, width), scale);
    store_lanes<T>(z + k, width, scaled);
    const typename T::Vec input_product = T::mul(load_lanes<T>(i + k, width), scaled);
    store_lanes<T>(c + k, width, T::add(input_product, T::mul(load_lanes<T>(f + k, width), load_lanes<T>(c_prev + k, width))));
  });
}

template <typename T>
inline void cell_output_f32(float* h, const float* o, float h_scale, float* y, float* y_copy, std::size_t n) {
  const typename T::Vec scale = T::set1(h_scale);
  over_vectors<T>(n, [&](std::size_t k, std::size_t width) {
    const typename T::Vec scaled = T::mul(load_lanes<T>(h + k, width), scale);
    store_lanes<T>(h + k, width, scaled);
    const typename T::Vec output = T::mul(load_lanes<T>(o + k, width), scaled);
    store_lanes<T>(y + k, width, output);
    store_lanes<T>(y_copy + k, width, output);
  });
}

}  // namespace lstm_lrp
