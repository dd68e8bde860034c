/* dataset.c - allocation, freeing and the seeded hold-out split of an in-memory data set.
 *
 * The hold-out split is how the validation set is taken out of a training file: a seeded
 * shuffle (GSL's mt19937 and gsl_ran_shuffle, a Fisher-Yates shuffle) picks n_out sample
 * indices; one pass in file order then copies those rows to the new set and slides the
 * others forward over the gaps.  Sliding is safe in place because a kept row only ever
 * moves to a smaller index.  The transient memory is the held-out set itself plus n
 * bytes of mask and n indices; the training set is never held twice. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "nets/dataset.h"

void ob_dataset_free(ob_dataset *ds)
{
    if (!ds) return;
    free(ds->x);
    free(ds->y);
    memset(ds, 0, sizeof *ds);
}

void ob_splits_free(ob_splits *s)
{
    if (!s) return;
    ob_dataset_free(&s->train);
    ob_dataset_free(&s->val);
    ob_dataset_free(&s->test);
}

ob_status ob_dataset_alloc(ob_dataset *ds, size_t n, size_t d, size_t classes,
                           const char *name, ob_error *err)
{
    memset(ds, 0, sizeof *ds);
    if (d == 0 && n > 0) return ob_fail(err, OB_EINVAL, "%s: samples with no features", name);
    if (d != 0 && n > SIZE_MAX / sizeof(float) / d)
        return ob_fail(err, OB_EINVAL, "%s: %zu x %zu features is too large", name, n, d);
    if (n > 0) {
        ds->x = malloc(n * d * sizeof *ds->x);
        ds->y = malloc(n * sizeof *ds->y);
        if (!ds->x || !ds->y) {
            ob_dataset_free(ds);
            return ob_fail(err, OB_ENOMEM, "%s: out of memory for %zu x %zu features", name,
                           n, d);
        }
    }
    ds->n = n, ds->d = d, ds->classes = classes;
    snprintf(ds->name, sizeof ds->name, "%s", name);
    return OB_OK;
}

ob_status ob_dataset_hold_out(ob_dataset *src, size_t n_out, unsigned long seed,
                              ob_dataset *out, const char *out_name, ob_error *err)
{
    memset(out, 0, sizeof *out);
    if (n_out > src->n)
        return ob_fail(err, OB_EINVAL, "%s: cannot hold out %zu of %zu samples", src->name,
                       n_out, src->n);
    ob_status st = ob_dataset_alloc(out, n_out, src->d, src->classes, out_name, err);
    if (st != OB_OK) return st;
    if (n_out == 0) return OB_OK;

    /* The first n_out entries of a seeded permutation of 0..n-1 are held out. */
    const size_t n = src->n, d = src->d;
    size_t *perm = malloc(n * sizeof *perm);
    unsigned char *held = calloc(n, 1);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!perm || !held || !rng) {
        free(perm), free(held);
        if (rng) gsl_rng_free(rng);
        ob_dataset_free(out);
        return ob_fail(err, OB_ENOMEM, "%s: out of memory for the split", src->name);
    }
    gsl_rng_set(rng, seed);
    for (size_t i = 0; i < n; i++) perm[i] = i;
    gsl_ran_shuffle(rng, perm, n, sizeof *perm);
    for (size_t i = 0; i < n_out; i++) held[perm[i]] = 1;
    free(perm);
    gsl_rng_free(rng);

    /* One pass in file order: held rows go to out, kept rows slide down to k <= i. */
    size_t j = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        const float *row = src->x + i * d;
        if (held[i]) {
            memcpy(out->x + j * d, row, d * sizeof *row);
            out->y[j++] = src->y[i];
        } else {
            if (k != i) memmove(src->x + k * d, row, d * sizeof *row);
            src->y[k++] = src->y[i];
        }
    }
    free(held);

    /* Give the freed tail back; a failed shrink keeps the larger (valid) block. */
    src->n = k;
    if (k == 0) {
        free(src->x), free(src->y);
        src->x = NULL, src->y = NULL;
    } else {
        float *x = realloc(src->x, k * d * sizeof *x);
        int32_t *y = realloc(src->y, k * sizeof *y);
        if (x) src->x = x;
        if (y) src->y = y;
    }
    return OB_OK;
}
