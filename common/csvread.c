/* csvread.c - numeric CSV to a row-major matrix, with libcsv doing the tokenizing.
 *
 * The file is fed to csv_parse by ob_csv_feed (below: also the layer under table.c's
 * reader), which tells a file cut short from a whole one; libcsv calls cell() for each field and
 * row_end() at each record's end.  The first record is held back until it ends, because
 * only then do we know whether it is a header (every cell non-numeric), data (every
 * cell numeric) or an error (a mix).  Cells are parsed with strtod, and the whole cell
 * must be consumed (trailing blanks allowed), so "1.5x" is rejected rather than read as
 * 1.5 the way atof would. */
#include "common/csvread.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define CHUNK 65536

typedef struct {
    const char *path;
    ob_error *err;
    ob_status status;  /* first error seen; callbacks do nothing once it is set */
    double *v;         /* (n) every value so far, row-major */
    size_t n, cap;
    size_t row;        /* current record, 1-based */
    size_t line;       /* the line the parser is in (ob_csv_feed) */
    size_t field;      /* fields seen in the current record */
    size_t cols;       /* expected fields per record; 0 until known */
    int in_first;      /* still in record 1 (header or data, undecided) */
    size_t n_text;     /* record 1: non-numeric cells, and the first of them */
    size_t first_text_col;
    char first_text[40];
    int header;        /* record 1 was a header */
} reader;

/* 0: a finite number in *x; 1: not a number (or empty); 2: NaN or Inf. */
static int parse_cell(const char *s, size_t len, double *x)
{
    if (len == 0) return 1;
    char *end;
    *x = strtod(s, &end);
    if (end == s) return 1;
    while (*end == ' ' || *end == '\t') end++;
    if (end != s + len) return 1;
    return isfinite(*x) ? 0 : 2;
}

static int push(reader *r, double x)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 1024;
        double *v = cap < SIZE_MAX / sizeof *v ? realloc(r->v, cap * sizeof *v) : NULL;
        if (!v) {
            r->status = ob_fail(r->err, OB_ENOMEM, "%s: out of memory after %zu values", r->path, r->n);
            return -1;
        }
        r->v = v, r->cap = cap;
    }
    r->v[r->n++] = x;
    return 0;
}

/* libcsv field callback: s is NUL-terminated (CSV_APPEND_NULL), len excludes the NUL. */
static void cell(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->status != OB_OK) return;
    const char *str = s ? s : "";
    size_t col = ++r->field;
    if (r->cols && col > r->cols) return; /* too many fields: reported at row end */
    double x = 0;
    int kind = parse_cell(str, len, &x);
    if (kind == 2) {
        r->status = ob_fail(r->err, OB_EDATA, "%s: row %zu, column %zu: '%s' is not a finite number",
                            r->path, r->row, col, str);
        return;
    }
    if (kind == 1) {
        if (!r->in_first) {
            r->status = ob_fail(r->err, OB_EDATA, "%s: row %zu, column %zu: '%.40s' is not a number",
                                r->path, r->row, col, str);
            return;
        }
        if (r->n_text++ == 0) {
            r->first_text_col = col;
            snprintf(r->first_text, sizeof r->first_text, "%s", str);
        }
        x = NAN; /* placeholder, dropped if the row turns out to be a header */
    }
    push(r, x);
}

/* libcsv record callback. */
static void row_end(int c, void *data)
{
    (void)c;
    reader *r = data;
    if (r->status != OB_OK) return;
    if (r->in_first) {
        r->in_first = 0;
        r->cols = r->field;
        if (r->n_text == r->field) { /* all text: a header */
            r->header = 1;
            r->n = 0;
        } else if (r->n_text > 0) {
            r->status = ob_fail(r->err, OB_EDATA,
                                "%s: row 1, column %zu: '%s' is not a number (a header row must "
                                "be all names, a data row all numbers)",
                                r->path, r->first_text_col, r->first_text);
            return;
        }
    } else if (r->field != r->cols) {
        r->status = ob_fail(r->err, OB_EDATA, "%s: row %zu has %zu fields, expected %zu (line %zu)",
                            r->path, r->row, r->field, r->cols, r->line);
        return;
    }
    r->row++;
    r->field = 0;
}

const char *ob_csv_resolve(const char *path, char *buf, size_t cap)
{
    struct stat st;
    if (stat(path, &st) == 0) return path;
    if ((size_t)snprintf(buf, cap, "%s.gz", path) < cap && stat(buf, &st) == 0) return buf;
    return path;
}

/* zlib's message for f without the "path: " gzerror puts in front of it */
static const char *zlib_msg(gzFile f, const char *path, int *zerr)
{
    const char *m = gzerror(f, zerr);
    size_t len = strlen(path);
    return strncmp(m, path, len) == 0 && m[len] == ':' ? m + len + 2 : m;
}

/* a gzip stream that ends before its end: after the last whole line or inside one */
static ob_status gz_cut(ob_error *err, const char *path, size_t line, char last)
{
    if (line == 1 && last == '\n')
        return ob_fail(err, OB_EDATA, "%s: cut short: the gzip stream ends before its first "
                       "line", path);
    if (last == '\n')
        return ob_fail(err, OB_EDATA, "%s: cut short: the gzip stream ends after line %zu, "
                       "before its end", path, line - 1);
    return ob_fail(err, OB_EDATA, "%s: cut short: the gzip stream ends inside line %zu", path,
                   line);
}

