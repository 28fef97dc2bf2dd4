// The sampling methods' random numbers (docs/METHODS.md § Sampling methods): mulberry32, a small
// 32-bit generator whose every draw the float64 test reference can repeat exactly.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace lstm_lrp {

class SampleGenerator {
 public:
  explicit SampleGenerator(std::uint32_t seed) : state_(seed) {}

  std::uint32_t next() {
    state_ += 0x6D2B79F5u;
    std::uint32_t t = state_;
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    return t ^ (t >> 14);
  }

  // Moves on by `draws` draws at once (each adds the same constant to the state), so that a
  // share of a sequence's samples can start where the samples before it end.
  void skip(std::uint64_t draws) { state_ += static_cast<std::uint32_t>(draws) * 0x6D2B79F5u; }

  // In [0, 1), with 32 bits.
  double uniform() { return static_cast<double>(next()) * 0x1p-32; }

  // In [0, n): floor(uniform · n).
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * static_cast<double>(n)); }

  // A standard normal value by Box–Muller from two draws (u1 in (0, 1], so its log is finite).
  double gaussian() {
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
  }

  // A uniform permutation of 0..n-1 by Fisher–Yates from the identity, swapping p[i] with p[below(i + 1)] for i = n-1 down to 1.
  void permutation(std::size_t n, std::vector<std::size_t>& p) {
    p.resize(n);
    std::iota(p.begin(), p.end(), std::size_t(0));
    for (std::size_t i = n; i-- > 1;) std::swap(p[i], p[below(i + 1)]);
  }

 private:
  static constexpr double kTwoPi = 6.283185307179586;
  std::uint32_t state_;
};

}  // namespace lstm_lrp
