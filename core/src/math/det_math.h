// Internal: deterministic elementary functions. Built only from IEEE-754 basic operations
// (+ - * /, sqrt, floor, bit casts), evaluated in double in a fixed order and compiled with
// -ffp-contract=off, so every platform (x86-64 SSE2, wasm) returns the same bits. libm's
// sin/log differ between glibc and musl in the last place, which would make noise and resize
// weights differ between the native build and the browser.
#pragma once

namespace huabu::detail {

// sin(pi * x) and cos(pi * x); exact reduction for |x| < 2^50, about 1 ulp (double) error.
[[nodiscard]] double sin_pi(double x);
[[nodiscard]] double cos_pi(double x);

// Natural logarithm for x > 0 (finite); returns -inf for 0 and NaN for negatives/NaN.
[[nodiscard]] double log_det(double x);

}  // namespace huabu::detail
