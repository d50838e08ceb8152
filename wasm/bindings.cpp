// The only Embind file: JS values in, huabu core call, JS-owned copies out. No image logic
// lives here. Every export returns {ok: true, value} or {ok: false, code, message}: arguments
// arrive as emscripten::val and are type-checked before any conversion (Embind's own
// conversions would throw on a wrong type). The one thing Embind itself still throws is a
// BindingError for a call with an unregistered number of arguments; wasm/huabu-core.js turns
// that into HuabuError('invalid_argument'). JS names (camelCase) are mapped to the
// C++ names (snake_case) only in EMSCRIPTEN_BINDINGS at the bottom. Types: huabu-core.d.ts.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "huabu/clip_tokenizer.h"
#include "huabu/diffusers_pipeline.h"
#include "huabu/image.h"
#include "huabu/image_ops.h"
#include "huabu/rng.h"
#include "huabu/model_tensor.h"
#include "huabu/status.h"
#include "huabu/sketch_input.h"
#include "huabu/stylize.h"
#include "huabu/tensor.h"
#include "huabu/text_to_image.h"
#include "huabu/tiling.h"
#include "huabu/version.h"
#include "huabu/webp.h"
#include "huabu/word_tokenizer.h"

namespace {

using emscripten::val;
using huabu::Status;

// ---- results -------------------------------------------------------------------------------

val ok_result(const val& value) {
  val r = val::object();
  r.set("ok", true);
  r.set("value", value);
  return r;
}

val error_result(const Status& status) {
  val r = val::object();
  r.set("ok", false);
  r.set("code", std::string(huabu::status_code_name(status.code())));
  r.set("message", status.message());
  return r;
}

template <typename T, typename ToJs>
val to_result(huabu::Result<T> result, ToJs to_js) {
  if (!result.ok()) return error_result(result.status());
  return ok_result(to_js(result.value()));
}

// ---- reading JS values ----------------------------------------------------------------------

Status type_error(const std::string& name, const char* expected) {
  return huabu::invalid_argument(name + " must be " + expected);
}

bool is_object(const val& v) { return !v.isNull() && v.typeOf().as<std::string>() == "object"; }

Status read_number(const val& v, const std::string& name, double* out) {
  if (!v.isNumber()) return type_error(name, "a number");
  *out = v.as<double>();
  return huabu::ok_status();
}

Status read_integer(const val& v, const std::string& name, double lo, double hi, double* out) {
  HUABU_RETURN_IF_ERROR(read_number(v, name, out));
  if (!std::isfinite(*out) || std::floor(*out) != *out || *out < lo || *out > hi) {
    return huabu::invalid_argument(name + " " + v.call<std::string>("toString") + " must be an integer in " +
                                   std::to_string(static_cast<std::int64_t>(lo)) + ".." +
                                   std::to_string(static_cast<std::int64_t>(hi)));
  }
  return huabu::ok_status();
}

Status read_int(const val& v, const std::string& name, int* out) {
  double d = 0;
  HUABU_RETURN_IF_ERROR(read_integer(v, name, -2147483648.0, 2147483647.0, &d));
  *out = static_cast<int>(d);
  return huabu::ok_status();
}

Status read_u32(const val& v, const std::string& name, std::uint32_t* out) {
  double d = 0;
  HUABU_RETURN_IF_ERROR(read_integer(v, name, 0.0, 4294967295.0, &d));
  *out = static_cast<std::uint32_t>(d);
  return huabu::ok_status();
}

Status read_string(const val& v, const std::string& name, std::string* out) {
  if (!v.isString()) return type_error(name, "a string");
  *out = v.as<std::string>();
  return huabu::ok_status();
}

Status read_bool(const val& v, const std::string& name, bool* out) {
  if (v.typeOf().as<std::string>() != "boolean") return type_error(name, "a boolean");
  *out = v.as<bool>();
  return huabu::ok_status();
}

// Optional member of an options object: left at its C++ default when absent.
template <typename T, typename Reader>
Status read_optional(const val& object, const char* key, const std::string& prefix, T* out, Reader reader) {
  const val v = object[key];
  if (v.isUndefined()) return huabu::ok_status();
  return reader(v, prefix + "." + key, out);
}

// A copy of JS data in the wasm heap, allocated without aborting when the heap cannot grow.
template <typename T>
struct HeapCopy {
  std::unique_ptr<T[]> data;
  std::size_t size = 0;
  std::span<const T> span() const { return {data.get(), size}; }
};

template <typename T>
Status allocate(std::size_t n, const std::string& name, HeapCopy<T>* out) {
  out->data.reset(new (std::nothrow) T[n > 0 ? n : 1]);
  out->size = n;
  if (!out->data) return huabu::resource_exhausted("no memory to copy " + name + " (" + std::to_string(n * sizeof(T)) + " bytes)");
  return huabu::ok_status();
}

// Copies a typed array (of the given constructor) into the wasm heap.
template <typename T>
Status read_typed_array(const val& v, const std::string& name, const char* type, HeapCopy<T>* out) {
  if (!is_object(v) || !v.instanceof(val::global(type))) return type_error(name, (std::string("a ") + type).c_str());
  HUABU_RETURN_IF_ERROR(allocate(v["length"].as<std::size_t>(), name, out));
  if (out->size > 0) val(emscripten::typed_memory_view(out->size, out->data.get())).call<void>("set", v);
  return huabu::ok_status();
}

Status read_float_list(const val& v, const std::string& name, std::vector<float>* out) {
  if (!is_object(v) || !v["length"].isNumber()) return type_error(name, "an array of numbers");
  double length = 0;
  HUABU_RETURN_IF_ERROR(read_integer(v["length"], name + ".length", 0.0, 4.0, &length));
  const int n = static_cast<int>(length);
  out->clear();
  for (int i = 0; i < n; ++i) {
    double d = 0;
    HUABU_RETURN_IF_ERROR(read_number(v[i], name + "[" + std::to_string(i) + "]", &d));
    out->push_back(static_cast<float>(d));
  }
  return huabu::ok_status();
}

// {width, height, data: Uint8Array RGBA8}, copied into the wasm heap.
struct JsImage {
  int width = 0;
  int height = 0;
  HeapCopy<std::uint8_t> pixels;
  huabu::ImageView view() const { return {pixels.data.get(), width, height, huabu::PixelFormat::kRgba8}; }
  huabu::MutableImageView mutable_view() { return {pixels.data.get(), width, height, huabu::PixelFormat::kRgba8}; }
};

// Checks an {width, height, data} object without copying its pixels; `data` is the Uint8Array.
Status read_image_header(const val& v, const std::string& name, int* width, int* height, val* data) {
  if (!is_object(v)) return type_error(name, "an object {width, height, data}");
  HUABU_RETURN_IF_ERROR(read_int(v["width"], name + ".width", width));
  HUABU_RETURN_IF_ERROR(read_int(v["height"], name + ".height", height));
  HUABU_RETURN_IF_ERROR(huabu::check_image_size(*width, *height));
  *data = v["data"];
  if (!is_object(*data) || !(data->instanceof(val::global("Uint8Array")) ||
                             data->instanceof(val::global("Uint8ClampedArray")))) {
    return type_error(name + ".data", "a Uint8Array");
  }
  const std::size_t expected = static_cast<std::size_t>(*width) * *height * 4;
  const std::size_t length = (*data)["length"].as<std::size_t>();
  if (length != expected) {
    return huabu::invalid_argument(name + ".data has " + std::to_string(length) + " bytes, expected " +
                                   std::to_string(expected) + " (width * height * 4)");
  }
  return huabu::ok_status();
}

Status read_image(const val& v, const std::string& name, JsImage* out) {
  val data = val::undefined();
  HUABU_RETURN_IF_ERROR(read_image_header(v, name, &out->width, &out->height, &data));
  const std::size_t bytes = static_cast<std::size_t>(out->width) * out->height * 4;
  HUABU_RETURN_IF_ERROR(allocate(bytes, name + ".data", &out->pixels));
  val(emscripten::typed_memory_view(bytes, out->pixels.data.get())).call<void>("set", data);
  return huabu::ok_status();
}

Status read_tensor_options(const val& v, huabu::TensorOptions* o) {
  if (!is_object(v)) return type_error("options", "an object {layout, channels, scale, mean, std}");
  std::string layout;
  HUABU_RETURN_IF_ERROR(read_optional(v, "layout", "options", &layout, read_string));
  if (!layout.empty()) {
    auto parsed = huabu::parse_tensor_layout(layout);
    if (!parsed.ok()) return parsed.status();
    o->layout = *parsed;
  }
  HUABU_RETURN_IF_ERROR(read_optional(v, "channels", "options", &o->channels, read_int));
  double scale = o->scale;
  HUABU_RETURN_IF_ERROR(read_optional(v, "scale", "options", &scale, read_number));
  o->scale = static_cast<float>(scale);
  HUABU_RETURN_IF_ERROR(read_optional(v, "mean", "options", &o->mean, read_float_list));
  HUABU_RETURN_IF_ERROR(read_optional(v, "std", "options", &o->std, read_float_list));
  return huabu::ok_status();
}

Status read_encode_options(const val& v, huabu::WebpEncodeOptions* o) {
  if (v.isUndefined()) return huabu::ok_status();
  if (!is_object(v)) return type_error("options", "an object {quality, lossless}");
  double quality = o->quality;
  HUABU_RETURN_IF_ERROR(read_optional(v, "quality", "options", &quality, read_number));
  o->quality = static_cast<float>(quality);
  return read_optional(v, "lossless", "options", &o->lossless, read_bool);
}

Status read_decode_limits(const val& v, huabu::WebpDecodeLimits* o) {
  if (v.isUndefined()) return huabu::ok_status();
  if (!is_object(v)) return type_error("limits", "an object {maxWidth, maxHeight, maxPixels}");
  HUABU_RETURN_IF_ERROR(read_optional(v, "maxWidth", "limits", &o->max_width, read_int));
  HUABU_RETURN_IF_ERROR(read_optional(v, "maxHeight", "limits", &o->max_height, read_int));
  double pixels = static_cast<double>(o->max_pixels);
  auto read_pixels = [](const val& x, const std::string& n, double* out) {
    return read_integer(x, n, -9007199254740991.0, 9007199254740991.0, out);
  };
  HUABU_RETURN_IF_ERROR(read_optional(v, "maxPixels", "limits", &pixels, read_pixels));
  o->max_pixels = static_cast<std::int64_t>(pixels);
  return huabu::ok_status();
}

Status read_tile(const val& v, huabu::Tile* t) {
  if (!is_object(v)) return type_error("tile", "an object {x, y, width, height}");
  HUABU_RETURN_IF_ERROR(read_int(v["x"], "tile.x", &t->x));
  HUABU_RETURN_IF_ERROR(read_int(v["y"], "tile.y", &t->y));
  HUABU_RETURN_IF_ERROR(read_int(v["width"], "tile.width", &t->width));
  return read_int(v["height"], "tile.height", &t->height);
}

// ---- writing JS values (always fresh copies, never views of the wasm heap) -----------------

template <typename T>
val copy_to_js(const char* type, const T* data, std::size_t n) {
  return val::global(type).new_(emscripten::typed_memory_view(n, data));
}

val image_to_js(const huabu::Image& image) {
  val r = val::object();
  r.set("width", image.width());
  r.set("height", image.height());
  r.set("data", copy_to_js("Uint8Array", image.data(), image.size_bytes()));
  return r;
}

val js_image_to_js(const JsImage& image) {
  val r = val::object();
  r.set("width", image.width);
  r.set("height", image.height);
  r.set("data", copy_to_js("Uint8Array", image.pixels.data.get(), image.pixels.size));
  return r;
}

val tile_to_js(const huabu::Tile& t) {
  val r = val::object();
  r.set("x", t.x);
  r.set("y", t.y);
  r.set("width", t.width);
  r.set("height", t.height);
  return r;
}

// ---- exports --------------------------------------------------------------------------------

std::string version() { return huabu::version(); }
double max_image_pixels() { return static_cast<double>(huabu::kMaxImagePixels); }

val resize(val image, val width, val height, val filter) {
  JsImage in;
  int w = 0, h = 0;
  std::string name;
  Status s = read_image(image, "image", &in);
  if (s.ok()) s = read_int(width, "width", &w);
  if (s.ok()) s = read_int(height, "height", &h);
  if (s.ok()) s = read_string(filter, "filter", &name);
  if (!s.ok()) return error_result(s);
  auto parsed = huabu::parse_resize_filter(name);
  if (!parsed.ok()) return error_result(parsed.status());
  return to_result(huabu::resize(in.view(), w, h, *parsed), image_to_js);
}

val crop(val image, val x, val y, val width, val height) {
  JsImage in;
  int cx = 0, cy = 0, cw = 0, ch = 0;
  Status s = read_image(image, "image", &in);
  if (s.ok()) s = read_int(x, "x", &cx);
  if (s.ok()) s = read_int(y, "y", &cy);
  if (s.ok()) s = read_int(width, "width", &cw);
  if (s.ok()) s = read_int(height, "height", &ch);
  if (!s.ok()) return error_result(s);
  return to_result(huabu::crop(in.view(), cx, cy, cw, ch), image_to_js);
}

template <Status (*Op)(huabu::MutableImageView)>
val in_place(val image) {
  JsImage in;
  Status s = read_image(image, "image", &in);
  if (s.ok()) s = Op(in.mutable_view());
  if (!s.ok()) return error_result(s);
  return ok_result(js_image_to_js(in));
}

val composite_over(val dst, val src, val x, val y) {
  JsImage d, sr;
  int ox = 0, oy = 0;
  Status s = read_image(dst, "dst", &d);
  if (s.ok()) s = read_image(src, "src", &sr);
  if (s.ok()) s = read_int(x, "x", &ox);
  if (s.ok()) s = read_int(y, "y", &oy);
  if (s.ok()) s = huabu::composite_over(d.mutable_view(), sr.view(), ox, oy);
  if (!s.ok()) return error_result(s);
  return ok_result(js_image_to_js(d));
}

val image_to_tensor(val image, val options) {
  JsImage in;
  huabu::TensorOptions o;
  Status s = read_image(image, "image", &in);
  if (s.ok()) s = read_tensor_options(options, &o);
  if (!s.ok()) return error_result(s);
  return to_result(huabu::image_to_tensor(in.view(), o), [](const std::vector<float>& t) {
    return copy_to_js("Float32Array", t.data(), t.size());
  });
}

val tensor_to_image(val data, val width, val height, val options) {
  HeapCopy<float> t;
  int w = 0, h = 0;
  huabu::TensorOptions o;
  Status s = read_typed_array(data, "data", "Float32Array", &t);
  if (s.ok()) s = read_int(width, "width", &w);
  if (s.ok()) s = read_int(height, "height", &h);
  if (s.ok()) s = read_tensor_options(options, &o);
  if (!s.ok()) return error_result(s);
  return to_result(huabu::tensor_to_image(t.span(), w, h, o), image_to_js);
}

val encode_webp(val image, val options) {
  JsImage in;
  huabu::WebpEncodeOptions o;
  Status s = read_image(image, "image", &in);
  if (s.ok()) s = read_encode_options(options, &o);
  if (!s.ok()) return error_result(s);
  return to_result(huabu::encode_webp(in.view(), o), [](const std::vector<std::uint8_t>& b) {
    return copy_to_js("Uint8Array", b.data(), b.size());
  });
}

val decode_webp(val bytes, val limits) {
  HeapCopy<std::uint8_t> b;
  huabu::WebpDecodeLimits l;
  Status s = read_typed_array(bytes, "bytes", "Uint8Array", &b);
  if (s.ok()) s = read_decode_limits(limits, &l);
  if (!s.ok()) return error_result(s);
  return to_result(huabu::decode_webp(b.span(), l), image_to_js);
}

// One-argument overloads: the options/limits are optional in the .d.ts, and Embind rejects
// calls whose argument count matches no registered overload.
val encode_webp_defaults(val image) { return encode_webp(std::move(image), val::undefined()); }
val decode_webp_defaults(val bytes) { return decode_webp(std::move(bytes), val::undefined()); }

val webp_info(val bytes) {
  HeapCopy<std::uint8_t> b;
  Status s = read_typed_array(bytes, "bytes", "Uint8Array", &b);
  if (!s.ok()) return error_result(s);
  return to_result(huabu::webp_info(b.span()), [](const huabu::WebpInfo& info) {
    val r = val::object();
    r.set("width", info.width);
    r.set("height", info.height);
    r.set("hasAlpha", info.has_alpha);
    r.set("hasAnimation", info.has_animation);
    return r;
  });
}

// (seedHi, seedLo, stream, count) -> seed = seedHi * 2^32 + seedLo.
Status read_philox_args(val seed_hi, val seed_lo, val stream, val count, std::uint64_t* seed,
                        std::uint32_t* stream_id, std::int64_t* n) {
  std::uint32_t hi = 0, lo = 0;
  double c = 0;
  HUABU_RETURN_IF_ERROR(read_u32(seed_hi, "seedHi", &hi));
  HUABU_RETURN_IF_ERROR(read_u32(seed_lo, "seedLo", &lo));
  HUABU_RETURN_IF_ERROR(read_u32(stream, "stream", stream_id));
  HUABU_RETURN_IF_ERROR(read_integer(count, "count", -9007199254740991.0, 9007199254740991.0, &c));
  *seed = (std::uint64_t{hi} << 32) | lo;
  *n = static_cast<std::int64_t>(c);
  return huabu::ok_status();
}

val philox_u32(val seed_hi, val seed_lo, val stream, val count) {
  std::uint64_t seed = 0;
  std::uint32_t id = 0;
  std::int64_t n = 0;
  Status s = read_philox_args(seed_hi, seed_lo, stream, count, &seed, &id, &n);
  if (!s.ok()) return error_result(s);
  return to_result(huabu::philox_u32(seed, id, n), [](const std::vector<std::uint32_t>& v) {
    return copy_to_js("Uint32Array", v.data(), v.size());
  });
}

val philox_normal(val seed_hi, val seed_lo, val stream, val count) {
  std::uint64_t seed = 0;
  std::uint32_t id = 0;
  std::int64_t n = 0;
  Status s = read_philox_args(seed_hi, seed_lo, stream, count, &seed, &id, &n);
  if (!s.ok()) return error_result(s);
  return to_result(huabu::philox_normal(seed, id, n), [](const std::vector<float>& v) {
    return copy_to_js("Float32Array", v.data(), v.size());
  });
}

val plan_tiles(val width, val height, val tile_size, val overlap) {
  int w = 0, h = 0, t = 0, o = 0;
  Status s = read_int(width, "width", &w);
  if (s.ok()) s = read_int(height, "height", &h);
  if (s.ok()) s = read_int(tile_size, "tileSize", &t);
  if (s.ok()) s = read_int(overlap, "overlap", &o);
  if (!s.ok()) return error_result(s);
  return to_result(huabu::plan_tiles(w, h, t, o), [](const std::vector<huabu::Tile>& tiles) {
    val list = val::array();
    for (const huabu::Tile& tile : tiles) list.call<void>("push", tile_to_js(tile));
    return list;
  });
}

// JS-visible TileStitcher (an Embind class: the caller must call .delete()).
class JsTileStitcher {
 public:
  explicit JsTileStitcher(huabu::TileStitcher impl) : impl_(std::move(impl)) {}

