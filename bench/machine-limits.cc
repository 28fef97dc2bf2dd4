// What one core of this machine can do at most, the floors under the kernel's times:
// - how fast it reads a buffer it holds in cache (sizes in L1, L2, L3 and memory), which bounds
//   the forward pass of one sequence: its recurrent product reads all of U at every step;
// - how many float32 multiply-adds it retires a second with registers only, for 64- and
//   32-byte vectors, which bounds the products of a batch.
// Each figure is the best of five trials; one JSON object is printed. Run: npm run bench:limits.
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <vector>

namespace {

typedef float Lanes64 __attribute__((vector_size(64)));
typedef float Lanes32 __attribute__((vector_size(32)));

template <typename Measure>
double best_of_five(Measure measure) {
  double best = 0;
  for (int trial = 0; trial < 5; ++trial) {
    const double rate = measure();
    if (rate > best) best = rate;
  }
  return best;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Bytes read per second over `repeats` passes through a buffer of `bytes`, with eight
// independent sums, so no chain of additions sets the pace. Named sums, not an array: GCC keeps
// an array of sums indexed in a loop on the stack, and then its stores set the pace (an earlier
// version of this bench read 95 GB/s from L1 that way).
double read_rate(std::size_t bytes, std::size_t repeats) {
  std::vector<Lanes64> buffer(bytes / sizeof(Lanes64));
  for (Lanes64& lanes : buffer) lanes = Lanes64{} + 1.0f;
  Lanes64 s0 = {}, s1 = {}, s2 = {}, s3 = {}, s4 = {}, s5 = {}, s6 = {}, s7 = {};
  const Lanes64* data = buffer.data();
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t pass = 0; pass < repeats; ++pass)
    for (std::size_t i = 0; i + 8 <= buffer.size(); i += 8) {
      s0 += data[i];
      s1 += data[i + 1];
      s2 += data[i + 2];
      s3 += data[i + 3];
      s4 += data[i + 4];
      s5 += data[i + 5];
      s6 += data[i + 6];
      s7 += data[i + 7];
    }
  const double seconds = seconds_since(start);
  const Lanes64 total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  if (total[0] < 0) std::puts("");  // keeps the loads
  return static_cast<double>(bytes) * static_cast<double>(repeats) / seconds;
}

// Multiply-adds per second with twelve independent accumulators (more than the latency of a
// fused multiply-add times the pipes that run it), operands in registers.
template <typename Lanes>
double multiply_add_rate(std::size_t iterations) {
  constexpr std::size_t kLanes = sizeof(Lanes) / sizeof(float);
  const Lanes scale = Lanes{} + 0.999f, shift = Lanes{} + 1e-6f;
  // Different starting values, or the compiler computes one accumulator and copies it.
  const Lanes one = Lanes{} + 1.0f;
  Lanes a0 = one * 0, a1 = one * 1, a2 = one * 2, a3 = one * 3, a4 = one * 4, a5 = one * 5;
  Lanes a6 = one * 6, a7 = one * 7, a8 = one * 8, a9 = one * 9, a10 = one * 10, a11 = one * 11;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < iterations; ++i) {
    a0 = a0 * scale + shift;
    a1 = a1 * scale + shift;
    a2 = a2 * scale + shift;
    a3 = a3 * scale + shift;
    a4 = a4 * scale + shift;
    a5 = a5 * scale + shift;
    a6 = a6 * scale + shift;
    a7 = a7 * scale + shift;
    a8 = a8 * scale + shift;
    a9 = a9 * scale + shift;
    a10 = a10 * scale + shift;
    a11 = a11 * scale + shift;
  }
  const double seconds = seconds_since(start);
  const Lanes total = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
  if (total[0] < 0) std::puts("");  // keeps the arithmetic
  return 12.0 * kLanes * static_cast<double>(iterations) / seconds;
}

}  // namespace

int main() {
  const std::size_t kibibytes[] = {28, 57, 115, 512, 4096, 65536};
  std::printf("{\"readGigabytesPerSecond\": {");
  for (std::size_t n = 0; n < sizeof(kibibytes) / sizeof(kibibytes[0]); ++n) {
    const std::size_t bytes = kibibytes[n] * 1024;
    const double rate = best_of_five([&] { return read_rate(bytes, 400000000 / bytes + 1); });
    std::printf("%s\"%zu KiB\": %.1f", n == 0 ? "" : ", ", kibibytes[n], rate / 1e9);
  }
  const double wide = best_of_five([] { return multiply_add_rate<Lanes64>(50000000); });
  const double narrow = best_of_five([] { return multiply_add_rate<Lanes32>(50000000); });
  std::printf("}, \"float32GigaMultiplyAddsPerSecond\": {\"64-byte vectors\": %.1f, \"32-byte vectors\": %.1f}}\n", wide / 1e9,
              narrow / 1e9);
}
