/* test_cli.c - `optbench run` and `optbench list` end to end: the binary is run as a
 * user would run it, and its CSVs are checked against the math. */
#include <ctype.h>
#include <math.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <time.h>

#include "tests/e2e.h"
#include "bench/bench.h"
#include "cli/commands.h"
#include "nets/presets.h"
#include "optimizers/optimizer.h"
#include "optimizers/schedule.h"
#include "problems/problem.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("test");
}
enum { C_STEP, C_LOSS, C_GNORM, C_EVALS, C_LR, C_SECONDS, C_X1 };

/* The CSV's shape, row 0 = the start point, and loss/grad_norm = f and ||grad f|| at the
 * logged point, recomputed here through the problem's own code. */
static void test_trajectory_shape(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem rosenbrock --optimizer adam --lr 0.01 --steps 50 "
                         "--out %s/r.csv", dir), 0);
    char *head = slurp("r.csv");
    assert_non_null(head);
    assert_true(strncmp(head, "step,loss,grad_norm,evals,lr,seconds,x1,x2\n", 43) == 0);
    table t = load("r.csv");
    assert_int_equal(t.rows, 51);
    assert_int_equal(t.cols, 8);
    assert_true(AT(t, 0, C_X1) == -1.2 && AT(t, 0, C_X1 + 1) == 1.0);
    ob_problem p;
    ob_problem_opts o = {0};
    assert_int_equal(ob_problem_create(&p, ob_problem_find("rosenbrock"), &o, NULL), OB_OK);
    for (size_t r = 0; r < t.rows; r++) {
        double x[2] = {AT(t, r, C_X1), AT(t, r, C_X1 + 1)}, g[2], gn2;
        double f = p.type->fdf(&p, x, g, &gn2);
        assert_true(AT(t, r, C_STEP) == (double)r);
        assert_true(AT(t, r, C_EVALS) == (double)r);
        assert_true(AT(t, r, C_LR) == 0.01);
        assert_true(fabs(AT(t, r, C_LOSS) - f) <= 1e-15 * fabs(f)); /* 17 digits round-trip */
        assert_true(fabs(AT(t, r, C_GNORM) - sqrt(gn2)) <= 1e-15 * sqrt(gn2));
        if (r) assert_true(AT(t, r, C_SECONDS) >= AT(t, r - 1, C_SECONDS));
    }
    ob_problem_free(&p);
    free(t.v);
    char *sum = slurp("r.summary.csv");
    assert_non_null(sum);
    assert_non_null(strstr(sum, "rosenbrock,adam,constant,0.01,1,0,0,50,ok,50,-1,"));
}

/* GD on the diagonal quadratic (the textbook form, --shift 0): x_k,i = (1 -
 * lr*lambda_i)^k x0_i exactly as the math says; with dim 3, kappa 4 the eigenvalues are
 * 1, 2, 4. */
static void test_gd_matches_closed_form(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem quadratic --dim 3 --kappa 4 --shift 0 --optimizer gd "
                         "--lr 0.1 --steps 30 --x0 1,-2,0.5 --out %s/q.csv", dir), 0);
    table t = load("q.csv");
    const double lam[3] = {1, 2, 4}, x0[3] = {1, -2, 0.5};
    for (size_t r = 0; r < t.rows; r++)
        for (int i = 0; i < 3; i++) {
            double want = pow(1 - 0.1 * lam[i], (double)r) * x0[i];
            assert_true(fabs(AT(t, r, C_X1 + i) - want) < 1e-14);
        }
    free(t.v);
}

static void test_log_every(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem beale --optimizer momentum --lr 0.001 --steps 20 "
                         "--log-every 7 --out %s/b.csv", dir), 0);
    table t = load("b.csv");
    assert_int_equal(t.rows, 4);
    const double steps[4] = {0, 7, 14, 20};
    for (int r = 0; r < 4; r++) assert_true(AT(t, r, C_STEP) == steps[r]);
    free(t.v);
}

