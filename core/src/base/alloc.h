// Internal: allocation that reports failure instead of aborting. The core is built without
// exceptions, so a failed operator new would terminate the process (or the wasm instance);
// large buffers go through these helpers and become resource_exhausted instead.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

#include "base/str_cat.h"
#include "huabu/status.h"

namespace huabu::detail {

// Zero-initialised array of n elements, or nullptr if the allocation failed.
template <typename T>
[[nodiscard]] std::unique_ptr<T[]> try_allocate(std::size_t n) {
  return std::unique_ptr<T[]>(new (std::nothrow) T[n]());
}

// A vector of n zeroed elements. The allocation is probed with nothrow new first so that an
// out-of-memory condition becomes a Status rather than an abort inside std::vector.
template <typename T>
[[nodiscard]] Result<std::vector<T>> try_make_vector(std::size_t n, const char* what) {
  if (n > std::vector<T>().max_size()) {
    return resource_exhausted(str_cat(what, ": ", n, " elements are too many"));
  }
  {
    std::unique_ptr<T[]> probe(new (std::nothrow) T[n]);
    if (probe == nullptr) {
      return resource_exhausted(str_cat(what, ": could not allocate ", n * sizeof(T), " bytes"));
    }
  }
  return std::vector<T>(n);
}

}  // namespace huabu::detail
