// huabu/image.h: pixel formats, non-owning strided views and the owning Image.
//
//   auto made = huabu::Image::create(256, 256, huabu::PixelFormat::kRgba8);  // zero-filled
//   if (!made.ok()) return made.status();
//   huabu::Image img = std::move(made).value();
//   huabu::MutableImageView px = img.mutable_view();
//   px.row(0)[3] = 255;                                    // alpha of pixel (0, 0)
//   huabu::ImageView external(bytes, w, h, huabu::PixelFormat::kRgb8, stride_bytes);
//
// Ownership: ImageView/MutableImageView borrow memory owned by someone else and must not
// outlive it; they are cheap to copy and passed by value. Image owns its pixels (move-only).
// Functions take views and return owning Images.
// Threading: no shared state. Concurrent reads of one image are fine; writes need the caller's
// own synchronisation (e.g. split by row ranges).
//
// Limits (checked before any allocation): each side 1..kMaxImageSide; width*height at most
// kMaxImagePixels (64 Mpx = 256 MiB of RGBA8, which keeps the wasm heap well under its 2 GiB
// ceiling even with the float buffers of a resize). Non-positive sizes are invalid_argument,
// sizes over a limit are resource_exhausted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "huabu/status.h"

namespace huabu {

inline constexpr int kMaxImageSide = 16384;
inline constexpr std::int64_t kMaxImagePixels = std::int64_t{64} * 1024 * 1024;

// Interleaved 8-bit formats. kRgba8 with straight (non-premultiplied) alpha is the
// interchange format; premultiplied data is only ever an intermediate the caller asked for.
enum class PixelFormat { kRgba8, kRgb8, kGray8 };

[[nodiscard]] int bytes_per_pixel(PixelFormat format);
[[nodiscard]] std::string_view pixel_format_name(PixelFormat format);

// Checks width/height against the limits above; the message names the offending value.
[[nodiscard]] Status check_image_size(int width, int height);

// Read-only view. stride is in bytes (0 = packed rows, i.e. width * bytes_per_pixel).
class ImageView {
 public:
  ImageView() = default;
  ImageView(const std::uint8_t* data, int width, int height, PixelFormat format,
            std::ptrdiff_t stride = 0)
      : data_(data), width_(width), height_(height), format_(format),
        stride_(stride != 0 ? stride : std::ptrdiff_t{width} * bytes_per_pixel(format)) {}

  [[nodiscard]] const std::uint8_t* data() const { return data_; }
  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  [[nodiscard]] PixelFormat format() const { return format_; }
  [[nodiscard]] std::ptrdiff_t stride() const { return stride_; }
  [[nodiscard]] int channels() const { return bytes_per_pixel(format_); }
  [[nodiscard]] const std::uint8_t* row(int y) const { return data_ + y * stride_; }

  // Non-null data, size within limits, stride >= packed row size.
  [[nodiscard]] Status validate() const;

 private:
  const std::uint8_t* data_ = nullptr;
  int width_ = 0;
  int height_ = 0;
  PixelFormat format_ = PixelFormat::kRgba8;
  std::ptrdiff_t stride_ = 0;
};

// Writable view; converts implicitly to ImageView.
class MutableImageView {
 public:
  MutableImageView() = default;
  MutableImageView(std::uint8_t* data, int width, int height, PixelFormat format,
                   std::ptrdiff_t stride = 0)
      : data_(data), width_(width), height_(height), format_(format),
        stride_(stride != 0 ? stride : std::ptrdiff_t{width} * bytes_per_pixel(format)) {}

  operator ImageView() const { return {data_, width_, height_, format_, stride_}; }  // NOLINT

  [[nodiscard]] std::uint8_t* data() const { return data_; }
  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  [[nodiscard]] PixelFormat format() const { return format_; }
  [[nodiscard]] std::ptrdiff_t stride() const { return stride_; }
  [[nodiscard]] int channels() const { return bytes_per_pixel(format_); }
  [[nodiscard]] std::uint8_t* row(int y) const { return data_ + y * stride_; }
  [[nodiscard]] Status validate() const { return ImageView(*this).validate(); }

 private:
  std::uint8_t* data_ = nullptr;
  int width_ = 0;
  int height_ = 0;
  PixelFormat format_ = PixelFormat::kRgba8;
  std::ptrdiff_t stride_ = 0;
};

// Owning, packed (stride = width * bytes_per_pixel), zero-initialised pixels.
class Image {
 public:
  // Fails with invalid_argument/resource_exhausted per the limits above, or
  // resource_exhausted if the allocation itself fails.
  [[nodiscard]] static Result<Image> create(int width, int height, PixelFormat format);
  // The same without zeroing the pixels (a 4 Mpx RGBA image is 16 MB to clear), for callers
  // that write every byte before reading any.
  [[nodiscard]] static Result<Image> create_uninitialized(int width, int height, PixelFormat format);
  // Deep copy of a (possibly strided) view into a packed Image.
  [[nodiscard]] static Result<Image> copy_of(ImageView src);

  Image(Image&&) noexcept = default;
  Image& operator=(Image&&) noexcept = default;
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;

  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  [[nodiscard]] PixelFormat format() const { return format_; }
  [[nodiscard]] std::ptrdiff_t stride() const { return std::ptrdiff_t{width_} * bytes_per_pixel(format_); }
  [[nodiscard]] std::size_t size_bytes() const { return static_cast<std::size_t>(stride()) * height_; }
  [[nodiscard]] std::uint8_t* data() { return pixels_.get(); }
  [[nodiscard]] const std::uint8_t* data() const { return pixels_.get(); }
  [[nodiscard]] ImageView view() const { return {pixels_.get(), width_, height_, format_}; }
  [[nodiscard]] MutableImageView mutable_view() { return {pixels_.get(), width_, height_, format_}; }

 private:
  Image(std::unique_ptr<std::uint8_t[]> pixels, int width, int height, PixelFormat format)
      : pixels_(std::move(pixels)), width_(width), height_(height), format_(format) {}

  std::unique_ptr<std::uint8_t[]> pixels_;
  int width_ = 0;
  int height_ = 0;
  PixelFormat format_ = PixelFormat::kRgba8;
};

}  // namespace huabu
