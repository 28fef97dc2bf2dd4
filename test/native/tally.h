// The kernel tests' shared frame: the ISAs with vector kernels, a bit-for-bit comparison, and a tally that prints one
// "ok"/"not ok" line per check and ends with "N passed, N failed" (the exit status says which).
#pragma once

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <vector>

namespace kernel_test {

// Every vector ISA a kernel test compares with the scalar kernels; those the CPU lacks are skipped.
constexpr const char* kVectorIsas[] = {"avx512", "avx2", "sse2", "neon", "simd128"};

class Tally {
 public:
  // Prints "ok <line>" or "not ok <line>" (printf-formatted) and counts it.
  void check(bool ok, const char* format, ...) {
    std::printf("%s ", ok ? "ok" : "not ok");
    va_list values;
    va_start(values, format);
    std::vprintf(format, values);
    va_end(values);
    std::printf("\n");
    (ok ? passed_ : failed_)++;
  }

  // Prints the summary line; the process's exit status.
  int finish() const {
    std::printf("%d passed, %d failed\n", passed_, failed_);
    return failed_ == 0 ? 0 : 1;
  }

 private:
  int passed_ = 0;
  int failed_ = 0;
};

// Whether two runs of a kernel gave the same values bit for bit.
inline bool same_bits(const std::vector<float>& expected, const std::vector<float>& actual) {
  return expected.size() == actual.size() && std::memcmp(expected.data(), actual.data(), expected.size() * sizeof(float)) == 0;
}

}  // namespace kernel_test