  val add(val tile, val output) {
    huabu::Tile t;
    JsImage out;
    Status s = read_tile(tile, &t);
    if (s.ok()) s = read_image(output, "output", &out);
    if (s.ok()) s = impl_.add(t, out.view());
    if (!s.ok()) return error_result(s);
    return ok_result(val::null());
  }

  val finish() { return to_result(impl_.finish(), image_to_js); }

 private:
  huabu::TileStitcher impl_;
};

val create_tile_stitcher(val width, val height, val scale, val overlap) {
  int w = 0, h = 0, sc = 0, o = 0;
  Status s = read_int(width, "width", &w);
  if (s.ok()) s = read_int(height, "height", &h);
  if (s.ok()) s = read_int(scale, "scale", &sc);
  if (s.ok()) s = read_int(overlap, "overlap", &o);
  if (!s.ok()) return error_result(s);
  auto made = huabu::TileStitcher::create(w, h, sc, o);
  if (!made.ok()) return error_result(made.status());
  return ok_result(val(JsTileStitcher(std::move(made).value())));
}

// ---- text -> image --------------------------------------------------------------------------

// Text for the tokenizer. Embind's UTF-8 conversion pairs a lone surrogate with whatever
// follows, silently changing the text, so such strings are refused here.
Status read_text(const val& v, const std::string& name, std::string* out) {
  HUABU_RETURN_IF_ERROR(read_string(v, name, out));
  if (!v["isWellFormed"].isUndefined() && !v.call<bool>("isWellFormed")) {
    return huabu::invalid_argument(name + " contains a lone UTF-16 surrogate, which is not valid UTF-8 text");
  }
  return huabu::ok_status();
}

Status read_string_list(const val& v, const std::string& name, std::vector<std::string>* out) {
  if (!v.isArray()) return type_error(name, "an array of strings");
  const int n = v["length"].as<int>();
  out->reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    std::string s;
    HUABU_RETURN_IF_ERROR(read_string(v[i], name + "[" + std::to_string(i) + "]", &s));
    out->push_back(std::move(s));
  }
  return huabu::ok_status();
}

