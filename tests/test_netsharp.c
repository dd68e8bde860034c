/* test_netsharp.c - the sharpness of a network run (runs/netsharp.h): the subset it is
 * measured on, the float32 -> float64 copy of the parameters, the thresholds, and the
 * preconditioned sharpness of adam, each against a Hessian built independently from
 * second differences of the loss on the same samples and handed to GSL's eigensolver;
 * and the columns `optbench train --sharpness-every K` writes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "tests/runner.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/table.h"
#include "optimizers/threshold.h"
#include "runs/netsharp.h"
#include "tests/shell.h"

enum { NTRAIN = 60, NIN = 3, NCLS = 3, NSUB = 25, NP = 38 }; /* NP: 3*5+5 + 5*3+3 */

typedef struct {
    ob_dataset train;
    ob_mlp m;                  /* float32, as `optbench train` trains by default */
    ob_train_config c;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    ob_error e = {{0}};
    if (!f || ob_dataset_alloc(&f->train, NTRAIN, NIN, NCLS, "t", &e) != OB_OK) return -1;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    for (size_t i = 0; i < NTRAIN * NIN; i++) f->train.x[i] = (float)gsl_ran_gaussian(r, 1.0);
    for (size_t i = 0; i < NTRAIN; i++) f->train.y[i] = (int32_t)gsl_rng_uniform_int(r, NCLS);
    f->c.spec = (ob_mlp_spec){.n_layers = 2, .sizes = {NIN, 5, NCLS}, .act = OB_ACT_TANH,
                              .loss = OB_LOSS_XENT, .l2 = 0.01, .dropout = {0.3}};
    f->c.seed = 7;
    f->c.sharpness_subset = NSUB;
    if (ob_mlp_alloc(&f->m, &f->c.spec, OB_F32, 16, &e) != OB_OK || f->m.n_params != NP) return -1;
    ob_mlp_init(&f->m, r);
    gsl_rng_free(r);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ob_mlp_free(&f->m);
    ob_dataset_free(&f->train);
    free(f);
    return 0;
}

/* F on the rows idx (n) at m's (float64) parameters: forward passes and the loss only,
 * no dropout, with the penalty */
static double loss_on(ob_mlp *m, const ob_dataset *d, const size_t *idx, size_t n)
{
    int32_t y[NTRAIN];
    for (size_t i = 0; i < n; i++) y[i] = d->y[idx[i]];
    ob_mlp_gather(m, d->x, d->d, idx, n);
    ob_mlp_forward(m, n, NULL);
    return ob_mlp_loss(m, n, y, 0, NULL, NULL) + ob_mlp_penalty(m);
}

/* The Hessian by second differences of F (P x P), then A = D H D with D = diag(scale)
 * (scale NULL: none), and GSL's largest eigenvalue of A */
static double top_eig(const fixture *f, const size_t *idx, size_t n, const double *scale)
{
    ob_mlp m;
    ob_error e = {{0}};
    ob_mlp_spec spec = f->c.spec;
    memset(spec.dropout, 0, sizeof spec.dropout);
    assert_int_equal(ob_mlp_alloc(&m, &spec, OB_F64, NTRAIN, &e), OB_OK);
    ob_mlp_copy_params(&m, &f->m);
    const size_t P = m.n_params;
    const double h = 1e-4;
    double *H = malloc(P * P * sizeof *H);
    for (size_t i = 0; i < P; i++)
        for (size_t j = 0; j <= i; j++) {
            double ti = ob_mlp_param(&m, i), tj = ob_mlp_param(&m, j), F[4];
            for (int k = 0; k < 4; k++) {
                ob_mlp_set_param(&m, i, ti + (k < 2 ? h : -h));
                ob_mlp_set_param(&m, j, ob_mlp_param(&m, j) + (k % 2 == 0 ? h : -h));
                F[k] = loss_on(&m, &f->train, idx, n);
                ob_mlp_set_param(&m, i, ti);
                ob_mlp_set_param(&m, j, tj);
            }
            double v = (F[0] - F[1] - F[2] + F[3]) / (4 * h * h);
            if (scale) v *= scale[i] * scale[j];
            H[i * P + j] = H[j * P + i] = v;
        }
    gsl_matrix_view A = gsl_matrix_view_array(H, P, P);
    gsl_vector *ev = gsl_vector_alloc(P);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(P);
    gsl_eigen_symm(&A.matrix, ev, w);
    double top = gsl_vector_max(ev);
    gsl_eigen_symm_free(w);
    gsl_vector_free(ev);
    free(H);
    ob_mlp_free(&m);
    return top;
}

