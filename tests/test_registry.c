/* test_registry.c - adding an optimizer from outside optimizers/: a toy rule defined here
 * is registered through ob_optimizer_register, then goes through everything the built-in
 * rules go through: `run`'s real parser accepts its option (and refuses it for another
 * rule), --help shows it with its default, and ob_run runs it on a quadratic, checked
 * against the closed form worked out by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tests/runner.h"

#include "cli/cmd_run.h"

/* The toy rule: damped gradient descent, x -= lr*g/(1 + d), d = --toy-damp (default 1),
 * kept in the spare field extra[0] of ob_hparams. */
typedef struct {
    double damp;
} toy_state;

static ob_status toy_alloc(void *state, size_t n, const ob_hparams *h)
{
    (void)n;
    ((toy_state *)state)->damp = h->extra[0];
    return OB_OK;
}

static ob_status toy_step(void *state, void *x, const void *g, size_t n, ob_dtype dt, double lr,
                          long t, const ob_objective *obj)
{
    (void)t;
    (void)obj;
    if (dt != OB_F64) return OB_EINVAL;
    const toy_state *s = state;
    double *xd = x;
    const double *gd = g;
    for (size_t i = 0; i < n; i++) xd[i] -= lr * gd[i] / (1 + s->damp); /* x -= lr*g/(1+d) */
    return OB_OK;
}

static const ob_hp_option toy_options[] = {
    OB_HP_LR(0.1, "learning rate"),
    OB_HP_NUMBER("toy-damp", extra[0], 1, ">= 0", "d in x -= lr*g/(1 + d)"),
    OB_HP_END,
};

static const ob_optimizer_type toy = {
    .name = "toy",
    .summary = "damped gradient descent: x -= lr*g/(1 + d)",
    .options = toy_options,
    .state_size = sizeof(toy_state),
    .f64_only = 1,
    .alloc = toy_alloc,
    .step = toy_step,
};

static int setup(void **st)
{
    (void)st;
    ob_error e = {{0}};
    return ob_optimizer_register(&toy, &e) == OB_OK ? 0 : -1;
}

static ob_run_args a; /* large: not on the stack */

static ob_status parse(ob_error *e, const char *first, ...)
{
    static char words[40][64];
    char *argv[41];
    int argc = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *w = first; w && argc < 40; w = va_arg(ap, const char *), argc++) {
        snprintf(words[argc], sizeof words[argc], "%s", w);
        argv[argc] = words[argc];
    }
    va_end(ap);
    argv[argc] = NULL;
    return ob_run_parse(argc, argv, &a, e);
}

static void test_registered(void **st)
{
    (void)st;
    ob_error e = {{0}};
    assert_ptr_equal(ob_optimizer_find("toy"), &toy);
    /* once only, and an option must mean one thing across rules */
    assert_int_equal(ob_optimizer_register(&toy, &e), OB_EINVAL);
    static const ob_hp_option clash_options[] = {
        OB_HP_LR(0.1, "learning rate"),
        OB_HP_FLAG("momentum", nesterov, 0, "not the momentum of the others"),
        OB_HP_END,
    };
    ob_optimizer_type clash = toy;
    clash.name = "clash";
    clash.options = clash_options;
    assert_int_equal(ob_optimizer_register(&clash, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "--momentum"));
    assert_null(ob_optimizer_find("clash"));
}

static void test_options_and_help(void **st)
{
    (void)st;
    ob_error e = {{0}};
    assert_int_equal(parse(&e, "run", "--problem", "saddle", "--out", "x.csv", "--optimizer",
                           "toy", "--toy-damp", "3", NULL), OB_OK);
    assert_ptr_equal(a.T, &toy);
    assert_true(a.run.h.extra[0] == 3 && a.run.h.lr == 0.1);
    assert_int_equal(parse(&e, "run", "--problem", "saddle", "--out", "x.csv", "--optimizer",
                           "toy", NULL), OB_OK);
    assert_true(a.run.h.extra[0] == 1); /* the table's default */
    /* the toy's option given to another rule, and another rule's to the toy */
    assert_int_equal(parse(&e, "run", "--problem", "saddle", "--out", "x.csv", "--toy-damp", "3",
                           NULL), OB_EINVAL);
    assert_string_equal(e.msg, "--toy-damp does not apply to adam (it is read by: toy)");
    assert_int_equal(parse(&e, "run", "--problem", "saddle", "--out", "x.csv", "--optimizer",
                           "toy", "--beta1", "0.5", NULL), OB_EINVAL);
    assert_non_null(strstr(e.msg, "--beta1 does not apply to toy"));
    /* --help lists it with its default */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ob_cli_help(f, &ob_run_command);
    fclose(f);
    const char *line = strstr(text, "--toy-damp X");
    assert_non_null(line);
    assert_non_null(strstr(line, "(default 1)"));
    assert_non_null(strstr(line, "read by: toy"));
    free(text);
}

/* On f = 0.5 x^T diag(1, 4) x (quadratic --dim 2 --kappa 4 --shift 0) the gradient is (x1, 4 x2), so
 * each step multiplies x_i by 1 - lr*lambda_i/(1 + d): with lr 0.2, d 3 and 5 steps from
 * (1, 1), x = (0.95^5, 0.8^5) = (0.7737809375, 0.32768). */
static void test_runs_end_to_end(void **st)
{
    (void)st;
    ob_error e = {{0}};
    assert_int_equal(parse(&e, "run", "--problem", "quadratic", "--dim", "2", "--kappa", "4",
                           "--shift", "0", "--optimizer", "toy", "--lr", "0.2", "--toy-damp", "3", "--x0", "1,1",
                           "--steps", "5", "--out", "x.csv", NULL), OB_OK);
    ob_problem prob;
    assert_int_equal(ob_problem_create(&prob, a.PT, &a.popts, &e), OB_OK);
    a.run.prob = &prob;
    a.run.x0 = a.x0;
    a.run.sched.N = a.run.steps;
    double x[2];
    ob_run_result res;
    assert_int_equal(ob_run(&a.run, NULL, x, &res, &e), OB_OK);
    assert_int_equal(res.status, OB_OK);
    assert_int_equal(res.steps_done, 5);
    assert_true(fabs(x[0] - 0.7737809375) < 1e-12);
    assert_true(fabs(x[1] - 0.32768) < 1e-12);
    ob_problem_free(&prob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registered),
        cmocka_unit_test(test_options_and_help),
        cmocka_unit_test(test_runs_end_to_end),
    };
    return ob_run_tests("registry", tests, setup, NULL);
}
