// Shared helpers for the core tests: deterministic test images and a byte hash for golden
// values that must match between the native and the wasm build.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include "huabu/image.h"

namespace huabu::test {

// FNV-1a, 64-bit, over raw bytes (floats/ints hashed in little-endian memory order, which
// both x86-64 and wasm use).
inline std::uint64_t fnv1a(const void* data, std::size_t size) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

template <typename T>
std::uint64_t fnv1a(std::span<const T> values) {
  return fnv1a(values.data(), values.size_bytes());
}

inline std::uint64_t fnv1a(const Image& image) { return fnv1a(image.data(), image.size_bytes()); }

inline std::string hex64(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llxULL", static_cast<unsigned long long>(v));
  return buf;
}

// A busy RGBA pattern with varied alpha (including 0 and 255) and structure at several
// scales; fully determined by (x, y).
inline Image make_pattern(int width, int height, PixelFormat format = PixelFormat::kRgba8,
                          bool opaque = false) {
  Image image = Image::create(width, height, format).value();
  const int bpp = bytes_per_pixel(format);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      std::uint8_t px[4] = {
          static_cast<std::uint8_t>((x * 7 + y * 3) & 255),
          static_cast<std::uint8_t>((x * y + 40) & 255),
          static_cast<std::uint8_t>(((x ^ y) * 5) & 255),
          static_cast<std::uint8_t>(opaque ? 255 : ((x / 4 + y / 4) % 3 == 0 ? 255 : (x * 11 + y * 13) & 255)),
      };
      std::uint8_t* dst = image.data() + (static_cast<std::size_t>(y) * width + x) * bpp;
      if (format == PixelFormat::kGray8) {
        dst[0] = px[0];
      } else {
        std::memcpy(dst, px, bpp);
      }
    }
  }
  return image;
}

inline Image make_solid(int width, int height, std::uint8_t r, std::uint8_t g, std::uint8_t b,
                        std::uint8_t a) {
  Image image = Image::create(width, height, PixelFormat::kRgba8).value();
  for (std::size_t i = 0; i < image.size_bytes(); i += 4) {
    image.data()[i] = r;
    image.data()[i + 1] = g;
    image.data()[i + 2] = b;
    image.data()[i + 3] = a;
  }
  return image;
}

inline const std::uint8_t* pixel(const Image& image, int x, int y) {
  return image.data() + (static_cast<std::size_t>(y) * image.width() + x) * bytes_per_pixel(image.format());
}

}  // namespace huabu::test
