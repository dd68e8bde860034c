/* table.c - whole-file CSV tables through libcsv (see table.h). */
#include "common/table.h"

#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvread.h"
#include "common/path.h"

typedef struct {
    const char *path;
    ob_error *err;
    ob_status status;     /* the first error a callback met (OB_OK: none) */
    int keep;             /* store the cells (ob_table_read), or only count them */
    char **cells;         /* every field in file order */
    size_t n, cap;
    size_t *row_len;      /* fields per record */
    size_t nrows, rcap;
    size_t cur;           /* fields in the current record */
    size_t head;          /* fields of the header (record 1) */
    size_t line;          /* the line the parser is in (ob_csv_feed) */
} collect;

static void oom(collect *c)
{
    c->status = ob_fail(c->err, OB_ENOMEM, "out of memory reading %s", c->path);
}

static void on_field(void *s, size_t len, void *data)
{
    collect *c = data;
    if (c->status != OB_OK) return;
    c->cur++;
    if (!c->keep) return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        char **p = realloc(c->cells, cap * sizeof *p);
        if (!p) {
            oom(c);
            return;
        }
        c->cells = p, c->cap = cap;
    }
    char *f = malloc(len + 1);
    if (!f) {
        oom(c);
        return;
    }
    if (len) memcpy(f, s, len);
    f[len] = '\0';
    c->cells[c->n++] = f;
}

/* A row with fewer fields than the header is a file cut short (an empty cell is still a
 * field: "a,,b" has three); a longer row's extra cells are dropped. */
static void on_row(int ch, void *data)
{
    (void)ch;
    collect *c = data;
    if (c->status != OB_OK) return;
    if (c->nrows == 0) c->head = c->cur;
    else if (c->cur < c->head) {
        c->status = ob_fail(c->err, OB_EDATA, "%s: line %zu: cut short: %zu fields, the header "
                            "has %zu", c->path, c->line, c->cur, c->head);
        return;
    }
    if (c->keep && c->nrows == c->rcap) {
        size_t cap = c->rcap ? 2 * c->rcap : 64;
        size_t *p = realloc(c->row_len, cap * sizeof *p);
        if (!p) {
            oom(c);
            return;
        }
        c->row_len = p, c->rcap = cap;
    }
    if (c->keep) c->row_len[c->nrows] = c->cur;
    c->nrows++;
    c->cur = 0;
}

/* path (X.csv or X.csv.gz) through ob_csv_feed into c */
static ob_status collect_file(const char *path, collect *c, ob_error *err)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return ob_fail(err, OB_ENOMEM, "%s: cannot initialize the CSV parser", path);
    size_t bytes;
    ob_status s = ob_csv_feed(path, &p, on_field, on_row, c, &c->line, &c->status, &bytes, 1,
                              err);
    csv_free(&p);
    if (s == OB_OK && c->nrows == 0) s = ob_fail(err, OB_EDATA, "%s: empty (no header row)", path);
    return s;
}

ob_status ob_table_check(const char *path, ob_error *err)
{
    char found[4096];
    path = ob_csv_resolve(path, found, sizeof found);
    collect c = {.path = path, .err = err, .status = OB_OK};
    return collect_file(path, &c, err);
}

ob_status ob_table_read(const char *path, ob_table *t, ob_error *err)
{
    memset(t, 0, sizeof *t);
    char found[4096];
    path = ob_csv_resolve(path, found, sizeof found); /* X.csv or X.csv.gz */
    collect c = {.path = path, .err = err, .status = OB_OK, .keep = 1};
    ob_status s = collect_file(path, &c, err);
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
            free(t->cell[i]);
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
