/* test_random_tuning.c - [suite] tuning = random N (bench/tuning.h): the suite keys and
 * ranges parsed and refused with their line (and exit 2 on the command line); the draws
 * reproducible, inside their ranges, log-uniform where asked, and given back by the runs'
 * names; the expected best of k trials against values worked by hand and against every
 * k-subset counted out; and the smoke suite with tuning = random 4 end to end. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/suite_file.h"
#include "bench/tuning.h"
#include "runs/runfile.h"
#include "tables/tables.h"
#include "tests/e2e.h"
#include "tests/shell.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("random");
}

#define HEAD "[suite]\nname = t\noptimizers = gd momentum adam\n"
#define SADDLE "[workload s]\nproblem = saddle\nsteps = 10\n"
#define NET "[workload n]\nnetwork = softmax\nepochs = 1\n"

static ob_suite *parse(const char *text)
{
    ob_suite *S = NULL;
    ob_error e = {{0}};
    if (ob_suite_parse(text, "t.ini", NULL, NULL, &S, &e) != OB_OK) fail_msg("%s", e.msg);
    return S;
}

/* the keys and the ranges as parsed */
static void test_parse(void **st)
{
    (void)st;
    ob_suite *S = parse(HEAD SADDLE);
    assert_int_equal(S->tuning_trials, 0); /* the default: the grid */
    assert_true(S->tuning_seed == 1);
    ob_suite_free(S);
    S = parse(HEAD "tuning = random 12\ntuning-seed = 7\n" SADDLE
              "[optimizer adam]\nbeta1 = 0.8 .. 0.99\neps = 1e-10..1e-6   log\n"
              "[optimizer momentum]\nmomentum = 0.1 .. 0.9\n");
    assert_int_equal(S->tuning_trials, 12);
    assert_true(S->tuning_seed == 7);
    const ob_suite_optimizer *a = &S->optimizers[2], *m = &S->optimizers[1];
    assert_int_equal(a->n_ranges, 2);
    assert_string_equal(a->ranges[0].op->name, "beta1");
    assert_true(a->ranges[0].lo == 0.8 && a->ranges[0].hi == 0.99 && !a->ranges[0].log);
    assert_string_equal(a->ranges[1].op->name, "eps");
    assert_true(a->ranges[1].lo == 1e-10 && a->ranges[1].hi == 1e-6 && a->ranges[1].log);
    assert_int_equal(a->ranges[1].line, 11);
    assert_int_equal(m->n_ranges, 1);
    assert_true(m->ranges[0].lo == 0.1 && m->h.momentum == 0.1);
    ob_suite_free(S);
    /* tuning = grid takes the grid back; a value after a range replaces the range */
    S = parse(HEAD "tuning = random 3\ntuning = grid\n" SADDLE);
    assert_int_equal(S->tuning_trials, 0);
    ob_suite_free(S);
    S = parse(HEAD "tuning = random 3\n" SADDLE "[optimizer adam]\nbeta1 = 0.8 .. 0.9\nbeta1 = 0.85\n");
    assert_int_equal(S->optimizers[2].n_ranges, 0);
    assert_true(S->optimizers[2].h.beta1 == 0.85);
    ob_suite_free(S);
}

typedef struct {
    const char *text, *want;
} refusal;

