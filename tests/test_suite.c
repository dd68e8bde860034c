/* test_suite.c - suites from INI text (bench/suite_file.h): the built-ins parse to the
 * settings they had as C tables, and full is quick's workloads with other budgets; every
 * kind of bad file is refused with its file, line and key; an optimizer's fixed
 * hyperparameters reach its runs; the README's lecture suite runs as typed; a bad file on
 * the command line exits 2 and runs nothing; a listed hyperparameter is tuned with lr over
 * the product grid; a suite that includes another is the suite written out; every
 * built-in's printed text runs as the built-in. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "tables/tables.h"
#include "bench/bench_internal.h"
#include "bench/suite_file.h"
#include "bench/suite_keys.h"
#include "bench/tuning.h"
#include "report/provenance.h"
#include "report/sections.h"
#include "common/table.h"
#include "tests/e2e.h"
#include "tests/shell.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("suite");
}

/* out/file; a run's summary D/S.summary.csv as the tables read it (packed or not) */
static void read_csv(const char *out, const char *file, ob_table *t)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", out, file);
    size_t len = strlen(path), sl = strlen(".summary.csv");
    ob_status s;
    if (len > sl && !strcmp(path + len - sl, ".summary.csv")) {
        strcpy(path + len - sl, ".csv"); /* the run D/S, whatever its trajectory's name */
        s = ob_run_summary_beside(path, t, NULL);
    } else {
        s = ob_table_read(path, t, NULL);
    }
    if (s != OB_OK) fail_msg("cannot read %s/%s", out, file);
}

/* a and b agree on every setting (but their names) */
static void same_workload(const ob_workload *a, const ob_workload *b)
{
    const char *const sa[] = {a->problem, a->net, a->optimizers, a->popts.data},
                      *const sb[] = {b->problem, b->net, b->optimizers, b->popts.data};
    for (int k = 0; k < 4; k++) {
        assert_true(!sa[k] == !sb[k]);
        if (sa[k]) assert_string_equal(sa[k], sb[k]);
    }
    const ob_problem_opts *p = &a->popts, *q = &b->popts;
    if (!(p->dim == q->dim && p->kappa == q->kappa && p->rotate == q->rotate && p->seed == q->seed &&
          p->samples == q->samples && p->separable == q->separable && p->l2 == q->l2 &&
          a->steps == b->steps && a->log_x == b->log_x && a->gzip == b->gzip && a->noise == b->noise &&
          a->batch == b->batch && a->epochs == b->epochs && a->tune_epochs == b->tune_epochs &&
          a->l1 == b->l1 && a->l2 == b->l2 && a->preset_dropout == b->preset_dropout &&
          a->dropout == b->dropout && a->sharpness_every == b->sharpness_every &&
          a->sharpness_seeds == b->sharpness_seeds && a->sharpness_subset == b->sharpness_subset &&
          a->landscape == b->landscape))
        fail_msg("workloads %s and %s differ", a->name, b->name);
}

/* The built-ins as the C tables of suite.c had them before they became INI text (git
 * 6a0871f): counts, grids, and a workload of each kind.  (Every field of every workload
 * was compared once against the old tables, field by field: identical.) */
static void test_builtins(void **st)
{
    (void)st;
    const ob_suite *q = ob_suite_find("quick"), *f = ob_suite_find("full"), *s = ob_suite_find("smoke");
    assert_non_null(q);
    assert_non_null(f);
    assert_non_null(s);
    assert_null(ob_suite_find("nope"));
    size_t n_reg = 0;
    while (ob_optimizer_types[n_reg]) n_reg++;
    assert_int_equal(q->n_workloads, 15);
    assert_int_equal(q->n_optimizers, n_reg);
    assert_int_equal(q->seeds, 5);
    assert_true(q->grid.lo == -5 && q->grid.hi == 1 && q->grid.per_decade == 3);
    assert_true(q->net_seeds == 5 && q->net_grid.lo == -4 && q->net_grid.hi == 0 && q->net_grid.per_decade == 1);
    assert_true(q->rate_max_n == 10000 && q->rate_seeds == 10);
    assert_int_equal(f->n_workloads, 27);
    assert_true(f->seeds == 10 && f->grid.lo == -6 && f->grid.per_decade == 4 && f->net_grid.per_decade == 2);
    assert_int_equal(f->net_seeds, 5); /* quick's */
    const ob_workload *w = &f->workloads[10]; /* quadratic-k1e4-rot */
    assert_string_equal(w->name, "quadratic-k1e4-rot");
    assert_true(w->popts.dim == 100 && w->popts.kappa == 1e4 && w->popts.rotate == 1 &&
                w->popts.seed == 1 && w->steps == 3000);
    w = &f->workloads[22]; /* deep4: the preset's dropout */
    assert_true(w->preset_dropout == 1 && w->epochs == 10 && w->tune_epochs == 3 && w->batch == 128);
    w = &f->workloads[25];
    assert_string_equal(w->name, "netA-dropout");
    assert_true(w->dropout == 0.3 && !strcmp(w->optimizers, "adam momentum"));
    assert_true(f->workloads[26].noise == 0.6 && f->workloads[14].batch == 32 &&
                f->workloads[14].steps == 2000 && f->workloads[9].noise == 1.0);
    assert_string_equal(f->workloads[14].name, "logreg-b32"); /* quick's, a larger budget */
    assert_int_equal(s->n_optimizers, 4);
    assert_string_equal(s->optimizers[2].name, "gsl-bfgs");
    assert_true(s->rate_max_n == 100 && s->rate_seeds == 3 && s->net_grid.lo == -3 && s->net_grid.hi == -2);
    w = &s->workloads[3];
    assert_true(w->net && !strcmp(w->net, "softmax") && w->popts.samples == 2000 && w->epochs == 2 &&
                w->tune_epochs == 1);
    w = &s->workloads[2];
    assert_true(w->popts.samples == 64 && w->popts.kappa == 10 && w->batch == 8 && w->steps == 60);
    assert_string_equal(s->source, "smoke");
    assert_string_equal(s->text, ob_suite_builtin_text("smoke"));
    /* full includes quick: quick's workloads keep their place and all but their budgets
     * (saddle even that), the networks train on all their samples */
    assert_non_null(strstr(ob_suite_builtin_text("full"), "\ninclude = quick\n"));
    for (size_t i = 0; i < q->n_workloads; i++) {
        const ob_workload *a = &q->workloads[i], *b = NULL;
        for (size_t k = 0; k < f->n_workloads; k++)
            if (!strcmp(f->workloads[k].name, a->name)) b = &f->workloads[k];
        assert_non_null(b);
        assert_true(b - f->workloads >= (ptrdiff_t)i); /* in quick's order */
        ob_workload x = *b;
        x.steps = a->steps;
        x.epochs = a->epochs;
        x.tune_epochs = a->tune_epochs;
        x.popts.samples = a->net ? a->popts.samples : x.popts.samples;
        x.sharpness_every = a->net ? a->sharpness_every : x.sharpness_every;
        same_workload(a, &x);
        if (a->net) assert_true(b->epochs == 10 && b->tune_epochs == 3 && b->popts.samples == 0 &&
                                a->popts.samples == 10000);
        /* sharpness: the 2-D surfaces on every seed, the networks on seed 1, every epoch
         * (netA: its start and end; in full every second epoch of 422 updates) */
        if (a->problem && strstr(" saddle rosenbrock beale rastrigin ", a->problem))
            assert_true(a->sharpness_every > 0 && a->sharpness_seeds == 0);
        if (a->net) assert_true(a->sharpness_seeds == 1 && a->sharpness_subset > 0 &&
                                a->sharpness_every == (strcmp(a->net, "netA") ? 79 : 237) &&
                                b->sharpness_every == (strcmp(a->net, "netA") ? 422 : 844));
    }
    assert_true(f->workloads[0].steps == 300 && f->workloads[1].steps == 300 &&
                f->workloads[2].steps == 5000 && q->workloads[2].steps == 3000 &&
                !strcmp(f->workloads[3].name, "rosenbrock-10"));
}

#define HEAD "[suite]\nname = t\noptimizers = gd momentum adam\n"
#define SADDLE "[workload s]\nproblem = saddle\nsteps = 10\n"

/* a suite text refused, and the message wanted in its one line */
typedef struct {
    const char *text, *want;
} refusal;

/* each text of cases, parsed as t.ini, is refused (OB_EINVAL, no suite) with its message */
static void refused_all(const refusal *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ob_suite *S = (ob_suite *)1;
        ob_error e = {{0}};
        ob_status s = ob_suite_parse(cases[i].text, "t.ini", NULL, NULL, &S, &e);
        if (s != OB_EINVAL || S || !strstr(e.msg, cases[i].want))
            fail_msg("case %zu: status %d, message\n  %s\nwanted it to contain\n  %s", i, s,
                     e.msg, cases[i].want);
    }
}

