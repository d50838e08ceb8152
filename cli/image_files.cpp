#include "image_files.h"

#include "huabu/image_ops.h"

#include <png.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace huabu::cli {

Result<std::vector<std::uint8_t>> read_bytes(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return invalid_argument("cannot open '" + path + "' for reading: not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_argument("cannot open '" + path + "' for reading");
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

namespace {

std::string lower_extension(const std::string& path) {
  const auto dot = path.rfind('.');
  std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}


Result<Image> read_png(const std::string& path) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&png, path.c_str())) {
    return corrupt_data("'" + path + "' is not a readable PNG: " + png.message);
  }
  // Check the header's size before allocating, like the WebP decoder does.
  const Status size_ok = check_image_size(static_cast<int>(std::min<png_uint_32>(png.width, 1u << 30)),
                                          static_cast<int>(std::min<png_uint_32>(png.height, 1u << 30)));
  if (!size_ok.ok()) {
    png_image_free(&png);
    return Status(size_ok.code(), "'" + path + "': " + size_ok.message());
  }
  png.format = PNG_FORMAT_RGBA;
  auto made = Image::create(static_cast<int>(png.width), static_cast<int>(png.height), PixelFormat::kRgba8);
  if (!made.ok()) {
    png_image_free(&png);
    return made.status();
  }
  Image image = std::move(made).value();
  if (!png_image_finish_read(&png, nullptr, image.data(), static_cast<png_int_32>(image.stride()), nullptr)) {
    return corrupt_data("'" + path + "' is a corrupt PNG: " + png.message);
  }
  return image;
}

Status write_png(const std::string& path, ImageView image) {
  auto rgba = convert(image, PixelFormat::kRgba8);  // declared in image_ops.h
  if (!rgba.ok()) return rgba.status();
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(rgba->width());
  png.height = static_cast<png_uint_32>(rgba->height());
  png.format = PNG_FORMAT_RGBA;
  if (!png_image_write_to_file(&png, path.c_str(), 0, rgba->data(), static_cast<png_int_32>(rgba->stride()), nullptr)) {
    return internal_error("cannot write PNG '" + path + "': " + png.message);
  }
  return ok_status();
}

}  // namespace

Result<Image> read_image(const std::string& path) {
  const std::string ext = lower_extension(path);
  if (ext == "png") return read_png(path);
  if (ext == "webp") {
    auto bytes = read_bytes(path);
    if (!bytes.ok()) return bytes.status();
    return decode_webp(*bytes);
  }
  return unsupported("'" + path + "': only .png and .webp files are supported");
}

Status write_image(const std::string& path, ImageView image, const WebpEncodeOptions& webp_options) {
  const std::string ext = lower_extension(path);
  if (ext == "png") return write_png(path, image);
  if (ext != "webp") return unsupported("'" + path + "': only .png and .webp files are supported");
  auto bytes = encode_webp(image, webp_options);
  if (!bytes.ok()) return bytes.status();
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
  if (!out) return internal_error("cannot write '" + path + "'");
  return ok_status();
}

}  // namespace huabu::cli
