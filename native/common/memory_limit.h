// The memory one call may ask for: every estimate is checked against it before anything
// is allocated, so a request the machine cannot hold fails as out of memory instead of
// taking the machine down.
#pragma once

#include <cstdint>
#include <string>

#include "status.h"

namespace lstm_lrp {

// Half the machine's physical memory natively (at most 2 GiB in 32-bit builds), the module's
// 2 GiB in WASM builds.
// Override at build time with -DLSTM_LRP_MEMORY_LIMIT_BYTES=...
std::uint64_t memory_limit();

// Out of memory, naming `what` and both sizes, when bytes exceed memory_limit().
Status check_memory(std::uint64_t bytes, const std::string& what);

}  // namespace lstm_lrp
