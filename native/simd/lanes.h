// Walking a float32 array in vectors of any ISA, given its traits (Vec, kLanes, load, store,
// load_partial, store_partial): whole vectors, then the partial one at the end.
#pragma once

#include <cstddef>

namespace lstm_lrp {

// The first `width` lanes at p: a whole vector, or the partial one at the end of an array.
template <typename T>
inline typename T::Vec load_lanes(const float* p, std::size_t width) {
  return width == T::kLanes ? T::load(p) : T::load_partial(p, width);
}

template <typename T>
inline void store_lanes(float* p, std::size_t width, typename T::Vec v) {
  if (width == T::kLanes)
    T::store(p, v);
  else
    T::store_partial(p, width, v);
}

// v with its lanes from `width` on set to +0: stored, then reloaded as a partial vector.
template <typename T>
inline typename T::Vec zero_lanes_from(typename T::Vec v, std::size_t width) {
  alignas(64) float lanes[T::kLanes];
  T::store(lanes, v);
  return T::load_partial(lanes, width);
}

// body(first, width) over [0, count): whole vectors, then the partial rest.
template <typename T, typename Body>
inline void over_vectors(std::size_t count, Body body) {
  std::size_t first = 0;
  for (; first + T::kLanes <= count; first += T::kLanes) body(first, T::kLanes);
  if (first < count) body(first, count - first);
}

}  // namespace lstm_lrp
