// Accuracy of every ISA's float32 sigmoid and tanh against float64, in ulps of the
// float32 result, over a dense grid of inputs. Prints one line per kernel and
// "N passed, N failed"; exits non-zero on a failure.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "../../native/simd/kernels.h"
#include "tally.h"

namespace {

double ulps(float got, double exact) {
  const float rounded = static_cast<float>(exact);
  const double ulp = std::fabs(static_cast<double>(std::nextafter(rounded, INFINITY)) - rounded);
  return std::fabs(got - exact) / (ulp > 0 ? ulp : 1e-45);
}

// An absolute error floor: below ~1e-38 results are denormal, where ulps mean little.
constexpr double kTinyAbsolute = 1e-37;

double worst(void (*kernel)(const float*, float*, std::size_t), double (*exact)(double), const std::vector<float>& inputs) {
  std::vector<float> outputs(inputs.size());
  kernel(inputs.data(), outputs.data(), inputs.size());
  double largest = 0;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const double reference = exact(inputs[k]);
    if (std::fabs(outputs[k] - reference) < kTinyAbsolute) continue;
    largest = std::fmax(largest, ulps(outputs[k], reference));
  }
  return largest;
}

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
double tanh_exact(double x) { return std::tanh(x); }

}  // namespace

int main() {
  std::vector<float> inputs;
  for (float x = -40.0f; x <= 40.0f; x += 0.0007f) inputs.push_back(x);
  for (float x = 1e-8f; x < 1.0f; x *= 1.01f) {
    inputs.push_back(x);
    inputs.push_back(-x);
  }
  const double kMaxUlps = 4;
  kernel_test::Tally tally;
  for (const char* isa : {"avx512", "avx2", "sse2", "neon", "simd128", "scalar"}) {
    if (!lstm_lrp::select_isa(isa)) continue;
    const lstm_lrp::Kernels<float>& k = lstm_lrp::kernels<float>();
    const double sigmoid_ulps = worst(k.sigmoid, sigmoid, inputs);
    const double tanh_ulps = worst(k.tanh, tanh_exact, inputs);
    tally.check(sigmoid_ulps <= kMaxUlps && tanh_ulps <= kMaxUlps, "%s: sigmoid %.2f ulp, tanh %.2f ulp (limit %.0f)", isa, sigmoid_ulps,
                tanh_ulps, kMaxUlps);
  }
  return tally.finish();
}
