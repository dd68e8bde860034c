/* test_synthetic.c - the synthetic data sets (nets/synthetic.c) and the preprocessing
 * (nets/preprocess.c): shapes, balance, determinism from the seed, the geometry of each
 * set, and the statistics after center / standardize / whiten, fitted on train only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "tests/runner.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "nets/dataset.h"

#define PI 3.14159265358979323846

/* one generator behind a common signature (windows take no noise) */
typedef ob_status (*make_fn)(size_t, size_t, size_t, double, unsigned long, ob_splits *,
                             ob_error *);
static ob_status make_windows(size_t a, size_t b, size_t c, double noise, unsigned long seed,
                              ob_splits *s, ob_error *e)
{
    (void)noise;
    return ob_make_windows(a, b, c, seed, s, e);
}

static const struct {
    const char *name;
    make_fn make;
    size_t d;
} sets[] = {
    {"spirals", ob_make_spirals, 2},
    {"moons", ob_make_moons, 2},
    {"windows", make_windows, 20},
};

static void test_synthetic_shapes(void **state)
{
    (void)state;
    for (size_t g = 0; g < sizeof sets / sizeof *sets; g++) {
        ob_splits a, b, c;
        ob_error err = {{0}};
        assert_int_equal(sets[g].make(200, 60, 40, 0.1, 7, &a, &err), OB_OK);
        assert_int_equal(sets[g].make(200, 60, 40, 0.1, 7, &b, &err), OB_OK);
        assert_int_equal(sets[g].make(200, 60, 40, 0.1, 8, &c, &err), OB_OK);
        const ob_dataset *ds[3] = {&a.train, &a.val, &a.test};
        const size_t n[3] = {200, 60, 40};
        for (int k = 0; k < 3; k++) {
            assert_int_equal(ds[k]->n, n[k]);
            assert_int_equal(ds[k]->d, sets[g].d);
            assert_int_equal(ds[k]->classes, 2);
            size_t ones = 0;
            for (size_t i = 0; i < ds[k]->n; i++) {
                assert_true(ds[k]->y[i] == 0 || ds[k]->y[i] == 1);
                ones += (size_t)ds[k]->y[i];
            }
            assert_int_equal(2 * ones, n[k]); /* balanced */
        }
        assert_non_null(strstr(a.train.name, sets[g].name));
        /* same seed: identical; another seed: different */
        assert_memory_equal(a.train.x, b.train.x, 200 * sets[g].d * sizeof(float));
        assert_memory_equal(a.test.x, b.test.x, 40 * sets[g].d * sizeof(float));
        assert_memory_equal(a.train.y, b.train.y, 200 * sizeof(int32_t));
        assert_memory_not_equal(a.train.x, c.train.x, 200 * sets[g].d * sizeof(float));
        /* the splits are not copies of each other */
        assert_memory_not_equal(a.train.x, a.val.x, 40 * sets[g].d * sizeof(float));
        ob_splits_free(&a), ob_splits_free(&b), ob_splits_free(&c);
    }
    ob_splits s;
    ob_error err = {{0}};
    assert_int_equal(ob_make_moons(0, 1, 1, 0.1, 1, &s, &err), OB_EINVAL);
    assert_int_equal(ob_make_spirals(10, 1, 1, -1, 1, &s, &err), OB_EINVAL);
}

