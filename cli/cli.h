/* cli.h - strict parsing of command-line values.  Each parser names the option and
 * what is accepted in err when the text is not a valid value. */
#ifndef OB_CLI_H
#define OB_CLI_H

#include <stddef.h>

#include "common/ob.h"

/* A finite decimal number: "0.01", "1e-3"; not "1e", "nan", "inf", "" or "0.1x". */
ob_status ob_parse_double(const char *opt, const char *s, double *out, ob_error *err);
/* A whole number in [lo, hi]. */
ob_status ob_parse_long(const char *opt, const char *s, long lo, long hi, long *out,
                        ob_error *err);
/* A comma-separated list of finite numbers, between 1 and max of them. */
ob_status ob_parse_list(const char *opt, const char *s, double *out, size_t max, size_t *n,
                        ob_error *err);

#endif
