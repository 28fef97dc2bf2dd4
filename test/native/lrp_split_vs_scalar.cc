// Every ISA's float32 LRP accumulation split against the scalar kernel: random cells with
// both signs, cells at exactly 0 (with eps = 0 their relevance is absorbed), denominators so
// small the quotient overflows (absorbed too), every count of cells up to a few vectors and
// bias factors 0, 0.5 and 1. The vector code does the scalar's operations lane by lane, so
// results agree to a few roundings (GCC fuses multiply-adds in the FMA-capable regions; an
// indexing slip or a wrong branch is off by whole values).
// Prints one line per ISA and "N passed, N failed"; exits non-zero on a failure.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "../../native/simd/kernels.h"

namespace {

struct Case {
  std::vector<float> from_above, recurrent, cell_next, input_gate, cell_input, forget_gate, cell, cell_prev;
  float eps;
  float bias_factor;
};

Case random_case(std::mt19937& random, std::size_t cells, float eps, float bias_factor) {
  std::uniform_real_distribution<float> value(-2, 2);
  std::uniform_real_distribution<float> gate(0, 1);
  Case c{{}, {}, {}, {}, {}, {}, {}, {}, eps, bias_factor};
  for (std::size_t j = 0; j < cells; ++j) {
    c.from_above.push_back(value(random));
    c.recurrent.push_back(value(random));
    c.cell_next.push_back(value(random));
    c.input_gate.push_back(gate(random));
    c.cell_input.push_back(value(random));
    c.forget_gate.push_back(gate(random));
    c.cell_prev.push_back(value(random));
    // Every third cell exactly 0, every fifth tiny: the absorbing branches.
    c.cell.push_back(j % 3 == 0 ? 0.0f : j % 5 == 0 ? 1e-44f : value(random));
  }
  return c;
}

// Outputs: cell-input relevance, cell_next, absorbed, concatenated.
std::vector<float> run(const Case& c) {
  const std::size_t cells = c.cell.size();
  std::vector<float> cell_next = c.cell_next, relevance(cells), absorbed(cells);
  lstm_lrp::kernels<float>().lrp_split({c.from_above.data(), c.recurrent.data(), cell_next.data(), c.input_gate.data(),
                                        c.cell_input.data(), c.forget_gate.data(), c.cell.data(), c.cell_prev.data(),
                                        relevance.data(), absorbed.data(), cells, c.eps, c.bias_factor});
  relevance.insert(relevance.end(), cell_next.begin(), cell_next.end());
  relevance.insert(relevance.end(), absorbed.begin(), absorbed.end());
  return relevance;
}

}  // namespace

int main() {
  int passed = 0;
  int failed = 0;
  for (const char* isa : {"avx512", "avx2", "sse2", "neon", "simd128"}) {
    if (!lstm_lrp::select_isa(isa)) continue;
    std::mt19937 random(5);
    double worst = 0;
    bool finite = true;
    for (std::size_t cells = 1; cells <= 70; ++cells)
      for (float eps : {0.0f, 1e-45f, 0.001f, 0.5f})
        for (float bias_factor : {0.0f, 0.5f, 1.0f}) {
          const Case c = random_case(random, cells, eps, bias_factor);
          lstm_lrp::select_isa("scalar");
          const std::vector<float> expected = run(c);
          lstm_lrp::select_isa(isa);
          const std::vector<float> actual = run(c);
          for (std::size_t k = 0; k < expected.size(); ++k) {
            finite = finite && std::isfinite(actual[k]);
            const double scale = std::fmax(1.0, std::fabs(expected[k]));
            worst = std::fmax(worst, std::fabs(static_cast<double>(actual[k]) - expected[k]) / scale);
          }
        }
    const bool ok = finite && worst <= 1e-6;
    std::printf("%s %s: lrp_split within %.2e of scalar, all finite: %s (limit %.1e)\n", ok ? "ok" : "not ok", isa, worst,
                finite ? "yes" : "no", 1e-6);
    (ok ? passed : failed)++;
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
