/* cli.h - strict parsing of command-line values: the one home of the value parsers
 * (numbers, bounded numbers, whole numbers, words from a list, figure file names) and of
 * the one list parser every comma-separated option goes through.  Each parser names the
 * option and what is accepted in err (one line) when the text is not a valid value. */
#ifndef OB_CLI_H
#define OB_CLI_H

#include <stddef.h>

#include "common/ob.h"

/* A finite decimal number: "0.01", "1e-3"; not "1e", "nan", "inf", "" or "0.1x". */
ob_status ob_parse_double(const char *opt, const char *s, double *out, ob_error *err);
/* A finite number >= lo (open: > lo): "OPT must be >= LO, got V" otherwise. */
ob_status ob_parse_min(const char *opt, const char *s, double lo, int open, double *out,
                       ob_error *err);
/* A whole number in [lo, hi]. */
ob_status ob_parse_long(const char *opt, const char *s, long lo, long hi, long *out,
                        ob_error *err);

/* A comma-separated list: its elements, between 1 and max of them (what: their plural
 * for the message, "numbers", "optimizers").  Every list option goes through here: an
 * empty element ("a,,b", ",a", "a,", "") is refused, "OPT: 'S' has an empty element".
 * The elements are NUL-terminated copies in *buf (malloc'ed; the caller frees it, also
 * on failure), items[k] pointing into it. */
ob_status ob_parse_items(const char *opt, const char *s, const char *what, char **buf,
                         const char **items, size_t max, size_t *n, ob_error *err);
/* A comma-separated list of finite numbers (ob_parse_items), between 1 and max of them. */
ob_status ob_parse_list(const char *opt, const char *s, double *out, size_t max, size_t *n,
                        ob_error *err);

/* A word of the NULL-terminated list words: its index in *k; otherwise
 * "OPT: unknown value 'S' (accepted: a, b, c)". */
ob_status ob_parse_word(const char *opt, const char *s, const char *const *words, int *k,
                        ob_error *err);

/* The figure formats (--format; --plot FILE's extension): "png", "svg", "pdf", NULL. */
extern const char *const ob_figure_formats[];

/* A figure's file name: FILE.png, .svg or .pdf (gif: FILE.gif, an animation); *out = s. */
ob_status ob_parse_figure(const char *opt, const char *s, int gif, const char **out,
                          ob_error *err);

#endif