/* Same seed, same numbers (the seconds column aside); another seed, other numbers. */
static void test_reproducible(void **st)
{
    (void)st;
    table t[3];
    const int seeds[3] = {7, 7, 8};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(run("run --problem lsq --optimizer sgd --batch 8 --lr 0.01 --steps 40 "
                             "--seed %d --out %s/s%d.csv", seeds[k], dir, k), 0);
        char name[32];
        snprintf(name, sizeof name, "s%d.csv", k);
        t[k] = load(name);
    }
    int differs = 0;
    for (size_t r = 0; r < t[0].rows; r++)
        for (size_t c = 0; c < t[0].cols; c++) {
            if (c == C_SECONDS) continue;
            assert_true(memcmp(&AT(t[0], r, c), &AT(t[1], r, c), sizeof(double)) == 0);
            differs |= AT(t[0], r, c) != AT(t[2], r, c);
        }
    assert_true(differs);
    for (int k = 0; k < 3; k++) free(t[k].v);
}

/* A diverging run is a result: exit 0, rows kept, all finite, marked diverged. */
static void test_divergence_recorded(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem saddle --optimizer gd --lr 5 --steps 100 "
                         "--out %s/d.csv", dir), 0);
    table t = load("d.csv"); /* the reader rejects NaN/Inf cells */
    assert_true(t.rows >= 2 && t.rows < 101);
    free(t.v);
    char *sum = slurp("d.summary.csv");
    assert_non_null(strstr(sum, ",diverged,"));
    /* blown up to NaN: rprop's huge steps on Rosenbrock overflow, and the last finite
     * point is still logged */
    assert_int_equal(run("run --problem rosenbrock --optimizer gd --lr 1 --steps 50 "
                         "--out %s/d2.csv", dir), 0);
    t = load("d2.csv");
    assert_true(t.rows >= 2);
    free(t.v);
    assert_non_null(strstr(slurp("d2.summary.csv"), ",diverged,"));
}

/* Noise of total variance sigma^2: a run with --noise differs from gd's path, sgd
 * without noise on a non-finite-sum problem equals gd exactly, and gd with noise is sgd
 * with noise. */
static void test_noise_and_batch(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem quadratic --optimizer sgd --lr 0.01 --steps 10 "
                         "--out %s/n0.csv", dir), 0);
    assert_int_equal(run("run --problem quadratic --optimizer gd --lr 0.01 --steps 10 "
                         "--out %s/n1.csv", dir), 0);
    assert_int_equal(run("run --problem quadratic --optimizer sgd --lr 0.01 --steps 10 "
                         "--noise 1 --out %s/n2.csv", dir), 0);
    /* with noise, gd is sgd: the same rule on the same noisy gradient */
    assert_int_equal(run("run --problem quadratic --optimizer gd --lr 0.01 --steps 10 "
                         "--noise 1 --out %s/n3.csv", dir), 0);
    table a = load("n0.csv"), b = load("n1.csv"), c = load("n2.csv"), d = load("n3.csv");
    for (size_t r = 0; r < a.rows; r++)
        for (size_t k = C_X1; k < a.cols; k++)
            assert_true(AT(a, r, k) == AT(b, r, k) && AT(c, r, k) == AT(d, r, k));
    assert_true(AT(c, 10, C_X1) != AT(a, 10, C_X1));
    free(a.v);
    free(b.v);
    free(c.v);
    free(d.v);
    /* full batch = gd on a finite sum (same evaluations, same x) */
    assert_int_equal(run("run --problem lsq --samples 64 --optimizer sgd --batch 64 --lr 0.05 "
                         "--steps 5 --out %s/fb.csv", dir), 0);
    assert_int_equal(run("run --problem lsq --samples 64 --optimizer gd --lr 0.05 --steps 5 "
                         "--out %s/gd.csv", dir), 0);
    a = load("fb.csv");
    b = load("gd.csv");
    for (size_t k = C_X1; k < a.cols; k++)
        assert_true(fabs(AT(a, 5, k) - AT(b, 5, k)) < 1e-12);
    free(a.v);
    free(b.v);
}

