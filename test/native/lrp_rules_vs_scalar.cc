// Every ISA's float32 element-wise LRP rules (the LRP-all step and the epsilon messages) against
// the scalar kernels, and the scalar step against the rules it is made of, written out here:
// random values with both signs, values at exactly 0 (with eps = 0 their relevance is absorbed),
// denominators so small the quotient overflows (absorbed too), every count up to a few vectors,
// bias factors 0, 0.5 and 1, and steps with and without a next step. The vector code does the
// scalar's operations lane by lane, each rounded on its own, so it has the scalar kernel's bits,
// float64 sums included (scripts/kernel-tests.sh keeps AArch64's compilers from fusing the
// scalar code's multiply-adds). Prints one line per ISA and rule and "N passed, N failed"; exits
// non-zero on a failure.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "../../native/common/interleaved_sum.h"
#include "../../native/simd/kernels.h"
#include "tally.h"

namespace {

struct Case {
  std::vector<float> from_above, output, next_product, cell_next, input_gate, cell_input, forget_gate, cell, cell_prev, pre, bias;
  float next_spread;
  float eps;
  float bias_factor;
  bool has_next_step;
};

// Every third value exactly 0, every fifth tiny: the absorbing branches.
float edgy(std::mt19937& random, std::size_t j) {
  std::uniform_real_distribution<float> value(-2, 2);
  return j % 3 == 0 ? 0.0f : j % 5 == 0 ? 1e-44f : value(random);
}

Case random_case(std::mt19937& random, std::size_t cells, float eps, float bias_factor, bool has_next_step) {
  std::uniform_real_distribution<float> value(-2, 2);
  std::uniform_real_distribution<float> gate(0, 1);
  Case c{{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, value(random), eps, bias_factor, has_next_step};
  for (std::size_t j = 0; j < cells; ++j) {
    c.from_above.push_back(value(random));
    c.output.push_back(value(random));
    c.next_product.push_back(value(random));
    c.cell_next.push_back(value(random));
    c.input_gate.push_back(gate(random));
    c.cell_input.push_back(value(random));
    c.forget_gate.push_back(gate(random));
    c.cell_prev.push_back(value(random));
    c.cell.push_back(edgy(random, j));
    c.pre.push_back(edgy(random, j + 1));
    c.bias.push_back(value(random));
  }
  return c;
}

// Outputs of the kernel: messages, cell_next, next_product (zeroed where read), then the three sums.
struct StepResult {
  std::vector<float> values;
  double sums[3];
};

StepResult run_step(const Case& c) {
  const std::size_t cells = c.cell.size();
  std::vector<float> cell_next = c.cell_next, next_product = c.next_product, messages(cells);
  StepResult result{{}, {0, 0, 0}};
  lstm_lrp::kernels<float>().lrp_step({c.from_above.data(), c.has_next_step ? c.output.data() : nullptr, next_product.data(), c.next_spread,
                                       cell_next.data(), c.input_gate.data(), c.cell_input.data(), c.forget_gate.data(), c.cell.data(),
                                       c.cell_prev.data(), c.pre.data(), c.bias.data(), messages.data(), result.sums, cells, c.eps,
                                       c.bias_factor});
  result.values = messages;
  result.values.insert(result.values.end(), cell_next.begin(), cell_next.end());
  result.values.insert(result.values.end(), next_product.begin(), next_product.end());
  return result;
}

// The step as docs/METHODS.md states its rules, one operation at a time.
float stabiliser(float z, float eps) { return z >= 0 ? eps : -eps; }
bool passes(float r, float denominator) { return denominator != 0 && std::isfinite(r / denominator); }

StepResult expected_step(const Case& c) {
  const std::size_t cells = c.cell.size();
  std::vector<float> messages(cells), cell_next(cells), next_product = c.next_product;
  std::vector<float> absorbed(cells), not_passed(cells), shares(cells);
  for (std::size_t j = 0; j < cells; ++j) {
    const float recurrent = c.has_next_step ? c.output[j] * c.next_product[j] + c.next_spread : 0.0f;
    if (c.has_next_step) next_product[j] = 0;
    const float r_c = c.from_above[j] + recurrent + c.cell_next[j];
    const float d = c.cell[j] + stabiliser(c.cell[j], c.eps);
    const bool split = passes(r_c, d);
    const float m = split ? r_c / d : 0.0f;
    const float spread = c.bias_factor * stabiliser(c.cell[j], c.eps) * 0.5f;
    const float r_z = (c.input_gate[j] * c.cell_input[j] + spread) * m;
    cell_next[j] = (c.forget_gate[j] * c.cell_prev[j] + spread) * m;
    absorbed[j] = split ? (1 - c.bias_factor) * stabiliser(c.cell[j], c.eps) * m : r_c;
    const float d_z = c.pre[j] + stabiliser(c.pre[j], c.eps);
    const bool map = passes(r_z, d_z);
    messages[j] = map ? r_z / d_z : 0.0f;
    not_passed[j] = map ? 0.0f : r_z;
    shares[j] = (c.bias[j] + stabiliser(c.pre[j], c.eps)) * messages[j];
  }
  StepResult result{messages,
                    {lstm_lrp::interleaved_sum<double>(absorbed.data(), cells), lstm_lrp::interleaved_sum<double>(not_passed.data(), cells),
                     lstm_lrp::interleaved_sum<double>(shares.data(), cells)}};
  result.values.insert(result.values.end(), cell_next.begin(), cell_next.end());
  result.values.insert(result.values.end(), next_product.begin(), next_product.end());
  return result;
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

// The largest difference relative to max(1, |expected|) and whether every value is finite and
// has the expected bits, over the runs compared so far.
struct Agreement {
  double worst = 0;
  bool finite = true;
  bool same = true;

  void add(const std::vector<float>& expected, const std::vector<float>& actual, const double* expected_sums = nullptr,
           const double* actual_sums = nullptr) {
    same = same && kernel_test::same_bits(expected, actual);
    for (std::size_t k = 0; k < expected.size(); ++k) {
      finite = finite && std::isfinite(actual[k]);
      worst = std::fmax(worst, std::fabs(static_cast<double>(actual[k]) - expected[k]) / std::fmax(1.0, std::fabs(expected[k])));
    }
    if (expected_sums == nullptr) return;
    same = same && std::memcmp(expected_sums, actual_sums, 3 * sizeof(double)) == 0;
    for (int k = 0; k < 3; ++k) {
      finite = finite && std::isfinite(actual_sums[k]);
      worst = std::fmax(worst, std::fabs(actual_sums[k] - expected_sums[k]) / std::fmax(1.0, std::fabs(expected_sums[k])));
    }
  }
};

template <typename Check>
void for_each_case(Check check) {
  std::mt19937 random(5);
  for (std::size_t cells = 1; cells <= 70; ++cells)
    for (float eps : {0.0f, 1e-45f, 0.001f, 0.5f})
      for (float bias_factor : {0.0f, 0.5f, 1.0f})
        for (bool has_next_step : {false, true}) check(random_case(random, cells, eps, bias_factor, has_next_step));
}

}  // namespace

int main() {
  kernel_test::Tally tally;
  constexpr double kLimit = 1e-6;

  lstm_lrp::select_isa("scalar");
  Agreement reference;
  for_each_case([&](const Case& c) {
    const StepResult expected = expected_step(c);
    const StepResult actual = run_step(c);
    reference.add(expected.values, actual.values, expected.sums, actual.sums);
  });
  tally.check(reference.finite && reference.worst <= kLimit, "scalar: lrp_step within %.2e of its rules written out, all finite: %s",
              reference.worst, reference.finite ? "yes" : "no");

  for (const char* isa : kernel_test::kVectorIsas) {
    if (!lstm_lrp::select_isa(isa)) continue;
    Agreement step, epsilon;
    for_each_case([&](const Case& c) {
      lstm_lrp::select_isa("scalar");
      const StepResult expected = run_step(c);
      const std::vector<float> expected_epsilon = run_epsilon(c, c.bias_factor > 0);
      lstm_lrp::select_isa(isa);
      const StepResult actual = run_step(c);
      step.add(expected.values, actual.values, expected.sums, actual.sums);
      epsilon.add(expected_epsilon, run_epsilon(c, c.bias_factor > 0));
    });
    const char* const names[2] = {"lrp_step", "epsilon_messages"};
    const Agreement* const agreements[2] = {&step, &epsilon};
    for (int rule = 0; rule < 2; ++rule) {
      const Agreement& a = *agreements[rule];
      tally.check(a.finite && a.same, "%s: %s the scalar kernel's bits: %s, all finite: %s", isa, names[rule], a.same ? "yes" : "no",
                  a.finite ? "yes" : "no");
    }
  }
  return tally.finish();
}
