// Splits a batch's work across threads: the calling thread plus helpers from one
// process-wide pool, so concurrent callers share the same few threads.
#pragma once

#include <cstddef>
#include <functional>

namespace lstm_lrp {

// Runs body(task) for every task in [0, tasks) on up to `threads` threads, the calling
// one included, and returns when all have run. The first exception a task throws is
// rethrown here after the rest have finished. Builds without threads (WASM) run every
// task on the caller.
void parallel_for(std::size_t tasks, std::size_t threads, const std::function<void(std::size_t task)>& body);

// The number of hardware threads (at least 1).
std::size_t hardware_threads();

}  // namespace lstm_lrp