// {phrase: "english words"} in Object.entries order (the reference tokenizer's order).
Status read_string_record(const val& v, const std::string& name, std::vector<std::pair<std::string, std::string>>* out) {
  if (!is_object(v) || v.isArray()) return type_error(name, "an object {phrase: words}");
  const val entries = val::global("Object").call<val>("entries", v);
  const int n = entries["length"].as<int>();
  out->reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    std::string key = entries[i][0].as<std::string>(), value;
    HUABU_RETURN_IF_ERROR(read_string(entries[i][1], name + "[\"" + key + "\"]", &value));
    out->emplace_back(std::move(key), std::move(value));
  }
  return huabu::ok_status();
}

// A u64 seed: a BigInt, a decimal string, or a safe non-negative integer number.
Status read_seed(const val& v, const std::string& name, std::uint64_t* out) {
  std::string text;
  if (v.typeOf().as<std::string>() == "bigint" || v.isString()) {
    text = v.call<std::string>("toString");
  } else {
    double d = 0;
    HUABU_RETURN_IF_ERROR(read_integer(v, name, 0.0, 9007199254740991.0, &d));
    text = std::to_string(static_cast<std::uint64_t>(d));
  }
  auto parsed = huabu::parse_seed(text);
  if (!parsed.ok()) return parsed.status();
  *out = *parsed;
  return huabu::ok_status();
}

