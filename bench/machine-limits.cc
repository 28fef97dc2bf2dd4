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
// independent sums, so no chain of additions sets the pace. The loops over the sums unroll
// fully, so they live in registers: an earlier version of this bench left them on the stack, and
// then its stores set the pace (95 GB/s from L1).
double read_rate(std::size_t bytes, std::size_t repeats) {
  constexpr std::size_t kSums = 8;
  std::vector<Lanes64> buffer(bytes / sizeof(Lanes64));
  for (Lanes64& lanes : buffer) lanes = Lanes64{} + 1.0f;
  Lanes64 sums[kSums] = {};
  const Lanes64* data = buffer.data();
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t pass = 0; pass < repeats; ++pass)
    for (std::size_t i = 0; i + kSums <= buffer.size(); i += kSums) {
#pragma GCC unroll 8
      for (std::size_t k = 0; k < kSums; ++k) sums[k] += data[i + k];
    }
  const double seconds = seconds_since(start);
  Lanes64 total = {};
#pragma GCC unroll 8
  for (std::size_t k = 0; k < kSums; ++k) total += sums[k];
  if (total[0] < 0) std::puts("");  // keeps the loads
  return static_cast<double>(bytes) * static_cast<double>(repeats) / seconds;
}

// Multiply-adds per second with twelve independent sums (more than the latency of a fused
// multiply-add times the pipes that run it), operands in registers.
template <typename Lanes>
double multiply_add_rate(std::size_t iterations) {
  constexpr std::size_t kLanes = sizeof(Lanes) / sizeof(float);
  const Lanes scale = Lanes{} + 0.999f, shift = Lanes{} + 1e-6f;
  // Different starting values, or the compiler computes one accumulator and copies it. The loops
  // over them unroll fully, so the array lives in registers.
  constexpr int kSums = 12;
  Lanes sums[kSums];
#pragma GCC unroll 12
  for (int k = 0; k < kSums; ++k) sums[k] = Lanes{} + static_cast<float>(k);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (int k = 0; k < kSums; ++k) sums[k] = sums[k] * scale + shift;
  }
  const double seconds = seconds_since(start);
  Lanes total = {};
#pragma GCC unroll 12
  for (int k = 0; k < kSums; ++k) total += sums[k];
  if (total[0] < 0) std::puts("");  // keeps the arithmetic
  return kSums * kLanes * static_cast<double>(iterations) / seconds;
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