static void test_high_dim_omits_x(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem quadratic --dim 1000 --optimizer adam --steps 3 "
                         "--out %s/h.csv", dir), 0);
    table t = load("h.csv");
    assert_int_equal(t.cols, 6);
    free(t.v);
    assert_int_equal(run("run --problem quadratic --dim 1000 --optimizer adam --steps 3 "
                         "--log-x --out %s/hx.csv", dir), 0);
    t = load("hx.csv");
    assert_int_equal(t.cols, 1006);
    free(t.v);
}

/* GSL's line-search methods spend several evaluations per step: the evals column shows it. */
static void test_gsl_counts_evaluations(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem rosenbrock --optimizer gsl-bfgs --steps 200 "
                         "--out %s/g.csv", dir), 0);
    table t = load("g.csv");
    double last = AT(t, t.rows - 1, C_EVALS), step = AT(t, t.rows - 1, C_STEP);
    assert_true(last > step);
    assert_true(AT(t, t.rows - 1, C_LOSS) < 1e-10);
    free(t.v);
}

/* The thread counts (OpenMP's and OpenBLAS's) never change a number: vectors split by
 * element, sums over fixed blocks, BLAS on one thread for the analytic problems. */
static void test_threads_identical(void **st)
{
    (void)st;
    const char *cmds[2] = {
        "run --problem lsq --samples 3000 --dim 40 --optimizer adam --steps 30 --batch 64",
        "run --problem quadratic --dim 200000 --optimizer rmsprop --steps 5 --noise 0.5"};
    for (int c = 0; c < 2; c++) {
        table t[2];
        for (int k = 0; k < 2; k++) {
            setenv("OMP_NUM_THREADS", k ? "2" : "1", 1);
            setenv("OPENBLAS_NUM_THREADS", k ? "2" : "1", 1);
            assert_int_equal(run("%s --out %s/t%d.csv", cmds[c], dir, k), 0);
            t[k] = load(k ? "t1.csv" : "t0.csv");
        }
        unsetenv("OMP_NUM_THREADS");
        unsetenv("OPENBLAS_NUM_THREADS");
        assert_int_equal(t[0].rows, t[1].rows);
        for (size_t r = 0; r < t[0].rows; r++)
            for (size_t col = 0; col < t[0].cols; col++)
                if (col != C_SECONDS && memcmp(&AT(t[0], r, col), &AT(t[1], r, col), sizeof(double)))
                    fail_msg("'%s': row %zu column %zu differs with 2 threads", cmds[c], r, col);
        free(t[0].v);
        free(t[1].v);
    }
}

/* optbench rate end to end: the CSV's columns, the bound held; refusals leave no file */
static void test_rate_command(void **st)
{
    (void)st;
    assert_int_equal(run("rate --problem quadratic --dim 4 --n-list 10,100 --seeds 4 "
                         "--out %s/rate.csv", dir), 0);
    char *csv = slurp("rate.csv");
    assert_true(strncmp(csv, "N,runs,lr,mean_avg_sq_grad,stderr,sd,min,max,sigma2,bound,ratio,"
                             "holds,diverged\n", 76) == 0);
    assert_non_null(strstr(csv, ",yes,0\n100,4,"));
    assert_non_null(strstr(slurp("rate.summary.csv"), "quadratic,4,100,"));
    assert_non_null(strstr(slurp("stdout"), "measured slope"));
    assert_int_equal(run("rate --problem saddle --out %s/rbad.csv", dir), 2);
    assert_non_null(strstr(slurp("stderr"), "not globally L-smooth"));
    assert_false(exists("rbad.csv"));
    assert_int_equal(run("rate --problem lsq --noise 1 --out %s/rbad.csv", dir), 2);
    assert_int_equal(run("rate --problem quadratic --seeds 1 --out %s/rbad.csv", dir), 2);
    assert_int_equal(run("rate --problem quadratic --n-list 10,0 --out %s/rbad.csv", dir), 2);
    assert_false(exists("rbad.csv"));
}

