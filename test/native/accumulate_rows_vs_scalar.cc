// Every ISA's gathered accumulate_rows against the scalar kernel: tiles of every
// sequence count, column counts with and without a partial vector, f32 and f64, each
// within a few roundings of the sum's magnitude (fused and separate multiply-adds round
// differently; an indexing slip is off by whole terms). Prints one line per ISA and dtype and
// "N passed, N failed"; exits non-zero on a failure.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "../../native/simd/kernels.h"

namespace {

template <typename Real>
double worst_relative_error(const char* isa, std::mt19937& random) {
  std::uniform_real_distribution<double> value(-1, 1);
  double worst = 0;
  for (std::size_t rows : {1, 7, 60}) {
    for (std::size_t cols : {1, 3, 15, 16, 17, 60, 64, 130, 240}) {
      for (std::size_t count = 1; count <= 9; ++count) {
        std::vector<Real> A(rows * cols), coefficients(count * rows), start(count * cols);
        for (Real& a : A) a = static_cast<Real>(value(random));
        for (Real& k : coefficients) k = static_cast<Real>(value(random));
        for (Real& y : start) y = static_cast<Real>(value(random));
        std::vector<Real> expected = start, actual = start;
        std::vector<const Real*> k(count);
        std::vector<Real*> expected_rows(count), actual_rows(count);
        for (std::size_t s = 0; s < count; ++s) {
          k[s] = &coefficients[s * rows];
          expected_rows[s] = &expected[s * cols];
          actual_rows[s] = &actual[s * cols];
        }
        lstm_lrp::select_isa("scalar");
        lstm_lrp::kernels<Real>().accumulate_rows(A.data(), rows, cols, k.data(), expected_rows.data(), count);
        lstm_lrp::select_isa(isa);
        lstm_lrp::kernels<Real>().accumulate_rows(A.data(), rows, cols, k.data(), actual_rows.data(), count);
        // The scale of a sum of rows + 1 terms of magnitude ≤ 1.
        const double scale = static_cast<double>(rows + 1);
        for (std::size_t i = 0; i < expected.size(); ++i)
          worst = std::fmax(worst, std::fabs(static_cast<double>(actual[i]) - static_cast<double>(expected[i])) / scale);
      }
    }
  }
  return worst;
}

}  // namespace

int main() {
  int passed = 0;
  int failed = 0;
  std::mt19937 random(11);
  for (const char* isa : {"avx512", "avx2", "sse2", "neon", "simd128"}) {
    if (!lstm_lrp::select_isa(isa)) continue;
    const double f32 = worst_relative_error<float>(isa, random);
    const double f64 = worst_relative_error<double>(isa, random);
    // Only the rounding of fused vs separate multiply-adds differs from the scalar loop.
    const bool f32_ok = f32 <= 8 * 6e-8;
    const bool f64_ok = f64 <= 8 * 1.2e-16;
    std::printf("%s %s f32: accumulate_rows within %.2e of scalar (limit %.1e)\n", f32_ok ? "ok" : "not ok", isa, f32, 8 * 6e-8);
    std::printf("%s %s f64: accumulate_rows within %.2e of scalar (limit %.1e)\n", f64_ok ? "ok" : "not ok", isa, f64, 8 * 1.2e-16);
    (f32_ok ? passed : failed)++;
    (f64_ok ? passed : failed)++;
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
