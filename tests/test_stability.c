/* test_stability.c - `optbench stability --smoke`: the table (CSV and Markdown) and the
 * figure (a valid PNG), and on the quadratic, where the sharpness is exactly kappa, gd
 * just below 2/kappa converges and just above diverges (read from their CSVs). */
#include <math.h>

#include "common/table.h"
#include "tests/e2e.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("stability");
}

static void test_smoke(void **st)
{
    (void)st;
    (void)load;
    assert_int_equal(run("stability --smoke --quiet --out %s/s", dir), 0);
    /* the figure: a PNG's signature and a size */
    char path[256];
    snprintf(path, sizeof path, "%s/s/stability.png", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char sig[8];
    assert_int_equal(fread(sig, 1, 8, f), 8);
    fclose(f);
    assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
    assert_non_null(strstr(slurp("s/stability.md"), "| quadratic-gd-above |"));
    /* the table: 5 network runs and the quadratic's 2, every one with its ratio */
    ob_table t = tab("s/stability.csv");
    assert_int_equal(t.rows, 7);
    int cr = ob_table_col(&t, "run"), cq = ob_table_col(&t, "median_ratio"),
        cl = ob_table_col(&t, "lr"), ct = ob_table_col(&t, "threshold"),
        cf = ob_table_col(&t, "file");
    assert_true(cr >= 0 && cq >= 0 && cl >= 0 && ct >= 0 && cf >= 0);
    for (size_t r = 0; r < t.rows; r++) {
        double q = ob_table_num(&t, r, cq);
        assert_true(q > 0 && isfinite(q));
        char rel[160];
        snprintf(rel, sizeof rel, "s/%s", ob_table_str(&t, r, cf));
        assert_true(exists(rel));
    }
    /* the quadratic: the threshold 2/lr and the ratio kappa/(2/lr) = 0.95 and 1.05 */
    for (size_t r = 5; r < 7; r++) {
        double lr = ob_table_num(&t, r, cl), want = r == 5 ? 0.95 : 1.05;
        assert_true(fabs(ob_table_num(&t, r, ct) - 2 / lr) <= 1e-12 * (2 / lr));
        assert_true(fabs(ob_table_num(&t, r, cq) - want) <= 1e-8);
    }
    ob_table_free(&t);
    /* below 2/kappa the loss falls to a small fraction of its start; above, the run
     * diverges (its summary says so, and the loss grew by orders of magnitude) */
    ob_table below = tab("s/quadratic/quadratic-gd-below.csv"),
             above = tab("s/quadratic/quadratic-gd-above.csv");
    int lb = ob_table_col(&below, "loss"), la = ob_table_col(&above, "loss");
    double b0 = ob_table_num(&below, 0, lb), b1 = ob_table_num(&below, below.rows - 1, lb);
    double a0 = ob_table_num(&above, 0, la), a1 = ob_table_num(&above, above.rows - 1, la);
    assert_true(b1 < 1e-3 * b0);
    assert_true(a1 > 1e6 * a0);
    /* its status cell (the header's "diverged_step" holds the word in any case) */
    ob_table sum = tab("s/quadratic/quadratic-gd-above.summary.csv");
    assert_int_equal(sum.rows, 1);
    assert_string_equal(ob_table_str(&sum, 0, ob_table_col(&sum, "status")), "diverged");
    ob_table_free(&sum);
    /* the sharpness there is kappa = 100 at every estimate */
    int sb = ob_table_col(&below, "sharpness");
    for (size_t r = 0; r < below.rows; r++) {
        double s = ob_table_num(&below, r, sb);
        assert_true(isnan(s) || fabs(s - 100) <= 1e-8 * 100);
    }
    ob_table_free(&below);
    ob_table_free(&above);
}

static void test_bad_input(void **st)
{
    (void)st;
    assert_int_equal(run("stability --steps 0 --out %s/b", dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--steps"));
    assert_int_equal(run("stability --subset 5 --out %s/b", dir), 2);
    assert_false(exists("b/stability.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smoke),
        cmocka_unit_test(test_bad_input),
    };
    return ob_run_tests("stability", tests, setup, teardown);
}
