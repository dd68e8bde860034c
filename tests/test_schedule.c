/* test_schedule.c - every learning-rate schedule against its formula at hand-picked
 * steps, cosine and the warm-up against torch's LambdaLR (tests/golden/torch_golden_more.py),
 * and the validation of its parameters. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "tests/runner.h"

#include "optimizers/schedule.h"
#include "tests/golden/torch_golden_more.h"

/* a schedule of the given type (its rate is the rule's: 0.5 below) */
static ob_schedule make(const char *name)
{
    ob_schedule s = ob_schedule_default();
    s.type = ob_schedule_find(name);
    assert_non_null(s.type);
    return s;
}

static void near(double got, double want)
{
    if (fabs(got - want) > 1e-15 * fabs(want)) fail_msg("got %.17g, want %.17g", got, want);
}

static void test_values(void **st)
{
    (void)st;
    ob_schedule s = make("constant");
    near(ob_schedule_lr(&s, 0.5, 0), 0.5);
    near(ob_schedule_lr(&s, 0.5, 12345), 0.5);

    s = make("step"); /* 0.5 * 0.1^floor(t/3) */
    s.factor = 0.1;
    s.every = 3;
    near(ob_schedule_lr(&s, 0.5, 0), 0.5);
    near(ob_schedule_lr(&s, 0.5, 2), 0.5);
    near(ob_schedule_lr(&s, 0.5, 3), 0.05);
    near(ob_schedule_lr(&s, 0.5, 8), 0.005);

    s = make("exp"); /* 0.5 * exp(-0.2 t) */
    s.k = 0.2;
    near(ob_schedule_lr(&s, 0.5, 0), 0.5);
    near(ob_schedule_lr(&s, 0.5, 5), 0.5 * exp(-1.0));

    s = make("inv"); /* 0.5 / (t+1) */
    near(ob_schedule_lr(&s, 0.5, 0), 0.5);
    near(ob_schedule_lr(&s, 0.5, 3), 0.125);

    s = make("tau"); /* 0.5 * 10 / max(t, 10) */
    s.tau = 10;
    near(ob_schedule_lr(&s, 0.5, 0), 0.5);
    near(ob_schedule_lr(&s, 0.5, 10), 0.5);
    near(ob_schedule_lr(&s, 0.5, 40), 0.125);

    s = make("invsqrt"); /* 0.5 / sqrt(t+1) */
    near(ob_schedule_lr(&s, 0.5, 3), 0.25);
    near(ob_schedule_lr(&s, 0.5, 99), 0.05);

    s = make("theory"); /* 1/(L sqrt N), whatever t and lr */
    s.L = 4;
    s.N = 100;
    near(ob_schedule_lr(&s, 0.5, 0), 0.025);
    near(ob_schedule_lr(&s, 0.5, 99), 0.025);
}

/* cosine and --warmup against torch.optim.lr_scheduler.LambdaLR, t = 0 .. 15, to 1e-13 */
static void test_golden_torch(void **st)
{
    (void)st;
    struct {
        const char *name;
        double lr, eta_min;
        long t_max, N, warmup;
        double k;
        const double *gold;
    } cases[] = {
        /* --schedule cosine --t-max 10 --eta-min 0.001 (past T: eta_min) */
        {"cosine", 0.1, 0.001, 10, 0, 0, 0, gold_sched_cosine},
        /* --schedule cosine --warmup 4 in a run of 12 updates (T from N, no --t-max) */
        {"cosine", 0.5, 0, 0, 12, 4, 0, gold_sched_cosine_warmup},
        {"constant", 0.2, 0, 0, 0, 5, 0, gold_sched_constant_warmup},   /* --warmup 5 */
        {"exp", 0.3, 0, 0, 0, 3, 0.1, gold_sched_exp_warmup}, /* --decay-rate 0.1 --warmup 3 */
    };
    double worst = 0;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        ob_schedule s = ob_schedule_default();
        s.type = ob_schedule_find(cases[c].name);
        s.eta_min = cases[c].eta_min;
        s.t_max = cases[c].t_max;
        s.N = cases[c].N;
        s.warmup = cases[c].warmup;
        if (cases[c].k > 0) s.k = cases[c].k;
        assert_int_equal(ob_schedule_check(&s, NULL), OB_OK);
        for (long t = 0; t < GOLD_SCHED_T; t++) {
            double got = ob_schedule_lr(&s, cases[c].lr, t), want = cases[c].gold[t];
            double err = fabs(got - want), tol = 1e-13 * fabs(want);
            if (want != 0) worst = err / fabs(want) > worst ? err / fabs(want) : worst;
            if (err > tol || (want == 0 && got != 0))
                fail_msg("case %zu (%s) t=%ld: %.17g, torch %.17g", c, cases[c].name, t, got, want);
        }
    }
    print_message("schedules vs LambdaLR: worst relative error %.3g\n", worst);
}

static void test_checks(void **st)
{
    (void)st;
    ob_error e = {{0}};
    ob_schedule s = make("step");
    s.factor = 1.5;
    assert_int_equal(ob_schedule_check(&s, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "--decay-factor"));
    s = make("step");
    s.every = 0;
    assert_int_equal(ob_schedule_check(&s, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "--decay-every"));
    s = make("tau");
    s.tau = 0.5;
    assert_int_equal(ob_schedule_check(&s, &e), OB_EINVAL);
    s = make("exp");
    s.k = -1;
    assert_int_equal(ob_schedule_check(&s, &e), OB_EINVAL);
    s = make("theory"); /* L unknown (NaN): refused, never a made-up step */
    s.N = 10;
    assert_int_equal(ob_schedule_check(&s, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "Lipschitz"));
    for (const ob_schedule_type *const *t = ob_schedule_types; *t; t++) {
        s = make((*t)->name);
        s.L = 1;
        s.N = 1;
        assert_int_equal(ob_schedule_check(&s, NULL), OB_OK);
    }
    s = make("cosine");
    s.eta_min = -1;
    assert_int_equal(ob_schedule_check(&s, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "--eta-min"));
    s = make("constant");
    s.warmup = -2;
    assert_int_equal(ob_schedule_check(&s, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "--warmup"));
    assert_null(ob_schedule_find("cosine-restarts"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_golden_torch),
        cmocka_unit_test(test_checks),
    };
    return ob_run_tests("schedules", tests, NULL, NULL);
}
