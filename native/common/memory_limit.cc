#include "memory_limit.h"

#include <algorithm>

#if defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX  // keeps std::min usable
#endif
#include <windows.h>
#elif !defined(__EMSCRIPTEN__)
#include <unistd.h>
#endif

namespace lstm_lrp {
namespace {

#if !defined(LSTM_LRP_MEMORY_LIMIT_BYTES) && !defined(__EMSCRIPTEN__)
// When the physical memory cannot be read: a limit any machine running this has.
constexpr std::uint64_t kUnknownMachineBytes = std::uint64_t(1) << 32;

std::uint64_t physical_memory() {
#if defined(_WIN32)
  MEMORYSTATUSEX status;
  status.dwLength = sizeof(status);
  return GlobalMemoryStatusEx(&status) ? status.ullTotalPhys : 0;
#else
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page_size > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size) : 0;
#endif
}
#endif

std::uint64_t default_limit() {
#if defined(LSTM_LRP_MEMORY_LIMIT_BYTES)
  return LSTM_LRP_MEMORY_LIMIT_BYTES;
#elif defined(__EMSCRIPTEN__)
  return std::uint64_t(1) << 31;  // all the module can hold (-sMAXIMUM_MEMORY in CMakeLists.txt)
#else
  const std::uint64_t machine = physical_memory();
  const std::uint64_t half = (machine == 0 ? kUnknownMachineBytes : machine) / 2;
  // A 32-bit process cannot address more than about 2 GiB of its own, whatever the machine has.
  return UINTPTR_MAX <= 0xffffffffu ? std::min(half, std::uint64_t(1) << 31) : half;
#endif
}

}  // namespace

std::uint64_t memory_limit() {
  static const std::uint64_t limit = default_limit();
  return limit;
}

Status check_memory(std::uint64_t bytes, const std::string& what) {
  if (bytes <= memory_limit()) return Status::ok();
  return Status::out_of_memory(what + " would need about " + std::to_string(bytes) + " bytes of working memory; the limit is " +
                               std::to_string(memory_limit()) + " bytes (half the machine's memory; 2 GiB in WebAssembly)");
}

}  // namespace lstm_lrp
