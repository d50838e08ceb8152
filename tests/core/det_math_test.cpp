// Tests of the internal deterministic math (core/src/math/det_math.h) against libm. libm is
// only the accuracy reference here; the core never calls it for these functions.
#include "math/det_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace huabu::detail {
namespace {

TEST(DetMathTest, SinCosPiMatchLibm) {
  const double pi = std::acos(-1.0);
  for (int i = -4000; i <= 4000; ++i) {
    const double x = i * 0.00173;
    // The reference itself is off by up to ~|pi x| ulp (pi and pi * x are rounded first).
    const double tolerance = 2e-16 * (4.0 + std::fabs(pi * x));
    ASSERT_NEAR(sin_pi(x), std::sin(pi * x), tolerance) << x;
    ASSERT_NEAR(cos_pi(x), std::cos(pi * x), tolerance) << x;
  }
}

TEST(DetMathTest, SinCosPiExactAtMultiplesOfHalf) {
  EXPECT_EQ(sin_pi(0.0), 0.0);
  EXPECT_EQ(sin_pi(1.0), 0.0);
  EXPECT_EQ(sin_pi(-3.0), 0.0);
  EXPECT_EQ(sin_pi(0.5), 1.0);
  EXPECT_EQ(sin_pi(1.5), -1.0);
  EXPECT_EQ(cos_pi(0.0), 1.0);
  EXPECT_EQ(cos_pi(1.0), -1.0);
  EXPECT_EQ(cos_pi(0.5), 0.0);
  EXPECT_TRUE(std::isnan(sin_pi(std::numeric_limits<double>::infinity())));
  EXPECT_TRUE(std::isnan(cos_pi(std::numeric_limits<double>::quiet_NaN())));
}

TEST(DetMathTest, LogMatchesLibm) {
  for (double x = 1e-300; x < 1e300; x *= 1.37) ASSERT_NEAR(log_det(x), std::log(x), 4e-16 * std::fabs(std::log(x)) + 4e-16) << x;
  for (int i = 1; i <= 1 << 24; i += 997) {
    const double u = i / 16777216.0;
    ASSERT_NEAR(log_det(u), std::log(u), 4.5e-16 * std::fabs(std::log(u)) + 1e-300) << u;  // ~2 ulp
  }
  EXPECT_EQ(log_det(1.0), 0.0);
  EXPECT_NEAR(log_det(4.9406564584124654e-324), std::log(4.9406564584124654e-324), 1e-12);  // subnormal
  EXPECT_EQ(log_det(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(log_det(-1.0)));
  EXPECT_EQ(log_det(std::numeric_limits<double>::infinity()), std::numeric_limits<double>::infinity());
}

}  // namespace
}  // namespace huabu::detail