/* Ctrl-C during `optbench bench` (SIGINT to the whole process group, as a terminal sends
 * it): exit 130 with only complete run files left, and the next run finishes the job with
 * the tables an uninterrupted run gives */
static void test_bench_interrupt_resume(void **st)
{
    (void)st;
    assert_int_equal(run("bench --suite smoke --out %s/bref --jobs 2 --quiet", dir), 0);
    const int delays_ms[2] = {150, 450};
    int interrupted = 0;
    for (int k = 0; k < 2; k++) {
        char out[128];
        snprintf(out, sizeof out, "%s/bint%d", dir, k);
        pid_t pid = fork();
        if (pid == 0) {
            setpgid(0, 0);
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            execl(bin, bin, "bench", "--suite", "smoke", "--out", out, "--jobs", "2", "--quiet",
                  (char *)NULL);
            _exit(127);
        }
        setpgid(pid, pid);
        /* the bench catches interrupts from before it claims the directory (suite.txt):
         * wait for that, however loaded the machine, then for the delay */
        char mark[160];
        snprintf(mark, sizeof mark, "%s/suite.txt", out);
        struct timespec poll = {0, 5000000L};
        for (int t = 0; t < 6000 && access(mark, F_OK) != 0; t++) nanosleep(&poll, NULL);
        struct timespec ts = {0, delays_ms[k] * 1000000L};
        nanosleep(&ts, NULL);
        kill(-pid, SIGINT);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_true(WEXITSTATUS(status) == 130 || WEXITSTATUS(status) == 0);
        interrupted += WEXITSTATUS(status) == 130;
        char cmd[512];
        snprintf(cmd, sizeof cmd, "find %s -name '*.tmp*' | grep -q .", out);
        if (system(cmd) == 0) fail_msg("interrupted bench left temporary files in %s", out);
        assert_int_equal(run("bench --suite smoke --out %s --jobs 1 --quiet", out), 0);
        const char *same[] = {"tuning.csv", "chosen.csv", "profiles.csv", "ecdf.csv"};
        for (int i = 0; i < 4; i++) {
            snprintf(cmd, sizeof cmd, "cmp -s %s/bref/%s %s/%s", dir, same[i], out, same[i]);
            if (system(cmd) != 0) fail_msg("%s differs after the interrupt (delay %d ms)", same[i],
                                           delays_ms[k]);
        }
    }
    assert_true(interrupted > 0); /* at least one of the two was caught mid-way */
}

/* The names a section of a listing names: from the line that starts with head to the next
 * blank line, the first word of every line indented by exactly two spaces (an entry; its
 * continuation lines are indented further, and a word starting with '-' is an option).
 * Fills names (up to cap) and returns how many; fails the test when there is no head. */
#define NAME_MAX_LEN 32
static size_t section(const char *out, const char *head, char names[][NAME_MAX_LEN], size_t cap)
{
    const char *p = strstr(out, head);
    if (!p || (p != out && p[-1] != '\n')) fail_msg("no section '%s' in:\n%s", head, out);
    p = strchr(p, '\n');
    size_t n = 0;
    while (p && p[1] && p[1] != '\n') {
        const char *line = p + 1;
        p = strchr(line, '\n');
        if (strncmp(line, "  ", 2) != 0 || line[2] == ' ' || line[2] == '-') continue;
        size_t len = strcspn(line + 2, " \n");
        if (len >= NAME_MAX_LEN || n == cap) fail_msg("section '%s': entry too long or too many", head);
        snprintf(names[n++], NAME_MAX_LEN, "%.*s", (int)len, line + 2);
    }
    return n;
}

/* text has w as a whole word (not inside a longer name: "gd" is not in "sgd") */
static int has_word(const char *text, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = text; (p = strstr(p, w)); p++) {
        int before = p > text && (isalnum((unsigned char)p[-1]) || strchr("-_", p[-1]));
        int after = isalnum((unsigned char)p[n]) || (p[n] && strchr("-_", p[n]));
        if (!before && !after) return 1;
    }
    return 0;
}

