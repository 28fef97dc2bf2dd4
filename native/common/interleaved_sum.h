// Sums of many values, such as a step's absorbed relevance or bias shares, over four interleaved
// partial sums: four independent chains of additions, where a single chain's latency (one
// float64 addition after another) bounded the LRP step. The order is fixed, so every build,
// ISA and backend gets the same bits.
#pragma once

#include <cstddef>

namespace lstm_lrp {

// The partial sums s_m over the values k ≡ m (mod 4), each in order of k, and their total
// (s0 + s1) + (s2 + s3). The vector kernels keep the four partials in float64 lanes and
// finish with total() (simd/lrp_rules_vec.h).
template <typename Sum>
struct InterleavedSum {
  Sum partial[4] = {0, 0, 0, 0};

  // Adds value k; every k in increasing order.
  void add(std::size_t k, Sum value) { partial[k % 4] += value; }
  Sum total() const { return (partial[0] + partial[1]) + (partial[2] + partial[3]); }
};

// Σ_k values[k] in Sum.
template <typename Sum, typename Value>
Sum interleaved_sum(const Value* values, std::size_t count) {
  InterleavedSum<Sum> sum;
  std::size_t k = 0;
  for (; k + 4 <= count; k += 4)
    for (std::size_t lane = 0; lane < 4; ++lane) sum.partial[lane] += static_cast<Sum>(values[k + lane]);
  for (; k < count; ++k) sum.add(k, static_cast<Sum>(values[k]));
  return sum.total();
}

}  // namespace lstm_lrp
