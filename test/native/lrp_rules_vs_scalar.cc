// Every ISA's float32 element-wise LRP rules (the accumulation split and the epsilon
// messages) against the scalar kernels: random values with both signs, values at exactly 0
// (with eps = 0 their relevance is absorbed), denominators so small the quotient overflows
// (absorbed too), every count up to a few vectors and bias factors 0, 0.5 and 1. The vector code does the scalar's operations lane by lane,
// so results agree to a few roundings (GCC fuses multiply-adds in the FMA-capable regions; an indexing slip or a wrong branch is off by
// whole values). Prints one line per ISA and rule and "N passed, N failed"; exits non-zero on a failure.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "../../native/simd/kernels.h"
#include "tally.h"

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
  lstm_lrp::kernels<float>().lrp_split({c.from_above.data(), c.recurrent.data(), cell_next.data(), c.input_gate.data(), c.cell_input.data(),
                                        c.forget_gate.data(), c.cell.data(), c.cell_prev.data(), relevance.data(), absorbed.data(), cells,
                                        c.eps, c.bias_factor});
  relevance.insert(relevance.end(), cell_next.begin(), cell_next.end());
  relevance.insert(relevance.end(), absorbed.begin(), absorbed.end());
  return relevance;
}

// Outputs of the epsilon messages of z = cell (the same mix of zero and tiny values) with
// relevance from_above, with and without a bias: messages, shares and absorbed, concatenated.
std::vector<float> run_epsilon(const Case& c, bool with_bias) {
  const std::size_t count = c.cell.size();
  std::vector<float> messages(count), shares(count), absorbed(count);
  lstm_lrp::kernels<float>().epsilon_messages({c.cell.data(), with_bias ? c.cell_input.data() : nullptr, c.from_above.data(), count, c.eps,
                                               messages.data(), shares.data(), absorbed.data()});
  messages.insert(messages.end(), shares.begin(), shares.end());
  messages.insert(messages.end(), absorbed.begin(), absorbed.end());
  return messages;
}

// Largest difference relative to max(1, |expected|); false in finite when a value is not finite.
void compare(const std::vector<float>& expected, const std::vector<float>& actual, double& worst, bool& finite) {
  for (std::size_t k = 0; k < expected.size(); ++k) {
    finite = finite && std::isfinite(actual[k]);
    const double scale = std::fmax(1.0, std::fabs(expected[k]));
    worst = std::fmax(worst, std::fabs(static_cast<double>(actual[k]) - expected[k]) / scale);
  }
}

}  // namespace

int main() {
  kernel_test::Tally tally;
  for (const char* isa : kernel_test::kVectorIsas) {
    if (!lstm_lrp::select_isa(isa)) continue;
    std::mt19937 random(5);
    double worst[2] = {0, 0};
    bool finite[2] = {true, true};
    for (std::size_t cells = 1; cells <= 70; ++cells)
      for (float eps : {0.0f, 1e-45f, 0.001f, 0.5f})
        for (float bias_factor : {0.0f, 0.5f, 1.0f}) {
          const Case c = random_case(random, cells, eps, bias_factor);
          lstm_lrp::select_isa("scalar");
          const std::vector<float> split = run(c);
          const std::vector<float> epsilon = run_epsilon(c, bias_factor > 0);
          lstm_lrp::select_isa(isa);
          compare(split, run(c), worst[0], finite[0]);
          compare(epsilon, run_epsilon(c, bias_factor > 0), worst[1], finite[1]);
        }
    const char* const names[2] = {"lrp_split", "epsilon_messages"};
    for (int rule = 0; rule < 2; ++rule)
      tally.check(finite[rule] && worst[rule] <= 1e-6, "%s: %s within %.2e of scalar, all finite: %s (limit %.1e)", isa, names[rule],
                  worst[rule], finite[rule] ? "yes" : "no", 1e-6);
  }
  return tally.finish();
}
