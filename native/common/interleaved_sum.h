// Sums of many values, such as a step's absorbed relevance or bias shares, over four interleaved
// partial sums: four independent chains of additions, where a single chain's latency (one
// float64 addition after another) bounded the LRP step. The order is fixed, so every build,
// ISA and backend gets the same bits.
#pragma once

#include <cstddef>

namespace lstm_lrp {

// Σ_k values[k] in Sum: partial sums over k ≡ 0, 1, 2, 3 (mod 4), each in order of k, added as
// (s0 + s1) + (s2 + s3).
template <typename Sum, typename Value>
Sum interleaved_sum(const Value* values, std::size_t count) {
  Sum partial[4] = {0, 0, 0, 0};
  std::size_t k = 0;
  for (; k + 4 <= count; k += 4)
    for (std::size_t lane = 0; lane < 4; ++lane) partial[lane] += static_cast<Sum>(values[k + lane]);
  for (std::size_t lane = 0; k < count; ++k, ++lane) partial[lane] += static_cast<Sum>(values[k]);
  return (partial[0] + partial[1]) + (partial[2] + partial[3]);
}

}  // namespace lstm_lrp
