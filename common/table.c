/* table.c - whole-file CSV tables through libcsv (see table.h). */
#include "common/table.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/csvread.h"
#include "common/path.h"

typedef struct {
    char **cells;         /* every field in file order */
    size_t n, cap;
    size_t *row_len;      /* fields per record */
    size_t nrows, rcap;
    size_t cur;           /* fields in the current record */
    int oom;
} collect;

static void on_field(void *s, size_t len, void *data)
{
    collect *c = data;
    if (c->oom) return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        char **p = realloc(c->cells, cap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return;
        }
        c->cells = p, c->cap = cap;
    }
    char *f = malloc(len + 1);
    if (!f) {
        c->oom = 1;
        return;
    }
    if (len) memcpy(f, s, len);
    f[len] = '\0';
    c->cells[c->n++] = f;
    c->cur++;
}

static void on_row(int ch, void *data)
{
    (void)ch;
    collect *c = data;
    if (c->oom) return;
    if (c->nrows == c->rcap) {
        size_t cap = c->rcap ? 2 * c->rcap : 64;
        size_t *p = realloc(c->row_len, cap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return;
        }
        c->row_len = p, c->rcap = cap;
    }
    c->row_len[c->nrows++] = c->cur;
    c->cur = 0;
}

static char empty[] = "";

ob_status ob_table_read(const char *path, ob_table *t, ob_error *err)
{
    memset(t, 0, sizeof *t);
    char found[4096];
    path = ob_csv_resolve(path, found, sizeof found); /* X.csv or X.csv.gz */
    gzFile f = gzopen(path, "rb"); /* a plain file reads through as it is */
    if (!f) return ob_fail(err, OB_EIO, "cannot read %s: %s", path, strerror(errno ? errno : ENOMEM));
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL);
    collect c = {0};
    char buf[1 << 16];
    int got;
    ob_status s = OB_OK;
    while ((got = gzread(f, buf, sizeof buf)) > 0)
        if (csv_parse(&p, buf, (size_t)got, on_field, on_row, &c) != (size_t)got) {
            s = ob_fail(err, OB_EDATA, "%s: malformed CSV (%s)", path, csv_strerror(csv_error(&p)));
            break;
        }
    if (s == OB_OK && got < 0) s = ob_fail(err, OB_EIO, "cannot read %s: %s", path, gzerror(f, &got));
    if (s == OB_OK) csv_fini(&p, on_field, on_row, &c);
    csv_free(&p);
    gzclose(f);
    if (s == OB_OK && c.oom) s = ob_fail(err, OB_ENOMEM, "out of memory reading %s", path);
    if (s == OB_OK && c.nrows == 0) s = ob_fail(err, OB_EDATA, "%s: empty (no header row)", path);
    if (s == OB_OK) {
        t->cols = c.row_len[0];
        t->rows = c.nrows - 1;
        t->head = malloc((t->cols ? t->cols : 1) * sizeof *t->head);
        t->cell = malloc((t->rows * t->cols > 0 ? t->rows * t->cols : 1) * sizeof *t->cell);
        if (!t->head || !t->cell) s = ob_fail(err, OB_ENOMEM, "out of memory reading %s", path);
    }
    if (s == OB_OK) {
        size_t k = 0;
        for (size_t j = 0; j < t->cols; j++) t->head[j] = c.cells[k++];
        for (size_t r = 0; r < t->rows; r++) {
            size_t len = c.row_len[r + 1];
            for (size_t j = 0; j < len; j++) {
                if (j < t->cols) t->cell[r * t->cols + j] = c.cells[k];
                else free(c.cells[k]); /* a longer row's extra cells are dropped */
                k++;
            }
            for (size_t j = len; j < t->cols; j++) t->cell[r * t->cols + j] = empty;
        }
        free(c.cells);
        free(c.row_len);
        return OB_OK;
    }
    for (size_t i = 0; i < c.n; i++) free(c.cells[i]);
    free(c.cells);
    free(c.row_len);
    free(t->head);
    free(t->cell);
    memset(t, 0, sizeof *t);
    return s;
}

void ob_table_free(ob_table *t)
{
    if (t->head)
        for (size_t j = 0; j < t->cols; j++) free(t->head[j]);
    if (t->cell)
        for (size_t i = 0; i < t->rows * t->cols; i++)
            if (t->cell[i] != empty) free(t->cell[i]);
    free(t->head);
    free(t->cell);
    memset(t, 0, sizeof *t);
}

int ob_table_col(const ob_table *t, const char *name)
{
    for (size_t j = 0; j < t->cols; j++)
        if (strcmp(t->head[j], name) == 0) return (int)j;
    return -1;
}

const char *ob_table_str(const ob_table *t, size_t r, int c)
{
    return c < 0 || r >= t->rows ? "" : t->cell[r * t->cols + (size_t)c];
}

double ob_table_num(const ob_table *t, size_t r, int c)
{
    const char *s = ob_table_str(t, r, c);
    char *end;
    double v = strtod(s, &end);
    return end == s ? NAN : v;
}

size_t ob_table_distinct(const ob_table *t, int col, const char **out, size_t cap)
{
    size_t n = 0;
    if (col < 0) return 0;
    const char *last = NULL;
    for (size_t i = 0; i < t->rows; i++) {
        const char *v = ob_table_str(t, i, col);
        if (last && strcmp(v, last) == 0) continue; /* runs of one value are the rule */
        last = v;
        size_t k = 0;
        while (k < n && strcmp(out[k], v) != 0) k++;
        if (k < n) continue;
        if (n == cap) break; /* full: the first cap values are kept */
        out[n++] = v;
    }
    return n;
}

size_t ob_rows_where(const ob_table *t, int col, const char *val, size_t *idx, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < t->rows && n < cap; i++)
        if (strcmp(ob_table_str(t, i, col), val) == 0) idx[n++] = i;
    return n;
}

ob_status ob_read_table(const char *dir, const char *rel, ob_table *t, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/%s", dir, rel);
    return ob_table_read(path, t, err);
}
