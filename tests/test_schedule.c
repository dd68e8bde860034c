/* test_schedule.c - every learning-rate schedule against its formula at hand-picked
 * steps, and the validation of its parameters. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "optimizers/schedule.h"

static ob_schedule make(const char *name)
{
    ob_schedule s = ob_schedule_default(0.5);
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
    near(ob_schedule_lr(&s, 0), 0.5);
    near(ob_schedule_lr(&s, 12345), 0.5);

    s = make("step"); /* 0.5 * 0.1^floor(t/3) */
    s.factor = 0.1;
    s.every = 3;
    near(ob_schedule_lr(&s, 0), 0.5);
    near(ob_schedule_lr(&s, 2), 0.5);
    near(ob_schedule_lr(&s, 3), 0.05);
    near(ob_schedule_lr(&s, 8), 0.005);

    s = make("exp"); /* 0.5 * exp(-0.2 t) */
    s.k = 0.2;
    near(ob_schedule_lr(&s, 0), 0.5);
    near(ob_schedule_lr(&s, 5), 0.5 * exp(-1.0));

    s = make("inv"); /* 0.5 / (t+1) */
    near(ob_schedule_lr(&s, 0), 0.5);
    near(ob_schedule_lr(&s, 3), 0.125);

    s = make("tau"); /* 0.5 * 10 / max(t, 10) */
    s.tau = 10;
    near(ob_schedule_lr(&s, 0), 0.5);
    near(ob_schedule_lr(&s, 10), 0.5);
    near(ob_schedule_lr(&s, 40), 0.125);

    s = make("invsqrt"); /* 0.5 / sqrt(t+1) */
    near(ob_schedule_lr(&s, 3), 0.25);
    near(ob_schedule_lr(&s, 99), 0.05);

    s = make("theory"); /* 1/(L sqrt N), whatever t and lr0 */
    s.L = 4;
    s.N = 100;
    near(ob_schedule_lr(&s, 0), 0.025);
    near(ob_schedule_lr(&s, 99), 0.025);
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
    assert_null(ob_schedule_find("cosine"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_checks),
    };
    return cmocka_run_group_tests_name("schedules", tests, NULL, NULL);
}