ob_status ob_csv_feed(const char *path, struct csv_parser *p,
                      void (*field)(void *, size_t, void *), void (*row)(int, void *),
                      void *data, size_t *line, const ob_status *stop, size_t *bytes,
                      int written, ob_error *err)
{
    *line = 1, *bytes = 0;
    errno = 0;
    gzFile f = gzopen(path, "rb"); /* a plain file reads through as it is */
    if (!f) return ob_fail(err, OB_EIO, "cannot open %s: %s", path, errno ? strerror(errno) : "out of memory");
    char *buf = malloc(CHUNK);
    if (!buf) {
        gzclose(f);
        return ob_fail(err, OB_ENOMEM, "%s: out of memory", path);
    }
    ob_status s = OB_OK;
    int got = 0;
    char last = '\n';
#define STOPPED (stop && *stop != OB_OK)
    while (s == OB_OK && !STOPPED && (got = gzread(f, buf, CHUNK)) > 0) {
        *bytes += (size_t)got;
        last = buf[got - 1];
        /* a line at a time: the callbacks of a record ending in this piece see its line */
        for (size_t at = 0; at < (size_t)got && s == OB_OK && !STOPPED;) {
            const char *nl = memchr(buf + at, '\n', (size_t)got - at);
            size_t len = nl ? (size_t)(nl - (buf + at)) + 1 : (size_t)got - at;
            if (csv_parse(p, buf + at, len, field, row, data) != len && !STOPPED)
                s = ob_fail(err, OB_EDATA, "%s: line %zu: malformed CSV (%s)", path, *line,
                            csv_strerror(csv_error(p)));
            at += len;
            if (nl) ++*line;
        }
    }
    if (s == OB_OK && !STOPPED) {
        int zerr = Z_OK;
        const char *zmsg = zlib_msg(f, path, &zerr);
        if (zerr == Z_ERRNO)
            s = ob_fail(err, OB_EIO, "cannot read %s: %s", path, strerror(errno));
        else if (zerr == Z_BUF_ERROR) /* the input ended inside the gzip stream */
            s = gz_cut(err, path, *line, last);
        else if (got < 0 || zerr != Z_OK)
            s = ob_fail(err, OB_EDATA, "%s: corrupt gzip data at line %zu (zlib: %s)", path,
                        *line, zmsg);
        else if (last != '\n' && written)
            s = ob_fail(err, OB_EDATA, "%s: line %zu: cut short: the last line has no end "
                        "of line", path, *line);
    }
    /* a gzip stream cut short is also gzclose's Z_BUF_ERROR */
    int zc = gzclose_r(f);
    if (s == OB_OK && !STOPPED && zc == Z_BUF_ERROR)
        s = gz_cut(err, path, *line, last);
    free(buf);
    if (s == OB_OK && !STOPPED && csv_fini(p, field, row, data) != 0 && !STOPPED)
        s = ob_fail(err, OB_EDATA, "%s: line %zu: malformed CSV (%s)", path, *line,
                    csv_strerror(csv_error(p)));
    if (s == OB_OK && STOPPED) s = *stop;
#undef STOPPED
    return s;
}

ob_status ob_csv_read_matrix(const char *path, double **out, size_t *rows, size_t *cols,
                             ob_error *err)
{
    *out = NULL, *rows = 0, *cols = 0;
    char found[4096];
    path = ob_csv_resolve(path, found, sizeof found);
    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return ob_fail(err, OB_ENOMEM, "%s: cannot initialize the CSV parser", path);
    reader r = {.path = path, .err = err, .status = OB_OK, .row = 1, .in_first = 1};
    size_t total = 0;
    /* a data set a person wrote may end without a newline: its last row is whole if it has
     * every field (a shorter one is still refused, as is a gzip stream cut short) */
    ob_status s = ob_csv_feed(path, &cp, cell, row_end, &r, &r.line, &r.status, &total, 0, err);
    csv_free(&cp);
    size_t nrows = r.cols ? r.n / r.cols : 0;
    if (s == OB_OK && total == 0)
        s = ob_fail(err, OB_EDATA, "%s: the file is empty", path);
    else if (s == OB_OK && nrows == 0)
        s = ob_fail(err, OB_EDATA, "%s: no data rows%s", path, r.header ? " after the header" : "");
    if (s != OB_OK) {
        free(r.v);
        return s;
    }
    *out = r.v, *rows = nrows, *cols = r.cols;
    return OB_OK;
}

ob_status ob_csv_read_xy(const char *path, size_t want_d, size_t max_d, const char *who,
                         double **A, double **t, size_t *rows, size_t *d, ob_error *err)
{
    size_t N, cols;
    *A = *t = NULL;
    ob_status s = ob_csv_read_matrix(path, A, &N, &cols, err);
    if (s != OB_OK) return s;
    if (cols < 2) {
        s = ob_fail(err, OB_EDATA, "%s: needs feature columns and a target column, found %zu column",
                    path, cols);
    } else if (want_d && want_d != cols - 1) {
        s = ob_fail(err, OB_EINVAL, "--dim %zu does not match the %zu feature columns of %s", want_d,
                    cols - 1, path);
    } else if (cols - 1 > max_d) {
        s = ob_fail(err, OB_EDATA, "%s: %zu features, %s accepts at most %zu", path, cols - 1, who,
                    max_d);
    } else if (!(*t = malloc(N * sizeof **t))) {
        s = ob_fail(err, OB_ENOMEM, "%s: out of memory", who);
    }
    if (s != OB_OK) {
        free(*A);
        *A = NULL;
        return s;
    }
    size_t nd = cols - 1;
    for (size_t i = 0; i < N; i++) { /* split off the last column; rows only move down */
        (*t)[i] = (*A)[i * cols + nd];
        memmove(*A + i * nd, *A + i * cols, nd * sizeof **A);
    }
    double *shrunk = realloc(*A, N * nd * sizeof *shrunk); /* give back the target's share */
    if (shrunk) *A = shrunk;
    *rows = N;
    *d = nd;
    return OB_OK;
}