/* every kind of bad file: the message names t.ini, the line and the key */
static void test_errors(void **st)
{
    (void)st;
    static const refusal cases[] = {
        {HEAD "this line has no equals sign\n" SADDLE,
         "t.ini:4: 'this line has no equals sign' is not INI"},
        {HEAD "[workloads s]\nproblem = saddle\n", "t.ini:4: unknown section [workloads s]; accepted: [suite]"},
        {HEAD "seed = 3\n" SADDLE, "t.ini:4: [suite] seed: unknown key; accepted: name, seeds,"},
        {HEAD SADDLE "sharpness-subset = 100\n",
         "t.ini:7: [workload s] sharpness-subset: neither a workload key nor an option the problem reads"},
        {HEAD SADDLE "sharpness-seeds = 0\n", "t.ini:7: sharpness-seeds = '0': accepted: a whole number from 1 to"},
        {HEAD "[workload s]\nproblem = quadratic\nkapa = 10\nsteps = 5\n",
         "t.ini:6: [workload s] kapa: neither a workload key nor an option the problem reads; "
         "accepted: problem, steps, noise, batch, instance-seed, optimizers, log-x, sharpness-every, "
         "sharpness-seeds, dim, kappa"},
        {HEAD "[workload s]\nproblem = quadratic\nkappa = ten\nsteps = 5\n",
         "t.ini:6: kappa = 'ten': accepted: a number >= 1"},
        {HEAD "[workload s]\nproblem = saddle\nsteps = 1.5\n", "t.ini:6: steps = '1.5': accepted: a whole number"},
        {HEAD "seeds = 3x\n" SADDLE, "t.ini:4: seeds = '3x': accepted: a whole number from 1"},
        {HEAD "lr-from = 3e-4\n" SADDLE, "t.ini:4: lr-from = '3e-4': accepted: a power of ten"},
        {HEAD "[workload s]\nproblem = rosenbrok\nsteps = 5\n",
         "t.ini:5: problem = 'rosenbrok': unknown problem; accepted: "},
        {HEAD "[workload n]\nnetwork = netZ\nepochs = 1\n", "t.ini:5: network = 'netZ': unknown network; accepted: "},
        {"[suite]\nname = t\noptimizers = gd adamm\n" SADDLE,
         "t.ini:3: optimizers: unknown optimizer 'adamm'; accepted: gd, "},
        {"[suite]\nname = t\noptimizers = gd plugins/sign.so\n" SADDLE,
         "t.ini:3: optimizers: plugins/sign.so: no such plugin file"},
        {HEAD "[workload s]\nproblem = saddle\nkappa = 10\nsteps = 5\n",
         "t.ini:6: [workload s] kappa: neither a workload key nor an option the problem reads"},
        {HEAD "[workload n]\nnetwork = netA\nsteps = 5\n", "t.ini:6: [workload n] steps: not a key of a network workload; accepted: network, batch, epochs"},
        {HEAD SADDLE "[optimizer gd]\nbeta1 = 0.9\n",
         "t.ini:8: [optimizer gd] beta1: the optimizer does not read it; accepted: weight-decay, momentum"},
        {HEAD SADDLE "[optimizer adam]\nlr = 0.1\n", "t.ini:8: [optimizer adam] lr: lr is tuned on the suite's grid"},
        {HEAD SADDLE "[optimizer adam]\nbeta1 = 1.5\n", "t.ini:8: [optimizer adam] beta1: --beta1 "},
        {HEAD SADDLE "[optimizer adam]\namsgrad = maybe\n", "t.ini:8: amsgrad = 'maybe': accepted: true or false"},
        {HEAD SADDLE "[optimizer sgd]\nmomentum = 0.9\n", "t.ini:7: [optimizer sgd]: sgd is not in [suite]'s optimizers"},
        {HEAD "[workload s]\nproblem = saddle\n", "t.ini:4: [workload s] has no budget: accepted: steps = N"},
        {HEAD "[workload n]\nnetwork = netA\nbatch = 32\n", "t.ini:4: [workload n] has no budget: accepted: epochs = N"},
        {HEAD "[workload s]\n", "t.ini:4: [workload s] has neither problem = P nor network = N"},
        {HEAD "[workload s]\nsteps = 5\nproblem = saddle\n", "t.ini:5: [workload s] steps: the first key of a workload is problem"},
        {HEAD "[workload s]\nproblem = saddle\nsteps = 5\nbatch = 4\n", "t.ini:7: [workload s] batch: saddle is not a finite sum"},
        {HEAD SADDLE "[workload s]\nproblem = beale\n", "t.ini:7: [workload s] is defined twice (first on line 4)"},
        {HEAD SADDLE "[workload r]\nproblem = rosenbrock\nsteps = 9\n[workload a b]\n",
         "t.ini:10: unknown section [workload a b]"},
        {HEAD, "t.ini:1: the suite has no workloads ([workload NAME] sections)"},
        {"[suite]\nname = t\n" SADDLE, "t.ini:1: the suite has no optimizers"},
        {SADDLE HEAD, "t.ini:1: [workload s] comes before [suite]"},
        {"[suite]\nseeds = 2\noptimizers = gd\n" SADDLE, "t.ini:1: [suite] has no name"},
        {"", "t.ini:1: no [suite] section"},
        {"name = t\n", "t.ini:1: name comes before any section"},
        /* lists: numeric options only, not lr, not empty, numbers, distinct, each value valid */
        {HEAD SADDLE "[optimizer adam]\namsgrad = true false\n",
         "t.ini:8: amsgrad = 'true false': a list of values is accepted for numeric options only"},
        {HEAD SADDLE "[optimizer adam]\nlr = 0.1 0.01\n", "t.ini:8: [optimizer adam] lr: lr is tuned on the suite's grid"},
        {HEAD SADDLE "[optimizer adam]\nbeta1 =\n", "t.ini:8: beta1 is empty; accepted: a number, or numbers separated by spaces"},
        {HEAD SADDLE "[optimizer adam]\nbeta1 = 0.8 0.9x\n", "t.ini:8: beta1 = '0.8 0.9x': '0.9x' is not a number"},
        {HEAD SADDLE "[optimizer adam]\nbeta1 = 0.8 0.80\n", "t.ini:8: beta1 = '0.8 0.80': 0.80 is listed twice"},
        {HEAD SADDLE "[optimizer adam]\nbeta1 = 0.8 0.9\nbeta1 = 0.5 0.6\n", "t.ini:9: beta1 is listed twice"},
        {HEAD SADDLE "[optimizer adam]\neps = 1e-8\nbeta1 = 0.8 1.5\n",
         "t.ini:9: [optimizer adam] at beta1=1.5: "},
        {HEAD "[workload s]\nproblem = saddle\nsteps = 5\noptimizers = adam sgd\n",
         "t.ini:7: [workload s] optimizers: sgd is not one of the suite's optimizers; accepted: gd momentum adam"},
    };
    refused_all(cases, sizeof cases / sizeof *cases);
    ob_suite *S;
    ob_error e = {{0}};
    assert_int_equal(ob_suite_load("/nonexistent/x.ini", &S, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "cannot read the suite file /nonexistent/x.ini: No such file"));
}

/* fixed hyperparameters: parsed onto T's defaults; a flag's implied value when the file
 * does not set it */
static void test_fixed_hyperparameters(void **st)
{
    (void)st;
    ob_suite *S;
    ob_error e = {{0}};
    const char *text = HEAD SADDLE "[optimizer adam]\nbeta1 = 0.8 ; inline comment\namsgrad = true\n"
                                   "[optimizer momentum]\nmomentum = 0\n";
    assert_int_equal(ob_suite_parse(text, "t.ini", NULL, NULL, &S, &e), OB_OK);
    ob_hparams d;
    ob_hparams_default(S->optimizers[2].T, &d);
    assert_true(S->optimizers[2].h.beta1 == 0.8 && S->optimizers[2].h.amsgrad == 1);
    assert_true(S->optimizers[2].h.beta2 == d.beta2 && S->optimizers[2].h.lr == d.lr);
    assert_true(S->optimizers[1].h.momentum == 0);
    ob_hparams_default(S->optimizers[0].T, &d);
    assert_memory_equal(&S->optimizers[0].h, &d, sizeof d); /* gd: no section, defaults */
    assert_string_equal(S->source, "t");
    assert_string_equal(S->text, text);
    ob_suite_free(S);
    /* a flag that implies another option's value (ob_hp_option.implies), when any rule has one */
    for (size_t i = 0; ob_optimizer_types[i]; i++)
        for (const ob_hp_option *o = ob_optimizer_types[i]->options; o->name; o++) {
            if (o->kind != OB_HPK_FLAG || !o->implies) continue;
            char buf[512];
            const char *name = ob_optimizer_types[i]->name;
            snprintf(buf, sizeof buf, "[suite]\nname = t\noptimizers = %s\n" SADDLE "[optimizer %s]\n%s = true\n",
                     name, name, o->name);
            assert_int_equal(ob_suite_parse(buf, "t.ini", NULL, NULL, &S, &e), OB_OK);
            const ob_hp_option *im = ob_hp_option_find(ob_optimizer_types[i], o->implies);
            ob_hparams h = S->optimizers[0].h;
            assert_true(*ob_hp_number(&h, im->field) == o->implied);
            ob_suite_free(S);
        }
}

/* momentum with mu = 0 is gd (buf = g; x -= lr*buf): fixed in the suite file, its tuning
 * runs score exactly as gd's at every rate, while momentum's default (0.9) does not */
static void test_fixed_reach_the_runs(void **st)
{
    (void)st;
    ob_suite *S;
    ob_error e = {{0}};
    const char *text = "[suite]\nname = t\noptimizers = gd momentum\nlr-from = 1e-3\nlr-to = 1e-1\n"
                       "lr-per-decade = 1\n"
                       "seeds = 1\n[workload r]\nproblem = quadratic\ndim = 3\nkappa = 10\nsteps = 50\n"
                       "[optimizer momentum]\nmomentum = 0\n";
    for (int variant = 0; variant < 2; variant++) {
        char t[512], out[128];
        snprintf(t, sizeof t, "%s", text);
        if (variant) *strstr(t, "[optimizer") = '\0'; /* momentum's default 0.9 */
        assert_int_equal(ob_suite_parse(t, "t.ini", NULL, NULL, &S, &e), OB_OK);
        snprintf(out, sizeof out, "%s/fixed%d", dir, variant);
        ob_bench_config c = {.suite = S, .out = out, .jobs = 1, .shard_n = 1};
        if (ob_bench_run(&c, &e) != OB_OK) fail_msg("%s", e.msg);
        char gd[256], mo[256];
        snprintf(gd, sizeof gd, "%s/runs/r/gd", out);
        snprintf(mo, sizeof mo, "%s/runs/r/momentum", out);
        ob_tune_row *a, *b;
        size_t na, nb;
        assert_int_equal(ob_tuning_load(gd, ob_targets[OB_N_TARGETS - 1], &a, &na, &e), OB_OK);
        assert_int_equal(ob_tuning_load(mo, ob_targets[OB_N_TARGETS - 1], &b, &nb, &e), OB_OK);
        assert_true(na >= 3 && nb >= 3); /* the grid, and any rate its edge rule added */
        int same = na == nb;
        for (size_t k = 0; k < na && k < nb; k++) same &= a[k].lr == b[k].lr && (a[k].score == b[k].score || (isnan(a[k].score) && isnan(b[k].score)));
        assert_int_equal(same, !variant);
        free(a);
        free(b);
        ob_suite_free(S);
    }
}

/* Why problems are shifted: AdamW at lr*wd = 1 (lr 100, its default weight decay 0.01)
 * multiplies x by 0 at every step, which on the textbook quadratic (minimizer at the
 * origin) reaches the 1e-6 target for free (f = 4.7e-104 in 100 steps); on the shifted
 * quadratic (the default) it does not.  The gap relative to the start gap, from each
 * run's summary. */
static double relative_gap(const char *args)
{
    assert_int_equal(sh("%s run --problem quadratic --kappa 100 --optimizer adamw --lr 100 "
                        "--steps 100 --quiet %s --out %s/adamw.csv 2>/dev/null", bin, args, dir), 0);
    ob_table t;
    read_csv(dir, "adamw.summary.csv", &t);
    double gap = ob_table_num(&t, 0, ob_table_col(&t, "final_gap")),
           f0 = ob_table_num(&t, 0, ob_table_col(&t, "f0")),
           fs = ob_table_num(&t, 0, ob_table_col(&t, "f_star"));
    ob_table_free(&t);
    assert_true(isfinite(gap) && f0 > fs && fs == 0);
    return gap / (f0 - fs);
}

