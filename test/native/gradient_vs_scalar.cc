// Every ISA's float32 element-wise gradient kernel (one step of the usual cell's backward
// pass) against the scalar kernel, bit for bit: the vector code does the
// scalar's operations lane by lane, each rounded on its own (simd/unfused.h), so any difference
// at all is a wrong operation, order or index. Random values with both signs, gates in (0, 1),
// every count up to a few vectors, scales 1 and not 1.
// Prints one line per ISA and kernel and "N passed, N failed"; exits non-zero on a failure.
#include <cstdio>
#include <random>
#include <vector>

#include "../../native/simd/kernels.h"
#include "tally.h"

namespace {

struct Case {
  std::vector<float> from_above, recurrent, cell_next, activations, cell_prev, cell_output;
  float g_scale;
  float h_scale;
};

Case random_case(std::mt19937& random, std::size_t cells, float g_scale, float h_scale) {
  std::uniform_real_distribution<float> value(-2, 2);
  std::uniform_real_distribution<float> unit(-1, 1);
  std::uniform_real_distribution<float> gate(0, 1);
  Case c{{}, {}, {}, std::vector<float>(4 * cells), {}, {}, g_scale, h_scale};
  for (std::size_t j = 0; j < cells; ++j) {
    c.from_above.push_back(value(random));
    c.recurrent.push_back(value(random));
    c.cell_next.push_back(value(random));
    c.cell_prev.push_back(value(random));
    c.cell_output.push_back(h_scale * unit(random));
    c.activations[j] = g_scale * unit(random);
    for (std::size_t k = 1; k < 4; ++k) c.activations[k * cells + j] = gate(random);
  }
  return c;
}

// Outputs: the four blocks' signals, then cell_next.
std::vector<float> run_step(const Case& c) {
  const std::size_t cells = c.cell_prev.size();
  std::vector<float> cell_next = c.cell_next, block(4 * cells);
  lstm_lrp::kernels<float>().gradient_step({c.from_above.data(), c.recurrent.data(), cell_next.data(), c.activations.data(),
                                            c.cell_prev.data(), c.cell_output.data(), block.data(), cells, c.g_scale, c.h_scale});
  block.insert(block.end(), cell_next.begin(), cell_next.end());
  return block;
}

}  // namespace

int main() {
  kernel_test::Tally tally;
  for (const char* isa : kernel_test::kVectorIsas) {
    if (!lstm_lrp::select_isa(isa)) continue;
    std::mt19937 random(7);
    bool same = true;
    for (std::size_t cells = 1; cells <= 70; ++cells)
      for (float g_scale : {1.0f, 0.75f})
        for (float h_scale : {1.0f, 1.5f}) {
          const Case c = random_case(random, cells, g_scale, h_scale);
          lstm_lrp::select_isa("scalar");
          const std::vector<float> step = run_step(c);
          lstm_lrp::select_isa(isa);
          same = same && kernel_test::same_bits(step, run_step(c));
        }
    tally.check(same, "%s: gradient_step the scalar kernel's bits", isa);
  }
  return tally.finish();
}
