// Vectors whose data starts on a cache line: a 512-bit load of a row that starts on a
// 64-byte boundary never spans two lines, so a product's speed no longer depends on where
// the allocator happened to put its matrix (a misaligned one cost a lone explanation ~20 %).
#pragma once

#include <cstddef>
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

  T* allocate(std::size_t count) { return static_cast<T*>(::operator new(count * sizeof(T), std::align_val_t(kCacheLine))); }
  void deallocate(T* data, std::size_t) { ::operator delete(data, std::align_val_t(kCacheLine)); }

  template <typename U>
  bool operator==(const CacheLineAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const CacheLineAllocator<U>&) const { return false; }
};

template <typename T>
using AlignedVector = std::vector<T, CacheLineAllocator<T>>;

}  // namespace lstm_lrp
