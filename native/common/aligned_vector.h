// Vectors whose data starts on a cache line: a 512-bit load of a row that starts on a
// 64-byte boundary never spans two lines, so a product's speed does not depend on where the
// allocator happened to put its matrix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <vector>

namespace lstm_lrp {

constexpr std::size_t kCacheLine = 64;

template <typename T>
struct CacheLineAllocator {
  using value_type = T;

  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}

  // Plain operator new, aligned by hand: it fails as every other allocation does (std::bad_alloc,
  // or in the WASM build, which has no exceptions, an abort the facade reports as E_MEMORY), where
  // the aligned operator new of libc++ without exceptions returns null. The block's address is
  // kept just before the aligned data.
  T* allocate(std::size_t count) {
    void* block = ::operator new(count * sizeof(T) + kCacheLine + sizeof(void*));
    const std::uintptr_t first = reinterpret_cast<std::uintptr_t>(block) + sizeof(void*);
    void* data = reinterpret_cast<void*>((first + kCacheLine - 1) & ~std::uintptr_t(kCacheLine - 1));
    static_cast<void**>(data)[-1] = block;
    return static_cast<T*>(data);
  }
  void deallocate(T* data, std::size_t) { ::operator delete(reinterpret_cast<void**>(data)[-1]); }
  // std::vector refuses larger sizes itself, so the padding above cannot overflow.
  std::size_t max_size() const { return (std::numeric_limits<std::size_t>::max() - kCacheLine - sizeof(void*)) / sizeof(T); }

  template <typename U>
  bool operator==(const CacheLineAllocator<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const CacheLineAllocator<U>&) const {
    return false;
  }
};

template <typename T>
using AlignedVector = std::vector<T, CacheLineAllocator<T>>;

}  // namespace lstm_lrp
