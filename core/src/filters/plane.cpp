#include "filters/plane.h"

#include "base/alloc.h"
#include "filters/simd.h"

namespace huabu::detail {

Status make_plane(int width, int height, const char* what, Plane* out) {
  const int stride = width + kPlanePad;
  auto made = try_make_vector<float>(static_cast<std::size_t>(stride) * height, what);
  if (!made.ok()) return made.status();
  out->width = width;
  out->height = height;
  out->stride = stride;
  out->values = std::move(made).value();
  return ok_status();
}

namespace {

// Byte to 0..1 float: a table keeps the division out of the per-pixel loop.
struct ByteTable {
  float v[256];
  ByteTable() {
    for (int i = 0; i < 256; ++i) v[i] = static_cast<float>(i) / 255.0f;
  }
};
const ByteTable kByte;

}  // namespace

Status load_rgb(ImageView rgba, RgbPlanes* out) {
  const int w = rgba.width(), h = rgba.height();
  HUABU_RETURN_IF_ERROR(make_plane(w, h, "red plane", &out->r));
  HUABU_RETURN_IF_ERROR(make_plane(w, h, "green plane", &out->g));
  HUABU_RETURN_IF_ERROR(make_plane(w, h, "blue plane", &out->b));
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* in = rgba.row(y);
    float* r = out->r.row(y);
    float* g = out->g.row(y);
    float* b = out->b.row(y);
    for (int x = 0; x < w; ++x) {
      r[x] = kByte.v[in[4 * x]];
      g[x] = kByte.v[in[4 * x + 1]];
      b[x] = kByte.v[in[4 * x + 2]];
    }
  }
  return ok_status();
}

Status load_luma(ImageView rgba, Plane* out) {
  const int w = rgba.width(), h = rgba.height();
  HUABU_RETURN_IF_ERROR(make_plane(w, h, "luma plane", out));
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* in = rgba.row(y);
    float* l = out->row(y);
    for (int x = 0; x < w; ++x) {
      l[x] = 0.299f * kByte.v[in[4 * x]] + 0.587f * kByte.v[in[4 * x + 1]] + 0.114f * kByte.v[in[4 * x + 2]];
    }
  }
  return ok_status();
}

Status luma_of(const RgbPlanes& rgb, Plane* out) {
  HUABU_RETURN_IF_ERROR(make_plane(rgb.r.width, rgb.r.height, "luma plane", out));
  const std::size_t n = out->values.size();
  const float* r = rgb.r.values.data();
  const float* g = rgb.g.values.data();
  const float* b = rgb.b.values.data();
  float* l = out->values.data();
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    store4(l + i, splat(0.299f) * load4(r + i) + splat(0.587f) * load4(g + i) + splat(0.114f) * load4(b + i));
  }
  for (; i < n; ++i) l[i] = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
  return ok_status();
}

void store_rgb(const Plane& r, const Plane& g, const Plane& b, int first, MutableImageView out) {
  for (int y = 0; y < out.height(); ++y) {
    std::uint8_t* o = out.row(y);
    const float* pr = r.row(first + y);
    const float* pg = g.row(first + y);
    const float* pb = b.row(first + y);
    for (int x = 0; x < out.width(); ++x) {
      o[4 * x] = to_byte(pr[x]);
      o[4 * x + 1] = to_byte(pg[x]);
      o[4 * x + 2] = to_byte(pb[x]);
    }
  }
}

void store_gray(const Plane& v, int first, MutableImageView out) {
  for (int y = 0; y < out.height(); ++y) {
    std::uint8_t* o = out.row(y);
    const float* p = v.row(first + y);
    for (int x = 0; x < out.width(); ++x) o[4 * x] = o[4 * x + 1] = o[4 * x + 2] = to_byte(p[x]);
  }
}

}  // namespace huabu::detail