Status read_sampler(const val& v, const std::string& name, huabu::FlowSampler* out) {
  std::string s;
  HUABU_RETURN_IF_ERROR(read_string(v, name, &s));
  auto parsed = huabu::parse_flow_sampler(s);
  if (!parsed.ok()) return parsed.status();
  *out = *parsed;
  return huabu::ok_status();
}

Status read_float_array(const val& v, const std::string& name, std::vector<float>* out) {
  HeapCopy<float> copy;
  HUABU_RETURN_IF_ERROR(read_typed_array(v, name, "Float32Array", &copy));
  out->assign(copy.data.get(), copy.data.get() + copy.size);
  return huabu::ok_status();
}

Status read_text_to_image_request(const val& v, huabu::TextToImageRequest* r) {
  if (!is_object(v)) return type_error("request", "an object {prompt, style, seed, count, steps, ...}");
  HUABU_RETURN_IF_ERROR(read_text(v["prompt"], "request.prompt", &r->prompt));
  HUABU_RETURN_IF_ERROR(read_optional(v, "style", "request", &r->style, read_int));
  HUABU_RETURN_IF_ERROR(read_optional(v, "seed", "request", &r->seed, read_seed));
  HUABU_RETURN_IF_ERROR(read_optional(v, "count", "request", &r->count, read_int));
  HUABU_RETURN_IF_ERROR(read_optional(v, "steps", "request", &r->steps, read_int));
  HUABU_RETURN_IF_ERROR(read_optional(v, "guidance", "request", &r->guidance, read_number));
  HUABU_RETURN_IF_ERROR(read_optional(v, "guidanceAbove", "request", &r->guidance_above, read_number));
  HUABU_RETURN_IF_ERROR(read_optional(v, "sampler", "request", &r->sampler, read_sampler));
  HUABU_RETURN_IF_ERROR(read_optional(v, "shift", "request", &r->shift, read_number));
  HUABU_RETURN_IF_ERROR(read_optional(v, "previewEvery", "request", &r->preview_every, read_int));
  HUABU_RETURN_IF_ERROR(read_optional(v, "initImage", "request", &r->init_image, read_float_array));
  HUABU_RETURN_IF_ERROR(read_optional(v, "strength", "request", &r->strength, read_number));
  return read_optional(v, "mask", "request", &r->mask, read_float_array);
}

// {dtype, shape, data} (data: Float32Array for float32, BigInt64Array for int64).
Status read_model_tensor(const val& v, const std::string& name, huabu::ModelTensor* t) {
  if (!is_object(v)) return type_error(name, "an object {dtype, shape, data}");
  t->name = name;
  std::string dtype;
  HUABU_RETURN_IF_ERROR(read_string(v["dtype"], name + ".dtype", &dtype));
  auto parsed = huabu::parse_tensor_dtype(dtype);
  if (!parsed.ok()) return parsed.status();
  t->dtype = *parsed;
  const val shape = v["shape"];
  if (!shape.isArray()) return type_error(name + ".shape", "an array of integers");
  for (int i = 0, n = shape["length"].as<int>(); i < n; ++i) {
    double d = 0;
    HUABU_RETURN_IF_ERROR(read_integer(shape[i], name + ".shape[" + std::to_string(i) + "]", 0.0, 2147483647.0, &d));
    t->shape.push_back(static_cast<std::int64_t>(d));
  }
  if (t->dtype == huabu::TensorDtype::kFloat32) return read_float_array(v["data"], name + ".data", &t->f32);
  const val data = v["data"];
  if (!is_object(data) || !data.instanceof(val::global("BigInt64Array"))) return type_error(name + ".data", "a BigInt64Array");
  // int64 crosses as pairs of little-endian 32-bit words (no BigInt support in this Embind).
  const val words = val::global("Int32Array").new_(data["buffer"], data["byteOffset"], data["length"].as<int>() * 2);
  HeapCopy<std::int32_t> copy;
  HUABU_RETURN_IF_ERROR(read_typed_array(words, name + ".data", "Int32Array", &copy));
  t->i64.resize(copy.size / 2);
  std::memcpy(t->i64.data(), copy.data.get(), t->i64.size() * sizeof(std::int64_t));
  return huabu::ok_status();
}

val model_tensor_to_js(const huabu::ModelTensor& t) {
  val r = val::object();
  r.set("dtype", std::string(huabu::tensor_dtype_name(t.dtype)));
  val shape = val::array();
  for (std::int64_t d : t.shape) shape.call<void>("push", static_cast<double>(d));
  r.set("shape", shape);
  if (t.dtype == huabu::TensorDtype::kFloat32) {
    r.set("data", copy_to_js("Float32Array", t.f32.data(), t.f32.size()));
  } else {
    const val words = copy_to_js("Int32Array", reinterpret_cast<const std::int32_t*>(t.i64.data()), t.i64.size() * 2);
    r.set("data", val::global("BigInt64Array").new_(words["buffer"]));
  }
  return r;
}

val action_to_js(const huabu::PipelineAction& a, const huabu::FlowModelSpec& spec) {
  using Kind = huabu::PipelineAction::Kind;
  val r = val::object();
  r.set("kind", std::string(a.kind == Kind::kRunModel ? "run" : a.kind == Kind::kPreview ? "preview" : "done"));
  r.set("step", a.step);
  r.set("steps", a.steps);
  if (a.kind == Kind::kRunModel) {
    r.set("model", a.model);
    r.set("output", a.output);
    val inputs = val::object();
    for (const huabu::ModelTensor& t : a.inputs) inputs.set(t.name, model_tensor_to_js(t));
    r.set("inputs", inputs);
  } else {
    r.set("count", static_cast<int>(a.images.size() / (static_cast<std::size_t>(spec.channels) * spec.size * spec.size)));
    r.set("channels", spec.channels);
    r.set("width", spec.size);
    r.set("height", spec.size);
    r.set("images", copy_to_js("Float32Array", a.images.data(), a.images.size()));
  }
  return r;
}

// JS-visible tokenizer and pipeline (Embind classes: the caller must call .delete()).
class JsWordTokenizer {
 public:
  explicit JsWordTokenizer(huabu::WordTokenizer impl) : impl_(std::move(impl)) {}