static void test_shift_defeats_decay(void **st)
{
    (void)st;
    double shifted = relative_gap(""), textbook = relative_gap("--shift 0");
    if (!(textbook < 1e-6)) fail_msg("textbook: relative gap %g, want < 1e-6", textbook);
    if (!(shifted > 1e-6)) fail_msg("shifted: relative gap %g, want > 1e-6", shifted);
}

/* A product grid, where the winner is known: on a quadratic with kappa 100, momentum 0.9
 * at lr 0.01 ends near 1e-7 in 200 steps where momentum 0 (= gd, the same update) is
 * near 1e-2.  tuning.csv has lr points x values rows with their values, mu = 0 scoring
 * exactly as gd; chosen.csv and the seed runs carry mu = 0.9; --jobs 1 and 2 and a
 * resumed bench give the same tables; without the list, nothing changes (names, no
 * hparams column). */
#define GRID_SUITE "[suite]\nname = g\noptimizers = gd momentum\nseeds = 2\nlr-from = 1e-3\n" \
    "lr-to = 1\nlr-per-decade = 1\n[workload q]\nproblem = quadratic\ndim = 10\n"         \
    "kappa = 100\nsteps = 200\n"



/* One oracle per workload: in quick and full, every optimizer on a workload receives the
 * workload's oracle (ob_suite_oracle), but gd takes a full pass of a finite sum with
 * mini-batches, and the GSL minimizers sit the stochastic workloads out.  Then a short
 * bench: oracle.csv, written from the runs' own summaries, says the same; gd and sgd on
 * the noise workload are the same rule with the same noisy gradient (the same
 * trajectory, bit for bit); and the evals column counts sample gradients: N = 64 per
 * full gradient of the 64-term finite sum (gd; the GSL minimizer's every evaluation),
 * B = 8 per mini-batch, 1 per gradient of the saddle. */
static const ob_table *oracle_t;
static size_t oracle_row(const char *w, const char *o)
{
    int wc = ob_table_col(oracle_t, "workload"), oc = ob_table_col(oracle_t, "optimizer");
    for (size_t i = 0; i < oracle_t->rows; i++)
        if (!strcmp(ob_table_str(oracle_t, i, wc), w) && !strcmp(ob_table_str(oracle_t, i, oc), o))
            return i;
    return SIZE_MAX;
}

/* run W/O/seed-1.csv's evals at every row is per_step times its step */
static void evals_per_step(const char *out, const char *w, const char *o, double per_step,
                           int multiple)
{
    ob_table t;
    char f[256];
    snprintf(f, sizeof f, "runs/%s/%s/seed-1.csv", w, o);
    read_csv(out, f, &t);
    int sc = ob_table_col(&t, "step"), ec = ob_table_col(&t, "evals");
    assert_true(sc >= 0 && ec >= 0 && t.rows > 2);
    for (size_t i = 0; i < t.rows; i++) {
        double k = ob_table_num(&t, i, sc), e = ob_table_num(&t, i, ec);
        if (multiple) { /* a line search: at least one evaluation a step, each costs N */
            if (!(fmod(e, per_step) == 0 && e >= per_step * k))
                fail_msg("%s/%s row %zu: evals %g at step %g", w, o, i, e, k);
        } else if (e != per_step * k)
            fail_msg("%s/%s row %zu: evals %g at step %g, expected %g", w, o, i, e, k, per_step * k);
    }
    ob_table_free(&t);
}

static void test_one_oracle(void **st)
{
    (void)st;
    const char *const suites[] = {"quick", "full"};
    for (int k = 0; k < 2; k++) {
        const ob_suite *S = ob_suite_find(suites[k]);
        int stochastic_seen = 0;
        for (size_t i = 0; i < S->n_workloads; i++) {
            const ob_workload *w = &S->workloads[i];
            stochastic_seen += !w->net && (w->noise > 0 || w->batch > 0);
            for (size_t j = 0; j < S->n_optimizers; j++) {
                const ob_optimizer_type *T = S->optimizers[j].T;
                double noise;
                size_t batch;
                ob_suite_oracle(w, T, &noise, &batch);
                if (w->net) {
                    assert_true(noise == 0 && batch == (T->full_gradient ? 0 : w->batch));
                    continue;
                }
                int stochastic = w->noise > 0 || w->batch > 0;
                assert_true((ob_suite_sits_out(w, T) != NULL) == (stochastic && T->needs_objective));
                assert_true(noise == w->noise && batch == (T->full_gradient ? 0 : w->batch));
            }
        }
        assert_true(stochastic_seen >= 4); /* saddle-noise, quadratic-k100-noise, logreg-b32, lsq-b32 */
    }
    ob_suite *S;
    ob_error e = {{0}};
    const char *text = "[suite]\nname = t\noptimizers = gd sgd adam gsl-bfgs\nlr-from = 1e-2\n"
                       "lr-to = 1e-2\nseeds = 1\ngzip = false\n"
                       "[workload s]\nproblem = saddle\nsteps = 40\nnoise = 0.1\n"
                       "[workload l]\nproblem = lsq\ndim = 3\nsamples = 64\nsteps = 40\nbatch = 8\n"
                       "[workload d]\nproblem = lsq\ndim = 3\nsamples = 64\nsteps = 10\n";
    assert_int_equal(ob_suite_parse(text, "t.ini", NULL, NULL, &S, &e), OB_OK);
    char out[128];
    snprintf(out, sizeof out, "%s/oracle", dir);
    ob_bench_config c = {.suite = S, .out = out, .jobs = 1, .shard_n = 1};
    if (ob_bench_run(&c, &e) != OB_OK) fail_msg("%s", e.msg);
    if (ob_oracle_write(out, &e) != OB_OK) fail_msg("%s", e.msg);
    ob_table t;
    read_csv(out, "oracle.csv", &t);
    oracle_t = &t;
    int nc = ob_table_col(&t, "noise"), bc = ob_table_col(&t, "batch");
    const char *const rules[] = {"gd", "sgd", "adam"};
    for (int k = 0; k < 3; k++) {
        size_t r = oracle_row("s", rules[k]); /* noise: every rule, gd included */
        assert_true(r != SIZE_MAX && ob_table_num(&t, r, nc) == 0.1 && ob_table_num(&t, r, bc) == 0);
        r = oracle_row("l", rules[k]); /* mini-batches of 8; gd: the full pass */
        assert_true(r != SIZE_MAX && ob_table_num(&t, r, nc) == 0 &&
                    ob_table_num(&t, r, bc) == (k == 0 ? 0 : 8));
        r = oracle_row("d", rules[k]);
        assert_true(r != SIZE_MAX && ob_table_num(&t, r, nc) == 0 && ob_table_num(&t, r, bc) == 0);
    }
    /* the GSL minimizer: on the deterministic workload only */
    assert_true(oracle_row("s", "gsl-bfgs") == SIZE_MAX && oracle_row("l", "gsl-bfgs") == SIZE_MAX);
    size_t r = oracle_row("d", "gsl-bfgs");
    assert_true(r != SIZE_MAX && ob_table_num(&t, r, bc) == 0);
    assert_int_equal(t.rows, 3 + 3 + 4);
    ob_table_free(&t);
    /* gd and sgd on the noise workload: the same rule, the same draws */
    ob_table a, b;
    read_csv(out, "runs/s/gd/seed-1.summary.csv", &a);
    read_csv(out, "runs/s/sgd/seed-1.summary.csv", &b);
    double ga = ob_table_num(&a, 0, ob_table_col(&a, "final_loss")),
           gb = ob_table_num(&b, 0, ob_table_col(&b, "final_loss"));
    assert_true(isfinite(ga) && ga == gb);
    ob_table_free(&a);
    ob_table_free(&b);
    /* costs in sample gradients */
    evals_per_step(out, "l", "gd", 64, 0);
    evals_per_step(out, "l", "sgd", 8, 0);
    evals_per_step(out, "l", "adam", 8, 0);
    evals_per_step(out, "d", "gd", 64, 0);
    evals_per_step(out, "s", "gd", 1, 0);
    evals_per_step(out, "d", "gsl-bfgs", 64, 1);
    ob_suite_free(S);
    /* the oracle is a workload's: an [optimizer] section's batch or noise is refused */
    const char *const keys[] = {"noise = 0.1", "batch = 8"};
    for (int k = 0; k < 2; k++) {
        char bad[256];
        snprintf(bad, sizeof bad, "[suite]\nname = t\noptimizers = sgd\n[optimizer sgd]\n%s\n"
                 "[workload s]\nproblem = saddle\nsteps = 4\n", keys[k]);
        e = (ob_error){{0}};
        assert_int_equal(ob_suite_parse(bad, "t.ini", NULL, NULL, &S, &e), OB_EINVAL);
        char want[96];
        snprintf(want, sizeof want, "t.ini:5: [optimizer sgd] %.5s: the gradient oracle is a "
                 "workload's key", keys[k]);
        if (!strstr(e.msg, want)) fail_msg("got: %s", e.msg);
    }
    /* on the command line: exit 2, the file and line named, nothing run */
    assert_int_equal(sh("printf '[suite]\\nname = t\\noptimizers = sgd\\n[optimizer sgd]\\nbatch = 8\\n"
                        "[workload s]\\nproblem = saddle\\nsteps = 4\\n' > %s/ob.ini && "
                        "%s bench --suite %s/ob.ini --out %s/ob-out 2> %s/ob.err; test $? -eq 2 && "
                        "grep -q 'ob.ini:5: \\[optimizer sgd\\] batch: the gradient oracle is a "
                        "workload' %s/ob.err && test ! -e %s/ob-out/runs",
                        dir, bin, dir, dir, dir, dir, dir), 0);
}

/* Decay that games the optimum: a grid point where one step of the rule with a zero
 * gradient multiplies x by 1 - lr*wd <= 0 is not run and is listed in skipped.csv.  By
 * hand: adamw (wd 0.01) at lr 100 (1 - 1 = 0); lion with wd 0.5 at lr 10 and 100 (1 - 5,
 * 1 - 50); adam with an L2 weight decay of 1 (through the gradient, then normalized: not
 * a decay of x alone) nowhere; gsl-bfgs sits the noise workload out.  `run` warns once
 * on stderr for such a setting and still runs it. */