static ob_optimizer *make(const char *name, double lr, double mu)
{
    const ob_optimizer_type *T = ob_optimizer_find(name);
    ob_hparams h;
    ob_hparams_default(T, &h);
    h.lr = lr;
    if (mu > 0) h.momentum = mu;
    ob_error e = {{0}};
    ob_optimizer *o = ob_optimizer_alloc(T, &h, NP, OB_F32, &e);
    assert_non_null(o);
    return o;
}

/* the subset: NSUB distinct rows in the split's order, the same for the same seed */
static void test_subset(void **state)
{
    fixture *f = *state;
    f->c.opt = ob_optimizer_find("gd");
    ob_netsharp a, b;
    ob_error e = {{0}};
    assert_int_equal(ob_netsharp_init(&a, &f->c, &f->train, &e), OB_OK);
    assert_int_equal(ob_netsharp_init(&b, &f->c, &f->train, &e), OB_OK);
    assert_int_equal(a.D.n, NSUB);
    assert_non_null(a.idx);
    for (size_t i = 0; i < NSUB; i++) {
        assert_true(a.idx[i] < NTRAIN);
        if (i) assert_true(a.idx[i] > a.idx[i - 1]);
        assert_int_equal(a.idx[i], b.idx[i]);
    }
    assert_int_equal(a.m.dtype, OB_F64);
    ob_netsharp_free(&a);
    ob_netsharp_free(&b);
    /* a subset as large as the split: every row */
    f->c.sharpness_subset = 1000;
    assert_int_equal(ob_netsharp_init(&a, &f->c, &f->train, &e), OB_OK);
    assert_null(a.idx);
    assert_int_equal(a.D.n, NTRAIN);
    ob_netsharp_free(&a);
    f->c.sharpness_subset = NSUB;
}

/* gd and heavy ball: the top eigenvalue of H on the subset, 2/lr and (2 + 2 mu)/lr */
static void test_sharpness_gd_momentum(void **state)
{
    fixture *f = *state;
    const char *names[] = {"gd", "momentum"};
    const double want_thr[] = {2 / 0.1, (2 + 2 * 0.9) / 0.1};
    for (int k = 0; k < 2; k++) {
        f->c.opt = ob_optimizer_find(names[k]);
        ob_optimizer *o = make(names[k], 0.1, k ? 0.9 : 0);
        f->c.h = o->h;
        ob_netsharp s;
        ob_error e = {{0}};
        assert_int_equal(ob_netsharp_init(&s, &f->c, &f->train, &e), OB_OK);
        double want = top_eig(f, s.idx, s.D.n, NULL);
        ob_train_step st = {0};
        for (int rep = 0; rep < 2; rep++) { /* cold, then warm-started */
            assert_int_equal(ob_netsharp_measure(&s, &f->m, o, 0.1, &st, &e), OB_OK);
            assert_true(st.has_sharpness && st.hvps >= 1 && st.hvps <= OB_SHARP_PRODUCTS);
            if (!(fabs(st.sharpness - want) <= 1e-4 * fabs(want)))
                fail_msg("%s: sharpness %.10g, GSL %.10g", names[k], st.sharpness, want);
            assert_true(fabs(st.threshold - want_thr[k]) <= 1e-12 * want_thr[k]);
            assert_true(st.sharpness_residual <= 1e-3);
        }
        ob_netsharp_free(&s);
        ob_optimizer_free(o);
    }
}

/* adam: no sharpness before the first step (no second moment); after steps, the top
 * eigenvalue of P^-1/2 H P^-1/2 with P from the optimizer's state, and 38/lr */
