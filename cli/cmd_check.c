/* cmd_check.c - `optbench check --optimizer PLUGIN --against NAME`: the user's optimizer
 * and a built-in run with the same settings (start, steps, learning rate, full gradient)
 * on every analytic problem of the registry; per problem, either they agree (the points
 * equal to 1e-9 relative at every step) or the first step where they part and by how
 * much.  How a student checks the Adam they wrote against torch's.  Parse, run, print. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "common/interrupt.h"
#include "optimizers/plugin.h"
#include "runs/run.h"

/* ||x_a - x_b|| <= CHECK_RTOL * max(||x_a||, ||x_b||) at every step */
#define CHECK_RTOL 1e-9

enum { C_OPTIMIZER = 1, C_AGAINST, C_STEPS, C_LR };

static const ob_cli_option check_options[] = {
    {"optimizer", C_OPTIMIZER, "PLUGIN", "required", "the optimizer to check: a plugin path "
     "(or a name)", 0},
    {"against", C_AGAINST, "NAME", "required", "the built-in it should match (optbench list)", 0},
    {"steps", C_STEPS, "N", "100", "updates per problem", 0},
    {"lr", C_LR, "X", "the built-in's default", "the learning rate of both", 0},
    {NULL, 0, NULL, NULL, NULL, 0},
};

const ob_cli_command ob_check_command = {
    .name = "check",
    .synopsis = "--optimizer PLUGIN --against NAME [--steps N] [--lr X]",
    .summary = "a plugin optimizer against a built-in, step by step, on every analytic problem",
    .options = check_options,
    .main = ob_cmd_check,
    .about = "Both start at each problem's default start with the full gradient and their own\n"
             "default hyper-parameters except the learning rate.  Prints, per problem,\n"
             "`agrees` (||x_a - x_b|| <= 1e-9 max(||x_a||, ||x_b||) at every step) or the\n"
             "first step where the points part and their relative distance there.  Exit 0\n"
             "whether they agree or not; 2 for bad input.\n",
};

typedef struct {
    int help;
    const char *optimizer, *against;
    long steps;
    double lr; /* 0: the built-in's default */
    const ob_optimizer_type *A, *B;
} check_args;

static ob_status check_parse(int argc, char **argv, check_args *a, ob_error *e)
{
    *a = (check_args){.steps = 100};
    ob_cli_parser p;
    ob_cli_arg o;
    int r;
    ob_cli_begin(&p, &ob_check_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, e)) == 1) {
        ob_status s = OB_OK;
        switch (o.id) {
        case OB_CLI_HELP: a->help = 1; return OB_OK;
        case C_OPTIMIZER: a->optimizer = o.arg; break;
        case C_AGAINST: a->against = o.arg; break;
        case C_STEPS: s = ob_parse_long("--steps", o.arg, 1, 1000000, &a->steps, e); break;
        case C_LR:
            s = ob_parse_double("--lr", o.arg, &a->lr, e);
            if (s == OB_OK && !(a->lr > 0 && isfinite(a->lr)))
                s = ob_fail(e, OB_EINVAL, "--lr must be a finite number > 0, got %s", o.arg);
            break;
        }
        if (s != OB_OK) return s;
    }
    if (r < 0 || ob_cli_operands(&p, 0, 0, NULL, NULL, e)) return OB_EINVAL;
    if (!a->optimizer || !a->against)
        return ob_cli_required("check", "--optimizer and --against are", e);
    const char *names[2] = {a->optimizer, a->against};
    const ob_optimizer_type **T[2] = {&a->A, &a->B};
    for (int k = 0; k < 2; k++) {
        if (ob_optimizer_resolve(names[k], T[k], e) != OB_OK) return OB_EINVAL;
        if (!*T[k])
            return ob_fail(e, OB_EINVAL, "unknown optimizer '%s' for --%s (see optbench list)",
                           names[k], k ? "against" : "optimizer");
    }
    return OB_OK;
}

/* the points of one run, step by step: rows x dim */
typedef struct {
    double *x;
    size_t dim, rows, cap;
} points;

