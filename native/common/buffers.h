// Length checks for the caller's arrays: nothing is read or written before its
// length matches the shape the kernel expects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "status.h"

namespace lstm_lrp {

// Expected lengths are computed in 64 bits so that they cannot wrap on 32-bit (WASM) targets.
inline std::uint64_t elements(std::uint64_t a, std::uint64_t b, std::uint64_t c = 1) { return a * b * c; }

template <typename Buffer>
Status check_buffer(const Buffer& buffer, std::uint64_t expected, const std::string& name) {
  if (buffer.data == nullptr) return Status::invalid(name + " is missing (null pointer)");
  if (buffer.length < 0 || static_cast<std::uint64_t>(buffer.length) != expected)
    return Status::invalid(name + " has " + std::to_string(buffer.length) + " elements; expected " + std::to_string(expected));
  return Status::ok();
}

}  // namespace lstm_lrp
