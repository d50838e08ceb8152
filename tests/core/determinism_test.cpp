// Golden hashes that the native build and the wasm build must both reproduce: the same seed
// must give the same noise, and the same image the same resize and the same WebP bytes,
// whether the core runs natively or in the browser.
//
// How they were produced: FNV-1a 64 (test_util.h) over the raw output bytes, computed by the
// native build (g++ 12.2, x86-64, -O3 -ffp-contract=off, Debian libwebp 1.2.4-0.2+deb12u1)
// and then confirmed unchanged by the wasm build (Emscripten 3.1.6, -O3 -msimd128, libwebp
// 1.2.4 from Debian's source package) running under Node 20. A mismatch means results now
// differ across platforms, or an algorithm changed (then regenerate on both and say why).
#include <gtest/gtest.h>

#include <vector>

#include "huabu/image_ops.h"
#include "huabu/rng.h"
#include "huabu/tensor.h"
#include "huabu/webp.h"
#include "test_util.h"

namespace huabu {
namespace {

// Reports the actual value so a deliberate change can be re-recorded.
#define EXPECT_GOLDEN(actual, golden) EXPECT_EQ((actual), (golden)) << "actual: " << test::hex64(actual)

TEST(DeterminismTest, PhiloxWords) {
  const auto words = philox_u32(0x0123456789abcdefULL, 7, 4096).value();
  EXPECT_GOLDEN(test::fnv1a(std::span<const std::uint32_t>(words)), 0x4b2412ee8184bc12ULL);
}

TEST(DeterminismTest, PhiloxNormals) {
  const auto normals = philox_normal(0x0123456789abcdefULL, 7, 4096).value();
  EXPECT_GOLDEN(test::fnv1a(std::span<const float>(normals)), 0xde6dc9e362e07c07ULL);
  // The first values in readable form (%.9g round-trips a float exactly).
  EXPECT_EQ(normals[0], -1.66249597f);
  EXPECT_EQ(normals[1], -0.630376697f);
  EXPECT_EQ(normals[2], -0.0772023946f);
  EXPECT_EQ(normals[3], -0.108206324f);
}

TEST(DeterminismTest, ResizeAllFilters) {
  const Image src = test::make_pattern(37, 23);
  const std::uint64_t golden_up[] = {0x976ae395344ea4d9ULL, 0xab3aa1f4654fe2b4ULL, 0xbbef6cc3871d7951ULL,
                                     0xbb4161e238746c5cULL, 0xfa0b5cbce43e17f4ULL};
  const std::uint64_t golden_down[] = {0x197b6ce9d3dc475bULL, 0xe8033b8bc81d5cb4ULL, 0x26b1abba2f666843ULL,
                                       0xce259341a04b647fULL, 0x6b85592f9bd4c246ULL};
  int i = 0;
  for (ResizeFilter f : {ResizeFilter::kNearest, ResizeFilter::kBilinear, ResizeFilter::kBicubic,
                         ResizeFilter::kArea, ResizeFilter::kLanczos3}) {
    EXPECT_GOLDEN(test::fnv1a(resize(src.view(), 64, 48, f).value()), golden_up[i]) << resize_filter_name(f);
    EXPECT_GOLDEN(test::fnv1a(resize(src.view(), 13, 9, f).value()), golden_down[i]) << resize_filter_name(f);
    ++i;
  }
}

TEST(DeterminismTest, Tensor) {
  const Image src = test::make_pattern(16, 16);
  TensorOptions o;
  o.mean = {0.485f, 0.456f, 0.406f};
  o.std = {0.229f, 0.224f, 0.225f};
  const auto t = image_to_tensor(src.view(), o).value();
  EXPECT_GOLDEN(test::fnv1a(std::span<const float>(t)), 0xfff75f713259cc63ULL);
}

TEST(DeterminismTest, WebpEncodes) {
  const Image src = test::make_pattern(64, 64);
  const auto lossy = encode_webp(src.view(), {.quality = 75, .lossless = false}).value();
  const auto lossless = encode_webp(src.view(), {.quality = 75, .lossless = true}).value();
  EXPECT_GOLDEN(test::fnv1a(std::span<const std::uint8_t>(lossy)), 0x84a8cd5940b9b026ULL) << lossy.size() << " bytes";
  EXPECT_GOLDEN(test::fnv1a(std::span<const std::uint8_t>(lossless)), 0xdaa00396a7e390a3ULL) << lossless.size() << " bytes";
  EXPECT_GOLDEN(test::fnv1a(decode_webp(lossy).value()), 0x2eeb2112c1c5537bULL);
}

}  // namespace
}  // namespace huabu
