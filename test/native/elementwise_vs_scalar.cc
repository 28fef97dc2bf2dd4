// Every ISA's float32 element-wise arithmetic kernels (the scaled sum, the multiply-add of a
// constant and its accumulating form, the LSTM's cell state and cell output) against the scalar
// kernels, bit for bit: the vector code does the scalar's operations lane by lane, each rounded on
// its own (simd/unfused.h), so any difference at all is a wrong operation, order or index. Random
// values with both signs, gates in (0, 1), every count up to a few vectors, scales 1 and not 1,
// and results written over an input where the kernel allows it.
// Prints one line per ISA and kernel and "N passed, N failed"; exits non-zero on a failure.
#include <random>
#include <vector>

#include "../../native/simd/kernels.h"
#include "tally.h"

namespace {

struct Case {
  std::vector<float> a, b, c, gate_i, gate_f, gate_o;
  float scale;
};

Case random_case(std::mt19937& random, std::size_t n, float scale) {
  std::uniform_real_distribution<float> value(-2, 2);
  std::uniform_real_distribution<float> gate(0, 1);
  Case k{{}, {}, {}, {}, {}, {}, scale};
  for (std::size_t j = 0; j < n; ++j) {
    k.a.push_back(value(random));
    k.b.push_back(value(random));
    k.c.push_back(value(random));
    k.gate_i.push_back(gate(random));
    k.gate_f.push_back(gate(random));
    k.gate_o.push_back(gate(random));
  }
  return k;
}

// Each kernel's outputs, concatenated.
using Run = std::vector<float> (*)(const Case&);

std::vector<float> run_scaled_add(const Case& k) {
  const std::size_t n = k.a.size();
  std::vector<float> out(n), in_place = k.b;
  lstm_lrp::kernels<float>().scaled_add(k.b.data(), k.scale, k.a.data(), out.data(), n);
  lstm_lrp::kernels<float>().scaled_add(in_place.data(), k.scale, k.c.data(), in_place.data(), n);
  out.insert(out.end(), in_place.begin(), in_place.end());
  return out;
}

std::vector<float> run_multiply_add_constant(const Case& k) {
  std::vector<float> out(k.a.size());
  lstm_lrp::kernels<float>().multiply_add_constant(k.a.data(), k.b.data(), k.scale, out.data(), out.size());
  return out;
}

std::vector<float> run_add_multiply_add_constant(const Case& k) {
  std::vector<float> out = k.c;
  lstm_lrp::kernels<float>().add_multiply_add_constant(k.a.data(), k.b.data(), k.scale, out.data(), out.size());
  return out;
}

std::vector<float> run_cell_state(const Case& k) {
  std::vector<float> z = k.a, c(k.a.size());
  lstm_lrp::kernels<float>().cell_state(z.data(), k.gate_i.data(), k.gate_f.data(), k.b.data(), k.scale, c.data(), c.size());
  z.insert(z.end(), c.begin(), c.end());
  return z;
}

std::vector<float> run_cell_output(const Case& k) {
  const std::size_t n = k.a.size();
  std::vector<float> h = k.a, y(n), y_copy(n);
  lstm_lrp::kernels<float>().cell_output(h.data(), k.gate_o.data(), k.scale, y.data(), y_copy.data(), n);
  h.insert(h.end(), y.begin(), y.end());
  h.insert(h.end(), y_copy.begin(), y_copy.end());
  return h;
}

}  // namespace

int main() {
  const char* const names[] = {"scaled_add", "multiply_add_constant", "add_multiply_add_constant", "cell_state", "cell_output"};
  const Run runs[] = {run_scaled_add, run_multiply_add_constant, run_add_multiply_add_constant, run_cell_state, run_cell_output};
  constexpr std::size_t kKernels = sizeof(runs) / sizeof(runs[0]);
  kernel_test::Tally tally;
  for (const char* isa : kernel_test::kVectorIsas) {
    if (!lstm_lrp::select_isa(isa)) continue;
    std::mt19937 random(11);
    bool same[kKernels];
    for (bool& kernel_same : same) kernel_same = true;
    for (std::size_t n = 1; n <= 70; ++n)
      for (float scale : {1.0f, 0.75f, -1.5f}) {
        const Case k = random_case(random, n, scale);
        for (std::size_t kernel = 0; kernel < kKernels; ++kernel) {
          lstm_lrp::select_isa("scalar");
          const std::vector<float> expected = runs[kernel](k);
          lstm_lrp::select_isa(isa);
          same[kernel] = same[kernel] && kernel_test::same_bits(expected, runs[kernel](k));
        }
      }
    for (std::size_t kernel = 0; kernel < kKernels; ++kernel)
      tally.check(same[kernel], "%s: %s the scalar kernel's bits", isa, names[kernel]);
  }
  return tally.finish();
}