static void test_decay_skipped(void **st)
{
    (void)st;
    ob_suite *S;
    ob_error e = {{0}};
    const char *text = "[suite]\nname = dk\noptimizers = adamw lion adam gsl-bfgs\nseeds = 1\n"
                       "lr-from = 1e-1\nlr-to = 100\nlr-per-decade = 1\n"
                       "[optimizer lion]\nweight-decay = 0.5\n[optimizer adam]\nweight-decay = 1\n"
                       "[workload q]\nproblem = quadratic\ndim = 3\nsteps = 20\n"
                       "[workload s]\nproblem = saddle\nsteps = 20\nnoise = 0.1\n";
    assert_int_equal(ob_suite_parse(text, "dk.ini", NULL, NULL, &S, &e), OB_OK);
    char out[128];
    snprintf(out, sizeof out, "%s/decay", dir);
    ob_bench_config c = {.suite = S, .out = out, .jobs = 1, .shard_n = 1};
    if (ob_bench_write_inputs(&c, &e) != OB_OK || ob_bench_run(&c, &e) != OB_OK) fail_msg("%s", e.msg);
    ob_table t;
    read_csv(out, "skipped.csv", &t);
    int wc = ob_table_col(&t, "workload"), oc = ob_table_col(&t, "optimizer"),
        lc = ob_table_col(&t, "lr"), rc = ob_table_col(&t, "reason");
    assert_true(wc >= 0 && oc >= 0 && lc >= 0 && rc >= 0);
    /* each workload: adamw 100, lion 10 and 100; s also gsl-bfgs (lr empty) */
    const struct { const char *w, *o; double lr; } want[] = {
        {"q", "adamw", 100}, {"q", "lion", 10}, {"q", "lion", 100},
        {"s", "adamw", 100}, {"s", "lion", 10}, {"s", "lion", 100}, {"s", "gsl-bfgs", NAN}};
    assert_int_equal(t.rows, 7);
    for (size_t k = 0; k < 7; k++) {
        int found = 0;
        for (size_t i = 0; i < t.rows; i++) {
            double lr = ob_table_num(&t, i, lc);
            found |= !strcmp(ob_table_str(&t, i, wc), want[k].w) &&
                     !strcmp(ob_table_str(&t, i, oc), want[k].o) &&
                     (isnan(want[k].lr) ? isnan(lr) : fabs(lr - want[k].lr) < 1e-9 * want[k].lr);
        }
        if (!found) fail_msg("skipped.csv has no row %s %s %g", want[k].w, want[k].o, want[k].lr);
    }
    ob_table_free(&t);
    /* not run: no tuning run at the skipped points (packed summaries or not); the
     * others ran */
    const struct { const char *pair, *stem; int ran; } runs[] = {
        {"q/adamw", "tune-100", 0}, {"q/lion", "tune-10", 0}, {"q/lion", "tune-100", 0},
        {"q/adamw", "tune-10", 1}, {"q/lion", "tune-1", 1}, {"q/adam", "tune-100", 1}};
    char path[512];
    for (size_t k = 0; k < sizeof runs / sizeof *runs; k++) {
        snprintf(path, sizeof path, "%s/runs/%s", out, runs[k].pair);
        ob_table r;
        int ok = ob_run_summary_read(path, runs[k].stem, &r, NULL) == OB_OK;
        if (ok) ob_table_free(&r);
        if (ok != runs[k].ran) fail_msg("%s/%s: %s", runs[k].pair, runs[k].stem, ok ? "ran" : "did not run");
    }
    snprintf(path, sizeof path, "%s/runs/s/gsl-bfgs", out);
    assert_int_equal(access(path, F_OK), -1);
    ob_suite_free(S);
    /* the edge extension: on the textbook quadratic adamw's choice climbs the grid's top
     * edge (1e-1 .. 10) through 21.5 and 46.4 towards 100, where lr*wd = 1: that rate is
     * not run and skipped.csv says the extension stopped there */
    text = "[suite]\nname = ex\noptimizers = adamw\nseeds = 1\nlr-from = 1e-1\nlr-to = 10\n"
           "[workload q]\nproblem = quadratic\nkappa = 100\nsteps = 100\nshift = 0\n";
    assert_int_equal(ob_suite_parse(text, "ex.ini", NULL, NULL, &S, &e), OB_OK);
    snprintf(out, sizeof out, "%s/decay-ext", dir);
    c = (ob_bench_config){.suite = S, .out = out, .jobs = 1, .shard_n = 1};
    if (ob_bench_write_inputs(&c, &e) != OB_OK || ob_bench_run(&c, &e) != OB_OK) fail_msg("%s", e.msg);
    read_csv(out, "skipped.csv", &t);
    assert_int_equal(t.rows, 1);
    assert_true(fabs(ob_table_num(&t, 0, ob_table_col(&t, "lr")) - 100) < 1e-9);
    assert_non_null(strstr(ob_table_str(&t, 0, ob_table_col(&t, "reason")), "edge extension stopped"));
    ob_table_free(&t);
    snprintf(path, sizeof path, "%s/runs/q/adamw", out);
    ob_table r;
    assert_int_equal(ob_run_summary_read(path, "tune-100_x", &r, NULL) == OB_OK, 0);
    assert_int_equal(ob_run_summary_read(path, "tune-46.4_x", &r, NULL), OB_OK);
    ob_table_free(&r);
    ob_suite_free(S);
    /* run: one warning line, and the run */
    assert_int_equal(sh("%s run --problem quadratic --optimizer adamw --lr 100 --steps 5 --quiet "
                        "--out %s/aw.csv 2> %s/aw.err", bin, dir, dir), 0);
    assert_int_equal(sh("test $(wc -l < %s/aw.err) -eq 1 && grep -q 'warning: adamw at lr 100' "
                        "%s/aw.err && test -s %s/aw.csv", dir, dir, dir), 0);
    assert_int_equal(sh("%s run --problem quadratic --optimizer adamw --lr 10 --steps 5 --quiet "
                        "--out %s/aw.csv 2> %s/aw.err && test ! -s %s/aw.err", bin, dir, dir, dir), 0);
}

static void test_product_grid(void **st)
{
    (void)st;
    assert_int_equal(sh("cd %s && printf '" GRID_SUITE "[optimizer momentum]\nmomentum = 0 0.9\n'"
                        " > grid.ini && printf '" GRID_SUITE "' > plain.ini", dir), 0);
    for (int jobs = 1; jobs <= 2; jobs++)
        assert_int_equal(sh("%s bench --suite %s/grid.ini --out %s/grid%d --jobs %d --quiet "
                            "> /dev/null", bin, dir, dir, jobs, jobs), 0);
    char out[128];
    snprintf(out, sizeof out, "%s/grid1", dir);
    ob_table t;
    read_csv(out, "tuning.csv", &t);
    int hp = ob_table_col(&t, "hparams"), oc = ob_table_col(&t, "optimizer"),
        sc = ob_table_col(&t, "score"), lc = ob_table_col(&t, "lr");
    assert_true(hp >= 0);
    assert_int_equal(t.rows, 4 + 4 * 2); /* gd: 4 rates; momentum: 4 rates x 2 values */
    for (size_t r = 0; r < 4; r++) {     /* gd first, then momentum: mu 0 then 0.9 per rate */
        assert_string_equal(ob_table_str(&t, r, oc), "gd");
        assert_string_equal(ob_table_str(&t, r, hp), "");
        size_t m0 = 4 + 2 * r, m9 = m0 + 1;
        assert_string_equal(ob_table_str(&t, m0, hp), "momentum=0");
        assert_string_equal(ob_table_str(&t, m9, hp), "momentum=0.9");
        assert_string_equal(ob_table_str(&t, m0, lc), ob_table_str(&t, r, lc));
        assert_string_equal(ob_table_str(&t, m0, sc), ob_table_str(&t, r, sc)); /* mu 0 = gd */
    }
    assert_true(ob_table_num(&t, 7, sc) < 1e-5 && ob_table_num(&t, 6, sc) > 1e-3); /* lr 0.01 */
    ob_table_free(&t);
    read_csv(out, "chosen.csv", &t);
    assert_int_equal(t.rows, 2);
    assert_string_equal(ob_table_str(&t, 1, ob_table_col(&t, "optimizer")), "momentum");
    assert_true(ob_table_num(&t, 1, ob_table_col(&t, "lr")) == 0.01);
    assert_string_equal(ob_table_str(&t, 1, ob_table_col(&t, "hparams")), "momentum=0.9");
    assert_string_equal(ob_table_str(&t, 1, ob_table_col(&t, "grid_points")), "8");
    assert_string_equal(ob_table_str(&t, 0, ob_table_col(&t, "hparams")), "");
    ob_table_free(&t);
    /* the report's table of chosen settings names the chosen point */
    assert_int_equal(sh("grep -qF '| q | 0.01 | 0.01, momentum=0.9 |' %s/report.md", out), 0);
    for (int seed = 1; seed <= 2; seed++) { /* the seed runs ran at the chosen point */
        char f[64];
        snprintf(f, sizeof f, "runs/q/momentum/seed-%d.summary.csv", seed);
        read_csv(out, f, &t);
        assert_string_equal(ob_table_str(&t, 0, ob_table_col(&t, "hparams")), "momentum=0.9");
        assert_true(ob_table_num(&t, 0, ob_table_col(&t, "lr")) == 0.01);
        assert_true(ob_table_num(&t, 0, ob_table_col(&t, "final_gap")) < 1e-5);
        ob_table_free(&t);
    }
    read_csv(out, "runs/q/momentum/tune-0.01_p1_momentum_0.9.summary.csv", &t);
    ob_table_free(&t);
    read_csv(out, "runs/q/gd/seed-1.summary.csv", &t);
    assert_int_equal(ob_table_col(&t, "hparams"), -1); /* no list, no column */
    ob_table_free(&t);
    /* --jobs independence and resume (the second bench runs nothing) */
    assert_int_equal(sh("cd %s && cmp -s grid1/tuning.csv grid2/tuning.csv && "
                        "cmp -s grid1/chosen.csv grid2/chosen.csv", dir), 0);
    assert_int_equal(sh("cp %s/tuning.csv %s/t0.csv && cp %s/chosen.csv %s/c0.csv && "
                        "%s bench --suite %s/grid.ini --out %s --jobs 2 --quiet > /dev/null && "
                        "cmp -s %s/t0.csv %s/tuning.csv && cmp -s %s/c0.csv %s/chosen.csv",
                        out, dir, out, dir, bin, dir, out, dir, out, dir, out), 0);
    assert_int_equal(sh("%s bench --suite %s/grid.ini --out /tmp/x --list | wc -l | grep -qx 2", bin, dir), 0);
    /* without the list: the names and the tables as before lists existed */
    assert_int_equal(sh("%s bench --suite %s/plain.ini --out %s/plain --jobs 2 --quiet > /dev/null",
                        bin, dir, dir), 0);
    assert_int_equal(sh("cd %s/plain && grep -q '^tune-0.01,' runs/q/momentum/summaries.csv && "
                        "head -1 tuning.csv | grep -qx 'workload,kind,optimizer,lr,status,final_gap,score,grid' && "
                        "head -1 chosen.csv | grep -q 'grid_points$'", dir), 0);
}

