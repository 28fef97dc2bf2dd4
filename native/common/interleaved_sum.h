// Sums of many values, such as a step's absorbed relevance or bias shares, over eight interleaved
// partial sums: eight independent chains of additions, where a single chain's latency (one
// float64 addition after another) bounded the LRP step, and where four chains still cost a
// 16-lane vector four additions one after another (eight: two, from two conversions). The order
// is fixed, so every build, ISA and backend gets the same bits.
#pragma once

#include <cstddef>

namespace lstm_lrp {

constexpr std::size_t kPartialSums = 8;

// The partial sums s_m over the values k ≡ m (mod 8), each in order of k, and their total
// ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)). The vector kernels keep the eight
// partials in float64 lanes and finish with total() (simd/lrp_rules_vec.h).
template <typename Sum>
struct InterleavedSum {
  Sum partial[kPartialSums] = {0, 0, 0, 0, 0, 0, 0, 0};

  // Adds value k; every k in increasing order.
  void add(std::size_t k, Sum value) { partial[k % kPartialSums] += value; }
  Sum total() const {
    return ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
  }
};

// Σ_k values[k] in Sum.
template <typename Sum, typename Value>
Sum interleaved_sum(const Value* values, std::size_t count) {
  InterleavedSum<Sum> sum;
  std::size_t k = 0;
  for (; k + kPartialSums <= count; k += kPartialSums)
    for (std::size_t lane = 0; lane < kPartialSums; ++lane) sum.partial[lane] += static_cast<Sum>(values[k + lane]);
  for (; k < count; ++k) sum.add(k, static_cast<Sum>(values[k]));
  return sum.total();
}

}  // namespace lstm_lrp
