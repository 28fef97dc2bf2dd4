// Every ISA's gathered accumulate_rows (1) against the scalar kernel: tiles of every sequence
// count, column counts with and without a partial vector, f32 and f64, each within a few
// roundings of the sum's magnitude (fused and separate multiply-adds round differently; an
// indexing slip is off by whole terms); and (2) giving each coefficient vector the same bits
// alone as at any position among others, on every ISA and the scalar kernel: the forward
// pass's input projection table (a row computed with the whole vocabulary) and the gathered
// products of a group's sequences rely on it; and (3) giving the same bits whether a product
// starts from its output's own values, from another row, or from zeros (a null start), with
// the three mixed in one call; (4) giving the same bits over rows padded to whole cache lines,
// whose padding (NaN here) is never read; and (5) accumulate_rows_pair giving each of its two
// products the bits of accumulate_rows of its one row. Prints one line per check, ISA and dtype
// and "N passed, N failed"; exits non-zero on a failure.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "../../native/simd/kernels.h"
#include "tally.h"

namespace {

// One product: A (rows × cols), count coefficient vectors and the outputs' starting values.
template <typename Real>
struct Case {
  std::size_t rows, cols, count;
  std::vector<Real> A, coefficients, start;

  std::vector<const Real*> coefficient_rows() const {
    std::vector<const Real*> k(count);
    for (std::size_t s = 0; s < count; ++s) k[s] = &coefficients[s * rows];
    return k;
  }
  // Runs accumulate_rows on the selected ISA from the starting values; returns the outputs.
  std::vector<Real> run() const {
    std::vector<Real> y = start;
    std::vector<Real*> outputs(count);
    for (std::size_t s = 0; s < count; ++s) outputs[s] = &y[s * cols];
    const std::vector<const Real*> starts(outputs.begin(), outputs.end());
    lstm_lrp::kernels<Real>().accumulate_rows(A.data(), rows, cols, cols, coefficient_rows().data(), starts.data(), outputs.data(), count);
    return y;
  }
  // The same product with output s starting from the starting values (s % 3 == 0), from zeros
  // (1: a null start) or from its own values set beforehand (2), the outputs first filled with NaN.
  std::vector<Real> run_from_starts() const {
    std::vector<Real> y(count * cols, static_cast<Real>(NAN));
    std::vector<Real*> outputs(count);
    std::vector<const Real*> starts(count);
    for (std::size_t s = 0; s < count; ++s) {
      outputs[s] = &y[s * cols];
      starts[s] = s % 3 == 0 ? &start[s * cols] : s % 3 == 1 ? nullptr : outputs[s];
      if (s % 3 == 2) std::copy(&start[s * cols], &start[s * cols] + cols, outputs[s]);
    }
    lstm_lrp::kernels<Real>().accumulate_rows(A.data(), rows, cols, cols, coefficient_rows().data(), starts.data(), outputs.data(), count);
    return y;
  }
  // What run_from_starts should give: run() from the starting values, zeros where it starts from zeros.
  std::vector<Real> expected_from_starts() const {
    Case zeroed = *this;
    for (std::size_t s = 1; s < count; s += 3) std::fill(&zeroed.start[s * cols], &zeroed.start[s * cols] + cols, Real(0));
    return zeroed.run();
  }
  // run() over A with its rows `stride` apart, the values between them NaN.
  std::vector<Real> run_padded(std::size_t stride) const {
    std::vector<Real> padded(rows * stride, static_cast<Real>(NAN));
    for (std::size_t r = 0; r < rows; ++r) std::copy(&A[r * cols], &A[r * cols] + cols, &padded[r * stride]);
    std::vector<Real> y = start;
    std::vector<Real*> outputs(count);
    for (std::size_t s = 0; s < count; ++s) outputs[s] = &y[s * cols];
    const std::vector<const Real*> starts(outputs.begin(), outputs.end());
    lstm_lrp::kernels<Real>().accumulate_rows(padded.data(), rows, cols, stride, coefficient_rows().data(), starts.data(), outputs.data(),
                                              count);
    return y;
  }
};

// visit(case) for rows × cols × 1..9 vectors of random values in [-1, 1].
template <typename Real, typename Visit>
void for_each_case(std::mt19937& random, Visit visit) {
  std::uniform_real_distribution<double> value(-1, 1);
  const auto values = [&](std::size_t n) {
    std::vector<Real> v(n);
    for (Real& x : v) x = static_cast<Real>(value(random));
    return v;
  };
  for (std::size_t rows : {1, 7, 60})
    for (std::size_t cols : {1, 3, 15, 16, 17, 60, 64, 130, 240})
      for (std::size_t count = 1; count <= 9; ++count)
        visit(Case<Real>{rows, cols, count, values(rows * cols), values(count * rows), values(count * cols)});
}

template <typename Real>
double worst_relative_error(const char* isa, std::mt19937& random) {
  double worst = 0;
  for_each_case<Real>(random, [&](const Case<Real>& product) {
    lstm_lrp::select_isa("scalar");
    const std::vector<Real> expected = product.run();
    lstm_lrp::select_isa(isa);
    const std::vector<Real> actual = product.run();
    // The scale of a sum of rows + 1 terms of magnitude ≤ 1.
    const double scale = static_cast<double>(product.rows + 1);
    for (std::size_t i = 0; i < expected.size(); ++i)
      worst = std::fmax(worst, std::fabs(static_cast<double>(actual[i]) - static_cast<double>(expected[i])) / scale);
  });
  return worst;
}

// Whether every vector of calls of 1..9 vectors equals, bit for bit, that vector computed alone.
template <typename Real>
bool independent_of_tiles(std::mt19937& random) {
  bool same = true;
  for_each_case<Real>(random, [&](const Case<Real>& product) {
    const std::vector<Real> together = product.run();
    for (std::size_t s = 0; s < product.count; ++s) {
      const Case<Real> alone{product.rows,
                             product.cols,
                             1,
                             product.A,
                             {product.coefficients.begin() + s * product.rows, product.coefficients.begin() + (s + 1) * product.rows},
                             {product.start.begin() + s * product.cols, product.start.begin() + (s + 1) * product.cols}};
      if (std::memcmp(alone.run().data(), &together[s * product.cols], product.cols * sizeof(Real)) != 0) same = false;
    }
  });
  return same;
}

// Whether every call gives the same bits from a start row, from zeros and from its own values.
template <typename Real>
bool same_from_any_start(std::mt19937& random) {
  bool same = true;
  for_each_case<Real>(random, [&](const Case<Real>& product) {
    const std::vector<Real> expected = product.expected_from_starts();
    if (std::memcmp(product.run_from_starts().data(), expected.data(), expected.size() * sizeof(Real)) != 0) same = false;
  });
  return same;
}

// Whether every call gives the same bits over rows 1 to 17 values apart beyond cols.
template <typename Real>
bool same_over_padded_rows(std::mt19937& random) {
  bool same = true;
  for_each_case<Real>(random, [&](const Case<Real>& product) {
    const std::vector<Real> expected = product.run();
    for (std::size_t extra : {1, 4, 17})
      if (std::memcmp(product.run_padded(product.cols + extra).data(), expected.data(), expected.size() * sizeof(Real)) != 0) same = false;
  });
  return same;
}

// Whether accumulate_rows_pair over two matrices (the second the first's rows reversed, rows
// padded by 5 values) gives each product the bits of accumulate_rows of its row alone.
template <typename Real>
bool pair_same_as_alone(std::mt19937& random) {
  bool same = true;
  for_each_case<Real>(random, [&](const Case<Real>& product) {
    if (product.count != 2) return;
    const std::size_t stride = product.cols + 5;
    std::vector<Real> padded[2];
    for (int d = 0; d < 2; ++d) {
      padded[d].assign(product.rows * stride, static_cast<Real>(NAN));
      for (std::size_t r = 0; r < product.rows; ++r) {
        const std::size_t from = d == 0 ? r : product.rows - 1 - r;
        std::copy(&product.A[from * product.cols], &product.A[from * product.cols] + product.cols, &padded[d][r * stride]);
      }
    }
    std::vector<Real> y = product.start;
    const Real* matrices[2] = {padded[0].data(), padded[1].data()};
    const std::vector<const Real*> coefficients = product.coefficient_rows();
    Real* outputs[2] = {&y[0], &y[product.cols]};
    const Real* starts[2] = {&product.start[0], nullptr};
    lstm_lrp::kernels<Real>().accumulate_rows_pair(matrices, product.rows, product.cols, stride, coefficients.data(), starts, outputs);
    for (int d = 0; d < 2; ++d) {
      std::vector<Real> alone(product.cols, static_cast<Real>(NAN));
      Real* out = alone.data();
      lstm_lrp::kernels<Real>().accumulate_rows(matrices[d], product.rows, product.cols, stride, &coefficients[d], &starts[d], &out, 1);
      if (std::memcmp(alone.data(), outputs[d], product.cols * sizeof(Real)) != 0) same = false;
    }
  });
  return same;
}

}  // namespace