/* the tags of the run names: made and read back; ties among points go to the earlier */
static void test_point_tags(void **st)
{
    (void)st;
    char hp[96];
    assert_int_equal(ob_tuning_tag_parse("_p3_momentum_0.9_weight-decay_-0.5", hp, sizeof hp), 3);
    assert_string_equal(hp, "momentum=0.9;weight-decay=-0.5");
    assert_int_equal(ob_tuning_tag_parse("", hp, sizeof hp), 0);
    assert_string_equal(hp, "");
    assert_int_equal(ob_tuning_tag_parse("_p1_momentum", hp, sizeof hp), -1);
    assert_int_equal(ob_tuning_tag_parse("_q1_momentum_0.9", hp, sizeof hp), -1);
    ob_suite *S;
    ob_error e = {{0}};
    assert_int_equal(ob_suite_parse(HEAD SADDLE "[optimizer adam]\nbeta1 = 0.9 0.8\nbeta2 = 0.99 0.999 0.9\n",
                                    "t.ini", NULL, NULL, &S, &e), OB_OK);
    const ob_suite_optimizer *o = &S->optimizers[2];
    assert_int_equal(o->n_points, 6);
    assert_string_equal(o->tags[4], "_p4_beta1_0.8_beta2_0.999"); /* beta1 slowest */
    assert_true(o->points[4].beta1 == 0.8 && o->points[4].beta2 == 0.999 && o->h.beta1 == 0.9);
    assert_int_equal(S->optimizers[0].n_points, 1);
    assert_string_equal(S->optimizers[0].tags[0], "");
    ob_suite_free(S);
    ob_tune_row t[3] = {{.lr = 0.1, .score = 1, .hit = 5, .point = 0},
                        {.lr = 0.1, .score = 0.5, .hit = 5, .point = 1},
                        {.lr = 0.1, .score = 0.5, .hit = 5, .point = 2}};
    assert_int_equal(ob_tuning_choose(t, 3), 1);
}

/* README: `make examples; ./optbench bench --suite examples/suites/lecture.ini --out lecture`
 * (make test builds the examples first) */
