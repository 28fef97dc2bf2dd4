// Every ISA's gathered accumulate_rows gives each coefficient vector the same bits alone as
// at any position among others: the forward pass's input projection table (a row computed
// with the whole vocabulary) and the gathered products of a group's sequences rely on it.
// Prints one line per ISA and dtype and "N passed, N failed"; exits non-zero on a failure.
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "../../native/simd/kernels.h"

namespace {

// Whether every vector of calls of 1..9 vectors equals, bit for bit, that vector computed alone.
template <typename Real>
bool independent_of_tiles(std::mt19937& random) {
  std::uniform_real_distribution<double> value(-1, 1);
  for (std::size_t rows : {1, 7, 60}) {
    for (std::size_t cols : {1, 3, 15, 16, 17, 60, 64, 130, 240}) {
      for (std::size_t count = 1; count <= 9; ++count) {
        std::vector<Real> A(rows * cols), coefficients(count * rows), start(count * cols);
        for (Real& a : A) a = static_cast<Real>(value(random));
        for (Real& k : coefficients) k = static_cast<Real>(value(random));
        for (Real& y : start) y = static_cast<Real>(value(random));
        std::vector<Real> together = start;
        std::vector<const Real*> k(count);
        std::vector<Real*> outputs(count);
        for (std::size_t s = 0; s < count; ++s) {
          k[s] = &coefficients[s * rows];
          outputs[s] = &together[s * cols];
        }
        lstm_lrp::kernels<Real>().accumulate_rows(A.data(), rows, cols, k.data(), outputs.data(), count);
        for (std::size_t s = 0; s < count; ++s) {
          std::vector<Real> alone(start.begin() + s * cols, start.begin() + (s + 1) * cols);
          Real* one = alone.data();
          lstm_lrp::kernels<Real>().accumulate_rows(A.data(), rows, cols, &k[s], &one, 1);
          if (std::memcmp(alone.data(), outputs[s], cols * sizeof(Real)) != 0) return false;
        }
      }
    }
  }
  return true;
}

}  // namespace

int main() {
  int passed = 0;
  int failed = 0;
  std::mt19937 random(12);
  for (const char* isa : {"avx512", "avx2", "sse2", "neon", "simd128", "scalar"}) {
    if (!lstm_lrp::select_isa(isa)) continue;
    const bool f32 = independent_of_tiles<float>(random);
    const bool f64 = independent_of_tiles<double>(random);
    std::printf("%s %s f32: accumulate_rows gives each vector the same bits alone as in a tile\n", f32 ? "ok" : "not ok", isa);
    std::printf("%s %s f64: accumulate_rows gives each vector the same bits alone as in a tile\n", f64 ? "ok" : "not ok", isa);
    (f32 ? passed : failed)++;
    (f64 ? passed : failed)++;
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
