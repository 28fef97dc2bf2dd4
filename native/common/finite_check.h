// Finds the first non-finite value of a result before it is handed back: extreme but finite
// weights, inputs, scales or eps can overflow the arithmetic, and a caller must not mistake
// Infinity or NaN for an answer.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "status.h"

namespace lstm_lrp {

// Whether all `count` values are finite, without branching per value so that the loop
// vectorizes: x - x is 0 for a finite x and NaN for an infinite or NaN one. The flag is an
// int: GCC does not vectorize an &= reduction into a bool.
template <typename Value>
bool all_finite(const Value* values, std::size_t count) {
  int finite = 1;
  for (std::size_t k = 0; k < count; ++k) finite &= (values[k] - values[k]) == Value(0);
  return finite != 0;
}

// values: [rows, width]. step_offsets: the first row of each sequence when rows are steps,
// or null when there is one row per sequence. Names the result, the sequence, step and column.
template <typename Value>
Status check_finite_rows(const Value* values, std::size_t rows, std::size_t width, const std::vector<std::size_t>* step_offsets,
                         const std::string& name) {
  for (std::size_t k = 0; k < rows * width; ++k) {
    if (std::isfinite(static_cast<double>(values[k]))) continue;
    const std::size_t row = k / width;
    std::string where;
    if (step_offsets == nullptr) {
      where = "sequence " + std::to_string(row);
    } else {
      const std::size_t n =
          static_cast<std::size_t>(std::upper_bound(step_offsets->begin(), step_offsets->end(), row) - step_offsets->begin()) - 1;
      where = "sequence " + std::to_string(n) + ", step " + std::to_string(row - (*step_offsets)[n]);
    }
    return Status::numeric(where + ", column " + std::to_string(k % width) + ": the " + name + " is " +
                           std::to_string(static_cast<double>(values[k])) +
                           "; the weights, inputs, cell scales or eps overflow the arithmetic");
  }
  return Status::ok();
}

}  // namespace lstm_lrp
