/* test_sharpfig.c - sharpness in the benchmark and in figures: a suite with the workload
 * option sharpness-every writes sharpness/W.csv (on the quadratic: kappa at every
 * estimate, 2/lr the threshold), sharpness/W.meta.csv (L) and the figure sharpness-W;
 * every network run writes a step log with at least 20 rows, summarized in netsteps/W.csv;
 * a network with sharpness-seeds = 1 and sharpness-subset estimates on seed 1 alone, its
 * meta says so, and the report's section of that workload shows its figure;
 * ob_fig_sharpness draws a run CSV and a training CSV's step log. */
#include <math.h>

#include "common/table.h"
#include "plots/fig_sharpness.h"
#include "tests/e2e.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("sharpfig");
}

static int png_ok(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    unsigned char sig[8] = {0};
    int ok = f && fread(sig, 1, 8, f) == 8 && memcmp(sig, "\x89PNG\r\n\x1a\n", 8) == 0;
    if (f) fclose(f);
    return ok;
}

static const char suite[] =
    "[suite]\nname = sh\noptimizers = gd momentum\nseeds = 2\nnet-seeds = 2\n"
    "lr-from = 1e-2\nlr-to = 1e-1\nlr-per-decade = 1\n"
    "net-lr-from = 1e-2\nnet-lr-to = 1e-2\nnet-lr-per-decade = 1\n"
    "[workload q]\nproblem = quadratic\ndim = 5\nkappa = 10\nsteps = 60\nsharpness-every = 10\n"
    "[workload n]\nnetwork = softmax\nsubset = 300\nbatch = 50\nepochs = 2\n"
    "[workload m]\nnetwork = softmax\nsubset = 300\nbatch = 50\nepochs = 2\n"
    "sharpness-every = 6\nsharpness-seeds = 1\nsharpness-subset = 100\n";

/* the number of sharpness estimates in a run's step log */
static size_t estimates(const char *steps)
{
    ob_table t = tab(steps);
    int c = ob_table_col(&t, "sharpness");
    size_t n = 0;
    for (size_t r = 0; c >= 0 && r < t.rows; r++) n += !isnan(ob_table_num(&t, r, c));
    ob_table_free(&t);
    return n;
}

