/* test_figlint.c - the figure lint (tests/figlint.sh): every text of every figure lies
 * inside its canvas and overlaps no other text.  The lint itself is tested on two SVGs
 * made here (one clean, with rotated labels close by, one with a text over another and one
 * outside the canvas); then it runs on the figures the smoke suite's results and a fixture
 * suite's for 1, 4 and 18 optimizers draw as SVG.  Skipped (cmocka's skip(), counted by tests/run.sh) when chromium is not installed. */
#include "tests/e2e.h"
#include "tests/shell.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("figlint");
}

/* tests/figlint.sh on the SVGs under dir/SUB for each SUB of subs (separated by blanks);
 * its output in dir/lint.out, echoed to the test's output; its exit status (the test is
 * skipped without chromium) */
static int lint(const char *subs)
{
    char paths[512] = "", sub[64];
    size_t m = 0;
    for (int k = 0; sscanf(subs, "%63s%n", sub, &k) == 1; subs += k)
        m += (size_t)snprintf(paths + m, sizeof paths - m, " %s/%s", dir, sub);
    int rc = sh("set -- $(find %s -name '*.svg' | sort); "
                "[ $# -gt 0 ] || { echo 'no SVG under%s'; exit 3; }; "
                "tests/figlint.sh \"$@\" >%s/lint.out 2>&1; rc=$?; cat %s/lint.out; exit $rc",
                paths, paths, dir, dir);
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
             /* tick labels turned by 40 degrees, 30 px apart: their boxes are apart, though
              * the rectangles around them (axis-parallel) overlap */
             "<text x=\"100\" y=\"60\" transform=\"rotate(40 100 60)\">momentum</text>\n"
             "<text x=\"130\" y=\"60\" transform=\"rotate(40 130 60)\">adagrad</text>\n"
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
    assert_non_null(strstr(out, "figlint: 2 figures, 8 texts, 2 violations"));
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

/* The fixture suite: every figure kind the benchmark draws (but the sharpness and
 * stability studies) on a 2-D surface, a quadratic, a finite sum with mini-batches and a
 * small network with an l2 variant, random tuning, the SGD-rate study; OPTIMIZERS is
 * filled in.  About 3 s of runs at 18 optimizers. */
static const char fixture[] =
    "[suite]\nname = figs\noptimizers = %s\nseeds = 2\nlr-from = 1e-2\nlr-to = 1e-1\n"
    "lr-per-decade = 1\nnet-seeds = 2\nnet-lr-from = 1e-2\nnet-lr-to = 1e-1\n"
    "net-lr-per-decade = 1\nrate-max-n = 100\nrate-seeds = 2\ntuning = random 3\n"
    "[workload saddle]\nproblem = saddle\nsteps = 30\n"
    "[workload quad]\nproblem = quadratic\ndim = 3\nkappa = 10\nsteps = 30\n"
    "[workload lsq]\nproblem = lsq\ndim = 3\nsamples = 64\nkappa = 10\nsteps = 30\nbatch = 8\n"
    "[workload net]\nnetwork = softmax\nsubset = 300\nbatch = 50\nepochs = 2\n"
    "[workload net-l2]\nnetwork = softmax\nsubset = 300\nbatch = 50\nepochs = 2\nl2 = 1e-3\n";

/* dir/NAME: the fixture suite's results with the optimizers opt (suite syntax) drawn as
 * SVG, and a loss-landscape study of the optimizers land (comma-separated) beside them as
 * landscape/net/ (the files `landscape = true` writes, on a small synthetic data set) */
static void fixture_dir(const char *name, const char *opt, const char *land)
{
    char suite[2048], ini[64];
    snprintf(suite, sizeof suite, fixture, opt);
    snprintf(ini, sizeof ini, "%s.ini", name);
    put(ini, suite);
    if (run("landscape --net softmax --dataset spirals --samples 300 --optimizer %s --epochs 2 "
            "--eval-subset 200 --grid 7 --alpha-steps 11 --checkpoint-every 1 --quiet "
            "--out %s/%s/landscape/net", land, dir, name) != 0)
        fail_msg("optbench landscape failed: %s", slurp("stderr"));
    if (run("bench --suite %s/%s --out %s/%s --jobs 2 --quiet --format svg", dir, ini, dir,
            name) != 0)
        fail_msg("bench --suite %s failed: %s", ini, slurp("stderr"));
}

/* Every figure kind, drawn for 1, 4 and 18 optimizers (all 16 of the registry and the two
 * example plugins), passes. */
static void test_fixtures(void **st)
{
    (void)st;
    char cwd[1024], opt[3000];
    assert_non_null(getcwd(cwd, sizeof cwd));
    fixture_dir("one", "adam", "adam");
    snprintf(opt, sizeof opt, "gd momentum adam %s/build/examples/sign_descent.so", cwd);
    fixture_dir("four", opt, "gd,momentum,adam");
    snprintf(opt, sizeof opt, "all %s/build/examples/sign_descent.so "
             "%s/build/examples/adam_course.so", cwd, cwd);
    fixture_dir("many", opt, "gd,sgd,momentum,nag,rprop,adagrad,rmsprop,adam,adamw,nadam,radam,"
                             "adamax,adadelta,lion");
    assert_int_equal(lint("one four many"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lint_catches),
        cmocka_unit_test(test_smoke),
        cmocka_unit_test(test_fixtures),
    };
    return ob_run_tests("figlint", tests, setup, teardown);
}
