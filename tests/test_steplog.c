/* test_steplog.c - the step log of `optbench train --log-every K` (FILE.steps.csv beside
 * the training CSV): which rows it has, that its losses are the updates' mini-batch
 * losses (checked against the per-epoch evaluation of full-batch gd, an independent
 * computation), that mean_loss averages the window, and that logging changes nothing
 * in the training itself. */
#include <math.h>

#include "common/table.h"
#include "tests/e2e.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("steplog");
}

static double num(const ob_table *t, size_t r, const char *col)
{
    int c = ob_table_col(t, col);
    if (c < 0) fail_msg("no column %s", col);
    return ob_table_num(t, r, c);
}

/* 400 spirals in batches of 32: 13 batches an epoch (the last of 16), 39 updates in 3
 * epochs; K = 5 logs steps 0, 5, ..., 35 and the last, 39 */
static void test_rows(void **st)
{
    (void)st;
    assert_int_equal(run("train --layers 16 --act tanh --dataset spirals --samples 400 "
                         "--optimizer sgd --lr 0.1 --batch 32 --epochs 3 --precision float64 "
                         "--log-every 5 --out %s/a.csv", dir), 0);
    ob_table t = tab("a.steps.csv");
    static const char *const cols[] = {"step", "epoch", "seconds", "lr", "batch_loss",
                                       "mean_loss"};
    assert_int_equal(t.cols, 6);
    for (size_t c = 0; c < 6; c++) assert_string_equal(t.head[c], cols[c]);
    assert_int_equal(t.rows, 9);
    for (size_t r = 0; r < t.rows; r++) {
        double s = num(&t, r, "step");
        assert_true(s == (r < 8 ? 5.0 * (double)r : 39.0));
        assert_true(fabs(num(&t, r, "epoch") - s / 13) < 1e-12);
        assert_true(num(&t, r, "lr") == 0.1);
        if (r == 0) { /* before the first update: no batch yet */
            assert_true(isnan(num(&t, 0, "batch_loss")) && isnan(num(&t, 0, "mean_loss")));
            assert_true(num(&t, 0, "seconds") == 0);
            continue;
        }
        assert_true(num(&t, r, "batch_loss") > 0 && isfinite(num(&t, r, "mean_loss")));
        assert_true(num(&t, r, "seconds") >= num(&t, r - 1, "seconds"));
    }
    ob_table_free(&t);
    /* --log-every 0: no step log */
    assert_int_equal(run("train --layers 4 --dataset moons --samples 100 --epochs 1 "
                         "--log-every 0 --out %s/n.csv", dir), 0);
    assert_true(exists("n.csv") && !exists("n.steps.csv"));
    /* no --log-every: a step log of every update (13 updates, fewer than 100) */
    assert_int_equal(run("train --layers 4 --dataset moons --samples 100 --epochs 1 "
                         "--batch 8 --out %s/d.csv", dir), 0);
    ob_table d = tab("d.steps.csv");
    assert_int_equal(d.rows, 14);
    ob_table_free(&d);
    table n = load("n.csv"); /* the training CSV as before: 2 rows of 10 columns */
    assert_int_equal(n.rows, 2);
    assert_int_equal(n.cols, 10);
    free(n.v);
}

/* Full-batch gd makes one update per epoch from the loss of the whole training split at
 * the parameters before it: row s's batch_loss is the train_loss of the training CSV's
 * epoch s - 1, which ob_evaluate computes separately; with K = 1 the mean is the loss. */
static void test_gd_losses(void **st)
{
    (void)st;
    assert_int_equal(run("train --layers 8 --act tanh --dataset moons --samples 300 "
                         "--optimizer gd --lr 0.5 --epochs 6 --precision float64 "
                         "--log-every 1 --out %s/g.csv", dir), 0);
    ob_table s = tab("g.steps.csv"), e = tab("g.csv");
    assert_int_equal(s.rows, 7);
    assert_int_equal(e.rows, 7);
    for (size_t r = 1; r < s.rows; r++) {
        double b = num(&s, r, "batch_loss"), want = num(&e, r - 1, "train_loss");
        assert_true(fabs(b - want) <= 1e-12 * want);
        assert_true(num(&s, r, "mean_loss") == b);
        assert_true(num(&s, r, "epoch") == (double)r);
    }
    ob_table_free(&s);
    ob_table_free(&e);
}

/* K = 4 against K = 1 with the same seed: the same training (the CSV equal apart from
 * its seconds), and mean_loss of a K = 4 row is the mean of the 4 batch losses (the last
 * row: of those since the row before) */
static void test_window_mean(void **st)
{
    (void)st;
    const char *cmd = "train --layers 16 --act tanh --dataset spirals --samples 300 "
                      "--optimizer adam --lr 0.01 --batch 50 --epochs 3 --log-every %d "
                      "--out %s/%s";
    assert_int_equal(run(cmd, 1, dir, "k1.csv"), 0);
    assert_int_equal(run(cmd, 4, dir, "k4.csv"), 0);
    assert_int_equal(run("train --layers 16 --act tanh --dataset spirals --samples 300 "
                         "--optimizer adam --lr 0.01 --batch 50 --epochs 3 --out %s/k0.csv",
                         dir), 0);
    ob_table a = tab("k1.steps.csv"), b = tab("k4.steps.csv");
    assert_int_equal(a.rows, 19); /* 6 batches x 3 epochs, and row 0 */
    assert_int_equal(b.rows, 6);  /* 0, 4, 8, 12, 16, 18 */
    for (size_t r = 1; r < b.rows; r++) {
        long hi = (long)num(&b, r, "step"), lo = (long)num(&b, r - 1, "step");
        double sum = 0;
        for (long k = lo + 1; k <= hi; k++) sum += num(&a, (size_t)k, "batch_loss");
        assert_true(fabs(num(&b, r, "mean_loss") - sum / (double)(hi - lo)) <= 1e-12 * sum);
        assert_true(num(&b, r, "batch_loss") == num(&a, (size_t)hi, "batch_loss"));
    }
    ob_table_free(&a);
    ob_table_free(&b);
    /* the training itself is the same with and without the step log */
    ob_table t0 = tab("k0.csv"), t1 = tab("k1.csv");
    assert_int_equal(t0.rows, t1.rows);
    for (size_t r = 0; r < t0.rows; r++)
        for (size_t c = 0; c < t0.cols; c++)
            if (strcmp(t0.head[c], "seconds") != 0)
                assert_string_equal(ob_table_str(&t0, r, (int)c), ob_table_str(&t1, r, (int)c));
    ob_table_free(&t0);
    ob_table_free(&t1);
}

/* the step log needs a file beside it; a bad K is refused */
static void test_bad_input(void **st)
{
    (void)st;
    assert_int_equal(run("train --layers 4 --dataset moons --epochs 1 --log-every 2 --out -"), 2);
    assert_non_null(strstr(slurp("stderr"), "--out FILE.csv"));
    assert_int_equal(run("train --layers 4 --dataset moons --epochs 1 --log-every -1 "
                         "--out %s/x.csv", dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--log-every"));
    assert_false(exists("x.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_gd_losses),
        cmocka_unit_test(test_window_mean),
        cmocka_unit_test(test_bad_input),
    };
    return ob_run_tests("steplog", tests, setup, teardown);
}
