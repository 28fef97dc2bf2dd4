// Threads of the addon's own for its asynchronous calls. Node hands each call to whichever of
// libuv's threads is free, and libuv wakes the one that has waited longest, so the calls of one
// explainBatch ran on four threads in turn, each finding the caches of its core cold: 6–14 %
// slower than the same calls on one thread. run() gives a call the thread that finished a call
// last, so back-to-back calls stay on one thread, and calls that overlap get threads of their own.
#pragma once

#include <cfenv>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class SteadyThreads {
 public:
  // Runs task on a steady thread, in the caller's floating-point environment (mingw-w64 starts
  // threads with x87 extended precision, which its libm's exp uses), and returns when it has run.
  void run(const std::function<void()>& task) {
    Slot* slot = take();
    std::unique_lock<std::mutex> lock(slot->mutex);
    std::fegetenv(&slot->environment);
    slot->task = &task;
    slot->done = false;
    slot->changed.notify_all();
    slot->changed.wait(lock, [slot] { return slot->done; });
    std::exception_ptr error = slot->error;
    slot->error = nullptr;
    lock.unlock();
    put_back(slot);
    if (error) std::rethrow_exception(error);
  }

 private:
  struct Slot {
    std::mutex mutex;
    std::condition_variable changed;
    const std::function<void()>* task = nullptr;
    bool done = false;
    std::exception_ptr error;
    std::fenv_t environment;
  };

  static void serve(Slot* slot) {
    std::unique_lock<std::mutex> lock(slot->mutex);
    for (;;) {
      slot->changed.wait(lock, [slot] { return slot->task != nullptr; });
      const std::function<void()>* task = slot->task;
      lock.unlock();
      std::fesetenv(&slot->environment);
      std::exception_ptr error;
      try {
        (*task)();
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      slot->task = nullptr;
      slot->error = error;
      slot->done = true;
      slot->changed.notify_all();
    }
  }

  // The thread put back last, or a new one while every thread runs a call. Threads and their
  // slots are never freed: a call may still run while the process exits, and joining a thread
  // from a static destructor hangs a Windows process (the loader lock).
  Slot* take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.empty()) {
      Slot* slot = new Slot;
      std::thread(serve, slot).detach();
      return slot;
    }
    Slot* slot = idle_.back();
    idle_.pop_back();
    return slot;
  }

  void put_back(Slot* slot) {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(slot);
  }

  std::mutex mutex_;
  std::vector<Slot*> idle_;
};