  val encode(val text, val max_len) {
    std::string s;
    int n = 0;
    Status st = read_text(text, "text", &s);
    if (st.ok()) st = read_int(max_len, "maxLen", &n);
    if (!st.ok()) return error_result(st);
    return to_result(impl_.encode(s, n), [](const std::vector<std::int64_t>& ids) {
      return model_tensor_to_js({"ids", huabu::TensorDtype::kInt64, {static_cast<std::int64_t>(ids.size())}, {}, ids})["data"];
    });
  }

  val to_words(val text) {
    std::string s;
    Status st = read_text(text, "text", &s);
    if (!st.ok()) return error_result(st);
    return to_result(impl_.to_words(s), [](const std::vector<std::string>& words) {
      val list = val::array();
      for (const std::string& w : words) list.call<void>("push", w);
      return list;
    });
  }

  const huabu::WordTokenizer& impl() const { return impl_; }

 private:
  huabu::WordTokenizer impl_;
};

val create_word_tokenizer(val words, val zh) {
  std::vector<std::string> w;
  std::vector<std::pair<std::string, std::string>> z;
  Status s = read_string_list(words, "words", &w);
  if (s.ok()) s = read_string_record(zh, "zh", &z);
  if (!s.ok()) return error_result(s);
  auto made = huabu::WordTokenizer::create(w, z);
  if (!made.ok()) return error_result(made.status());
  return ok_result(val(JsWordTokenizer(std::move(made).value())));
}

// CLIP's BPE tokenizer (diffusers-layout models): files as text or raw bytes.
Status read_file_text(const val& v, const std::string& name, std::string* out) {
  if (v.isString()) return read_text(v, name, out);
  HeapCopy<std::uint8_t> bytes;
  HUABU_RETURN_IF_ERROR(read_typed_array(v, name, "Uint8Array", &bytes));
  out->assign(reinterpret_cast<const char*>(bytes.data.get()), bytes.size);
  return huabu::ok_status();
}

val ids_to_js(const std::vector<std::int64_t>& ids) {
  return model_tensor_to_js({"ids", huabu::TensorDtype::kInt64, {static_cast<std::int64_t>(ids.size())}, {}, ids})["data"];
}

class JsClipTokenizer {
 public:
  explicit JsClipTokenizer(huabu::ClipTokenizer impl) : impl_(std::move(impl)) {}

  val encode(val text) { return run(text, &huabu::ClipTokenizer::encode); }
  val tokenize(val text) { return run(text, &huabu::ClipTokenizer::tokenize); }
  huabu::ClipTokenizer& impl() { return impl_; }

 private:
  template <typename Method>
  val run(const val& text, Method method) {
    std::string s;
    Status st = read_text(text, "text", &s);
    if (!st.ok()) return error_result(st);
    return to_result((impl_.*method)(s), ids_to_js);
  }

  huabu::ClipTokenizer impl_;
};

val create_clip_tokenizer(val vocab_json, val merges_txt, val options) {
  std::string vocab, merges;
  huabu::ClipTokenizerOptions o;
  Status s = read_file_text(vocab_json, "vocabJson", &vocab);
  if (s.ok()) s = read_file_text(merges_txt, "mergesTxt", &merges);
  if (s.ok() && !options.isUndefined()) {
    if (!is_object(options)) s = type_error("options", "an object {maxLength, padToken}");
    if (s.ok()) s = read_optional(options, "maxLength", "options", &o.max_length, read_int);
    if (s.ok()) s = read_optional(options, "padToken", "options", &o.pad_token, read_text);
  }
  if (!s.ok()) return error_result(s);
  auto made = huabu::ClipTokenizer::create(vocab, merges, o);
  if (!made.ok()) return error_result(made.status());
  return ok_result(val(JsClipTokenizer(std::move(made).value())));
}

val create_clip_tokenizer_defaults(val vocab_json, val merges_txt) {
  return create_clip_tokenizer(std::move(vocab_json), std::move(merges_txt), val::undefined());
}

class JsTextToImage {
 public:
  explicit JsTextToImage(huabu::TextToImagePipeline impl) : impl_(std::move(impl)) {}

  val next() {
    auto action = impl_.next();
    if (!action.ok()) return error_result(action.status());
    return ok_result(action_to_js(*action, impl_.spec()));
  }

  val provide(val outputs) {
    if (!is_object(outputs)) return error_result(type_error("outputs", "an object {name: {dtype, shape, data}}"));
    std::vector<huabu::ModelTensor> tensors;
    const val names = val::global("Object").call<val>("keys", outputs);
    for (int i = 0, n = names["length"].as<int>(); i < n; ++i) {
      const std::string name = names[i].as<std::string>();
      tensors.emplace_back();
      Status s = read_model_tensor(outputs[name], name, &tensors.back());
      if (!s.ok()) return error_result(s);
    }
    Status s = impl_.provide(tensors);
    if (!s.ok()) return error_result(s);
    return ok_result(val::null());
  }

  void cancel() { impl_.cancel(); }

 private:
  huabu::TextToImagePipeline impl_;
};

val create_text_to_image(val tokenizer, val request) {
  huabu::TextToImageRequest r;
  if (!is_object(tokenizer) || !tokenizer.instanceof(val::module_property("WordTokenizer"))) {
    return error_result(type_error("tokenizer", "a WordTokenizer from createWordTokenizer"));
  }
  Status s = read_text_to_image_request(request, &r);
  if (!s.ok()) return error_result(s);
  const JsWordTokenizer* tok = tokenizer.as<JsWordTokenizer*>(emscripten::allow_raw_pointers());
  auto made = huabu::TextToImagePipeline::create(tok->impl(), std::move(r));
  if (!made.ok()) return error_result(made.status());
  return ok_result(val(JsTextToImage(std::move(made).value())));
}

// ---- diffusers-layout models (huabu/diffusers_pipeline.h) ----------------------------------

// A config member (from a parsed JSON file): absent or null keeps the default.
template <typename T, typename Reader>
Status read_config(const val& object, const char* key, const std::string& prefix, T* out, Reader reader) {
  if (object[key].isNull()) return huabu::ok_status();
  return read_optional(object, key, prefix, out, reader);
}

// [{name, dtype, shape}]: shape entries are integers, -1 for a symbolic dimension.
Status read_graph_ports(const val& v, const std::string& name, std::vector<huabu::GraphPort>* out) {
  if (!v.isArray()) return type_error(name, "an array of {name, dtype, shape}");
  for (int i = 0, n = v["length"].as<int>(); i < n; ++i) {
    const std::string at = name + "[" + std::to_string(i) + "]";
    const val p = v[i];
    if (!is_object(p)) return type_error(at, "an object {name, dtype, shape}");
    huabu::GraphPort port;
    HUABU_RETURN_IF_ERROR(read_string(p["name"], at + ".name", &port.name));
    HUABU_RETURN_IF_ERROR(read_string(p["dtype"], at + ".dtype", &port.dtype));
    const val shape = p["shape"];
    if (!shape.isArray()) return type_error(at + ".shape", "an array of integers (-1: symbolic)");
    for (int k = 0, m = shape["length"].as<int>(); k < m; ++k) {
      double d = 0;
      HUABU_RETURN_IF_ERROR(read_integer(shape[k], at + ".shape[" + std::to_string(k) + "]", -1.0, 2147483647.0, &d));
      port.shape.push_back(static_cast<std::int64_t>(d));
    }
    out->push_back(std::move(port));
  }
  return huabu::ok_status();
}