/* Without noise every point lies exactly on its curve. */
static void test_synthetic_geometry(void **state)
{
    (void)state;
    ob_splits s;
    ob_error err = {{0}};
    assert_int_equal(ob_make_moons(100, 0, 0, 0.0, 3, &s, &err), OB_OK);
    for (size_t i = 0; i < s.train.n; i++) {
        double x = s.train.x[2 * i], y = s.train.x[2 * i + 1];
        if (s.train.y[i] == 1) x = 1 - x, y = 0.5 - y; /* (1 - cos a, 1/2 - sin a) */
        assert_float_equal(x * x + y * y, 1.0, 1e-6);
        assert_true(y >= -1e-7);
    }
    ob_splits_free(&s);
    assert_int_equal(ob_make_spirals(100, 0, 0, 0.0, 3, &s, &err), OB_OK);
    for (size_t i = 0; i < s.train.n; i++) {
        double x = s.train.x[2 * i], y = s.train.x[2 * i + 1], r = hypot(x, y);
        /* angle = 3 pi r + pi * label (mod 2 pi) */
        double want = 3 * PI * r + PI * s.train.y[i];
        double diff = remainder(atan2(y, x) - want, 2 * PI);
        assert_true(r <= 1.0 + 1e-6);
        if (r > 1e-3) assert_float_equal(diff, 0.0, 1e-4 / r);
    }
    ob_splits_free(&s);
    /* windows: pair (2k, 2k+1) is a true window and its twin, equal but for the centre
     * word (features 8..11), which does change */
    assert_int_equal(ob_make_windows(50, 0, 0, 9, &s, &err), OB_OK);
    for (size_t k = 0; k + 1 < s.train.n; k += 2) {
        const float *t = s.train.x + k * 20, *c = t + 20;
        assert_int_equal(s.train.y[k], 1), assert_int_equal(s.train.y[k + 1], 0);
        assert_memory_equal(t, c, 8 * sizeof(float));
        assert_memory_equal(t + 12, c + 12, 8 * sizeof(float));
        assert_memory_not_equal(t + 8, c + 8, 4 * sizeof(float));
    }
    ob_splits_free(&s);
}

/* A (n, d) split of correlated Gaussian features with offsets: x = z A + b. */
static void fill_correlated(ob_dataset *ds, size_t n, size_t d, gsl_rng *rng, const char *name)
{
    assert_int_equal(ob_dataset_alloc(ds, n, d, 2, name, NULL), OB_OK);
    for (size_t i = 0; i < n; i++) {
        double z[8];
        for (size_t j = 0; j < d; j++) z[j] = gsl_ran_gaussian(rng, 1.0);
        for (size_t j = 0; j < d; j++) {
            double v = 5.0 * (double)j - 3.0; /* offset */
            for (size_t k = 0; k <= j; k++) v += z[k] * (1.0 + (double)(j * k % 3)) * (k + 1);
            ds->x[i * d + j] = (float)v;
        }
        ds->y[i] = (int32_t)(i % 2);
    }
}

static void make_correlated(ob_splits *s, size_t d)
{
    memset(s, 0, sizeof *s);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 11);
    fill_correlated(&s->train, 4000, d, rng, "corr/train");
    fill_correlated(&s->val, 300, d, rng, "corr/val");
    fill_correlated(&s->test, 300, d, rng, "corr/test");
    gsl_rng_free(rng);
}

/* covariance (d, d) of the split, in double: (1/n) sum (x - mean)^T (x - mean) */
static void moments(const ob_dataset *ds, double *mean, double *cov)
{
    const size_t d = ds->d;
    memset(mean, 0, d * sizeof *mean), memset(cov, 0, d * d * sizeof *cov);
    for (size_t i = 0; i < ds->n; i++)
        for (size_t j = 0; j < d; j++) mean[j] += ds->x[i * d + j] / (double)ds->n;
    for (size_t i = 0; i < ds->n; i++)
        for (size_t j = 0; j < d; j++)
            for (size_t k = 0; k < d; k++)
                cov[j * d + k] += (ds->x[i * d + j] - mean[j]) * (ds->x[i * d + k] - mean[k])
                                  / (double)ds->n;
}

static void test_preprocess_train_stats(void **state)
{
    (void)state;
    enum { D = 6 };
    double mean[D], cov[D * D];
    for (int how = OB_PRE_CENTER; how <= OB_PRE_WHITEN; how++) {
        ob_splits s;
        ob_error err = {{0}};
        make_correlated(&s, D);
        moments(&s.val, mean, cov);
        double val_mean0 = mean[0];
        assert_int_equal(ob_preprocess_apply(&s, (ob_preprocess)how, 1e-12, &err), OB_OK);
        moments(&s.train, mean, cov);
        for (int j = 0; j < D; j++) {
            assert_float_equal(mean[j], 0.0, 1e-5);
            if (how == OB_PRE_STANDARDIZE) assert_float_equal(cov[j * D + j], 1.0, 1e-4);
            for (int k = 0; how == OB_PRE_WHITEN && k < D; k++)
                assert_float_equal(cov[j * D + k], j == k ? 1.0 : 0.0, 1e-3);
        }
        /* the validation split moved too, but its mean is not forced to 0 */
        moments(&s.val, mean, cov);
        assert_true(fabs(mean[0] - val_mean0) > 1.0);
        ob_splits_free(&s);
    }
}

