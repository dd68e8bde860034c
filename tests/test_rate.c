/* test_rate.c - the SGD rate experiment: the measured average stays below the theorem's
 * bound where the theorem applies, the bound and the measurement agree with hand
 * computations, sigma^2 of a mini-batch matches the per-sample variance, and problems
 * without a global L are refused. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tests/runner.h"

#include "experiments/rate/rate.h"
#include "experiments/rate/rate_net.h"

static void make(ob_problem *p, const char *name, ob_problem_opts o)
{
    ob_error e = {{0}};
    if (ob_problem_create(p, ob_problem_find(name), &o, &e) != OB_OK) fail_msg("%s", e.msg);
}

static void test_bound_holds(void **st)
{
    (void)st;
    const long ns[3] = {10, 100, 1000};
    struct {
        const char *name;
        ob_problem_opts o;
        double noise;
        size_t batch;
    } cases[] = {
        {"quadratic", {.dim = 5, .kappa = 10, .seed = 3}, 1.0, 0},
        {"quadratic", {.dim = 8, .kappa = 50, .rotate = 1, .seed = 4}, 3.0, 0},
        {"lsq", {.dim = 5, .samples = 200, .kappa = 20, .seed = 5}, 0, 4},
        {"logreg", {.dim = 4, .samples = 200, .seed = 6}, 0, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        ob_problem p;
        make(&p, cases[k].name, cases[k].o);
        ob_rate_config c = {.prob = &p, .n_list = ns, .n_count = 3, .seeds = 8, .seed0 = 1,
                            .noise = cases[k].noise, .batch = cases[k].batch};
        ob_rate_row rows[3];
        ob_rate_fit fit;
        ob_error e = {{0}};
        assert_int_equal(ob_rate_run(&c, rows, &fit, &e), OB_OK);
        for (int i = 0; i < 3; i++) {
            if (strcmp(rows[i].holds, "yes") != 0 || !(rows[i].mean < rows[i].bound))
                fail_msg("%s N=%ld: mean %g, bound %g", cases[k].name, rows[i].N, rows[i].mean,
                         rows[i].bound);
            assert_int_equal(rows[i].runs, 8);
            assert_true(rows[i].min <= rows[i].mean && rows[i].mean <= rows[i].max);
            assert_true(rows[i].stderr_ > 0);
        }
        assert_true(fit.all_hold);
        /* the measured average decays (with N), as the theorem says it at least must */
        assert_true(fit.slope < 0);
        ob_problem_free(&p);
    }
}

/* quadratic, dim 2, kappa 4 (--shift 0): eigenvalues 1, 4, x0 = (1, 1), f(x0) = 2.5, f* = 0, L = 4.
 * N = 100, sigma = 1: bound = (2*4*2.5 + 1)/sqrt(100) = 2.1.  N = 1: the average is
 * ||grad f(x0)||^2 = 1 + 16 = 17 exactly, whatever the noise. */
static void test_by_hand(void **st)
{
    (void)st;
    ob_problem p;
    make(&p, "quadratic", (ob_problem_opts){.dim = 2, .kappa = 4, .textbook = 1});
    const long ns[2] = {1, 100};
    ob_rate_config c = {.prob = &p, .n_list = ns, .n_count = 2, .seeds = 3, .seed0 = 1,
                        .noise = 1.0};
    ob_rate_row rows[2];
    ob_rate_fit fit;
    assert_int_equal(ob_rate_run(&c, rows, &fit, NULL), OB_OK);
    assert_true(fit.f0 == 2.5);
    assert_true(rows[0].mean == 17 && rows[0].sd == 0);
    assert_true(fabs(rows[0].bound - 21.0) < 1e-14);      /* (20 + 1)/sqrt(1) */
    assert_true(fabs(rows[1].bound - 2.1) < 1e-15);
    assert_true(fabs(rows[1].lr - 1.0 / 40) < 1e-17);      /* 1/(L sqrt(N)) */
    assert_true(rows[1].sigma2 == 1);
    ob_problem_free(&p);
}

/* sigma^2 for a mini-batch of B of Ns samples: V(x0) (Ns-B)/(B(Ns-1)), with V the
 * per-sample gradient variance, here recomputed from single-sample batch gradients. */
static void test_batch_sigma2(void **st)
{
    (void)st;
    ob_problem p;
    make(&p, "lsq", (ob_problem_opts){.dim = 3, .samples = 50, .seed = 9});
    size_t Ns = p.n_samples, d = p.dim, B = 5;
    double g[3], gi[3], v = 0;
    p.type->fdf(&p, p.x0, g, NULL);
    for (size_t i = 0; i < Ns; i++) {
        p.type->fdf_batch(&p, p.x0, gi, &i, 1);
        for (size_t j = 0; j < d; j++) v += (gi[j] - g[j]) * (gi[j] - g[j]);
    }
    v /= (double)Ns;
    const long ns[1] = {1}; /* one step: only x0 is visited */
    ob_rate_config c = {.prob = &p, .n_list = ns, .n_count = 1, .seeds = 2, .seed0 = 1, .batch = B};
    ob_rate_row row;
    ob_rate_fit fit;
    assert_int_equal(ob_rate_run(&c, &row, &fit, NULL), OB_OK);
    double want = v * (double)(Ns - B) / ((double)B * (double)(Ns - 1));
    if (fabs(row.sigma2 - want) > 1e-12 * want) fail_msg("sigma2 %.17g, want %.17g", row.sigma2, want);
    ob_problem_free(&p);
}