static int keep_row(void *ctx, const ob_row *r)
{
    points *P = ctx;
    if (P->rows == P->cap) return 1;
    memcpy(P->x + P->rows++ * P->dim, r->x, P->dim * sizeof(double));
    return 0;
}

static ob_status run_points(const ob_problem *p, const ob_optimizer_type *T, const check_args *a,
                            points *P, ob_error *e)
{
    ob_run_config c = {.prob = p, .opt = T, .steps = a->steps, .seed = 1};
    ob_hparams_default(T, &c.h);
    c.h.lr = a->lr;
    c.sched = ob_schedule_default();
    *P = (points){.dim = p->dim, .cap = (size_t)a->steps + 1};
    if (!(P->x = malloc(P->cap * P->dim * sizeof(double))))
        return ob_fail(e, OB_ENOMEM, "out of memory");
    ob_observer obs = {.row = keep_row, .ctx = P, .every = 1};
    ob_run_result res;
    /* a plugin's code runs in this process: a crash or an exit() from it names it and
     * ends the check with a failure (common/interrupt.h), never as if it had passed */
    fflush(stdout); /* the problems checked so far stay printed, whatever this run does */
    if (ob_plugin_loaded(T))
        ob_interrupt_run_begin("optbench check: the optimizer plugin %s (on %s)",
                               ob_plugin_path(T), p->type->name);
    ob_status s = ob_run(&c, &obs, NULL, &res, e);
    ob_interrupt_run_end();
    return s;
}

static double norm_diff(const double *a, const double *b, size_t n, double *scale)
{
    double d = 0, na = 0, nb = 0;
    for (size_t i = 0; i < n; i++) {
        d += (a[i] - b[i]) * (a[i] - b[i]);
        na += a[i] * a[i];
        nb += b[i] * b[i];
    }
    *scale = sqrt(na > nb ? na : nb);
    return sqrt(d);
}

/* one problem: "agrees" or where the runs part */
static void compare(const char *name, const points *A, const points *B, const check_args *a)
{
    size_t rows = A->rows < B->rows ? A->rows : B->rows;
    for (size_t k = 0; k < rows; k++) {
        double scale, d = norm_diff(A->x + k * A->dim, B->x + k * B->dim, A->dim, &scale);
        if (!(d <= CHECK_RTOL * scale)) {
            printf("%-24s parts at step %zu: |x - x_%s| = %.3g, relative %.3g\n", name, k,
                   a->B->name, d, scale > 0 ? d / scale : INFINITY);
            return;
        }
    }
    if (A->rows != B->rows)
        printf("%-24s parts at step %zu: one run stopped there (diverged or stalled)\n", name, rows);
    else printf("%-24s agrees (%zu steps)\n", name, rows - 1);
}

int ob_cmd_check(int argc, char **argv)
{
    ob_blas_threads(1);
    check_args a;
    ob_error e = {{0}};
    if (check_parse(argc, argv, &a, &e) != OB_OK) return ob_cli_bad("check", &e);
    if (a.help) {
        ob_cli_help(stdout, &ob_check_command);
        return 0;
    }
    if (a.lr == 0) { /* the built-in's default rate, for both */
        ob_hparams h;
        ob_hparams_default(a.B, &h);
        a.lr = h.lr;
    }
    printf("check: %s against %s, %ld steps, lr %g\n", a.A->name, a.B->name, a.steps, a.lr);
    int failed = 0;
    for (const ob_problem_type *const *t = ob_problem_types; *t; t++) {
        ob_problem p;
        ob_problem_opts o = {.seed = 1};
        if (ob_problem_create(&p, *t, &o, &e) != OB_OK) {
            printf("%-24s skipped: %s\n", (*t)->name, e.msg);
            continue;
        }
        points A = {0}, B = {0};
        ob_status s = run_points(&p, a.A, &a, &A, &e);
        if (s == OB_OK) s = run_points(&p, a.B, &a, &B, &e);
        if (s == OB_OK) compare((*t)->name, &A, &B, &a);
        else printf("%-24s not run: %s\n", (*t)->name, e.msg), failed |= s != OB_EINVAL;
        free(A.x);
        free(B.x);
        ob_problem_free(&p);
    }
    return failed ? 1 : 0;
}