static void test_lecture_runs_as_typed(void **st)
{
    (void)st;
    assert_int_equal(sh("%s bench --suite examples/suites/lecture.ini --out %s/lecture --jobs 2 "
                        "--quiet > /dev/null", bin, dir), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/lecture/chosen.csv", dir);
    ob_table t;
    assert_int_equal(ob_table_read(path, &t, NULL), OB_OK);
    assert_int_equal(t.rows, 8); /* 2 workloads x 4 optimizers, the plugin among them */
    int oc = ob_table_col(&t, "optimizer"), plugin = 0;
    for (size_t r = 0; r < t.rows; r++) plugin += !strcmp(ob_table_str(&t, r, oc), "sign-descent");
    assert_int_equal(plugin, 2);
    ob_table_free(&t);
    snprintf(path, sizeof path, "%s/lecture/index.html", dir);
    assert_int_equal(access(path, F_OK), 0);
}

/* the command line: --print-suite of a file prints the file; --list names it by its
 * absolute path; a bad file is one line, exit 2, and no results directory */
static void test_command_line(void **st)
{
    (void)st;
    assert_int_equal(sh("cd %s && printf '" HEAD SADDLE "' > ok.ini", dir), 0);
    assert_int_equal(sh("%s bench --suite %s/ok.ini --print-suite | cmp -s - %s/ok.ini", bin, dir, dir), 0);
    assert_int_equal(sh("%s bench --suite %s/ok.ini --out /tmp/x --list | grep -c -- '--suite %s/ok.ini --out /tmp/x --jobs 1 --only s/' | grep -qx 3",
                        bin, dir, dir), 0);
    assert_int_equal(sh("cd %s && printf '" HEAD "[workload s]\\nproblem = saddle\\nkapa = 1\\n' > bad.ini", dir), 0);
    assert_int_equal(sh("%s bench --suite %s/bad.ini --out %s/bad > %s/bad.txt 2>&1", bin, dir, dir, dir), 2);
    assert_int_equal(sh("grep -qx 'optbench bench: %s/bad.ini:6: \\[workload s\\] kapa: .*' %s/bad.txt", dir, dir), 0);
    assert_int_equal(sh("test -e %s/bad", dir), 1);
    assert_int_equal(sh("%s bench --suite quick --print-suite | grep -qx 'name = quick'", bin), 0);
}

/* A and B run the same: every setting of every workload and optimizer (not the name,
 * source or text) */
static void same_suite(const ob_suite *A, const ob_suite *B)
{
    assert_true(A->seeds == B->seeds && A->net_seeds == B->net_seeds && A->gzip == B->gzip);
    assert_memory_equal(&A->grid, &B->grid, sizeof A->grid);
    assert_memory_equal(&A->net_grid, &B->net_grid, sizeof A->net_grid);
    assert_true(A->rate_max_n == B->rate_max_n && A->rate_seeds == B->rate_seeds);
    assert_int_equal(A->targets.n, B->targets.n);
    for (int k = 0; k < A->targets.n; k++)
        assert_true(A->targets.v[k] == B->targets.v[k] && !strcmp(A->targets.name[k], B->targets.name[k]));
    assert_int_equal(A->n_workloads, B->n_workloads);
    for (size_t i = 0; i < A->n_workloads; i++) {
        const ob_workload *a = &A->workloads[i], *b = &B->workloads[i];
        assert_string_equal(a->name, b->name);
        same_workload(a, b);
    }
    assert_int_equal(A->n_optimizers, B->n_optimizers);
    for (size_t i = 0; i < A->n_optimizers; i++) {
        const ob_suite_optimizer *a = &A->optimizers[i], *b = &B->optimizers[i];
        assert_string_equal(a->name, b->name);
        assert_true(a->T == b->T);
        assert_memory_equal(&a->h, &b->h, sizeof a->h);
        assert_true(a->n_lists == b->n_lists && a->n_points == b->n_points);
        for (size_t k = 0; k < a->n_points; k++) {
            assert_memory_equal(&a->points[k], &b->points[k], sizeof a->points[k]);
            assert_string_equal(a->tags[k], b->tags[k]);
        }
    }
}

static ob_suite *load_suite(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ob_suite *S;
    ob_error e = {{0}};
    if (ob_suite_load(path, &S, &e) != OB_OK) fail_msg("%s", e.msg);
    return S;
}

/* `bench --list` of two suites (a built-in's name or a file of dir), the suite's name in
 * each line made one: 0 if they list the same runs */
static int same_list(const char *a, const char *b)
{
    char pa[300], pb[300];
    snprintf(pa, sizeof pa, "%s%s%s", strstr(a, ".ini") ? dir : "", strstr(a, ".ini") ? "/" : "", a);
    snprintf(pb, sizeof pb, "%s%s%s", strstr(b, ".ini") ? dir : "", strstr(b, ".ini") ? "/" : "", b);
    return sh("%s bench --suite %s --out /tmp/x --list | sed 's|--suite [^ ]*|--suite S|' > %s/la.txt "
              "&& %s bench --suite %s --out /tmp/x --list | sed 's|--suite [^ ]*|--suite S|' > %s/lb.txt "
              "&& test -s %s/la.txt && cmp -s %s/la.txt %s/lb.txt", bin, pa, dir, bin, pb, dir, dir, dir, dir);
}

/* include: a suite that includes another (a relative path from its own directory, or a
 * built-in's name) and changes it is the suite written out: its [suite] keys replace the
 * included ones (optimizers too, keeping the included settings of those it keeps), a
 * section named as an included one changes the keys it gives in place (a value replaces a
 * list), a new workload goes after the previous section's, or last; includes nest */
#define INC_BASE "[suite]\nname = base\noptimizers = gd momentum adam\nseeds = 2\nlr-from = 1e-2\n" \
    "lr-to = 1e-1\n[optimizer adam]\nbeta1 = 0.8 0.9\n[optimizer momentum]\nmomentum = 0.5\n" \
    "[workload w1]\nproblem = saddle\nsteps = 10\n[workload w2]\nproblem = quadratic\ndim = 3\n" \
    "steps = 20\n[workload n]\nnetwork = softmax\nepochs = 2\nsubset = 500\nbatch = 64\n" \
    "[workload w3]\nproblem = lsq\ndim = 3\nsamples = 40\nsteps = 30\noptimizers = gd adam\n"
static void test_include(void **st)
{
    (void)st;
    assert_int_equal(sh("mkdir -p %s/inc/sub", dir), 0);
    put("inc/sub/base.ini", INC_BASE);
    put("inc/top.ini", "; base with changes\n[suite]\ninclude = sub/base.ini\nname = top\nseeds = 3\n"
                       "[workload last]\nproblem = beale\nsteps = 7\n"
                       "[optimizer adam]\nbeta1 = 0.95\n"
                       "[workload w1]\nsteps = 11\n[workload w1b]\nproblem = rosenbrock\nsteps = 12\n"
                       "[workload w1c]\nproblem = rastrigin\nsteps = 13\n"
                       "[workload n]\nepochs = 4\nsubset = all\n");
    put("inc/written.ini", "[suite]\nname = written\noptimizers = gd momentum adam\nseeds = 3\n"
                           "lr-from = 1e-2\nlr-to = 1e-1\n[optimizer adam]\nbeta1 = 0.95\n"
                           "[optimizer momentum]\nmomentum = 0.5\n"
                           "[workload w1]\nproblem = saddle\nsteps = 11\n"
                           "[workload w1b]\nproblem = rosenbrock\nsteps = 12\n"
                           "[workload w1c]\nproblem = rastrigin\nsteps = 13\n"
                           "[workload w2]\nproblem = quadratic\ndim = 3\nsteps = 20\n"
                           "[workload n]\nnetwork = softmax\nepochs = 4\nbatch = 64\n"
                           "[workload w3]\nproblem = lsq\ndim = 3\nsamples = 40\nsteps = 30\n"
                           "optimizers = gd adam\n[workload last]\nproblem = beale\nsteps = 7\n");
    ob_suite *A = load_suite("inc/top.ini"), *B = load_suite("inc/written.ini");
    same_suite(A, B);
    assert_string_equal(A->name, "top");
    assert_int_equal(A->optimizers[2].n_points, 1); /* the list replaced by one value */
    ob_suite_free(B);
    assert_int_equal(same_list("inc/top.ini", "inc/written.ini"), 0);
    assert_int_equal(same_list("inc/top.ini", "inc/sub/base.ini"), 1); /* (the check can fail) */
    /* nested, and [suite] optimizers replacing the included list: momentum keeps its 0.5 */
    put("inc/nest.ini", "[suite]\ninclude = top.ini\nname = nest\noptimizers = momentum gd\n"
                        "[workload w3]\noptimizers = gd\n");
    put("inc/nest-written.ini", "[suite]\nname = nw\noptimizers = momentum gd\nseeds = 3\n"
                                "lr-from = 1e-2\nlr-to = 1e-1\n[optimizer momentum]\nmomentum = 0.5\n"
                                "[workload w1]\nproblem = saddle\nsteps = 11\n"
                                "[workload w1b]\nproblem = rosenbrock\nsteps = 12\n"
                                "[workload w1c]\nproblem = rastrigin\nsteps = 13\n"
                                "[workload w2]\nproblem = quadratic\ndim = 3\nsteps = 20\n"
                                "[workload n]\nnetwork = softmax\nepochs = 4\nbatch = 64\n"
                                "[workload w3]\nproblem = lsq\ndim = 3\nsamples = 40\nsteps = 30\n"
                                "optimizers = gd\n[workload last]\nproblem = beale\nsteps = 7\n");
    B = load_suite("inc/nest.ini");
    ob_suite *C = load_suite("inc/nest-written.ini");
    same_suite(B, C);
    assert_true(B->optimizers[0].h.momentum == 0.5);
    ob_suite_free(B);
    ob_suite_free(C);
    assert_int_equal(same_list("inc/nest.ini", "inc/nest-written.ini"), 0);
    /* a built-in by name: quick with the optimizers changed */
    ob_error e = {{0}};
    assert_int_equal(ob_suite_parse("[suite]\ninclude = quick\nname = q2\noptimizers = sgd gd\n",
                                    "q2.ini", NULL, NULL, &B, &e), OB_OK);
    const ob_suite *q = ob_suite_find("quick");
    assert_true(B->n_optimizers == 2 && !strcmp(B->optimizers[0].name, "sgd"));
    assert_true(B->n_workloads == q->n_workloads && B->seeds == q->seeds && !strcmp(B->name, "q2"));
    ob_suite_free(B);
    ob_suite_free(A);
}

/* include's errors: one line naming the file and line (the included file's when the
 * error is in it), exit 2 on the command line */
static void test_include_errors(void **st)
{
    (void)st;
    assert_int_equal(sh("mkdir -p %s/ie/sub", dir), 0);
    put("ie/a.ini", "[suite]\ninclude = sub/b.ini\nname = a\n");
    put("ie/sub/b.ini", "; b\n[suite]\ninclude = ../a.ini\nname = b\n");
    put("ie/m.ini", "[suite]\ninclude = nope.ini\nname = m\n");
    put("ie/sub/bad.ini", "[suite]\nname = b\noptimizers = gd\n[workload s]\nproblem = saddle\nsteps = x\n");
    put("ie/c.ini", "[suite]\ninclude = sub/bad.ini\nname = c\n");
    put("ie/d.ini", "[suite]\ninclude = c.ini\nname = d\n");
    put("ie/sub/nini.ini", "[suite]\nname = b\nnot ini\n");
    put("ie/e.ini", "[suite]\ninclude = sub/nini.ini\nname = e\n");
    static const struct {
        const char *file, *line; /* the whole message, a regex */
    } cases[] = {
        {"a.ini", "sub/b.ini:3: include = '../a.ini': an include cycle (.*/ie/a.ini -> .*/ie/sub/b.ini -> "
                  ".*/ie/a.ini); accepted: a suite that does not include itself"},
        {"m.ini", "m.ini:2: include = 'nope.ini': cannot read .*/ie/nope.ini: No such file or directory; "
                  "accepted: a built-in suite (quick, full, smoke) or a suite file, .*"},
        {"c.ini", "sub/bad.ini:6: steps = 'x': accepted: a whole number .*"},
        {"d.ini", "sub/bad.ini:6: steps = 'x': accepted: a whole number .*"},
        {"e.ini", "sub/nini.ini:3: 'not ini' is not INI: .*"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = sh("%s bench --suite %s/ie/%s --out %s/ie/out > %s/ie/msg.txt 2>&1", bin, dir,
                    cases[i].file, dir, dir);
        char want[600];
        snprintf(want, sizeof want, "optbench bench: %s/ie/%s\n", dir, cases[i].line);
        put("ie/want.txt", want);
        if (rc != 2 || sh("test $(wc -l < %s/ie/msg.txt) = 1 && grep -qxf %s/ie/want.txt %s/ie/msg.txt",
                          dir, dir, dir))
            fail_msg("case %zu (%s): exit %d, message: %s", i, cases[i].file, rc, slurp("ie/msg.txt"));
        assert_int_equal(sh("test -e %s/ie/out", dir), 1);
    }
    static const refusal bad[] = {
        {"[suite]\nname = t\ninclude = quick\n", "t.ini:3: include = 'quick': include is the first key of [suite]"},
        {"[suite]\ninclude = quick\ninclude = smoke\n", "t.ini:3: include = 'smoke': include is the first key"},
        {"[suite]\ninclude = quick\n", "t.ini:1: [suite] has no name"},
        {"[suite]\ninclude = smoke\nname = t\n[workload saddle]\nsteps = 5\n[workload saddle]\n",
         "t.ini:6: [workload saddle] is defined twice (first on line 4)"},
        {"[suite]\ninclude = smoke\nname = t\n[workload saddle]\nproblem = beale\n",
         "t.ini:5: [workload saddle] problem: the workload is already a problem"},
        {"[suite]\ninclude = smoke\nname = t\n[optimizer adam]\nbeta1 = 0.9\n[optimizer adam]\n",
         "t.ini:6: [optimizer adam] is defined twice (first on line 4)"},
        {"[suite]\ninclude = smoke\nname = t\noptimizers = gd adam\noptimizers = gd\n",
         "t.ini:5: optimizers is given twice"},
        {"[suite]\ninclude = smoke\nname = t\noptimizers = gd adam\n",
         "smoke:43: [workload softmax-tiny] optimizers: momentum is not one of the suite's optimizers; "
         "accepted: gd adam"},
        {"[suite]\ninclude = smoke\nname = t\n[workload softmax-tiny]\nsubset = 0\n",
         "t.ini:5: subset = '0': accepted: a whole number from 1 to 100000000, or all"},
    };
    refused_all(bad, sizeof bad / sizeof *bad);
}

/* every built-in's --print-suite is its bench/suites file (the binary embeds the current
 * text) and, run as a file anywhere, lists the runs of the built-in */
static void test_builtins_print(void **st)
{
    (void)st;
    assert_int_equal(sh("mkdir -p %s/printed", dir), 0);
    for (size_t i = 0; ob_suite_names[i]; i++) {
        const char *n = ob_suite_names[i];
        assert_int_equal(sh("%s bench --suite %s --print-suite > %s/printed/%s.ini && "
                            "cmp -s %s/printed/%s.ini bench/suites/%s.ini", bin, n, dir, n, dir, n, n), 0);
        char file[64];
        snprintf(file, sizeof file, "printed/%s.ini", n);
        if (same_list(n, file)) fail_msg("%s: its printed text lists other runs", n);
        ob_suite *S = load_suite(file);
        same_suite(ob_suite_find(n), S);
        ob_suite_free(S);
    }
    assert_int_equal(same_list("quick", "full"), 1); /* (the check can fail) */
}

/* ranking_targets.csv against reached.csv of directory out: per (workload, optimizer,
 * target), seeds_reached counts the seeds with a step count, and median_steps is their
 * median over the seeds (an unreached seed counting as infinite; empty when the median is
 * not finite): with two seeds, the mean of both or nothing. */
static void long_form_agrees(const char *out)
{
    char path[300];
    ob_table R, L;
    snprintf(path, sizeof path, "%s/reached.csv", out);
    assert_int_equal(ob_table_read(path, &R, NULL), OB_OK);
    snprintf(path, sizeof path, "%s/ranking_targets.csv", out);
    assert_int_equal(ob_table_read(path, &L, NULL), OB_OK);
    assert_int_equal(L.rows * 2, R.rows); /* two seeds per (optimizer, target) */
    const char *key[3] = {"workload", "optimizer", "target"};
    for (size_t l = 0; l < L.rows; l++) {
        double steps[2];
        size_t n = 0;
        for (size_t r = 0; r < R.rows; r++) {
            int same = 1;
            for (int k = 0; k < 3; k++)
                same &= !strcmp(ob_table_str(&R, r, ob_table_col(&R, key[k])),
                                ob_table_str(&L, l, ob_table_col(&L, key[k])));
            if (same && n < 2) steps[n++] = ob_table_num(&R, r, ob_table_col(&R, "steps"));
        }
        assert_int_equal(n, 2);
        int reached = !isnan(steps[0]) + !isnan(steps[1]);
        assert_true(ob_table_num(&L, l, ob_table_col(&L, "seeds_reached")) == reached);
        double m = ob_table_num(&L, l, ob_table_col(&L, "median_steps"));
        if (reached == 2) assert_true(fabs(m - (steps[0] + steps[1]) / 2) < 1e-9);
        else assert_true(isnan(m));
    }
    ob_table_free(&R);
    ob_table_free(&L);
}

/* [suite] targets: bad values refused with the line; the default when absent; a suite
 * with `targets = 0.5 1e-2` gives metrics, ranking, profile and ECDF rows for those two,
 * read back from the directory's targets.csv when the tables are made again */
static void test_targets(void **st)
{
    (void)st;
    static const refusal bad[] = {
        {HEAD "targets = 0.5 1e-2 2\n" SADDLE, "t.ini:4: targets = '0.5 1e-2 2': '2' is not between 0 and 1"},
        {HEAD "seeds = 2\ntargets = 1e-3 1e-1\n" SADDLE, "t.ini:5: targets = '1e-3 1e-1': '1e-1' is not below 1e-3"},
        {HEAD "targets = 1e-1 1e-2 1e-3 1e-4\n" SADDLE, "t.ini:4: targets = '1e-1 1e-2 1e-3 1e-4': more than 3 targets"},
        {HEAD "targets = 0\n" SADDLE, "t.ini:4: targets = '0': '0' is not between 0 and 1"},
        {HEAD "targets = tiny\n" SADDLE, "t.ini:4: targets = 'tiny': 'tiny' is not between 0 and 1"},
        {HEAD "targets = 1e-1 1e-1\n" SADDLE, "t.ini:4: targets = '1e-1 1e-1': '1e-1' is not below 1e-1"},
    };
    refused_all(bad, sizeof bad / sizeof *bad);
    ob_suite *S;
    ob_error e = {{0}};
    assert_int_equal(ob_suite_parse(HEAD SADDLE, "t.ini", NULL, NULL, &S, &e), OB_OK);
    assert_int_equal(S->targets.n, 3);
    assert_true(S->targets.v[2] == 1e-6 && !strcmp(S->targets.name[0], "1e-1"));
    ob_suite_free(S);
    for (size_t i = 0; ob_suite_names[i]; i++) {
        const ob_suite *B = ob_suite_find(ob_suite_names[i]);
        assert_int_equal(B->targets.n, 3);
        for (int k = 0; k < 3; k++) assert_true(B->targets.v[k] == ob_targets[k]);
    }

    /* two targets, end to end */
    assert_int_equal(sh("cd %s && printf '[suite]\\nname = two\\noptimizers = gd adam\\nseeds = 2\\n"
                        "lr-from = 1e-2\\nlr-to = 1e-1\\nlr-per-decade = 1\\ntargets = 0.5 1e-2\\n"
                        "[workload s]\\nproblem = saddle\\nsteps = 40\\n' > two.ini", dir), 0);
    assert_int_equal(sh("%s bench --suite %s/two.ini --out %s/two --quiet > /dev/null", bin, dir, dir), 0);
    char out[256];
    snprintf(out, sizeof out, "%s/two", dir);
    for (int pass = 0; pass < 2; pass++) { /* as the bench wrote them; made again from DIR */
        assert_int_equal(sh("grep -qx 'target' %s/targets.csv && sed -n 2,3p %s/targets.csv | "
                            "tr '\\n' ' ' | grep -qx '0.5 1e-2 '", out, out), 0);
        /* reached.csv: each final run (gd and adam, 2 seeds) once per target, in order */
        assert_int_equal(sh("cut -d, -f2-4 %s/reached.csv | tr '\\n' ' ' | grep -qx "
                            "'optimizer,seed,target adam,1,0.5 adam,1,1e-2 adam,2,0.5 adam,2,1e-2 "
                            "gd,1,0.5 gd,1,1e-2 gd,2,0.5 gd,2,1e-2 '", out), 0);
        /* ranking_targets.csv: each (optimizer, target) once, in order; no ranking table
         * names a column after a target */
        assert_int_equal(sh("cut -d, -f2-3 %s/ranking_targets.csv | tr '\\n' ' ' | grep -qx "
                            "'optimizer,target adam,0.5 adam,1e-2 gd,0.5 gd,1e-2 '", out), 0);
        assert_int_equal(sh("head -qn1 %s/ranking_*.csv | grep -q 'e-\\|0\\.5'", out), 1);
        long_form_agrees(out);
        assert_int_equal(sh("cut -d, -f4 %s/reached.csv | grep -q '1e-6\\|1e-3'", out), 1);
        /* one workload, two targets: the ECDF climbs in halves, to 1 (gd reaches both) */
        ob_table t;
        char path[300];
        snprintf(path, sizeof path, "%s/ecdf.csv", out);
        assert_int_equal(ob_table_read(path, &t, NULL), OB_OK);
        int fc = ob_table_col(&t, "fraction"), halves = 0, ones = 0;
        for (size_t r = 0; r < t.rows; r++) {
            double f = ob_table_num(&t, r, fc);
            halves += f == 0.5;
            ones += f == 1;
        }
        ob_table_free(&t);
        assert_true(halves >= 1 && ones >= 1);
        if (pass == 0) {
            assert_int_equal(sh("grep -q 'Targets (0.5 and 1e-2) are relative' %s/report.md && "
                                "grep -q '| steps to 0.5 | steps to 1e-2 (reached) |' %s/report.md",
                                out, out), 0);
            assert_int_equal(sh("rm %s/reached.csv %s/ranking_*.csv %s/ecdf.csv", out, out, out), 0);
            assert_int_equal(ob_tables_aggregate(out, &e), OB_OK);
        }
    }
    /* a bad targets.csv is refused with its line; none at all gives the defaults */
    assert_int_equal(sh("printf 'target\\n0.5\\n0.7\\n' > %s/targets.csv", out), 0);
    assert_int_equal(ob_tables_aggregate(out, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "targets.csv:3: '0.7' is not below 0.5"));
    assert_int_equal(sh("rm %s/targets.csv", out), 0);
    assert_int_equal(ob_tables_aggregate(out, &e), OB_OK);
    assert_int_equal(sh("sed 1d %s/ranking_targets.csv | cut -d, -f3 | sort -u | tr '\\n' ' ' | "
                        "grep -qx '1e-1 1e-3 1e-6 '", out), 0);
}

/* a bad file on the command line: exit 2, nothing written, one line on stderr that the
 * regex want (after "optbench bench: DIR/") matches */
static void refused_at(const char *file, const char *text, const char *want)
{
    put(file, text);
    int rc = sh("%s bench --suite %s/%s --out %s/refused > %s/refused.txt 2>&1", bin, dir, file,
                dir, dir);
    char line[600];
    snprintf(line, sizeof line, "optbench bench: %s/%s\n", dir, want);
    put("refused-want.txt", line);
    if (rc != 2 || sh("test $(wc -l < %s/refused.txt) = 1 && grep -qxf %s/refused-want.txt "
                      "%s/refused.txt", dir, dir, dir))
        fail_msg("%s: exit %d, message: %s", file, rc, slurp("refused.txt"));
    assert_int_equal(sh("test -e %s/refused", dir), 1);
}

/* every key's error names the key's line, also when the value is checked with the whole
 * optimizer (the key, read last, whose default would pass), with the other end of the lr
 * grid, or with the whole workload; a workload's optimizers are listed once each, as
 * [suite]'s are */
#define KL_MOMENTUM HEAD SADDLE "[workload r]\nproblem = rosenbrock\nsteps = 9\n; fixed\n\n" \
    "[optimizer momentum]\nmomentum = -0.5\n"
#define KL_TWICE HEAD "[workload s]\nproblem = saddle\nsteps = 5\noptimizers = gd gd\n"
static void test_key_lines(void **st)
{
    (void)st;
    static const refusal cases[] = {
        {KL_MOMENTUM, "t.ini:13: [optimizer momentum] momentum: --momentum must be in [0, 1), got -0.5"},
        {HEAD SADDLE "[optimizer adam]\nbeta1 = 0.9\namsgrad = true\nbeta2 = 2\neps = 1e-8\n",
         "t.ini:10: [optimizer adam] beta2: --beta1 and --beta2 must be in [0, 1)"},
        {HEAD SADDLE "[optimizer momentum]\nmomentum = 0\nnesterov = true\ndampening = 0\n",
         "t.ini:9: [optimizer momentum] nesterov: --nesterov needs --momentum > 0"},
        {HEAD "lr-from = 1\nlr-per-decade = 2\nlr-to = 1e-2\n" SADDLE, "t.ini:6: [suite] lr-from is above lr-to"},
        {KL_TWICE, "t.ini:7: [workload s] optimizers: gd is listed twice"},
        {HEAD "[workload s]\nproblem = saddle\noptimizers = adam, momentum adam\nsteps = 5\n",
         "t.ini:6: [workload s] optimizers: adam is listed twice"},
        {HEAD "[workload s]\nproblem = saddle\nsteps = 5\noptimizers =\n", "t.ini:7: [workload s] optimizers is empty"},
        {"[suite]\nname = t\noptimizers = gd gd\n" SADDLE, "t.ini:3: optimizers: gd is listed twice"},
    };
    refused_all(cases, sizeof cases / sizeof *cases);
    refused_at("kl-momentum.ini", KL_MOMENTUM, "kl-momentum.ini:13: \\[optimizer momentum\\] "
               "momentum: --momentum must be in \\[0, 1), got -0.5");
    refused_at("kl-twice.ini", KL_TWICE, "kl-twice.ini:7: \\[workload s\\] optimizers: gd is listed twice");
}

/* the example plugin as dir/DIR/ab.so (copied once: this process may have it loaded, and
 * a copy over it would change its mapped pages); DIR is long, so that the plugin's
 * absolute path makes a line of more than 200 characters */
#define PLUG_DIR "plug-a-directory-with-a-long-name-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
static void plugin_dir(void)
{
    assert_int_equal(sh("mkdir -p %s/" PLUG_DIR " && { test -e %s/" PLUG_DIR "/ab.so || "
                        "cp build/examples/sign_descent.so %s/" PLUG_DIR "/ab.so; }", dir, dir, dir), 0);
}

/* `bench --list` of dir/file: 0 when count of its lines match the regex want */
static int lists(const char *file, const char *want, int count)
{
    return sh("%s bench --suite %s/%s --out %s/o --list > %s/list.txt && "
              "test $(grep -c -- '%s' %s/list.txt) = %d", bin, dir, file, dir, dir, want, dir, count);
}

/* 0 when dir/file parses, in a child process (loading the plugin into this one would add
 * it to the registry the other tests' `optimizers = all` reads), with the plugin second,
 * its dead-zone dz, and workload w running the optimizers named opts */
static int plugin_suite(const char *file, double dz, size_t w, const char *opts)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, file);
        ob_suite *S;
        ob_error e = {{0}};
        if (ob_suite_load(path, &S, &e) != OB_OK) {
            fprintf(stderr, "%s\n", e.msg);
            _exit(1);
        }
        int ok = S->n_optimizers == 2 && !strcmp(S->optimizers[1].name, "sign-descent") &&
                 S->optimizers[1].h.extra[0] == dz && w < S->n_workloads &&
                 S->workloads[w].optimizers && !strcmp(S->workloads[w].optimizers, opts);
        ob_suite_free(S);
        _exit(ok ? 0 : 2);
    }
    int status;
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* a plugin listed by its path: its [optimizer] section may be named by that path, by the
 * path written otherwise (from the same directory), or by the plugin's own name, and so
 * may a workload's optimizers (which then run it alone); --list lists it */
