/* dtoa.h - doubles to text, fast and exact.
 *
 * ob_dtoa writes the shortest decimal that reads back (strtod) to exactly the same
 * double: never more than 17 significant digits, and usually far fewer ("0.01", not
 * "0.010000000000000000208").  It is Google's double-conversion (Debian's
 * libdouble-conversion, Grisu3 with a bignum fallback), about 3x faster than glibc's
 * "%.17g", which matters when a 2-D run writes a CSV row every 30 ns step.
 * NaN and infinities are written as nan, inf, -inf (as strtod reads them). */
#ifndef OB_DTOA_H
#define OB_DTOA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes at most OB_DTOA_MAX bytes including the terminating NUL; returns the length. */
#define OB_DTOA_MAX 32
size_t ob_dtoa(double v, char *buf);

#ifdef __cplusplus
}
#endif

#endif