/* The section head of out names exactly the n names of want (a registry), each once. */
static void section_is(const char *out, const char *head, const char *const *want, size_t n)
{
    char got[64][NAME_MAX_LEN];
    size_t k = section(out, head, got, 64);
    for (size_t i = 0; i < n; i++) {
        int times = 0;
        for (size_t j = 0; j < k; j++) times += strcmp(got[j], want[i]) == 0;
        if (times != 1) fail_msg("'%s' lists %s %d times, want once", head, want[i], times);
    }
    if (k != n) fail_msg("'%s' lists %zu names, its registry has %zu", head, k, n);
}

/* `optbench list`: each section names exactly its registry's entries (whole names at the
 * start of an entry line: "gd" is not found inside "sgd"), all 16 built-in optimizers
 * among them */
static void test_list(void **st)
{
    (void)st;
    assert_int_equal(run("list"), 0);
    char *out = slurp("stdout");
    assert_non_null(out);
    const char *names[64];
    size_t n = 0;
    for (const ob_optimizer_type *const *t = ob_optimizer_types; *t && n < 64; t++) names[n++] = (*t)->name;
    assert_true(n >= 16);
    section_is(out, "optimizers (", names, n);
    n = 0;
    for (const ob_schedule_type *const *t = ob_schedule_types; *t && n < 64; t++) names[n++] = (*t)->name;
    assert_true(n >= 8);
    section_is(out, "schedules (", names, n);
    n = 0;
    for (const ob_problem_type *const *t = ob_problem_types; *t && n < 64; t++) names[n++] = (*t)->name;
    assert_true(n >= 8);
    section_is(out, "problems (", names, n);
    n = 0;
    for (const ob_net_preset *const *t = ob_net_presets; *t && n < 64; t++) names[n++] = (*t)->name;
    assert_true(n >= 6);
    section_is(out, "networks (", names, n);
    const char *data[] = {"fashion-mnist", "spirals", "moons", "windows"};
    section_is(out, "data sets (", data, 4);
    n = 0;
    for (const char *const *t = ob_suite_names; *t && n < 64; t++) names[n++] = *t;
    assert_true(n >= 3);
    section_is(out, "benchmark suites (", names, n);
}