/* Hand-made: train {(0,10), (2,30)} has mean (1,20) and std (1,10); val (1,20) and test
 * (3,0) are moved by the training statistics, not their own. */
static void test_preprocess_by_hand(void **state)
{
    (void)state;
    static const float train[4] = {0, 10, 2, 30}, val[2] = {1, 20}, test[2] = {3, 0};
    static const struct {
        ob_preprocess how;
        float train[4], val[2], test[2];
    } cases[] = {
        {OB_PRE_NONE, {0, 10, 2, 30}, {1, 20}, {3, 0}},
        {OB_PRE_CENTER, {-1, -10, 1, 10}, {0, 0}, {2, -20}},
        {OB_PRE_STANDARDIZE, {-1, -1, 1, 1}, {0, 0}, {2, -2}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        ob_splits s;
        ob_error err = {{0}};
        assert_int_equal(ob_dataset_alloc(&s.train, 2, 2, 2, "t", &err), OB_OK);
        assert_int_equal(ob_dataset_alloc(&s.val, 1, 2, 2, "v", &err), OB_OK);
        assert_int_equal(ob_dataset_alloc(&s.test, 1, 2, 2, "s", &err), OB_OK);
        memcpy(s.train.x, train, sizeof train);
        memcpy(s.val.x, val, sizeof val), memcpy(s.test.x, test, sizeof test);
        assert_int_equal(ob_preprocess_apply(&s, cases[c].how, 0, &err), OB_OK);
        assert_memory_equal(s.train.x, cases[c].train, sizeof train);
        assert_memory_equal(s.val.x, cases[c].val, sizeof val);
        assert_memory_equal(s.test.x, cases[c].test, sizeof test);
        ob_splits_free(&s);
    }
    /* whitening: train {(1,0),(-1,0),(0,2),(0,-2)} has covariance diag(1/2, 2), so the
     * principal axes are y (variance 2, first) and x (1/2); val (1,1) becomes
     * (+-1/sqrt 2, +-1/sqrt(1/2)), test (0,0) stays (0,0).  A bad eps changes nothing. */
    ob_splits s;
    ob_error err = {{0}};
    static const float wt[8] = {1, 0, -1, 0, 0, 2, 0, -2};
    assert_int_equal(ob_dataset_alloc(&s.train, 4, 2, 2, "t", &err), OB_OK);
    assert_int_equal(ob_dataset_alloc(&s.val, 1, 2, 2, "v", &err), OB_OK);
    assert_int_equal(ob_dataset_alloc(&s.test, 1, 2, 2, "s", &err), OB_OK);
    memcpy(s.train.x, wt, sizeof wt);
    s.val.x[0] = s.val.x[1] = 1, s.test.x[0] = s.test.x[1] = 0;
    assert_int_equal(ob_preprocess_apply(&s, OB_PRE_WHITEN, -1, &err), OB_EINVAL);
    assert_non_null(strstr(err.msg, "eps"));
    assert_true(s.val.x[0] == 1 && s.val.x[1] == 1);
    assert_int_equal(ob_preprocess_apply(&s, OB_PRE_WHITEN, 0, &err), OB_OK);
    assert_float_equal(fabsf(s.val.x[0]), sqrt(0.5), 1e-6);
    assert_float_equal(fabsf(s.val.x[1]), sqrt(2.0), 1e-6);
    assert_float_equal(s.test.x[0], 0, 1e-7), assert_float_equal(s.test.x[1], 0, 1e-7);
    assert_float_equal(fabsf(s.train.x[4]), sqrt(2.0), 1e-6); /* (0,2) -> (+-sqrt 2, 0) */
    assert_float_equal(s.train.x[5], 0, 1e-7);
    ob_splits_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_synthetic_shapes),
        cmocka_unit_test(test_synthetic_geometry),
        cmocka_unit_test(test_preprocess_train_stats),
        cmocka_unit_test(test_preprocess_by_hand),
    };
    return ob_run_tests("synthetic", tests, NULL, NULL);
}