int main() {
  kernel_test::Tally tally;
  std::mt19937 random(11);
  for (const char* isa : kernel_test::kVectorIsas) {
    if (!lstm_lrp::select_isa(isa)) continue;
    const double f32 = worst_relative_error<float>(isa, random);
    const double f64 = worst_relative_error<double>(isa, random);
    // Only the rounding of fused vs separate multiply-adds differs from the scalar loop.
    tally.check(f32 <= 8 * 6e-8, "%s f32: accumulate_rows within %.2e of scalar (limit %.1e)", isa, f32, 8 * 6e-8);
    tally.check(f64 <= 8 * 1.2e-16, "%s f64: accumulate_rows within %.2e of scalar (limit %.1e)", isa, f64, 8 * 1.2e-16);
  }
  for (const char* isa : {"avx512", "avx2", "sse2", "neon", "simd128", "scalar"}) {
    if (!lstm_lrp::select_isa(isa)) continue;
    tally.check(independent_of_tiles<float>(random), "%s f32: accumulate_rows gives each vector the same bits alone as in a tile", isa);
    tally.check(independent_of_tiles<double>(random), "%s f64: accumulate_rows gives each vector the same bits alone as in a tile", isa);
    tally.check(same_from_any_start<float>(random), "%s f32: accumulate_rows gives the same bits from a start row, zeros or its output",
                isa);
    tally.check(same_from_any_start<double>(random), "%s f64: accumulate_rows gives the same bits from a start row, zeros or its output",
                isa);
    tally.check(same_over_padded_rows<float>(random), "%s f32: accumulate_rows gives the same bits over padded rows", isa);
    tally.check(same_over_padded_rows<double>(random), "%s f64: accumulate_rows gives the same bits over padded rows", isa);
    tally.check(pair_same_as_alone<float>(random), "%s f32: accumulate_rows_pair gives each product the bits of accumulate_rows", isa);
    tally.check(pair_same_as_alone<double>(random), "%s f64: accumulate_rows_pair gives each product the bits of accumulate_rows", isa);
  }
  return tally.finish();
}
