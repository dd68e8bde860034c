/* cli.c - strict parsing of command-line values (see cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

ob_status ob_parse_double(const char *opt, const char *s, double *out, ob_error *err)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v) || errno == ERANGE)
        return ob_fail(err, OB_EINVAL, "%s: '%s' is not a finite number (e.g. 0.01 or 1e-3)",
                       opt, s);
    *out = v;
    return OB_OK;
}

ob_status ob_parse_long(const char *opt, const char *s, long lo, long hi, long *out,
                        ob_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE)
        return ob_fail(err, OB_EINVAL, "%s: '%s' is not a whole number", opt, s);
    if (v < lo || v > hi)
        return ob_fail(err, OB_EINVAL, "%s must be between %ld and %ld, got %ld", opt, lo, hi, v);
    *out = v;
    return OB_OK;
}

ob_status ob_parse_list(const char *opt, const char *s, double *out, size_t max, size_t *n,
                        ob_error *err)
{
    size_t k = 0;
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[64];
        if (len == 0 || len >= sizeof item)
            return ob_fail(err, OB_EINVAL, "%s: '%s' is not a comma-separated list of numbers",
                           opt, s);
        if (k == max)
            return ob_fail(err, OB_EINVAL, "%s takes at most %zu numbers", opt, max);
        memcpy(item, p, len);
        item[len] = '\0';
        if (ob_parse_double(opt, item, &out[k], err) != OB_OK) return OB_EINVAL;
        k++;
        if (!comma) break;
        p = comma + 1;
    }
    *n = k;
    return OB_OK;
}