Status read_graph_signature(const val& v, const std::string& name, huabu::GraphSignature* out) {
  if (!is_object(v)) return type_error(name, "an object {inputs, outputs}");
  HUABU_RETURN_IF_ERROR(read_graph_ports(v["inputs"], name + ".inputs", &out->inputs));
  return read_graph_ports(v["outputs"], name + ".outputs", &out->outputs);
}

Status read_spacing(const val& v, const std::string& name, huabu::TimestepSpacing* out) {
  std::string s;
  HUABU_RETURN_IF_ERROR(read_string(v, name, &s));
  auto parsed = huabu::parse_timestep_spacing(s);
  if (!parsed.ok()) return parsed.status();
  *out = *parsed;
  return huabu::ok_status();
}

// scheduler_config.json as parsed, with diffusers' key names.
Status read_scheduler_config(const val& v, huabu::SchedulerConfig* s) {
  const std::string at = "scheduler_config.json";
  if (!is_object(v) || v.isArray()) return type_error(at, "an object");
  HUABU_RETURN_IF_ERROR(read_config(v, "_class_name", at, &s->class_name, read_string));
  HUABU_RETURN_IF_ERROR(read_config(v, "num_train_timesteps", at, &s->schedule.train_steps, read_int));
  HUABU_RETURN_IF_ERROR(read_config(v, "beta_start", at, &s->schedule.beta_start, read_number));
  HUABU_RETURN_IF_ERROR(read_config(v, "beta_end", at, &s->schedule.beta_end, read_number));
  HUABU_RETURN_IF_ERROR(read_config(v, "beta_schedule", at, &s->beta_schedule, read_string));
  HUABU_RETURN_IF_ERROR(read_config(v, "timestep_spacing", at, &s->spacing, read_spacing));
  HUABU_RETURN_IF_ERROR(read_config(v, "steps_offset", at, &s->steps_offset, read_int));
  HUABU_RETURN_IF_ERROR(read_config(v, "set_alpha_to_one", at, &s->set_alpha_to_one, read_bool));
  HUABU_RETURN_IF_ERROR(read_config(v, "prediction_type", at, &s->prediction_type, read_string));
  HUABU_RETURN_IF_ERROR(read_config(v, "original_inference_steps", at, &s->original_inference_steps, read_int));
  HUABU_RETURN_IF_ERROR(read_config(v, "use_karras_sigmas", at, &s->karras_sigmas, read_bool));
  if (!v["trained_betas"].isUndefined() && !v["trained_betas"].isNull()) {
    return huabu::unsupported(at + ".trained_betas is not supported (scaled_linear betas only)");
  }
  return huabu::ok_status();
}

// The VAE's config.json as parsed (optional): scaling_factor, block_out_channels.
Status read_vae_config(const val& v, huabu::VaeConfig* c) {
  const std::string at = "vae_decoder/config.json";
  if (v.isUndefined() || v.isNull()) return huabu::ok_status();
  if (!is_object(v) || v.isArray()) return type_error(at, "an object");
  HUABU_RETURN_IF_ERROR(read_config(v, "scaling_factor", at, &c->scaling_factor, read_number));
  const val blocks = v["block_out_channels"];
  if (blocks.isUndefined() || blocks.isNull()) return huabu::ok_status();
  if (!blocks.isArray()) return type_error(at + ".block_out_channels", "an array");
  const int n = blocks["length"].as<int>();
  if (n < 1 || n > 7) return huabu::invalid_argument(at + ".block_out_channels must have 1..7 entries");
  c->scale = 1 << (n - 1);  // each block but the last upsamples x2
  return huabu::ok_status();
}

// {graphs: {text_encoder, unet, vae_decoder}, scheduler, vae?}
Status read_diffusers_model(const val& v, huabu::DiffusersModel* out) {
  if (!is_object(v)) return type_error("model", "an object {graphs, scheduler, vae}");
  const val graphs = v["graphs"];
  if (!is_object(graphs)) return type_error("model.graphs", "an object {text_encoder, unet, vae_decoder}");
  huabu::DiffusersGraphs g;
  HUABU_RETURN_IF_ERROR(read_graph_signature(graphs["text_encoder"], "model.graphs.text_encoder", &g.text_encoder));
  HUABU_RETURN_IF_ERROR(read_graph_signature(graphs["unet"], "model.graphs.unet", &g.unet));
  HUABU_RETURN_IF_ERROR(read_graph_signature(graphs["vae_decoder"], "model.graphs.vae_decoder", &g.vae_decoder));
  huabu::SchedulerConfig s;
  HUABU_RETURN_IF_ERROR(read_scheduler_config(v["scheduler"], &s));
  huabu::VaeConfig vae;
  HUABU_RETURN_IF_ERROR(read_vae_config(v["vae"], &vae));
  auto validated = huabu::validate_diffusers_model(std::move(g), std::move(s), vae);
  if (!validated.ok()) return validated.status();
  *out = std::move(validated).value();
  return huabu::ok_status();
}

val validate_diffusers_model(val model) {
  huabu::DiffusersModel m;
  Status s = read_diffusers_model(model, &m);
  if (!s.ok()) return error_result(s);
  val r = val::object();
  r.set("hidden", m.hidden);
  r.set("latentChannels", m.latent_channels);
  r.set("latentHeight", m.latent_height);
  r.set("latentWidth", m.latent_width);
  r.set("tokens", m.tokens);
  r.set("unetBatch", m.unet_batch);
  r.set("vaeScale", m.vae.scale);
  r.set("scalingFactor", m.vae.scaling_factor);
  r.set("defaultSampler", std::string(huabu::diffusers_sampler_name(huabu::default_diffusers_sampler(m.scheduler.class_name))));
  return ok_result(r);
}

Status read_diffusers_sampler(const val& v, const std::string& name, std::optional<huabu::DiffusersSampler>* out) {
  std::string s;
  HUABU_RETURN_IF_ERROR(read_string(v, name, &s));
  auto parsed = huabu::parse_diffusers_sampler(s);
  if (!parsed.ok()) return parsed.status();
  *out = *parsed;
  return huabu::ok_status();
}

Status read_diffusers_request(const val& v, huabu::DiffusersRequest* r) {
  if (!is_object(v)) return type_error("request", "an object {prompt, negativePrompt, seed, count, steps, ...}");
  HUABU_RETURN_IF_ERROR(read_text(v["prompt"], "request.prompt", &r->prompt));
  HUABU_RETURN_IF_ERROR(read_optional(v, "negativePrompt", "request", &r->negative_prompt, read_text));
  HUABU_RETURN_IF_ERROR(read_optional(v, "seed", "request", &r->seed, read_seed));
  HUABU_RETURN_IF_ERROR(read_optional(v, "count", "request", &r->count, read_int));
  HUABU_RETURN_IF_ERROR(read_optional(v, "steps", "request", &r->steps, read_int));
  HUABU_RETURN_IF_ERROR(read_optional(v, "guidance", "request", &r->guidance, read_number));
  HUABU_RETURN_IF_ERROR(read_optional(v, "sampler", "request", &r->sampler, read_diffusers_sampler));
  HUABU_RETURN_IF_ERROR(read_optional(v, "width", "request", &r->width, read_int));
  return read_optional(v, "height", "request", &r->height, read_int);
}