/* no global L: refused with a reason, never a bound that is not one */
static void test_refuses(void **st)
{
    (void)st;
    const char *names[] = {"saddle", "rosenbrock", "beale"};
    for (int k = 0; k < 3; k++) {
        ob_problem p;
        make(&p, names[k], (ob_problem_opts){0});
        ob_error e = {{0}};
        assert_int_equal(ob_rate_check(&p, &e), OB_EINVAL);
        assert_non_null(strstr(e.msg, "globally L-smooth"));
        const long ns[1] = {10};
        ob_rate_config c = {.prob = &p, .n_list = ns, .n_count = 1, .seeds = 2, .noise = 1};
        ob_rate_row row;
        ob_rate_fit fit;
        assert_int_equal(ob_rate_run(&c, &row, &fit, &e), OB_EINVAL);
        ob_problem_free(&p);
    }
}

/* the network comparison: L and sigma^2 estimated, labelled as estimates; on softmax
 * regression (convex, f* >= 0) over a small subset the measured average stays below the
 * estimated bound and decays with N */
static void test_net_estimate(void **st)
{
    (void)st;
    ob_splits sp;
    ob_error e = {{0}};
    if (ob_load_idx_dir(OB_FASHION_MNIST_DIR, 6000, 1, &sp, &e) != OB_OK) fail_msg("%s", e.msg);
    const long ns[2] = {5, 40};
    ob_rate_net_config c = {.net = "softmax", .subset = 128, .batch = 8, .n_list = ns,
                            .n_count = 2, .seeds = 3, .seed0 = 1};
    ob_rate_subject sub;
    ob_rate_row rows[2];
    ob_rate_fit fit;
    if (ob_rate_net_run(&c, &sp, &sub, rows, &fit, &e) != OB_OK) fail_msg("%s", e.msg);
    assert_true(sub.estimate);
    assert_non_null(strstr(sub.L_source, "estimate"));
    assert_true(isfinite(sub.L) && sub.L > 0);
    assert_true(rows[0].sigma2 > 0 && rows[0].sigma2 == rows[1].sigma2);
    assert_int_equal(sub.dim, 784 * 10 + 10);
    assert_true(fit.f0 > 2 && fit.f0 < 3); /* ~ log(10) at a small random start */
    for (int k = 0; k < 2; k++) {
        assert_int_equal(rows[k].runs, 3);
        assert_true(fabs(rows[k].bound - (2 * sub.L * fit.f0 + rows[k].sigma2) / sqrt((double)ns[k])) <
                    1e-12 * rows[k].bound);
        assert_true(rows[k].mean < rows[k].bound);
    }
    assert_true(rows[1].mean < rows[0].mean);
    c.net = "window"; /* max-margin: no f* >= 0 guarantee of the kind used here */
    assert_int_equal(ob_rate_net_run(&c, &sp, &sub, rows, &fit, &e), OB_EINVAL);
    ob_splits_free(&sp);
}

/* the report's numbers: the ratio range with the digits it needs to differ (the quick
 * suite printed "2 to 2 times" for 1.9955 and 2.0023), and the slope with the decimals
 * its error needs (it printed "± 0.000" for 0.0002); worked by hand */
static void test_wording(void **st)
{
    (void)st;
    char b[96];
    ob_rate_ratio_range(b, sizeof b, 1.9955377456212895, 2.0022816610268483);
    assert_string_equal(b, "1.996 to 2.002");
    ob_rate_ratio_range(b, sizeof b, 3.464, 10.0649);
    assert_string_equal(b, "3.46 to 10.1");
    ob_rate_ratio_range(b, sizeof b, 2.0, 2.0000000001); /* the same to 6 digits: one */
    assert_string_equal(b, "2");
    ob_rate_slope_text(b, sizeof b, -0.49941662769023226, 0.00020153144320969116, "±");
    assert_string_equal(b, "-0.4994 ± 0.0002");
    ob_rate_slope_text(b, sizeof b, -0.515, 0.0052, "+-");
    assert_string_equal(b, "-0.515 +- 0.005");
    ob_rate_slope_text(b, sizeof b, -0.5, 0.0, "±");
    assert_string_equal(b, "-0.500 (exact fit)");
    ob_rate_slope_text(b, sizeof b, -0.5, NAN, "±"); /* two values of N: no error */
    assert_string_equal(b, "-0.500");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bound_holds),
        cmocka_unit_test(test_wording),
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_batch_sigma2),
        cmocka_unit_test(test_refuses),
        cmocka_unit_test(test_net_estimate),
    };
    return ob_run_tests("rate", tests, NULL, NULL);
}