static void test_bench(void **st)
{
    (void)st;
    (void)load;
    char path[256];
    snprintf(path, sizeof path, "%s/s.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(suite, f);
    fclose(f);
    assert_int_equal(run("bench --suite %s/s.ini --out %s/r --jobs 2 --quiet", dir, dir), 0);
    /* the quadratic's sharpness: kappa at every estimate, of every seed; 2/lr */
    ob_table t = tab("r/sharpness/q.csv"), ch = tab("r/chosen.csv");
    int so = ob_table_col(&t, "optimizer"), ss = ob_table_col(&t, "sharpness"),
        st_ = ob_table_col(&t, "threshold"), sp = ob_table_col(&t, "step");
    assert_true(t.rows >= 14); /* steps 0, 10, ..., 60 for each optimizer */
    for (size_t r = 0; r < t.rows; r++) {
        assert_true(fabs(ob_table_num(&t, r, ss) - 10) <= 1e-8 * 10);
        assert_true(fmod(ob_table_num(&t, r, sp), 10) == 0);
        if (strcmp(ob_table_str(&t, r, so), "gd") != 0) continue;
        double lr = NAN;
        for (size_t i = 0; i < ch.rows; i++)
            if (!strcmp(ob_table_str(&ch, i, ob_table_col(&ch, "workload")), "q") &&
                !strcmp(ob_table_str(&ch, i, ob_table_col(&ch, "optimizer")), "gd"))
                lr = ob_table_num(&ch, i, ob_table_col(&ch, "lr"));
        assert_true(fabs(ob_table_num(&t, r, st_) - 2 / lr) <= 1e-12 * (2 / lr));
    }
    ob_table_free(&t);
    ob_table_free(&ch);
    ob_table m = tab("r/sharpness/q.meta.csv");
    assert_true(ob_table_num(&m, 0, ob_table_col(&m, "L")) == 10);
    ob_table_free(&m);
    assert_true(png_ok("r/figures/sharpness-q.png"));
    assert_false(exists("r/sharpness/n.csv")); /* the network did not ask for it */
    assert_false(exists("r/figures/sharpness-n.png"));
    /* momentum on the network: 6 batches x 2 epochs = 12 updates, each one logged */
    ob_table s = tab("r/runs/n/momentum/seed-1.steps.csv"), ns = tab("r/netsteps/n.csv");
    assert_true(s.rows >= 13);
    assert_true(ns.rows >= 13);
    ob_table_free(&s);
    ob_table_free(&ns);
    /* m: steps 0, 6 and 12 of seed 1 (gd, a full pass an update: 0 of its 2), none of
     * seed 2 */
    assert_int_equal(estimates("r/runs/m/gd/seed-1.steps.csv"), 1);
    assert_int_equal(estimates("r/runs/m/momentum/seed-1.steps.csv"), 3);
    assert_int_equal(estimates("r/runs/m/gd/seed-2.steps.csv"), 0);
    assert_int_equal(estimates("r/runs/m/momentum/seed-2.steps.csv"), 0);
    ob_table sm = tab("r/sharpness/m.csv");
    assert_int_equal(sm.rows, 4);
    for (size_t r = 0; r < sm.rows; r++) {
        double v = ob_table_num(&sm, r, ob_table_col(&sm, "sharpness"));
        assert_true(isfinite(v) && v > 0);
        /* one seed: its quartiles are its value */
        assert_true(ob_table_num(&sm, r, ob_table_col(&sm, "sharpness_q1")) == v);
    }
    ob_table_free(&sm);
    ob_table mm = tab("r/sharpness/m.meta.csv"), qm = tab("r/sharpness/q.meta.csv");
    assert_true(isnan(ob_table_num(&mm, 0, ob_table_col(&mm, "L"))));
    assert_true(ob_table_num(&mm, 0, ob_table_col(&mm, "every")) == 6);
    assert_true(ob_table_num(&mm, 0, ob_table_col(&mm, "seeds")) == 1);
    assert_true(ob_table_num(&mm, 0, ob_table_col(&mm, "subset")) == 100);
    assert_true(ob_table_num(&qm, 0, ob_table_col(&qm, "seeds")) == 0);
    assert_true(ob_table_num(&qm, 0, ob_table_col(&qm, "every")) == 10);
    ob_table_free(&mm);
    ob_table_free(&qm);
    assert_true(png_ok("r/figures/sharpness-m.png"));
    /* the report shows each figure in its workload's section */
    const char *rep = slurp("r/report.md");
    assert_non_null(rep);
    const char *names[2] = {"q", "m"};
    for (int k = 0; k < 2; k++) {
        char head[32], fig[32];
        snprintf(head, sizeof head, "\n### %s\n", names[k]);
        snprintf(fig, sizeof fig, "sharpness-%s.png", names[k]);
        const char *h = strstr(rep, head), *f = strstr(rep, fig);
        if (!h || !f) fail_msg("report.md: no section '%s' or no %s", names[k], fig);
        const char *next = strstr(h + 1, "\n### ");
        assert_true(f > h && (!next || f < next));
    }
    assert_null(strstr(rep, "sharpness-n.png"));
}

/* ob_fig_sharpness on a trajectory and on a training CSV whose step log has the column */
static void test_figure(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem quadratic --dim 5 --kappa 10 --optimizer gd --lr 0.19 "
                         "--steps 50 --sharpness-every 5 --out %s/q.csv", dir), 0);
    assert_int_equal(run("train --layers 6 --act tanh --dataset moons --samples 200 "
                         "--optimizer gd --lr 0.5 --epochs 20 --sharpness-every 5 --quiet "
                         "--out %s/t.csv", dir), 0);
    assert_int_equal(run("train --layers 6 --dataset moons --samples 200 --epochs 2 --quiet "
                         "--out %s/plain.csv", dir), 0);
    char csv[256], png[256];
    ob_error e = {{0}};
    snprintf(csv, sizeof csv, "%s/q.csv", dir);
    snprintf(png, sizeof png, "%s/q.png", dir);
    assert_true(ob_csv_has_sharpness(csv));
    assert_int_equal(ob_fig_sharpness(csv, png, 10, NULL, &e), OB_OK);
    assert_true(png_ok("q.png"));
    snprintf(csv, sizeof csv, "%s/t.csv", dir); /* the training CSV: its step log is used */
    snprintf(png, sizeof png, "%s/t.png", dir);
    assert_true(ob_csv_has_sharpness(csv));
    assert_int_equal(ob_fig_sharpness(csv, png, NAN, "t", &e), OB_OK);
    assert_true(png_ok("t.png"));
    snprintf(csv, sizeof csv, "%s/plain.csv", dir);
    snprintf(png, sizeof png, "%s/plain.png", dir);
    assert_false(ob_csv_has_sharpness(csv));
    assert_int_equal(ob_fig_sharpness(csv, png, NAN, NULL, &e), OB_EDATA);
    assert_false(exists("plain.png"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench),
        cmocka_unit_test(test_figure),
    };
    return ob_run_tests("sharpfig", tests, setup, teardown);
}