class JsDiffusersTextToImage {
 public:
  explicit JsDiffusersTextToImage(huabu::DiffusersTextToImage impl) : impl_(std::move(impl)) {}

  // As the text -> image pipeline's actions; run inputs also carry graphDtype (what the graph
  // declares: the runner narrows float32 -> float16, int64 -> int32).
  val next() {
    using Kind = huabu::PipelineAction::Kind;
    auto action = impl_.next();
    if (!action.ok()) return error_result(action.status());
    const huabu::PipelineAction& a = *action;
    val r = val::object();
    r.set("kind", std::string(a.kind == Kind::kRunModel ? "run" : "done"));
    r.set("step", a.step);
    r.set("steps", a.steps);
    if (a.kind == Kind::kRunModel) {
      r.set("model", a.model);
      r.set("output", a.output);
      val inputs = val::object();
      for (const huabu::ModelTensor& t : a.inputs) {
        val tensor = model_tensor_to_js(t);
        tensor.set("graphDtype", impl_.input_dtype(a.model, t.name));
        inputs.set(t.name, tensor);
      }
      r.set("inputs", inputs);
    } else {
      r.set("count", impl_.count());
      r.set("channels", 3);
      r.set("width", impl_.width());
      r.set("height", impl_.height());
      r.set("images", copy_to_js("Float32Array", a.images.data(), a.images.size()));
    }
    return ok_result(r);
  }

  val provide(val outputs) {
    if (!is_object(outputs)) return error_result(type_error("outputs", "an object {name: {dtype, shape, data}}"));
    std::vector<huabu::ModelTensor> tensors;
    const val names = val::global("Object").call<val>("keys", outputs);
    for (int i = 0, n = names["length"].as<int>(); i < n; ++i) {
      const std::string name = names[i].as<std::string>();
      tensors.emplace_back();
      Status s = read_model_tensor(outputs[name], name, &tensors.back());
      if (!s.ok()) return error_result(s);
    }
    Status s = impl_.provide(tensors);
    if (!s.ok()) return error_result(s);
    return ok_result(val::null());
  }

  // {sampler, width, height, count, steps}: what this request will run.
  val info() const {
    val r = val::object();
    r.set("sampler", std::string(huabu::diffusers_sampler_name(impl_.sampler())));
    r.set("width", impl_.width());
    r.set("height", impl_.height());
    r.set("count", impl_.count());
    r.set("steps", impl_.total_steps());
    return r;
  }

  void cancel() { impl_.cancel(); }

 private:
  huabu::DiffusersTextToImage impl_;
};

val create_diffusers_text_to_image(val tokenizer, val model, val request) {
  if (!is_object(tokenizer) || !tokenizer.instanceof(val::module_property("ClipTokenizer"))) {
    return error_result(type_error("tokenizer", "a ClipTokenizer from createClipTokenizer"));
  }
  huabu::DiffusersModel m;
  huabu::DiffusersRequest r;
  Status s = read_diffusers_model(model, &m);
  if (s.ok()) s = read_diffusers_request(request, &r);
  if (!s.ok()) return error_result(s);
  JsClipTokenizer* tok = tokenizer.as<JsClipTokenizer*>(emscripten::allow_raw_pointers());
  auto made = huabu::DiffusersTextToImage::create(tok->impl(), std::move(m), std::move(r));
  if (!made.ok()) return error_result(made.status());
  return ok_result(val(JsDiffusersTextToImage(std::move(made).value())));
}

// ---- sketch input (huabu/sketch_input.h) ---------------------------------------------------

val sketch_input(val image, val options) {
  JsImage in;
  huabu::SketchInputOptions o;
  Status s = read_image(image, "image", &in);
  if (s.ok() && !options.isUndefined()) {
    if (!is_object(options)) s = type_error("options", "an object {size, margin, inkLevel, channels}");
    if (s.ok()) s = read_optional(options, "size", "options", &o.size, read_int);
    if (s.ok()) s = read_optional(options, "margin", "options", &o.margin, read_number);
    if (s.ok()) s = read_optional(options, "inkLevel", "options", &o.ink_level, read_number);
    if (s.ok()) s = read_optional(options, "channels", "options", &o.channels, read_int);
  }
  if (!s.ok()) return error_result(s);
  return to_result(huabu::sketch_to_input(in.view(), o), [](const huabu::SketchInput& r) {
    val frame = val::object();
    frame.set("x", r.frame.x);
    frame.set("y", r.frame.y);
    frame.set("side", r.frame.side);
    val out = val::object();
    out.set("values", copy_to_js("Float32Array", r.values.data(), r.values.size()));
    out.set("frame", frame);
    return out;
  });
}

val sketch_input_defaults(val image) { return sketch_input(std::move(image), val::undefined()); }

// ---- stylisation and colour tools (huabu/stylize.h) -----------------------------------------

val style_ops() {
  val list = val::array();
  for (const huabu::StyleOp& op : huabu::style_ops()) {
    val params = val::array();
    for (const huabu::StyleParam& p : op.params) {
      val param = val::object();
      param.set("name", std::string(p.name));
      param.set("min", p.min);
      param.set("max", p.max);
      param.set("default", p.default_value);
      param.set("integer", p.integer);
      param.set("help", std::string(p.help));
      params.call<void>("push", param);
    }
    val entry = val::object();
    entry.set("name", std::string(op.name));
    entry.set("summary", std::string(op.summary));
    entry.set("params", params);
    entry.set("rowLocal", op.row_local);
    list.call<void>("push", entry);
  }
  return list;
}

// {name: number, ...}; the core checks the names and ranges.
Status read_style_params(const val& v, std::vector<huabu::StyleParamValue>* out) {
  if (v.isUndefined()) return huabu::ok_status();
  if (!is_object(v)) return type_error("params", "an object {name: number}");
  const val keys = val::global("Object").call<val>("keys", v);
  const int n = keys["length"].as<int>();
  for (int i = 0; i < n; ++i) {
    const std::string key = keys[i].as<std::string>();
    double value = 0;
    HUABU_RETURN_IF_ERROR(read_number(v[key], "params." + key, &value));
    out->push_back({key, value});
  }
  return huabu::ok_status();
}

// A JS progress callback: called with the fraction done; returning false cancels.
Status read_progress(const val& v, huabu::StyleOptions* options) {
  if (v.isUndefined() || v.isNull()) return huabu::ok_status();
  if (v.typeOf().as<std::string>() != "function") return type_error("onProgress", "a function");
  options->progress = [v](double fraction) {
    const val keep_going = v(fraction);
    return !(keep_going.typeOf().as<std::string>() == "boolean" && !keep_going.as<bool>());
  };
  return huabu::ok_status();
}

// {first, count}: only those output rows (StyleOptions::first_row / row_count; count 0 = to
// the end), so band workers can each make part of a row-local operation's result.
Status read_rows(const val& v, huabu::StyleOptions* o) {
  if (v.isUndefined()) return huabu::ok_status();
  if (!is_object(v)) return type_error("rows", "an object {first, count}");
  HUABU_RETURN_IF_ERROR(read_int(v["first"], "rows.first", &o->first_row));
  return read_int(v["count"], "rows.count", &o->row_count);
}