static void test_plugin_path_section(void **st)
{
    (void)st;
    plugin_dir();
    const char *names[] = {"./ab.so", "ab.so", "sign-descent"};
    for (size_t i = 0; i < 3; i++) {
        char text[600];
        snprintf(text, sizeof text, "[suite]\nname = p\noptimizers = gd ./ab.so\n[workload s]\n"
                 "problem = saddle\nsteps = 10\noptimizers = %s\n[workload r]\nproblem = rosenbrock\n"
                 "steps = 10\n[optimizer %s]\ndead-zone = 0.5\n", names[i], names[i]);
        put(PLUG_DIR "/p.ini", text);
        assert_int_equal(plugin_suite(PLUG_DIR "/p.ini", 0.5, 0, "sign-descent"), 0);
        if (lists(PLUG_DIR "/p.ini", "--only [sr]/", 3) ||
            lists(PLUG_DIR "/p.ini", "--only s/sign-descent$", 1))
            fail_msg("[optimizer %s]: --list gave\n%s", names[i], slurp("list.txt"));
    }
    /* from a file of another directory, which includes that one: its own relative path */
    put("p-top.ini", "[suite]\ninclude = " PLUG_DIR "/p.ini\nname = top\n[optimizer " PLUG_DIR
                     "/ab.so]\ndead-zone = 0.25\n[workload r]\noptimizers = " PLUG_DIR "/ab.so gd\n");
    assert_int_equal(plugin_suite("p-top.ini", 0.25, 1, "sign-descent gd"), 0);
    /* another file is not it */
    assert_int_equal(sh("cp %s/" PLUG_DIR "/ab.so %s/" PLUG_DIR "/other.so", dir, dir), 0);
    refused_at(PLUG_DIR "/q.ini", "[suite]\nname = q\noptimizers = gd ./ab.so\n" SADDLE "[optimizer other.so]\n",
               PLUG_DIR "/q.ini:7: \\[optimizer other.so\\]: other.so is not in \\[suite\\]'s optimizers; "
               "list it there first; accepted: gd, sign-descent .*");
}

