/* test_figlint.c - the figure lint (tests/figlint.sh): every text of every figure lies
 * inside its canvas and overlaps no other text.  The lint itself is tested on two SVGs
 * made here (one clean, one with a text over another and one outside the canvas); then it
 * runs on the figures `optbench plot DIR --format svg` draws from the smoke suite's results.
 * Skipped (cmocka's skip(), counted by tests/run.sh) when chromium is not installed. */
#include "tests/e2e.h"
#include "tests/shell.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("figlint");
}

/* writes dir/name */
static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* tests/figlint.sh on the SVGs under dir/sub, the excluded kinds left out (excl = 1) or
 * only those (excl = 0); its output in dir/lint.out, echoed to the test's output */
/* tests/figlint.sh on every SVG under dir/sub; its exit status (the test is skipped
 * without chromium) */
static int lint(const char *sub)
{
    int rc = sh("set -- $(find %s/%s -name '*.svg' | sort); "
                "[ $# -gt 0 ] || { echo 'no SVG under %s/%s'; exit 3; }; "
                "tests/figlint.sh \"$@\" >%s/lint.out 2>&1; rc=$?; cat %s/lint.out; exit $rc",
                dir, sub, dir, sub, dir, dir);
    if (rc == 77) skip();
    return rc;
}

/* The lint fails a figure with a text over another and a text outside the canvas, names
 * both texts, and passes one whose texts are apart (and ignores an empty text). */
static void test_lint_catches(void **st)
{
    (void)st;
    const char *head = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                       "<svg viewBox=\"0 0 400 200\" xmlns=\"http://www.w3.org/2000/svg\">\n"
                       "<g font-family=\"DejaVu Sans\" font-size=\"12\">\n";
    char svg[2048];
    snprintf(svg, sizeof svg,
             "%s<text x=\"20\" y=\"40\">left label</text>\n"
             "<g transform=\"translate(300,40)\"><text>right label</text></g>\n"
             "<text x=\"20\" y=\"40\"> </text>\n"
             "<text x=\"20\" y=\"100\" transform=\"rotate(-90 20 100)\">rotated</text>\n"
             "</g></svg>\n",
             head);
    assert_int_equal(sh("mkdir -p %s/lint", dir), 0);
    put("lint/clean.svg", svg);
    snprintf(svg, sizeof svg,
             "%s<text x=\"20\" y=\"40\">first label</text>\n"
             "<text x=\"60\" y=\"44\">second label</text>\n"
             "<g transform=\"translate(360,150)\"><text>cut off at the right</text></g>\n"
             "</g></svg>\n",
             head);
    put("lint/bad.svg", svg);
    if (sh("tests/figlint.sh %s/lint/clean.svg >/dev/null", dir) == 77) skip();
    assert_int_equal(sh("tests/figlint.sh %s/lint/clean.svg >%s/out 2>&1", dir, dir), 0);
    assert_non_null(strstr(slurp("out"), "0 violations"));
    assert_int_equal(sh("tests/figlint.sh %s/lint/clean.svg %s/lint/bad.svg >%s/out 2>&1", dir,
                        dir, dir),
                     1);
    const char *out = slurp("out");
    assert_non_null(strstr(out, "bad.svg: \"first label\" ["));
    assert_non_null(strstr(out, "] overlaps \"second label\" ["));
    assert_non_null(strstr(out, "bad.svg: \"cut off at the right\" ["));
    assert_non_null(strstr(out, "outside the canvas [0,0,400,200]"));
    assert_null(strstr(out, "clean.svg:"));
    assert_non_null(strstr(out, "figlint: 2 figures, 6 texts, 2 violations"));
    /* bad input: exit 2 with the reason */
    assert_int_equal(sh("tests/figlint.sh %s/lint/none.svg >%s/out 2>&1", dir, dir), 2);
    assert_non_null(strstr(slurp("out"), "does not exist"));
}

/* Every figure of the smoke suite, drawn as SVG, passes: every kind. */
static void test_smoke(void **st)
{
    (void)st;
    if (run("bench --suite smoke --jobs 2 --quiet --out %s/smoke", dir) != 0)
        fail_msg("bench --suite smoke failed: %s", slurp("stderr"));
    if (run("plot %s/smoke --format svg", dir) != 0)
        fail_msg("plot --format svg failed: %s", slurp("stderr"));
    assert_int_equal(lint("smoke"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lint_catches),
        cmocka_unit_test(test_smoke),
    };
    return ob_run_tests("figlint", tests, setup, teardown);
}