/* each text is refused with its line and what is accepted */
static void test_refused(void **st)
{
    (void)st;
    static const refusal cases[] = {
        {HEAD "tuning = random 0\n" SADDLE, "t.ini:4: tuning = 'random 0': accepted: grid, or random N"},
        {HEAD "tuning = random x\n" SADDLE, "t.ini:4: tuning = 'random x': accepted: grid, or random N"},
        {HEAD "tuning = randomly 4\n" SADDLE, "t.ini:4: tuning = 'randomly 4'"},
        {HEAD "tuning = random 4 5\n" SADDLE, "t.ini:4: tuning = 'random 4 5'"},
        {HEAD "tuning = random 10001\n" SADDLE, "from 1 to 10000"},
        {HEAD "tuning-seed = -1\n" SADDLE, "t.ini:4: tuning-seed = '-1': accepted: a whole number"},
        /* a range needs random tuning, which takes no list */
        {HEAD SADDLE "[optimizer adam]\nbeta1 = 0.8 .. 0.9\n",
         "t.ini:8: [optimizer adam] beta1: a range is drawn by random tuning; accepted: [suite] "
         "tuning = random N"},
        {HEAD "tuning = random 4\n" SADDLE "[optimizer adam]\nbeta1 = 0.8 0.9\n",
         "t.ini:9: [optimizer adam] beta1: a list of values is a grid"},
        /* a range's form and ends */
        {HEAD "tuning = random 4\n" SADDLE "[optimizer adam]\nbeta1 = 0.9 .. 0.8\n",
         "t.ini:9: beta1 = '0.9 .. 0.8': accepted: a range LO .. HI (LO < HI"},
        {HEAD "tuning = random 4\n" SADDLE "[optimizer adam]\neps = 0 .. 1e-6 log\n",
         "t.ini:9: eps = '0 .. 1e-6 log': accepted: a range LO .. HI"},
        {HEAD "tuning = random 4\n" SADDLE "[optimizer adam]\nbeta1 = 0.8 .. 0.9 lin\n",
         "t.ini:9: beta1 = '0.8 .. 0.9 lin'"},
        {HEAD "tuning = random 4\n" SADDLE "[optimizer adam]\nbeta1 = 0.8 .. x\n", "t.ini:9: beta1 = '0.8 .. x'"},
        {HEAD "tuning = random 4\n" SADDLE "[optimizer adam]\namsgrad = 0 .. 1\n",
         "t.ini:9: amsgrad = '0 .. 1': a range is accepted for numeric options only"},
        {HEAD "tuning = random 4\n" SADDLE "[optimizer adam]\nbeta1 = 0.5 .. 1.5\n",
         "t.ini:9: [optimizer adam] beta1 = 0.5 .. 1.5: at 1.5: "},
        {HEAD "tuning = random 4\n" SADDLE "[optimizer adam]\nlr = 0.1 .. 1\n",
         "t.ini:9: [optimizer adam] lr: lr is tuned on the suite's grid"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ob_suite *S = (ob_suite *)1;
        ob_error e = {{0}};
        ob_status s = ob_suite_parse(cases[i].text, "t.ini", NULL, NULL, &S, &e);
        if (s != OB_EINVAL || S || !strstr(e.msg, cases[i].want))
            fail_msg("case %zu: status %d, message\n  %s\nwanted it to contain\n  %s", i, s,
                     e.msg, cases[i].want);
    }
    /* on the command line: one line naming the file and the line, exit 2, nothing run */
    assert_int_equal(sh("printf '" HEAD SADDLE "[optimizer adam]\\nbeta1 = 0.8 .. 0.9\\n' > %s/bad.ini",
                        dir), 0);
    assert_int_equal(run("bench --suite %s/bad.ini --out %s/bad --quiet", dir, dir), 2);
    char want[128];
    snprintf(want, sizeof want, "%s/bad.ini:8: [optimizer adam] beta1: a range", dir);
    const char *err = slurp("stderr");
    assert_non_null(err);
    assert_non_null(strstr(err, want));
    assert_false(exists("bad/runs"));
}

/* the draws: the same for the same suite, inside the ranges, rounded as the names keep
 * them, and given back by the names; log-uniform where asked */
static void test_draws(void **st)
{
    (void)st;
    ob_suite *S = parse(HEAD "tuning = random 2000\nlr-from = 1e-4\nlr-to = 1\n"
                        "net-lr-from = 1e-3\nnet-lr-to = 1e-2\n" SADDLE NET
                        "[optimizer adam]\nbeta1 = 0.8 .. 0.99\neps = 1e-10 .. 1e-6 log\n");
    const ob_suite_optimizer *o = &S->optimizers[2];
    enum { N = 2000 };
    static ob_tune_trial a[N], b[N], c[N], d[N];
    ob_error e = {{0}};
    assert_int_equal(ob_tuning_trials(S, &S->workloads[0], o, a, N, &e), OB_OK);
    assert_int_equal(ob_tuning_trials(S, &S->workloads[0], o, b, N, &e), OB_OK);
    assert_int_equal(ob_tuning_trials(S, &S->workloads[1], o, c, N, &e), OB_OK);
    size_t low_lr = 0, low_eps = 0, same_as_net = 0;
    double beta1_sum = 0;
    for (size_t k = 0; k < N; k++) {
        /* reproducible, bit for bit */
        assert_memory_equal(&a[k].lr, &b[k].lr, sizeof a[k].lr);
        assert_string_equal(a[k].tag, b[k].tag);
        /* inside the suite's lr range (networks: net-lr-*) and the ranges */
        assert_true(a[k].lr >= 1e-4 && a[k].lr < 1);
        assert_true(c[k].lr >= 1e-3 && c[k].lr < 1e-2);
        same_as_net += a[k].lr == c[k].lr;
        assert_true(a[k].h.beta1 >= 0.8 && a[k].h.beta1 <= 0.99);
        assert_true(a[k].h.eps >= 1e-10 && a[k].h.eps <= 1e-6);
        /* the name gives the values back exactly */
        char want[48];
        snprintf(want, sizeof want, "_t%zu_beta1_%g_eps_%g", k + 1, a[k].h.beta1, a[k].h.eps);
        assert_string_equal(a[k].tag, want);
        ob_hparams h;
        assert_int_equal(ob_tuning_tag_hparams(o, a[k].tag, &h), 0);
        assert_true(h.beta1 == a[k].h.beta1 && h.eps == a[k].h.eps && h.beta2 == o->h.beta2);
        char hp[96];
        assert_int_equal(ob_tuning_tag_parse(a[k].tag, hp, sizeof hp), (long)k + 1);
        assert_true(ob_tuning_tag_is_trial(a[k].tag));
        low_lr += a[k].lr < 1e-2;    /* the geometric middle of [1e-4, 1] */
        low_eps += a[k].h.eps < 1e-8; /* and of [1e-10, 1e-6] */
        beta1_sum += a[k].h.beta1;
    }
    assert_int_equal(same_as_net, 0); /* each workload its own stream */
    /* log-uniform: half below the geometric middle; uniform: the mean in the middle.
     * Binomial(2000, 1/2) has sd 22: 5 sd is 110 */
    assert_true(labs((long)low_lr - N / 2) < 110 && labs((long)low_eps - N / 2) < 110);
    assert_true(fabs(beta1_sum / N - 0.895) < 0.01); /* sd of the mean 0.0012 */
    /* another tuning-seed, other draws */
    S->tuning_seed = 2;
    assert_int_equal(ob_tuning_trials(S, &S->workloads[0], o, d, N, &e), OB_OK);
    assert_true(d[0].lr != a[0].lr);
    /* without ranges: lr alone, tag _tK, which parses with no values */
    assert_int_equal(ob_tuning_trials(S, &S->workloads[0], &S->optimizers[0], d, 3, &e), OB_OK);
    assert_string_equal(d[2].tag, "_t3");
    char hp[96];
    assert_int_equal(ob_tuning_tag_parse("_t3", hp, sizeof hp), 3);
    assert_string_equal(hp, "");
    ob_suite_free(S);
}

/* E_k by hand: scores 1 2 3 4: E_1 = 2.5 (the mean), E_2 = (1*3 + 2*2 + 3*1)/6 = 5/3
 * (the smallest of 2 of 4 is s_(i) in C(4-i, 1) of the 6 pairs), E_3 = (1*3 + 2*1)/4 =
 * 5/4, E_4 = 1; with a diverged trial (inf): 1 2 inf gives E_1 = inf, E_2 = (1*2 + 2)/3 =
 * 4/3, E_3 = 1 */
static void test_expected_best(void **st)
{
    (void)st;
    const double s[] = {1, 2, 3, 4}, want[] = {2.5, 5.0 / 3, 1.25, 1};
    for (size_t k = 1; k <= 4; k++) assert_true(fabs(ob_expected_best(s, 4, k) - want[k - 1]) < 1e-14);
    const double d[] = {1, 2, INFINITY};
    assert_true(isinf(ob_expected_best(d, 3, 1)));
    assert_true(fabs(ob_expected_best(d, 3, 2) - 4.0 / 3) < 1e-14);
    assert_true(ob_expected_best(d, 3, 3) == 1);
    assert_true(isnan(ob_expected_best(d, 3, 0)) && isnan(ob_expected_best(d, 3, 4)));
    /* against every k-subset of 9 scores counted out (the mean of their minima) */
    const double v[] = {-0.3, 0.01, 0.2, 0.2, 1.5, 2, 7, 8.25, 30};
    for (size_t k = 1; k <= 9; k++) {
        double sum = 0;
        long subsets = 0;
        for (unsigned mask = 0; mask < (1u << 9); mask++) {
            if ((size_t)__builtin_popcount(mask) != k) continue;
            double mn = INFINITY;
            for (int i = 0; i < 9; i++)
                if (mask >> i & 1) mn = fmin(mn, v[i]);
            sum += mn;
            subsets++;
        }
        assert_true(fabs(ob_expected_best(v, 9, k) - sum / (double)subsets) < 1e-12);
    }
}

/* the smoke suite with tuning = random 4 and two of adam's options drawn: four trials a
 * pair, the choice the best of them, the seeds at its values, tuning_curve.csv from the
 * trials' scores, its figure and the report's words; --jobs 2 draws and chooses alike */
static void test_smoke_random(void **st)
{
    (void)st;
    assert_int_equal(sh("printf '[suite]\\ninclude = smoke\\nname = smoke-random\\ntuning = random 4\\n"
                        "\\n[optimizer adam]\\nbeta1 = 0.8 .. 0.95\\neps = 1e-9 .. 1e-7 log\\n' "
                        "> %s/r.ini", dir), 0);
    assert_int_equal(run("bench --suite %s/r.ini --out %s/r1 --jobs 1 --quiet", dir, dir), 0);
    ob_table t = tab_in("r1", "tuning.csv"), c = tab_in("r1", "chosen.csv"),
             k = tab_in("r1", "tuning_curve.csv");
    int wc = ob_table_col(&t, "workload"), oc = ob_table_col(&t, "optimizer"),
        sc = ob_table_col(&t, "score"), gc = ob_table_col(&t, "grid"), tc = ob_table_col(&t, "trial"),
        hc = ob_table_col(&t, "hparams"), lc = ob_table_col(&t, "lr"), kc = ob_table_col(&t, "kind");
    assert_true(tc >= 0 && hc >= 0);
    assert_true(c.rows > 4);
    for (size_t p = 0; p < c.rows; p++) { /* every pair: trials 1..4, the best chosen */
        const char *w = ob_table_str(&c, p, ob_table_col(&c, "workload")),
                   *o = ob_table_str(&c, p, ob_table_col(&c, "optimizer"));
        int seen[5] = {0};
        double best = INFINITY, best_lr = NAN, sum = 0;
        const char *best_hp = "";
        size_t n = 0;
        int net = 0;
        for (size_t r = 0; r < t.rows; r++) {
            if (strcmp(ob_table_str(&t, r, wc), w) || strcmp(ob_table_str(&t, r, oc), o)) continue;
            assert_string_equal(ob_table_str(&t, r, gc), "random");
            long trial = strtol(ob_table_str(&t, r, tc), NULL, 10);
            assert_true(trial >= 1 && trial <= 4 && !seen[trial]);
            seen[trial] = 1;
            double sv = ob_table_num(&t, r, sc);
            sum += sv;
            if (sv < best) best = sv, best_lr = ob_table_num(&t, r, lc), best_hp = ob_table_str(&t, r, hc);
            net = !strcmp(ob_table_str(&t, r, kc), "network");
            if (!strcmp(o, "adam")) assert_non_null(strstr(ob_table_str(&t, r, hc), "beta1="));
            n++;
        }
        assert_int_equal(n, 4);
        assert_true(ob_table_num(&c, p, ob_table_col(&c, "lr")) == best_lr);
        assert_string_equal(ob_table_str(&c, p, ob_table_col(&c, "hparams")), best_hp);
        /* the seed runs ran at the chosen values */
        char f[256];
        snprintf(f, sizeof f, "%s/r1/runs/%s/%s", dir, w, o);
        ob_table sm;
        ob_error e = {{0}};
        if (ob_run_summary_read(f, "seed-1", &sm, &e) != OB_OK) fail_msg("%s", e.msg);
        assert_true(ob_table_num(&sm, 0, ob_table_col(&sm, "lr")) == best_lr);
        if (*best_hp) assert_string_equal(ob_table_str(&sm, 0, ob_table_col(&sm, "hparams")), best_hp);
        ob_table_free(&sm);
        /* the curve: E_1 the mean of the 4 scores, E_4 the best (networks: as accuracies) */
        double e1 = NAN, e4 = NAN;
        for (size_t r = 0; r < k.rows; r++) {
            if (strcmp(ob_table_str(&k, r, 0), w) || strcmp(ob_table_str(&k, r, 2), o)) continue;
            long kk = strtol(ob_table_str(&k, r, ob_table_col(&k, "k")), NULL, 10);
            double e = ob_table_num(&k, r, ob_table_col(&k, "expected_best"));
            if (kk == 1) e1 = e;
            if (kk == 4) e4 = e;
        }
        double sign = net ? -1 : 1;
        assert_true(fabs(e4 - sign * best) <= 1e-12 * fabs(best));
        if (isfinite(sum)) assert_true(fabs(e1 - sign * sum / 4) <= 1e-12 * fabs(sum));
        else assert_true(isnan(e1)); /* an empty cell: some trial diverged */
    }
    ob_table_free(&t);
    ob_table_free(&c);
    ob_table_free(&k);
    assert_true(exists("r1/figures/tuning-curve-saddle.png"));
    assert_true(exists("r1/figures/tuning-curve-softmax-tiny.png"));
    assert_int_equal(sh("grep -q 'Random search.*tuning = random 4' %s/r1/report.md && "
                        "grep -q 'Expected best against the number of trials' %s/r1/report.md",
                        dir, dir), 0);
    /* --jobs 2: the same trials and the same choices, byte for byte */
    assert_int_equal(run("bench --suite %s/r.ini --out %s/r2 --jobs 2 --quiet", dir, dir), 0);
    assert_int_equal(sh("cd %s && cmp -s r1/tuning.csv r2/tuning.csv && cmp -s r1/chosen.csv "
                        "r2/chosen.csv && cmp -s r1/tuning_curve.csv r2/tuning_curve.csv", dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),         cmocka_unit_test(test_refused),
        cmocka_unit_test(test_draws),         cmocka_unit_test(test_expected_best),
        cmocka_unit_test(test_smoke_random),
    };
    return ob_run_tests("random_tuning", tests, setup, teardown);
}