static void test_sharpness_adam(void **state)
{
    fixture *f = *state;
    f->c.opt = ob_optimizer_find("adam");
    ob_optimizer *o = make("adam", 0.01, 0);
    f->c.h = o->h;
    ob_netsharp s;
    ob_error e = {{0}};
    assert_int_equal(ob_netsharp_init(&s, &f->c, &f->train, &e), OB_OK);
    ob_train_step st = {0};
    assert_int_equal(ob_netsharp_measure(&s, &f->m, o, 0.01, &st, &e), OB_OK);
    assert_true(isnan(st.sharpness) && st.hvps == 0);
    assert_true(fabs(st.threshold - 3.8 / 0.1 / 0.01) <= 1e-9 * st.threshold);
    /* three steps on a scratch vector with made-up gradients fill the second moment */
    float x[NP] = {0}, g[NP];
    for (int t = 0; t < 3; t++) {
        for (int i = 0; i < NP; i++) g[i] = (float)(0.01 * (i + 1) * (t + 1) - 0.15);
        assert_int_equal(ob_optimizer_step(o, x, g, 0.01, NULL), OB_OK);
    }
    double P[NP], scale[NP];
    assert_int_equal(ob_stability_precond(o, P, &e), OB_OK);
    for (int i = 0; i < NP; i++) scale[i] = 1 / sqrt(P[i]);
    double want = top_eig(f, s.idx, s.D.n, scale);
    assert_int_equal(ob_netsharp_measure(&s, &f->m, o, 0.01, &st, &e), OB_OK);
    if (!(fabs(st.sharpness - want) <= 1e-4 * fabs(want)))
        fail_msg("adam: preconditioned sharpness %.10g, GSL %.10g", st.sharpness, want);
    ob_netsharp_free(&s);
    ob_optimizer_free(o);
}

/* `optbench train --sharpness-every 4`: the columns, a row at 0, 4, 8, ... and the last,
 * an estimate on every such row (the last too, when it is a multiple of K), 2/lr */
static void test_cli_columns(void **state)
{
    (void)state;
    char d[] = "/tmp/optbench-netsharp-XXXXXX";
    assert_non_null(mkdtemp(d));
    const char *bin = getenv("OPTBENCH") ? getenv("OPTBENCH") : "build/optbench";
    assert_int_equal(sh("%s train --layers 6 --act tanh --dataset moons --samples 200 "
                        "--optimizer gd --lr 0.5 --epochs 10 --sharpness-every 4 "
                        "--sharpness-subset 100 --quiet --out %s/g.csv", bin, d), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/g.steps.csv", d);
    ob_table t;
    ob_error e = {{0}};
    assert_int_equal(ob_table_read(path, &t, &e), OB_OK);
    static const char *const cols[] = {"step", "epoch", "seconds", "lr", "batch_loss",
                                       "mean_loss", "sharpness", "threshold",
                                       "sharpness_residual", "hvps"};
    assert_int_equal(t.cols, 10);
    for (size_t c = 0; c < 10; c++) assert_string_equal(t.head[c], cols[c]);
    assert_int_equal(t.rows, 4); /* 0, 4, 8, and 10 (the last, no estimate) */
    for (size_t r = 0; r < t.rows; r++) {
        double step = ob_table_num(&t, r, 0), lam = ob_table_num(&t, r, 6);
        assert_true(step == (r < 3 ? 4.0 * (double)r : 10.0));
        if (r < 3) {
            assert_true(lam > 0 && isfinite(lam));
            assert_true(ob_table_num(&t, r, 7) == 2 / 0.5);
            assert_true(ob_table_num(&t, r, 9) >= 1);
        } else {
            assert_true(isnan(lam) && isnan(ob_table_num(&t, r, 7)));
        }
    }
    ob_table_free(&t);
    /* bad input */
    assert_int_equal(sh("%s train --layers 6 --dataset moons --sharpness-every 0 --quiet "
                        "--out %s/x.csv 2>/dev/null", bin, d), 2);
    assert_int_equal(sh("%s train --layers 6 --dataset moons --sharpness-subset 0 --quiet "
                        "--out %s/x.csv 2>/dev/null", bin, d), 2);
    sh("rm -rf %s", d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subset),
        cmocka_unit_test(test_sharpness_gd_momentum),
        cmocka_unit_test(test_sharpness_adam),
        cmocka_unit_test(test_cli_columns),
    };
    return ob_run_tests("netsharp", tests, setup, teardown);
}
