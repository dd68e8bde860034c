/* cli.c - strict parsing of command-line values (see cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/names.h"

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

ob_status ob_parse_min(const char *opt, const char *s, double lo, int open, double *out,
                       ob_error *err)
{
    if (ob_parse_double(opt, s, out, err)) return OB_EINVAL;
    if (open ? *out > lo : *out >= lo) return OB_OK;
    return ob_fail(err, OB_EINVAL, "%s must be %s %g, got %g", opt, open ? ">" : ">=", lo, *out);
}

ob_status ob_parse_items(const char *opt, const char *s, const char *what, char **buf,
                         const char **items, size_t max, size_t *n, ob_error *err)
{
    *n = 0;
    if (!(*buf = malloc(strlen(s) + 1))) return ob_fail(err, OB_ENOMEM, "out of memory");
    strcpy(*buf, s);
    size_t k = 0;
    for (char *p = *buf;;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        if (!*p) return ob_fail(err, OB_EINVAL, "%s: '%s' has an empty element", opt, s);
        if (k == max) return ob_fail(err, OB_EINVAL, "%s takes at most %zu %s", opt, max, what);
        items[k++] = p;
        if (!comma) break;
        p = comma + 1;
    }
    *n = k;
    return OB_OK;
}

ob_status ob_parse_list(const char *opt, const char *s, double *out, size_t max, size_t *n,
                        ob_error *err)
{
    char *buf = NULL;
    const char **items = malloc((max ? max : 1) * sizeof *items);
    size_t k = 0;
    ob_status st = items ? ob_parse_items(opt, s, "numbers", &buf, items, max, &k, err)
                         : ob_fail(err, OB_ENOMEM, "out of memory");
    for (size_t i = 0; st == OB_OK && i < k; i++) st = ob_parse_double(opt, items[i], &out[i], err);
    if (st == OB_OK) *n = k;
    free(buf);
    free(items);
    return st;
}

ob_status ob_parse_word(const char *opt, const char *s, const char *const *words, int *k,
                        ob_error *err)
{
    for (int i = 0; words[i]; i++)
        if (strcmp(s, words[i]) == 0) return *k = i, OB_OK;
    char list[256];
    return ob_fail(err, OB_EINVAL, "%s: unknown value '%s' (%s)", opt, s,
                   ob_accepted(list, sizeof list, words));
}

const char *const ob_figure_formats[] = {"png", "svg", "pdf", "tex", NULL};

ob_status ob_parse_figure(const char *opt, const char *s, int gif, const char **out,
                          ob_error *err)
{
    const char *dot = strrchr(s, '.');
    int ok = dot && gif && strcmp(dot, ".gif") == 0;
    for (int i = 0; dot && !gif && ob_figure_formats[i]; i++)
        ok |= strcmp(dot + 1, ob_figure_formats[i]) == 0;
    if (!ok)
        return ob_fail(err, OB_EINVAL, "%s '%s': accepted: a file name ending in %s", opt, s,
                       gif ? ".gif" : ".png, .svg, .pdf or .tex");
    *out = s;
    return OB_OK;
}
