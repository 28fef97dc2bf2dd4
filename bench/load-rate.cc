// How fast one core reads a buffer it holds in cache: the physical limit of the forward pass of
// one sequence, whose recurrent product reads all of U (4H × H values per direction) once per
// step. Reads buffers of several sizes (in L1, L2, L3 and memory) over and over with the widest
// vectors the CPU has (eight independent sums, so no chain of additions sets the pace) and prints
// the best rate of five trials per size as one JSON object. Run: npm run bench:load-rate.
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <vector>

namespace {

typedef float Lanes __attribute__((vector_size(64)));
constexpr std::size_t kLaneFloats = sizeof(Lanes) / sizeof(float);
constexpr std::size_t kSums = 8;

// Bytes read per second over `repeats` passes through a buffer of `bytes`.
double read_rate(std::size_t bytes, std::size_t repeats) {
  std::vector<Lanes> buffer(bytes / sizeof(Lanes));
  for (Lanes& lanes : buffer)
    for (std::size_t k = 0; k < kLaneFloats; ++k) lanes[k] = 1.0f;
  // Named sums, not an array: GCC keeps an array of sums indexed in a loop on the stack, and then
  // its stores, not the loads, set the pace (an earlier version of this bench read 95 GB/s from L1).
  Lanes s0 = {}, s1 = {}, s2 = {}, s3 = {}, s4 = {}, s5 = {}, s6 = {}, s7 = {};
  const Lanes* data = buffer.data();
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t pass = 0; pass < repeats; ++pass)
    for (std::size_t i = 0; i + kSums <= buffer.size(); i += kSums) {
      s0 += data[i];
      s1 += data[i + 1];
      s2 += data[i + 2];
      s3 += data[i + 3];
      s4 += data[i + 4];
      s5 += data[i + 5];
      s6 += data[i + 6];
      s7 += data[i + 7];
    }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Lanes total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  if (total[0] < 0) std::puts("");  // keeps the loads
  return static_cast<double>(bytes) * static_cast<double>(repeats) / seconds;
}

}  // namespace

int main() {
  const std::size_t kibibytes[] = {28, 57, 115, 512, 4096, 65536};
  std::printf("{\"vectorBytes\": %zu, \"gigabytesPerSecond\": {", sizeof(Lanes));
  for (std::size_t n = 0; n < sizeof(kibibytes) / sizeof(kibibytes[0]); ++n) {
    const std::size_t bytes = kibibytes[n] * 1024;
    double best = 0;
    for (int trial = 0; trial < 5; ++trial) {
      const double rate = read_rate(bytes, 400000000 / bytes + 1);
      if (rate > best) best = rate;
    }
    std::printf("%s\"%zu KiB\": %.1f", n == 0 ? "" : ", ", kibibytes[n], best / 1e9);
  }
  std::printf("}}\n");
}