val stylize_rows(val image, val op, val params, val on_progress, val rows) {
  JsImage in;
  std::string name;
  std::vector<huabu::StyleParamValue> values;
  huabu::StyleOptions options;
  Status s = read_image(image, "image", &in);
  if (s.ok()) s = read_string(op, "op", &name);
  if (s.ok()) s = read_style_params(params, &values);
  if (s.ok()) s = read_progress(on_progress, &options);
  if (s.ok()) s = read_rows(rows, &options);
  if (!s.ok()) return error_result(s);
  return to_result(huabu::stylize(in.view(), name, values, options), image_to_js);
}

val stylize(val image, val op, val params, val on_progress) {
  return stylize_rows(std::move(image), std::move(op), std::move(params), std::move(on_progress), val::undefined());
}

val stylize_no_progress(val image, val op, val params) {
  return stylize(std::move(image), std::move(op), std::move(params), val::undefined());
}

// Colours as one Uint8Array of r, g, b triples.
val palette_to_js(const std::vector<huabu::Rgb8>& palette) {
  std::vector<std::uint8_t> bytes;
  for (const huabu::Rgb8& c : palette) bytes.insert(bytes.end(), {c.r, c.g, c.b});
  return copy_to_js("Uint8Array", bytes.data(), bytes.size());
}

// Streams the image through a 256 KB band buffer instead of copying all of it into the heap:
// a third less time at 1 MP, and a 64 MP image needs no 256 MB copy.
val extract_palette(val image, val colors) {
  int width = 0, height = 0, n = 0;
  val data = val::undefined();
  Status s = read_image_header(image, "image", &width, &height, &data);
  if (s.ok()) s = read_int(colors, "colors", &n);
  if (s.ok()) s = huabu::check_palette_colors(n);
  if (!s.ok()) return error_result(s);
  auto builder = huabu::PaletteBuilder::create();
  if (!builder.ok()) return error_result(builder.status());
  const std::size_t row_bytes = static_cast<std::size_t>(width) * 4;
  const int band_rows = static_cast<int>(std::max<std::size_t>(1, (256 * 1024) / row_bytes));
  HeapCopy<std::uint8_t> band;
  s = allocate(row_bytes * std::min(band_rows, height), "image band", &band);
  if (!s.ok()) return error_result(s);
  for (int y = 0; y < height && s.ok(); y += band_rows) {
    const int rows = std::min(band_rows, height - y);
    const std::size_t bytes = row_bytes * rows;
    const val part = data.call<val>("subarray", row_bytes * y, row_bytes * y + bytes);
    val(emscripten::typed_memory_view(bytes, band.data.get())).call<void>("set", part);
    s = builder->add(huabu::ImageView(band.data.get(), width, rows, huabu::PixelFormat::kRgba8));
  }
  if (!s.ok()) return error_result(s);
  return to_result(builder->finish(n), palette_to_js);
}

val quantize(val image, val palette, val dither) {
  JsImage in;
  HeapCopy<std::uint8_t> bytes;
  std::string dither_name;
  Status s = read_image(image, "image", &in);
  if (s.ok()) s = read_typed_array(palette, "palette", "Uint8Array", &bytes);
  if (s.ok() && bytes.size % 3 != 0) {
    s = huabu::invalid_argument("palette has " + std::to_string(bytes.size) + " bytes, expected r, g, b triples");
  }
  if (s.ok()) s = read_string(dither, "dither", &dither_name);
  if (!s.ok()) return error_result(s);
  auto parsed = huabu::parse_dither(dither_name);
  if (!parsed.ok()) return error_result(parsed.status());
  std::vector<huabu::Rgb8> colors(bytes.size / 3);
  for (std::size_t i = 0; i < colors.size(); ++i) {
    colors[i] = {bytes.data[3 * i], bytes.data[3 * i + 1], bytes.data[3 * i + 2]};
  }
  return to_result(huabu::quantize_to_palette(in.view(), colors, *parsed), image_to_js);
}

val color_transfer(val image, val reference, val strength) {
  JsImage in, ref;
  double t = 0;
  Status s = read_image(image, "image", &in);
  if (s.ok()) s = read_image(reference, "reference", &ref);
  if (s.ok()) s = read_number(strength, "strength", &t);
  if (!s.ok()) return error_result(s);
  return to_result(huabu::color_transfer(in.view(), ref.view(), t), image_to_js);
}

}  // namespace

EMSCRIPTEN_BINDINGS(huabu_core) {
  namespace em = emscripten;
  em::function("version", &version);
  em::function("maxImagePixels", &max_image_pixels);

  em::function("resize", &resize);
  em::function("crop", &crop);
  em::function("premultiply", &in_place<huabu::premultiply_in_place>);
  em::function("unpremultiply", &in_place<huabu::unpremultiply_in_place>);
  em::function("compositeOver", &composite_over);

  em::function("imageToTensor", &image_to_tensor);
  em::function("tensorToImage", &tensor_to_image);

  em::function("encodeWebp", &encode_webp);
  em::function("encodeWebp", &encode_webp_defaults);
  em::function("decodeWebp", &decode_webp);
  em::function("decodeWebp", &decode_webp_defaults);
  em::function("webpInfo", &webp_info);

  em::function("philoxU32", &philox_u32);
  em::function("philoxNormal", &philox_normal);

  em::function("planTiles", &plan_tiles);
  em::class_<JsTileStitcher>("TileStitcher")
      .function("add", &JsTileStitcher::add)
      .function("finish", &JsTileStitcher::finish);
  em::function("createTileStitcher", &create_tile_stitcher);

  em::class_<JsWordTokenizer>("WordTokenizer")
      .function("encode", &JsWordTokenizer::encode)
      .function("toWords", &JsWordTokenizer::to_words);
  em::function("createWordTokenizer", &create_word_tokenizer);
  em::class_<JsClipTokenizer>("ClipTokenizer")
      .function("encode", &JsClipTokenizer::encode)
      .function("tokenize", &JsClipTokenizer::tokenize);
  em::function("createClipTokenizer", &create_clip_tokenizer);
  em::function("createClipTokenizer", &create_clip_tokenizer_defaults);
  em::class_<JsTextToImage>("TextToImagePipeline")
      .function("next", &JsTextToImage::next)
      .function("provide", &JsTextToImage::provide)
      .function("cancel", &JsTextToImage::cancel);
  em::function("createTextToImage", &create_text_to_image);
  em::function("validateDiffusersModel", &validate_diffusers_model);
  em::class_<JsDiffusersTextToImage>("DiffusersTextToImagePipeline")
      .function("next", &JsDiffusersTextToImage::next)
      .function("provide", &JsDiffusersTextToImage::provide)
      .function("info", &JsDiffusersTextToImage::info)
      .function("cancel", &JsDiffusersTextToImage::cancel);
  em::function("createDiffusersTextToImage", &create_diffusers_text_to_image);
  em::function("sketchInput", &sketch_input);
  em::function("sketchInput", &sketch_input_defaults);
  em::function("styleOps", &style_ops);
  em::function("stylize", &stylize);
  em::function("stylize", &stylize_no_progress);
  em::function("stylize", &stylize_rows);
  em::function("extractPalette", &extract_palette);
  em::function("quantize", &quantize);
  em::function("colorTransfer", &color_transfer);
}