/* Bad input: exit 2, one line on stderr naming the problem, no output file. */
static void test_bad_input(void **st)
{
    (void)st;
    static const struct {
        const char *args, *needle;
    } cases[] = {
        {"--optimizer adamm --problem saddle", "unknown optimizer 'adamm' (accepted: gd, sgd"},
        {"--optimizer adam --problem sadle", "unknown problem 'sadle' (accepted: saddle"},
        {"--optimizer adam --problem saddle --schedule cosine-restarts", "unknown schedule"},
        {"--optimizer adam --problem saddle --lr -1", "--lr must be"},
        {"--optimizer adam --problem saddle --lr 0", "--lr must be"},
        {"--optimizer adam --problem saddle --lr nan", "--lr: 'nan' is not a finite number"},
        {"--optimizer adam --problem saddle --lr 1e", "--lr: '1e' is not a finite number"},
        {"--optimizer adam --problem saddle --lr ''", "--lr: '' is not"},
        {"--optimizer adam --problem saddle --steps -5", "--steps must be between"},
        {"--optimizer adam --problem saddle --steps 1.5", "--steps: '1.5' is not a whole number"},
        {"--optimizer adam --problem saddle --x0 1,2,3", "--x0 has 3 numbers but saddle has dimension 2"},
        {"--optimizer adam --problem saddle --x0 1,,2", "--x0"},
        {"--optimizer adam --problem quadratic --dim 0", "--dim must be between 1"},
        {"--optimizer adam --problem quadratic --kappa 0.5", "--kappa must be >= 1"},
        {"--optimizer adam --problem quadratic --rotate --dim 5000", "--rotate"},
        {"--optimizer sgd --problem rosenbrock --batch 4", "--batch applies to finite sums"},
        {"--optimizer sgd --problem lsq --samples 10 --batch 11", "--batch must be between 1 and the 10"},
        {"--optimizer sgd --problem saddle --beta1 0.5", "--beta1 does not apply to sgd"},
        {"--optimizer adam --problem saddle --beta1 1", "--beta1 and --beta2 must be in [0, 1)"},
        {"--optimizer rprop --problem saddle --etas 0.5", "--etas takes two numbers"},
        {"--optimizer gd --problem lsq --batch 8", "gd takes the full gradient (a full pass"},
        {"--optimizer gd --problem saddle --noise -1", "--noise must be >= 0"},
        {"--optimizer gd --problem rosenbrock --schedule theory", "Lipschitz"},
        {"--optimizer gd --problem saddle --bogus 3", "unknown option '--bogus'"},
        {"--optimizer gd --problem saddle -x", "unknown option '-x'"}, /* was "--?" (fuzz_args) */
        {"--optimizer gd --problem saddle -qz", "unknown option '-q'"},
        {"--optimizer gd --problem saddle extra", "unexpected argument 'extra'"},
        {"--optimizer gd --problem logreg --data /nonexistent.csv", "/nonexistent.csv"},
        {"--optimizer gsl-bfgs --problem saddle --noise 1", "minimizes the full objective"},
        {"--optimizer nag --problem saddle --dampening 0.5", "--nesterov needs"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = run("run %s --out %s/bad.csv", cases[i].args, dir);
        char *err = slurp("stderr");
        if (rc != 2) fail_msg("'%s' exited %d, want 2 (stderr: %s)", cases[i].args, rc, err);
        if (!strstr(err, cases[i].needle))
            fail_msg("'%s': stderr '%s' lacks '%s'", cases[i].args, err, cases[i].needle);
        const char *nl = strchr(err, '\n');
        if (!nl || nl[1] != '\0') fail_msg("'%s': stderr is not one line: '%s'", cases[i].args, err);
        if (exists("bad.csv") || exists("bad.summary.csv"))
            fail_msg("'%s' left an output file", cases[i].args);
    }
    assert_int_equal(run("run --optimizer gd --problem saddle"), 2); /* no --out */
    assert_int_equal(run("run --optimizer gd --problem saddle --out %s/bad.csv --lr", dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--lr needs a value"));
    /* the other commands' option errors name the option (found with fuzz/fuzz_args.c) */
    static const struct {
        const char *args, *needle;
    } other[] = {
        {"bench --jobs", "option --jobs needs a value"}, /* was "--suite" */
        {"bench -x", "unknown option '-x'"},
        {"plot --jobs", "option --jobs needs a value"}, /* was "unknown option '--jobs'" */
        {"plot -xy", "unknown option '-x'"},
        {"rate -x", "unknown option '-x'"},
        {"train -x", "unknown option '-x'"},
        /* a pair the suite does not have: one line with its workloads and optimizers */
        {"bench --suite smoke --only foo/adam --out /nonexistent/b",
         "no such pair (workloads: saddle"},
        {"bench --only softmax-tiny/gd --suite smoke --out /nonexistent/b", "optimizers: gd, adam"},
        /* an output directory where a file is: refused before any work */
        {"bench --suite smoke --out /etc/passwd --quiet", "/etc/passwd: a file is in the way"},
        {"stability --smoke --out /etc/passwd/s --quiet", "/etc/passwd: a file is in the way"},
    };
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        int rc = run("%s", other[i].args);
        char *err = slurp("stderr");
        if (rc != 2) fail_msg("'%s' exited %d, want 2 (stderr: %s)", other[i].args, rc, err);
        if (!strstr(err, other[i].needle))
            fail_msg("'%s': stderr '%s' lacks '%s'", other[i].args, err, other[i].needle);
    }
    assert_int_equal(run("frobnicate"), 2);
    assert_int_equal(run("%s", ""), 2); /* no command at all */
    /* an unwritable destination (a device where a directory must go, a directory where
     * the file must go) names the path, and nothing is left */
    assert_int_equal(run("run --optimizer gd --problem saddle --out /dev/null/x.csv"), 2);
    assert_non_null(strstr(slurp("stderr"), "/dev/null"));
    assert_int_equal(run("run --optimizer gd --problem saddle --out /tmp"), 2);
    assert_non_null(strstr(slurp("stderr"), "directory"));
}

/* `optbench --version` and `optbench version`: "optbench VERSION (commit COMMIT)", the
 * commit a git hash (maybe -dirty) or "unknown" */
static void test_version(void **st)
{
    (void)st;
    const char *forms[] = {"--version", "version"};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(run("%s", forms[i]), 0);
        char *out = slurp("stdout");
        char version[64], commit[64];
        if (sscanf(out, "optbench %63s (commit %63[^)])", version, commit) != 2)
            fail_msg("%s printed '%s'", forms[i], out);
        assert_true(strcmp(commit, "unknown") == 0 || strspn(commit, "0123456789abcdef") >= 7);
    }
}

/* -h and --help on every command that `optbench --help` lists (which must be every
 * command of cli/commands.h's registry): exit 0, its own usage line, every option line
 * with its default (or "required"), no printf residue, no old spelling */
static void test_help_everywhere(void **st)
{
    (void)st;
    assert_int_equal(run("--help"), 0);
    char cmds[32][NAME_MAX_LEN];
    size_t n = section(slurp("stdout"), "commands:", cmds, 32);
    const char *registry[32];
    size_t k = 0;
    for (const ob_cli_command *const *c = ob_commands; *c && k < 32; c++) registry[k++] = (*c)->name;
    assert_true(k >= 11);
    section_is(slurp("stdout"), "commands:", registry, k);
    const char *flags[] = {"-h", "--help"};
    for (size_t c = 0; c < n; c++)
        for (size_t f = 0; f < 2; f++) {
            int rc = run("%s %s", cmds[c], flags[f]);
            if (rc != 0) fail_msg("%s %s exited %d", cmds[c], flags[f], rc);
            char *out = slurp("stdout"), usage[64];
            snprintf(usage, sizeof usage, "usage: optbench %s", cmds[c]);
            if (strncmp(out, usage, strlen(usage)) != 0 || !strchr(" \n", out[strlen(usage)]))
                fail_msg("%s %s: does not start with '%s':\n%s", cmds[c], flags[f], usage, out);
            if (strstr(out, "%%") || strstr(out, "seed-form") || strstr(out, "seeds:"))
                fail_msg("%s %s: '%%%%' or an old name in\n%s", cmds[c], flags[f], out);
            for (char *line = out; line && *line; line = strchr(line, '\n'), line += !!line) {
                if (strncmp(line, "  --", 4) != 0) continue;
                char *end = strchr(line, '\n');
                size_t len = end ? (size_t)(end - line) : strlen(line);
                char buf[512];
                snprintf(buf, sizeof buf, "%.*s", (int)(len < 511 ? len : 511), line);
                if (!strstr(buf, "(default ") && !strstr(buf, "(required)"))
                    fail_msg("%s --help: no default on '%s'", cmds[c], buf);
            }
        }
    /* the top level names every command, also when it refuses one */
    assert_int_equal(run("frobnicate"), 2);
    char *err = slurp("stderr");
    for (size_t c = 0; c < n; c++)
        if (!has_word(err, cmds[c])) fail_msg("unknown-command message lacks %s: %s", cmds[c], err);
}

/* an option the chosen problem or optimizer does not read: exit 2, one line naming those
 * that read it, no output */
static void test_option_not_read(void **st)
{
    (void)st;
    static const struct {
        const char *args, *msg;
    } cases[] = {
        {"--problem rosenbrock --kappa 3",
         "optbench run: --kappa does not apply to rosenbrock (it reads: --dim)\n"},
        {"--problem saddle --samples 10",
         "optbench run: --samples does not apply to saddle (it reads: --dim)\n"},
        {"--problem quadratic --separable",
         "optbench run: --separable does not apply to quadratic (it reads: --dim, --kappa, "
         "--rotate, --shift)\n"},
        {"--problem saddle --optimizer sgd --beta1 0.5",
         "optbench run: --beta1 does not apply to sgd (it is read by: adam, adamw, nadam, radam, "
         "adamax, lion)\n"},
        {"--problem saddle --optimizer adam --momentum 0.5",
         "optbench run: --momentum does not apply to adam (it is read by: gd, sgd, momentum, "
         "nag, rmsprop)\n"},
        {"--problem saddle --optimizer sgd --velocity-form",
         "optbench run: --velocity-form does not apply to sgd (it is read by: momentum, nag)\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = run("run %s --out %s/bad.csv", cases[i].args, dir);
        char *err = slurp("stderr");
        if (rc != 2) fail_msg("'%s' exited %d (stderr %s)", cases[i].args, rc, err);
        if (strcmp(err, cases[i].msg) != 0) fail_msg("'%s': stderr '%s'", cases[i].args, err);
        assert_false(exists("bad.csv"));
    }
}

/* the old spellings still work (and give the same numbers), but no text prints them */
static void test_old_spellings(void **st)
{
    (void)st;
    const char *common = "run --problem quadratic_deep --optimizer momentum --schedule step "
                         "--steps 30 --quiet";
    assert_int_equal(run("%s --seed-form --out %s/old.csv", common, dir), 0);
    assert_int_equal(run("%s --velocity-form --out %s/new.csv", common, dir), 0);
    table o = load("old.csv"), n = load("new.csv");
    assert_int_equal(o.rows, n.rows);
    for (size_t r = 0; r < o.rows; r++) /* column 5 is the time */
        for (size_t c = 0; c < o.cols; c++)
            if (c != 5 && AT(o, r, c) != AT(n, r, c)) fail_msg("row %zu col %zu differ", r, c);
    free(o.v);
    free(n.v);
    assert_int_equal(run("train --net deep4 --dataset spirals --samples 64 --epochs 1 --quiet "
                         "--dropout seed --out %s/d.csv", dir), 0);
    assert_int_equal(run("train --net deep4 --dataset spirals --samples 64 --epochs 1 --quiet "
                         "--dropout preset --out %s/d.csv", dir), 0);
    assert_int_equal(run("list"), 0);
    char *out = slurp("stdout");
    char *nets = strstr(out, "\nnetworks ("); /* the presets' own texts are nets/'s */
    if (nets) *nets = '\0';
    if (strstr(out, "seed-form") || strstr(out, "seeds:") || strstr(out, "(seed "))
        fail_msg("list prints an old name:\n%s", out);
}

/* train without --optimizer or --out: adam at torch's defaults, into NET-OPTIMIZER.csv,
 * and one plain line per epoch on a stderr that is not a terminal */
static void test_train_defaults(void **st)
{
    (void)st;
    char cmd[8192], cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(cmd, sizeof cmd, "cd %s && %s%s%s train --layers 8 --dataset moons --samples 200 "
             "--epochs 2 >stdout 2>stderr", dir, bin[0] == '/' ? "" : cwd,
             bin[0] == '/' ? "" : "/", bin);
    assert_int_equal(system(cmd), 0);
    assert_true(exists("mlp-adam.csv") && exists("mlp-adam.summary.csv"));
    assert_non_null(strstr(slurp("stdout"), "mlp adam"));
    char *err = slurp("stderr");
    assert_non_null(strstr(err, "epoch 1/2: train loss"));
    assert_non_null(strstr(err, "epoch 2/2: train loss"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trajectory_shape),
        cmocka_unit_test(test_gd_matches_closed_form),
        cmocka_unit_test(test_log_every),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_divergence_recorded),
        cmocka_unit_test(test_noise_and_batch),
        cmocka_unit_test(test_high_dim_omits_x),
        cmocka_unit_test(test_gsl_counts_evaluations),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_rate_command),
        cmocka_unit_test(test_bench_interrupt_resume),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_help_everywhere),
        cmocka_unit_test(test_option_not_read),
        cmocka_unit_test(test_old_spellings),
        cmocka_unit_test(test_train_defaults),
    };
    return ob_run_tests("cli", tests, setup, teardown);
}
