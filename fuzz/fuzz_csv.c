/* fuzz_csv.c - the CSV readers: ob_csv_read_matrix and ob_csv_read_xy (common/csvread.c),
 * ob_table_read (common/table.c) and ob_load_csv_dataset (nets/csvdata.c), all on one
 * file holding the input bytes.  Each must succeed with consistent output or fail with
 * a status and a message naming the file; nothing may leak, crash or hang. */
#include <math.h>
#include <stdint.h>

#include "common/csvread.h"
#include "common/table.h"
#include "fuzz/fuzz_util.h"
#include "nets/dataset.h"

static void check_split(const ob_dataset *s, size_t d, size_t classes)
{
    FUZZ_CHECK(s->n == 0 || (s->x && s->y), "split %s: arrays missing", s->name);
    FUZZ_CHECK(s->n == 0 || s->d == d, "split %s: d %zu, expected %zu", s->name, s->d, d);
    FUZZ_CHECK(s->classes == classes, "split %s: classes", s->name);
    for (size_t i = 0; i < s->n; i++)
        FUZZ_CHECK(s->y[i] >= 0 && (size_t)s->y[i] < classes, "split %s: label %d", s->name,
                   (int)s->y[i]);
    for (size_t i = 0; i < s->n * s->d; i++)
        FUZZ_CHECK(isfinite(s->x[i]) || isinf(s->x[i]), "split %s: NaN feature", s->name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file(data, size, "-data.csv");
    ob_error e = {{0}};

    /* the numeric matrix */
    double *m = (double *)1;
    size_t rows = 1, cols = 1;
    ob_status st = ob_csv_read_matrix(path, &m, &rows, &cols, &e);
    if (st == OB_OK) {
        FUZZ_CHECK(m && rows >= 1 && cols >= 1, "matrix %zu x %zu", rows, cols);
        for (size_t i = 0; i < rows * cols; i++)
            FUZZ_CHECK(isfinite(m[i]), "matrix value %zu = %g", i, m[i]);
        free(m);
    } else {
        fuzz_check_error(st, &e, path, "ob_csv_read_matrix");
        FUZZ_CHECK(m == NULL && rows == 0 && cols == 0, "matrix: outputs not reset on failure");
    }

    /* features + target, any width and a fixed width */
    for (size_t want = 0; want <= 2; want += 2) {
        double *A = (double *)1, *t = (double *)1;
        size_t n = 0, d = 0;
        e.msg[0] = '\0';
        st = ob_csv_read_xy(path, want, 64, "fuzz", &A, &t, &n, &d, &e);
        if (st == OB_OK) {
            FUZZ_CHECK(A && t && n >= 1 && d >= 1 && d <= 64 && (!want || d == want),
                       "xy: %zu x %zu", n, d);
            for (size_t i = 0; i < n * d; i++) FUZZ_CHECK(isfinite(A[i]), "xy: A[%zu]", i);
            for (size_t i = 0; i < n; i++) FUZZ_CHECK(isfinite(t[i]), "xy: t[%zu]", i);
            free(A);
            free(t);
        } else {
            fuzz_check_error(st, &e, path, "ob_csv_read_xy");
            FUZZ_CHECK(A == NULL && t == NULL, "xy: outputs not reset on failure");
        }
    }

    /* the text table */
    ob_table tab;
    e.msg[0] = '\0';
    st = ob_table_read(path, &tab, &e);
    if (st == OB_OK) {
        FUZZ_CHECK(tab.head && tab.cell, "table: arrays missing");
        for (size_t j = 0; j < tab.cols; j++) {
            FUZZ_CHECK(tab.head[j] != NULL, "table: head[%zu]", j);
            FUZZ_CHECK(ob_table_col(&tab, tab.head[j]) >= 0, "table: column lookup");
        }
        volatile double sink = 0;
        for (size_t r = 0; r <= tab.rows; r++) /* r == rows: out of range, "" */
            for (int c = -1; c < (int)tab.cols; c++) {
                const char *s = ob_table_str(&tab, r, c);
                FUZZ_CHECK(s != NULL, "table: cell (%zu, %d)", r, c);
                sink += (double)strlen(s) + ob_table_num(&tab, r, c);
            }
        (void)sink;
        ob_table_free(&tab);
    } else {
        fuzz_check_error(st, &e, path, "ob_table_read");
        FUZZ_CHECK(tab.rows == 0 && tab.cols == 0 && !tab.head && !tab.cell,
                   "table: not zeroed on failure");
    }

    /* the classification data set, with and without held-out splits */
    static const double frac[][2] = {{0, 0}, {0.2, 0.3}};
    for (size_t k = 0; k < 2; k++) {
        ob_splits sp;
        e.msg[0] = '\0';
        st = ob_load_csv_dataset(path, frac[k][0], frac[k][1], 7, &sp, &e);
        if (st == OB_OK) {
            size_t d = sp.train.d, classes = sp.train.classes;
            FUZZ_CHECK(sp.train.n >= 1 && d >= 1 && classes >= 1, "dataset: train %zu x %zu",
                       sp.train.n, d);
            check_split(&sp.train, d, classes);
            check_split(&sp.val, d, classes);
            check_split(&sp.test, d, classes);
        } else {
            fuzz_check_error(st, &e, path, "ob_load_csv_dataset");
            FUZZ_CHECK(sp.train.n == 0 && !sp.train.x && !sp.val.x && !sp.test.x,
                       "dataset: not zeroed on failure");
        }
        ob_splits_free(&sp);
    }
    return 0;
}
