/* csvdata.c - a classification data set from a CSV file: feature columns, then one
 * integer label column holding 0 .. K-1 (K = the largest label + 1).
 *
 * The file is read by ob_csv_read_matrix (common/csvread.h, through libcsv) into a
 * transient double matrix, which is fine for the CSV sizes people keep as text; the
 * features are then stored as float32 like every other data set.  The samples are split
 * into train / val / test after a seeded Fisher-Yates shuffle (gsl_ran_shuffle on GSL's
 * mt19937): the first n_test shuffled samples are the test split, the next n_val the
 * validation split, the rest training, with n_test = round(test_frac * n) and
 * n_val = round(val_frac * n).  Each split keeps the shuffled order. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "common/csvread.h"
#include "nets/dataset.h"

/* Largest label accepted: far more classes than any softmax here would want. */
#define CSV_MAX_CLASSES 1000000

/* Checks the label column; on success *classes = max label + 1.  Rows in messages are
 * data rows counted from 1 (a header row, if any, is not counted). */
static ob_status check_labels(const char *path, const double *m, size_t rows, size_t cols,
                              size_t *classes, ob_error *err)
{
    size_t k = 0;
    for (size_t i = 0; i < rows; i++) {
        double v = m[i * cols + cols - 1];
        if (!(v >= 0 && v < CSV_MAX_CLASSES && v == floor(v)))
            return ob_fail(err, OB_EDATA,
                           "%s: data row %zu: label '%.17g' in the last column is not an "
                           "integer in 0 .. %d", path, i + 1, v, CSV_MAX_CLASSES - 1);
        if ((size_t)v + 1 > k) k = (size_t)v + 1;
    }
    *classes = k;
    return OB_OK;
}

/* Copies rows idx[0..n-1] of the (rows, cols) matrix m into a new data set. */
static ob_status take_rows(ob_dataset *ds, const double *m, size_t cols, const size_t *idx,
                           size_t n, size_t classes, const char *name, ob_error *err)
{
    const size_t d = cols - 1;
    ob_status st = ob_dataset_alloc(ds, n, d, classes, name, err);
    if (st != OB_OK) return st;
    for (size_t i = 0; i < n; i++) {
        const double *row = m + idx[i] * cols;
        for (size_t j = 0; j < d; j++) ds->x[i * d + j] = (float)row[j];
        ds->y[i] = (int32_t)row[d];
    }
    return OB_OK;
}

ob_status ob_load_csv_dataset(const char *path, double val_frac, double test_frac,
                              unsigned long seed, ob_splits *out, ob_error *err)
{
    memset(out, 0, sizeof *out);
    if (!(val_frac >= 0 && test_frac >= 0 && val_frac + test_frac < 1))
        return ob_fail(err, OB_EINVAL, "validation and test fractions must be >= 0 with a sum "
                       "below 1, got %g and %g", val_frac, test_frac);
    double *m = NULL;
    size_t rows, cols, classes = 0;
    ob_status st = ob_csv_read_matrix(path, &m, &rows, &cols, err);
    if (st != OB_OK) return st;
    if (cols < 2)
        st = ob_fail(err, OB_EDATA, "%s: %zu column; expected features then a label column",
                     path, cols);
    if (st == OB_OK) st = check_labels(path, m, rows, cols, &classes, err);

    size_t n_test = (size_t)llround(test_frac * (double)rows);
    size_t n_val = (size_t)llround(val_frac * (double)rows);
    if (st == OB_OK && n_test + n_val >= rows)
        st = ob_fail(err, OB_EINVAL, "%s: %zu rows leave no training samples after %zu "
                     "validation and %zu test samples", path, rows, n_val, n_test);
    size_t *perm = st == OB_OK ? malloc(rows * sizeof *perm) : NULL;
    gsl_rng *rng = st == OB_OK ? gsl_rng_alloc(gsl_rng_mt19937) : NULL;
    if (st == OB_OK && (!perm || !rng))
        st = ob_fail(err, OB_ENOMEM, "%s: out of memory for %zu rows", path, rows);
    if (st == OB_OK) {
        gsl_rng_set(rng, seed);
        for (size_t i = 0; i < rows; i++) perm[i] = i;
        gsl_ran_shuffle(rng, perm, rows, sizeof *perm);
    }

    /* names "<file name without directory>/train" etc. */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char name[64];
    snprintf(name, sizeof name, "%.40s/test", base);
    if (st == OB_OK) st = take_rows(&out->test, m, cols, perm, n_test, classes, name, err);
    snprintf(name, sizeof name, "%.40s/val", base);
    if (st == OB_OK)
        st = take_rows(&out->val, m, cols, perm + n_test, n_val, classes, name, err);
    snprintf(name, sizeof name, "%.40s/train", base);
    if (st == OB_OK)
        st = take_rows(&out->train, m, cols, perm + n_test + n_val, rows - n_test - n_val,
                       classes, name, err);
    free(perm);
    if (rng) gsl_rng_free(rng);
    free(m);
    if (st != OB_OK) ob_splits_free(out);
    return st;
}
