#include "thread_pool.h"

#ifdef __EMSCRIPTEN__

namespace lstm_lrp {

void parallel_for(std::size_t tasks, std::size_t, const std::function<void(std::size_t)>& body) {
  for (std::size_t task = 0; task < tasks; ++task) body(task);
}

std::size_t hardware_threads() { return 1; }

}  // namespace lstm_lrp

#else

#include <algorithm>
#include <atomic>
#include <cfenv>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace lstm_lrp {
namespace {

// How long a thread polls before it sleeps, as a helper waiting for work and as a caller waiting
// for its helpers: waking a sleeping thread takes tens of microseconds (more in a VM), a fair
// share of one sequence's multi-pass explanation, whose calls often come back to back. Threads
// poll only while there are no more of them than hardware threads, so none takes a core from
// one that works.
constexpr std::chrono::microseconds kSpinTime{100};

void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Polls until ready() or kSpinTime has passed; returns ready().
template <typename Ready>
bool spin_until(Ready ready) {
  const auto until = std::chrono::steady_clock::now() + kSpinTime;
  for (unsigned polls = 0;; ++polls) {
    if (ready()) return true;
    if (polls % 64 == 63 && std::chrono::steady_clock::now() >= until) return ready();
    relax();
  }
}

// One parallel_for call: threads take tasks by counter until none is left.
struct Job {
  const std::function<void(std::size_t)>* body = nullptr;
  std::size_t tasks = 0;
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::mutex mutex;
  std::condition_variable finished;
  std::exception_ptr error;
  // The caller's floating-point environment, which helpers take on: it is per thread, and
  // mingw-w64 starts its threads with x87 extended precision, which its libm's exp uses, so
  // without this a result would depend on the thread that computed it (on Windows).
  std::fenv_t environment;
};

void work_on(Job& job) {
  for (std::size_t task; (task = job.next++) < job.tasks;) {
    try {
      (*job.body)(task);
    } catch (...) {
      std::lock_guard<std::mutex> lock(job.mutex);
      if (!job.error) job.error = std::current_exception();
    }
    if (++job.done == job.tasks) {
      std::lock_guard<std::mutex> lock(job.mutex);
      job.finished.notify_all();
    }
  }
}

// Helper threads, created on demand up to the largest request and joined at exit
// (a helper finishes its current task; the caller then runs whatever is left).
class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

  // Offers the job to `helpers` helper threads.
  void share(const std::shared_ptr<Job>& job, std::size_t helpers) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      while (threads_.size() < helpers) threads_.emplace_back([this] { serve(); });
      for (std::size_t k = 0; k < helpers; ++k) queue_.push_back(job);
      queued_ += helpers;
      polling_ = threads_.size() < hardware_threads();
    }
    wake_.notify_all();
  }

 private:
  void serve() {
    for (;;) {
      if (polling_.load(std::memory_order_relaxed)) spin_until([this] { return queued_.load(std::memory_order_relaxed) > 0; });
      std::shared_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        job = std::move(queue_.front());
        queue_.pop_front();
        --queued_;
      }
      std::fesetenv(&job->environment);
      work_on(*job);
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job> > queue_;
  std::atomic<std::size_t> queued_{0};  // queue_.size(), for polling without the lock
  std::atomic<bool> polling_{false};    // whether helpers poll for work before they sleep
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

Pool& pool() {
#ifdef _WIN32
  // Never destroyed on Windows: a DLL's static destructors run under the loader lock, which a
  // helper needs in order to end, so joining the helpers there hangs the process at exit.
  static Pool* instance = new Pool;
  return *instance;
#else
  static Pool instance;
  return instance;
#endif
}

}  // namespace

void parallel_for(std::size_t tasks, std::size_t threads, const std::function<void(std::size_t)>& body) {
  const std::size_t helpers = std::min(threads, tasks) > 1 ? std::min(threads, tasks) - 1 : 0;
  if (helpers == 0) {
    for (std::size_t task = 0; task < tasks; ++task) body(task);
    return;
  }
  auto job = std::make_shared<Job>();
  job->body = &body;
  job->tasks = tasks;
  std::fegetenv(&job->environment);
  pool().share(job, helpers);
  work_on(*job);
  const bool polling = helpers < hardware_threads();
  if (!(polling && spin_until([&] { return job->done.load() == tasks; }))) {
    std::unique_lock<std::mutex> lock(job->mutex);
    job->finished.wait(lock, [&] { return job->done.load() == tasks; });
  }
  if (job->error) std::rethrow_exception(job->error);
}

std::size_t hardware_threads() {
  // Read once: libstdc++ reads /sys for it at every call, and every parallel_for asks.
  static const std::size_t count = std::max(1u, std::thread::hardware_concurrency());
  return count;
}

}  // namespace lstm_lrp

#endif
