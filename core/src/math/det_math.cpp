#include "math/det_math.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace huabu::detail {
namespace {

// std::bit_cast is missing from Emscripten 3.1.6's libc++.
template <typename To, typename From>
To bit_copy(const From& from) {
  static_assert(sizeof(To) == sizeof(From));
  To to;
  std::memcpy(&to, &from, sizeof to);
  return to;
}

constexpr double kPi = 3.14159265358979311600;      // nearest double to pi
constexpr double kLn2 = 0.69314718055994528623;     // nearest double to ln 2
constexpr double kSqrt2 = 1.41421356237309514547;   // nearest double to sqrt 2

// Taylor series of sin(z) and cos(z) for |z| <= pi/4, where the first omitted terms
// (z^19/19!, z^20/20!) are below 1e-18.
double sin_poly(double z) {
  const double z2 = z * z;
  double s = 1.0 / 121645100408832000.0;                  // 1/19!
  s = -s * z2 + 1.0 / 355687428096000.0;            // 1/17!
  s = -s * z2 + 1.0 / 1307674368000.0;              // 1/15!
  s = -s * z2 + 1.0 / 6227020800.0;                 // 1/13!
  s = -s * z2 + 1.0 / 39916800.0;                   // 1/11!
  s = -s * z2 + 1.0 / 362880.0;                     // 1/9!
  s = -s * z2 + 1.0 / 5040.0;                       // 1/7!
  s = -s * z2 + 1.0 / 120.0;                        // 1/5!
  s = -s * z2 + 1.0 / 6.0;                          // 1/3!
  s = -s * z2 + 1.0;
  return s * z;
}

double cos_poly(double z) {
  const double z2 = z * z;
  double c = 1.0 / 6402373705728000.0;                    // 1/18!
  c = -c * z2 + 1.0 / 20922789888000.0;             // 1/16!
  c = -c * z2 + 1.0 / 87178291200.0;                // 1/14!
  c = -c * z2 + 1.0 / 479001600.0;                  // 1/12!
  c = -c * z2 + 1.0 / 3628800.0;                    // 1/10!
  c = -c * z2 + 1.0 / 40320.0;                      // 1/8!
  c = -c * z2 + 1.0 / 720.0;                        // 1/6!
  c = -c * z2 + 1.0 / 24.0;                         // 1/4!
  c = -c * z2 + 1.0 / 2.0;                          // 1/2!
  c = -c * z2 + 1.0;
  return c;
}

// x = k/2 + r with |r| <= 1/4 (exact), quadrant = k mod 4.
void reduce_half(double x, double* r, int* quadrant) {
  const double k = std::floor(2.0 * x + 0.5);
  *r = x - 0.5 * k;
  const double q = k - 4.0 * std::floor(k * 0.25);  // k mod 4, in 0..3
  *quadrant = static_cast<int>(q);
}

}  // namespace

double sin_pi(double x) {
  if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
  double r;
  int q;
  reduce_half(x, &r, &q);
  const double z = r * kPi;
  switch (q) {
    case 0: return sin_poly(z);
    case 1: return cos_poly(z);
    case 2: return -sin_poly(z);
    default: return -cos_poly(z);
  }
}

double cos_pi(double x) {
  if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
  double r;
  int q;
  reduce_half(x, &r, &q);
  const double z = r * kPi;
  switch (q) {
    case 0: return cos_poly(z);
    case 1: return -sin_poly(z);
    case 2: return -cos_poly(z);
    default: return sin_poly(z);
  }
}

double log_det(double x) {
  if (std::isnan(x) || x < 0.0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0.0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  // Split x = m * 2^e with m in [1, 2) from the bit pattern (subnormals scaled up first).
  int e = 0;
  if (x < std::numeric_limits<double>::min()) {
    x *= 18014398509481984.0;  // 2^54
    e = -54;
  }
  const std::uint64_t bits = bit_copy<std::uint64_t>(x);
  e += static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  double m = bit_copy<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  if (m > kSqrt2) {  // centre m on 1: m in (sqrt(1/2), sqrt(2)]
    m *= 0.5;
    e += 1;
  }
  // ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172; terms to s^21 leave < 1e-18.
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double p = 1.0 / 21.0;
  p = p * s2 + 1.0 / 19.0;
  p = p * s2 + 1.0 / 17.0;
  p = p * s2 + 1.0 / 15.0;
  p = p * s2 + 1.0 / 13.0;
  p = p * s2 + 1.0 / 11.0;
  p = p * s2 + 1.0 / 9.0;
  p = p * s2 + 1.0 / 7.0;
  p = p * s2 + 1.0 / 5.0;
  p = p * s2 + 1.0 / 3.0;
  p = p * s2 + 1.0;
  return static_cast<double>(e) * kLn2 + 2.0 * s * p;
}

}  // namespace huabu::detail
