/* test_observer.c - the run loop's observer (runs/run.h): a measure hook is called at steps
 * 0, K, 2K, ... with the rule's state and the next update's learning rate, those rows are
 * always logged whatever the log's grid, and the sharpness is one such observer
 * (runs/runsharp.h): attached by hand it gives the same rows as the one ob_run attaches
 * for a config that asks for it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "tests/runner.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "problems/problem.h"
#include "runs/run.h"
#include "runs/runsharp.h"

typedef struct {
    long steps[64], measured[64];
    double sharp[64], lr_seen[64];
    int rows, measures;
} seen;

static int on_row(void *ctx, const ob_row *r)
{
    seen *s = ctx;
    if (s->rows < 64) s->steps[s->rows] = r->step, s->sharp[s->rows] = r->sharpness;
    s->rows++;
    return 0;
}

static int on_measure(void *ctx, const ob_probe *p, ob_row *r)
{
    seen *s = ctx;
    if (s->measures < 64) s->measured[s->measures] = p->step, s->lr_seen[s->measures] = p->next_lr;
    s->measures++;
    r->sharpness = (double)p->step; /* a value the row must carry */
    return p->o == NULL; /* the rule's state is there */
}

static ob_run_config config(ob_problem *p, const char *rule, long steps)
{
    ob_problem_opts o = {.dim = 5, .kappa = 10, .seed = 2};
    ob_error e = {{0}};
    if (ob_problem_create(p, ob_problem_find("quadratic"), &o, &e) != OB_OK) fail_msg("%s", e.msg);
    ob_run_config c = {.prob = p, .opt = ob_optimizer_find(rule), .steps = steps, .seed = 1};
    assert_non_null(c.opt);
    ob_hparams_default(c.opt, &c.h);
    c.h.lr = 0.05;
    c.sched = ob_schedule_default();
    c.sched.type = ob_schedule_find("step"), c.sched.every = 4, c.sched.factor = 0.5;
    return c;
}

static void test_measure_hook(void **st)
{
    (void)st;
    ob_problem p;
    ob_run_config c = config(&p, "momentum", 20);
    seen s = {0};
    ob_observer obs = {.row = on_row, .ctx = &s, .every = 7, .measure = on_measure, .mctx = &s,
                       .measure_every = 5};
    ob_run_result res;
    ob_error e = {{0}};
    assert_int_equal(ob_run(&c, &obs, NULL, &res, &e), OB_OK);
    /* rows: 0, 5, 7, 10, 14, 15, 20 (the log's 7s, the measured 5s, the last) */
    static const long want[] = {0, 5, 7, 10, 14, 15, 20};
    assert_int_equal(s.rows, 7);
    for (int i = 0; i < 7; i++) assert_int_equal(s.steps[i], want[i]);
    assert_int_equal(s.measures, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(s.measured[i], 5 * i);
        /* the next update's rate: the step schedule halves every 4 updates */
        assert_true(s.lr_seen[i] == ob_schedule_lr(&c.sched, c.h.lr, 5 * i));
    }
    for (int i = 0; i < 7; i++) /* the measured value reaches exactly the measured rows */
        if (want[i] % 5 == 0) assert_true(s.sharp[i] == (double)want[i]);
        else assert_true(isnan(s.sharp[i]));
    ob_problem_free(&p);
}

/* the sharpness observer by hand equals ob_run's own for sharpness_every */
typedef struct {
    double v[64];
    int n;
} sharps;

static int keep_sharp(void *ctx, const ob_row *r)
{
    sharps *s = ctx;
    if (s->n < 64) s->v[s->n] = r->sharpness;
    s->n++;
    return 0;
}

static void test_sharpness_observer(void **st)
{
    (void)st;
    for (int rule = 0; rule < 2; rule++) {
        ob_problem p;
        ob_run_config c = config(&p, rule ? "adam" : "gd", 12);
        c.sharpness_every = 3;
        sharps a = {0}, b = {0};
        ob_observer oa = {.row = keep_sharp, .ctx = &a, .every = 1};
        ob_run_result res;
        ob_error e = {{0}};
        assert_int_equal(ob_run(&c, &oa, NULL, &res, &e), OB_OK);
        ob_runsharp rs;
        assert_int_equal(ob_runsharp_init(&rs, &c, &e), OB_OK);
        ob_observer ob = {.row = keep_sharp, .ctx = &b, .every = 1, .measure = ob_runsharp_measure,
                          .mctx = &rs, .measure_every = 3};
        assert_int_equal(ob_run(&c, &ob, NULL, &res, &e), OB_OK);
        ob_runsharp_free(&rs);
        assert_int_equal(a.n, 13);
        assert_int_equal(a.n, b.n);
        int finite = 0;
        for (int i = 0; i < a.n; i++) {
            assert_true(memcmp(&a.v[i], &b.v[i], sizeof(double)) == 0);
            finite += isfinite(a.v[i]);
        }
        /* every third row: 0 (not for adam: no second moment yet), 3, 6, 9, 12 */
        assert_int_equal(finite, rule ? 4 : 5);
        ob_problem_free(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measure_hook),
        cmocka_unit_test(test_sharpness_observer),
    };
    return ob_run_tests("observer", tests, NULL, NULL);
}