/* a byte-order mark starts a file (also an included one); lines of any length: the
 * issue's 208-character line with a plugin's absolute path, a line of 5000 characters
 * (a long relative path and a long comment), a list of 700 values (4900 characters, all
 * of them read); a line over the limit is refused with its number */
static void test_bom_and_long_lines(void **st)
{
    (void)st;
    ob_suite *S;
    ob_error e = {{0}};
    assert_int_equal(ob_suite_parse("\xEF\xBB\xBF" HEAD SADDLE, "t.ini", NULL, NULL, &S, &e), OB_OK);
    assert_true(S->n_optimizers == 3 && S->n_workloads == 1);
    ob_suite_free(S);
    put("bom-base.ini", "\xEF\xBB\xBF; a BOM, then a comment\n" HEAD SADDLE);
    put("bom.ini", "\xEF\xBB\xBF[suite]\ninclude = bom-base.ini\nname = bom\n[workload s]\nsteps = 20\n");
    S = load_suite("bom.ini");
    assert_true(S->n_workloads == 1 && S->workloads[0].steps == 20 && !strcmp(S->name, "bom"));
    ob_suite_free(S);
    if (lists("bom.ini", "--only s/", 3)) fail_msg("bom.ini: --list gave\n%s", slurp("list.txt"));

    /* the line: [suite] optimizers = gd momentum /abs/path/ab.so (208+ characters) */
    plugin_dir();
    char *text = malloc(16384), line[6000];
    assert_non_null(text);
    snprintf(line, sizeof line, "optimizers = gd momentum %s/" PLUG_DIR "/ab.so", dir);
    assert_true(strlen(line) >= 208);
    snprintf(text, 16384, "[suite]\nname = long\n%s\n" SADDLE "[optimizer %s/" PLUG_DIR "/ab.so]\n"
             "dead-zone = 0.5\n", line, dir);
    put("long-abs.ini", text);
    if (lists("long-abs.ini", "--only s/", 3) || lists("long-abs.ini", "--only s/sign-descent$", 1))
        fail_msg("long-abs.ini: --list gave\n%s", slurp("list.txt"));
    /* 5000 characters: a relative path of 600 characters, then a comment */
    size_t n = (size_t)snprintf(line, sizeof line, "optimizers = gd ");
    for (int k = 0; k < 300; k++) n += (size_t)snprintf(line + n, sizeof line - n, "./");
    n += (size_t)snprintf(line + n, sizeof line - n, "ab.so ; ");
    for (; n < 5000; n++) line[n] = "a comment "[n % 10];
    line[n] = '\0';
    snprintf(text, 16384, "[suite]\nname = long\n%s\n" SADDLE, line);
    put(PLUG_DIR "/long-5000.ini", text);
    if (lists(PLUG_DIR "/long-5000.ini", "--only s/", 2) ||
        lists(PLUG_DIR "/long-5000.ini", "--only s/sign-descent$", 1))
        fail_msg("long-5000.ini: --list gave\n%s", slurp("list.txt"));
    /* a list of 700 values: every one read */
    n = (size_t)snprintf(text, 16384, HEAD SADDLE "[optimizer momentum]\nmomentum =");
    for (int k = 1; k <= 700; k++) n += (size_t)snprintf(text + n, 16384 - n, " 0.%04d", k);
    snprintf(text + n, 16384 - n, "\n");
    assert_int_equal(ob_suite_parse(text, "t.ini", NULL, NULL, &S, &e), OB_OK);
    assert_true(S->optimizers[1].n_lists == 1 && S->optimizers[1].lists[0].n == 700 &&
                S->optimizers[1].lists[0].v[699] == 0.07 && S->optimizers[1].n_points == 700);
    ob_suite_free(S);
    free(text);
    /* over the limit */
    size_t big = OB_SUITE_MAX_LINE + 1;
    char *huge = malloc(big + 64);
    assert_non_null(huge);
    n = (size_t)snprintf(huge, 64, "[suite]\nname = ");
    memset(huge + n, 'x', big - 7);
    strcpy(huge + n + big - 7, "\n");
    S = (ob_suite *)1;
    assert_int_equal(ob_suite_parse(huge, "t.ini", NULL, NULL, &S, &e), OB_EINVAL);
    assert_null(S);
    char want[160];
    snprintf(want, sizeof want, "t.ini:2: the line is %zu characters long; accepted: lines of at "
             "most %d characters", big, OB_SUITE_MAX_LINE);
    assert_string_equal(e.msg, want);
    free(huge);
}

/* a device is no suite file (it would be read for ever); lists of more than
 * OB_SUITE_MAX_POINTS points are refused at the list that makes them too many */
static void test_limits(void **st)
{
    (void)st;
    ob_suite *S = (ob_suite *)1;
    ob_error e = {{0}};
    assert_int_equal(ob_suite_load("/dev/zero", &S, &e), OB_EINVAL);
    assert_null(S);
    assert_string_equal(e.msg, "/dev/zero: a device, not a file (a suite is a file of INI text)");
    S = (ob_suite *)1;
    assert_int_equal(ob_suite_parse("[suite]\ninclude = /dev/zero\n", "t.ini", NULL, NULL, &S, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "t.ini:2: include = '/dev/zero': cannot read /dev/zero: a device, not a file"));
    char text[4096];
    for (int b = 100; b >= 99; b--) { /* 101 x 100 points: refused; 101 x 99: taken */
        size_t n = (size_t)snprintf(text, sizeof text, HEAD SADDLE "[optimizer momentum]\nmomentum =");
        for (int k = 1; k <= 101; k++) n += (size_t)snprintf(text + n, sizeof text - n, " %g", k / 1000.0);
        n += (size_t)snprintf(text + n, sizeof text - n, "\ndampening =");
        for (int k = 1; k <= b; k++) n += (size_t)snprintf(text + n, sizeof text - n, " %g", k / 1000.0);
        snprintf(text + n, sizeof text - n, "\n");
        S = (ob_suite *)1;
        ob_status s = ob_suite_parse(text, "t.ini", NULL, NULL, &S, &e);
        if (b == 100) {
            assert_int_equal(s, OB_EINVAL);
            assert_non_null(strstr(e.msg, "t.ini:9: [optimizer momentum] dampening: the lists make "
                                          "more than 10000 points to tune"));
        } else if (s != OB_OK)
            fail_msg("%s", e.msg);
    }
    assert_int_equal(S->optimizers[1].n_points, 101 * 99);
    ob_suite_free(S);
}

/* what fuzz/fuzz_json.c found in the readers of optbench.json (the fuzz targets' own
 * reproducers live with the suite's tests): a format beyond int's range was converted to
 * int (undefined; now compared as a number: "newer"), and a "machine" that is an array
 * made the report's machine table print a NULL key (a crash) */
static void test_fuzz_json_reproducers(void **st)
{
    (void)st;
    assert_int_equal(sh("mkdir -p %s/j1 %s/j2 && printf '{\"format\":1e300}' > %s/j1/optbench.json && "
                        "printf '{\"format\":1,\"machine\":[1,\"x\",null],\"optbench\":[]}' > "
                        "%s/j2/optbench.json", dir, dir, dir, dir), 0);
    char d1[128], d2[128];
    snprintf(d1, sizeof d1, "%s/j1", dir);
    snprintf(d2, sizeof d2, "%s/j2", dir);
    cJSON *j = (cJSON *)1;
    ob_error e = {{0}};
    assert_int_equal(ob_provenance_read(d1, &j, &e), OB_EINVAL);
    assert_null(j);
    assert_non_null(strstr(e.msg, "/j1/optbench.json: format 1e+300 is newer than this optbench reads"));
    ob_report_tables t;
    memset(&t, 0, sizeof t);
    t.dir = d2;
    ob_doc doc;
    assert_int_equal(ob_doc_open(&doc, NULL), OB_OK);
    ob_section_machine(&doc, &t, 0);
    char *md = NULL;
    assert_int_equal(ob_doc_finish(&doc, &md, NULL), OB_OK);
    if (!strstr(md, "| optbench |") || !strstr(md, "(commit ?)")) fail_msg("the section:\n%s", md);
    free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtins),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_fixed_hyperparameters),
        cmocka_unit_test(test_fixed_reach_the_runs),
        cmocka_unit_test(test_product_grid),
        cmocka_unit_test(test_point_tags),
        cmocka_unit_test(test_lecture_runs_as_typed),
        cmocka_unit_test(test_command_line),
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_one_oracle),
        cmocka_unit_test(test_decay_skipped),
        cmocka_unit_test(test_shift_defeats_decay),
        cmocka_unit_test(test_include),
        cmocka_unit_test(test_include_errors),
        cmocka_unit_test(test_builtins_print),
        cmocka_unit_test(test_key_lines),
        cmocka_unit_test(test_plugin_path_section),
        cmocka_unit_test(test_bom_and_long_lines),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_fuzz_json_reproducers),
    };
    return cmocka_run_group_tests_name("suite", tests, setup, teardown);
}
