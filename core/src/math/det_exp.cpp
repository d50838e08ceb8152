#include "math/det_exp.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace huabu::detail {

double exp_det(double x) {
  if (x != x) return x;
  if (x < -745.0) return 0.0;
  if (x > 709.0) return std::numeric_limits<double>::infinity();
  // x = k ln2 + r with |r| <= ln2 / 2; ln2 split so k * hi is exact.
  constexpr double kInvLn2 = 1.44269504088896338700;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  const double k = std::floor(x * kInvLn2 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  // Taylor series to r^13/13!: the omitted terms are below 1e-17 for |r| <= 0.35.
  double p = 1.0 / 6227020800.0;
  const double inv_fact[] = {1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
                             1.0 / 40320.0,     1.0 / 5040.0,     1.0 / 720.0,     1.0 / 120.0,
                             1.0 / 24.0,        1.0 / 6.0,        1.0 / 2.0,       1.0,
                             1.0};
  for (double c : inv_fact) p = p * r + c;
  return std::ldexp(p, static_cast<int>(k));  // exact scaling by a power of two
}

float cbrt_det(float x) {
  if (x == 0.0f || x != x) return x;
  const bool negative = x < 0.0f;
  const double a = negative ? -static_cast<double>(x) : static_cast<double>(x);
  // Initial guess within a few percent from the exponent bits, then two Halley steps (cubic
  // convergence): the float result then equals the correctly rounded cube root for every
  // input checked (1e-9..4 in steps of 1.0000137).
  std::uint64_t bits;
  std::memcpy(&bits, &a, sizeof bits);
  bits = bits / 3 + 0x2A9F7893782DA1CEULL;
  double y;
  std::memcpy(&y, &bits, sizeof y);
  for (int i = 0; i < 2; ++i) {
    const double y3 = y * y * y;
    y = y * (y3 + 2.0 * a) / (2.0 * y3 + a);
  }
  const float result = static_cast<float>(y);
  return negative ? -result : result;
}

}  // namespace huabu::detail
