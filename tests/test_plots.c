/* test_plots.c - the figures and the report: every recipe draws a valid PNG from the
 * fixture results directory (tests/fixtures/bench, copied afresh for each test),
 * `optbench plot DIR` writes a report that names every workload and shows every figure,
 * and without gnuplot it still writes the report and names each figure it could not draw;
 * a smoke bench's directory (run once per binary, copied for each test that reads it)
 * without gnuplot and in a browser.  Any test runs alone (OB_TEST=name, tests/runner.h)
 * and in any order. */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "tests/runner.h"

#include "experiments/experiment.h"
#include "report/report.h"
#include "plots/recipes.h"
#include "tests/shell.h"

#define FIXTURE "tests/fixtures/bench"

/* Every figure the fixture allows: the test fails if one is missing or one too many. */
static const char *const expected[] = {
    "profiles", "ecdf", "contour-rosenbrock", "multiples-rosenbrock", "surface3d-rosenbrock",
    "gap-steps-rosenbrock", "gap-steps-quadratic", /* no gap-seconds-rosenbrock: 2-D */
    "gap-seconds-quadratic", "gnorm-steps-rosenbrock", "gnorm-steps-quadratic",
    "lr-rosenbrock", "lr-quadratic", "lr-netA", "lr-netA-l2", "net-loss-netA",
    "net-loss-netA-l2", "net-acc-netA", "net-acc-netA-l2", "regularization-netA",
    "schedules", "activations",
};
#define N_EXPECTED (sizeof expected / sizeof *expected)
/* ... and the animations, figures/NAME.gif */
static const char *const expected_gif[] = {"animation-rosenbrock"};
#define N_GIF (sizeof expected_gif / sizeof *expected_gif)
static const char *const workloads[] = {"rosenbrock", "quadratic", "netA", "netA-l2"};
/* ... and index.html's interactive curve figures, figures/curves-W.html.gz: one per workload
 * with curves (plots/fig_interactive.c) */
#define N_PAGE (sizeof workloads / sizeof *workloads)

static char root[64]; /* the binary's temporary directory */
static char dir[96];  /* the test's own: root/t, a fresh copy of the fixture */
static const char *bin;

static int setup(void **st)
{
    (void)st;
    bin = getenv("OPTBENCH");
    if (!bin) bin = "build/optbench";
    strcpy(root, "/tmp/optbench-plots-XXXXXX");
    if (!mkdtemp(root)) return -1;
    snprintf(dir, sizeof dir, "%s/t", root);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    return sh("rm -rf %s", root);
}

/* each test's setup: dir, a fresh copy of the fixture (whatever the test before wrote) */
static int fresh(void **st)
{
    (void)st;
    return sh("rm -rf %s && mkdir %s && cp -R " FIXTURE "/. %s/ && rm -f %s/make_fixture.py", dir,
              dir, dir, dir);
}

/* dir/smoke: a copy of the smoke suite's results directory, which the first test that asks
 * runs once per binary into root/smoke */
static void smoke(void)
{
    static int made;
    if (!made && sh("%s bench --suite smoke --jobs 2 --out %s/smoke >%s/smoke.out 2>&1", bin,
                    root, root) != 0)
        fail_msg("optbench bench --suite smoke failed (see %s/smoke.out)", root);
    made = 1;
    if (sh("rm -rf %s/smoke && cp -R %s/smoke %s/smoke", dir, root, dir) != 0)
        fail_msg("cannot copy %s/smoke", root);
}

/* tests/browser_check.sh on dir/sub: passes, or the test is skipped when chromium is not
 * installed (the script's exit 77; the runner counts and names the skip) */
static void browser_check(const char *sub)
{
    int rc = sh("tests/browser_check.sh %s/%s", dir, sub);
    if (rc == 77) skip();
    assert_int_equal(rc, 0);
}

/* tests/interactive_check.sh on dir/sub: the interactive figures unpack offline, a key
 * entry hides its optimizer, the x axis switches (skipped without chromium) */
static void interactive_check(const char *sub)
{
    int rc = sh("tests/interactive_check.sh %s/%s", dir, sub);
    if (rc == 77) skip();
    assert_int_equal(rc, 0);
}

static char *slurp(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s) s[fread(s, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return s;
}

/* A PNG: the 8-byte signature, an IHDR chunk, and more than a blank canvas's bytes. */
static void assert_png_at(const char *rel)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("%s was not written", path);
    unsigned char h[16];
    size_t n = fread(h, 1, sizeof h, f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n < 16 || memcmp(h, sig, 8) != 0 || memcmp(h + 12, "IHDR", 4) != 0)
        fail_msg("%s is not a PNG", path);
    if (size < 15000) fail_msg("%s has only %ld bytes: nothing drawn?", path, size);
}

static void assert_png(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "figures/%s.png", name);
    assert_png_at(rel);
}

static void test_workloads(void **st)
{
    (void)st;
    ob_result_list w;
    assert_int_equal(ob_workloads_find(dir, &w, NULL), OB_OK);
    assert_int_equal(w.n, 4);
    for (size_t i = 0; i < 4; i++) { /* chosen.csv's order, kinds from its kind column */
        assert_string_equal(w.v[i].name, workloads[i]);
        assert_int_equal(w.v[i].kind, i < 2 ? OB_KIND_ANALYTIC : OB_KIND_NETWORK);
    }
    ob_workloads_free(&w);
}

static void test_recipes_draw_fixture(void **st)
{
    (void)st;
    ob_result_list w;
    ob_figure_list f;
    assert_int_equal(ob_workloads_find(dir, &w, NULL), OB_OK);
    const ob_plot_recipe *const *lists[8];
    assert_int_equal(ob_figures_plan(dir, &w, ob_experiments_recipes(lists, 8), &f, NULL), OB_OK);
    for (size_t i = 0; i < f.n; i++) {
        int known = 0;
        for (size_t k = 0; k < N_EXPECTED; k++) known |= strcmp(f.v[i].name, expected[k]) == 0;
        for (size_t k = 0; k < N_GIF; k++) known |= strcmp(f.v[i].name, expected_gif[k]) == 0;
        for (size_t k = 0; k < N_PAGE; k++) {
            char name[128];
            snprintf(name, sizeof name, "interactive-%s", workloads[k]);
            known |= strcmp(f.v[i].name, name) == 0;
        }
        if (!known) fail_msg("unexpected figure %s", f.v[i].name);
    }
    assert_int_equal(f.n, N_EXPECTED + N_GIF + N_PAGE);
    size_t failed = ob_figures_draw(dir, &f, 2);
    for (size_t i = 0; i < f.n; i++)
        if (f.v[i].status != OB_OK) fail_msg("%s: %s", f.v[i].name, f.v[i].error);
    assert_int_equal(failed, 0);
    for (size_t k = 0; k < N_EXPECTED; k++) assert_png(expected[k]);
    for (size_t k = 0; k < N_GIF; k++) {
        char path[300];
        snprintf(path, sizeof path, "%s/figures/%s.gif", dir, expected_gif[k]);
        char *gif = slurp(path + strlen(dir) + 1);
        if (!gif || strncmp(gif, "GIF89a", 6) != 0) fail_msg("%s is not a GIF", path);
        free(gif);
    }
    /* each fragment: gzipped, gnuplot's mousing script once, a view per (quantity, x axis):
     * the analytic workloads 2 quantities by steps, evals and (quadratic: not a 2-D
     * surface) seconds; the networks 2 by epochs and seconds (no step log here) */
    static const int views[N_PAGE] = {4, 6, 4, 4};
    for (size_t k = 0; k < N_PAGE; k++) {
        int n = sh("test $(zcat %s/figures/curves-%s.html.gz | grep -c '<div class=\"iview\"[^>]*><svg') "
                   "-eq %d && test $(zcat %s/figures/curves-%s.html.gz | grep -c 'class=\"ob-gplib\"') -eq 1",
                   dir, workloads[k], views[k], dir, workloads[k]);
        if (n != 0) fail_msg("figures/curves-%s.html.gz: not %d views and one script", workloads[k], views[k]);
    }
    ob_figures_free(&f);
    ob_workloads_free(&w);
}

/* Missing files and columns are errors that name the file (and the column). */
static void test_recipe_errors(void **st)
{
    (void)st;
    char png[256];
    ob_error e = {{0}};
    snprintf(png, sizeof png, "%s/figures/x.png", dir);
    sh("mkdir -p %s/figures", dir);
    assert_int_equal(ob_plot_gap_steps(dir, "nosuch", png, &e), OB_EIO);
    assert_non_null(strstr(e.msg, "curves/nosuch.csv"));
    sh("printf 'optimizer,step,gap_median\\nadam,0,1\\n' > %s/curves/bad.csv", dir);
    assert_int_equal(ob_plot_gap_steps(dir, "bad", png, &e), OB_EDATA);
    assert_non_null(strstr(e.msg, "gap_q1"));
    assert_int_equal(ob_plot_lr(dir, "nosuch", png, &e), OB_EDATA);
    struct stat sb;
    assert_int_not_equal(stat(png, &sb), 0); /* nothing half-written */
    sh("rm -f %s/curves/bad.csv", dir);
}

/* Every figure in figures/ is referenced by both report files; an animation's poster
 * (NAME.poster.png, its last frame) is not a figure but the page's thumbnail of it. */
static void assert_report_complete(void)
{
    char *md = slurp("report.md"), *html = slurp("index.html");
    assert_non_null(md);
    assert_non_null(html);
    for (size_t k = 0; k < sizeof workloads / sizeof *workloads; k++) {
        if (!strstr(md, workloads[k])) fail_msg("report.md does not mention %s", workloads[k]);
        if (!strstr(html, workloads[k])) fail_msg("index.html does not mention %s", workloads[k]);
    }
    char path[256];
    snprintf(path, sizeof path, "%s/figures", dir);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".png") || strstr(e->d_name, ".poster.png")) continue;
        char ref[300];
        snprintf(ref, sizeof ref, "figures/%s", e->d_name);
        if (!strstr(md, ref)) fail_msg("report.md does not show %s", ref);
        if (!strstr(html, ref)) fail_msg("index.html does not show %s", ref);
        n++;
    }
    closedir(d);
    assert_int_equal(n, N_EXPECTED);
    for (size_t k = 0; k < N_GIF; k++) { /* the GIF linked, its poster's thumbnail shown */
        snprintf(path, sizeof path, "figures/%s.poster.png", expected_gif[k]);
        assert_png_at(path);
        snprintf(path, sizeof path, "href=\"figures/%s.gif\"", expected_gif[k]);
        if (!strstr(html, path)) fail_msg("index.html does not link %s", path);
    }
    assert_null(strstr(html, "data:image/gif"));
    /* the curve figures of each workload stand as one interactive figure, in place of
     * their thumbnails */
    size_t nifig = 0;
    for (const char *p = html; (p = strstr(p, "<figure class=\"ifig\">")); p++) nifig++;
    assert_int_equal(nifig, N_PAGE);
    assert_null(strstr(html, "alt=\"rosenbrock: the loss gap"));
    assert_non_null(strstr(html, "data-images-loaded"));
    assert_non_null(strstr(md, "| rank | optimizer |"));
    assert_non_null(strstr(html, "<table>"));
    free(md);
    free(html);
}

static void test_plot_command(void **st)
{
    (void)st;
    /* a rate section, from the experiment's data: rate.csv names the workloads (one
     * measured, one not), rate/W.csv and rate/W.summary.csv hold the results; the
     * registry draws rate/quadratic.png */
    sh("mkdir -p %s/rate", dir);
    sh("printf 'workload,status,reason\\nquadratic,measured,\\nrosenbrock,not_measured,"
       "no global L\\n' > %s/rate.csv", dir);
    sh("printf 'N,runs,lr,mean_avg_sq_grad,stderr,sd,min,max,sigma2,bound,ratio,holds,diverged\\n"
       "10,3,0.03,17.8,0.25,0.44,17.3,18.2,1,35.5,2.0,yes,0\\n"
       "100,3,0.01,5.66,0.05,0.08,5.6,5.75,1,11.2,1.98,yes,0\\n' > %s/rate/quadratic.csv", dir);
    sh("printf 'problem,dim,L,L_source,f0,f_star,oracle,sigma2_source,seeds,slope,slope_stderr,"
       "all_hold,min_ratio,max_ratio,estimate\\nquadratic,3,10,exact,5.5,0,noise sigma 1,exact,3,"
       "-0.497,nan,yes,1.98,2.0,no\\n' > %s/rate/quadratic.summary.csv", dir);
    assert_int_equal(sh("%s plot --quiet %s >%s/out 2>%s/err", bin, dir, dir, dir), 0);
    char *err = slurp("err");
    assert_non_null(err);
    if (err[0]) fail_msg("optbench plot warned: %s", err);
    free(err);
    for (size_t k = 0; k < N_EXPECTED; k++) assert_png(expected[k]);
    assert_report_complete();
    char *md = slurp("report.md");
    assert_non_null(strstr(md, "the bound held at every N"));
    assert_non_null(strstr(md, "**rosenbrock**: not measured: no global L."));
    assert_non_null(strstr(md, "rate/quadratic.png"));
    assert_png_at("rate/quadratic.png");
    assert_null(strstr(md, "Figures not drawn"));
    free(md);
    assert_int_equal(sh("%s plot >/dev/null 2>&1", bin), 2);
    assert_int_equal(sh("%s plot %s/nosuch >/dev/null 2>&1", bin, dir), 2);
    assert_int_equal(sh("%s plot --jobs 0 %s >/dev/null 2>&1", bin, dir), 2);
}

/* index.html in headless Chromium: every figure loads, the interactive figures work
 * offline (skipped without chromium). */
static void test_browser(void **st)
{
    (void)st;
    assert_int_equal(sh("%s plot --quiet %s >/dev/null", bin, dir), 0);
    browser_check(".");
    interactive_check(".");
}

static void test_plot_without_gnuplot(void **st)
{
    (void)st;
    /* PATH without gnuplot; the binary is named by its path */
    assert_int_equal(sh("PATH=/nonexistent %s plot --quiet %s >%s/out 2>%s/err", bin, dir, dir, dir), 0);
    char *err = slurp("err"), *md = slurp("report.md"), *html = slurp("index.html");
    assert_non_null(err);
    assert_non_null(md);
    assert_non_null(html);
    for (size_t k = 0; k < N_EXPECTED; k++) {
        char name[128];
        snprintf(name, sizeof name, "figures/%s.png not drawn", expected[k]);
        if (!strstr(err, name)) fail_msg("no warning names %s:\n%s", expected[k], err);
    }
    assert_non_null(strstr(err, "gnuplot"));
    assert_non_null(strstr(md, "Figures not drawn"));
    assert_non_null(strstr(md, "figures/contour-rosenbrock.png"));
    for (size_t k = 0; k < sizeof workloads / sizeof *workloads; k++)
        assert_non_null(strstr(md, workloads[k]));
    free(err);
    free(md);
    free(html);
}

/* A smoke bench, then `optbench plot` on it without gnuplot (issue 10): exit 0, every
 * table and the report written, each figure named as not drawn, the rate figures too
 * (they once skipped the registry's gnuplot check and died of SIGPIPE, exit 141, in most
 * tries: hence three tries). */
static void test_smoke_plot_without_gnuplot(void **st)
{
    (void)st;
    smoke();
    for (int try = 0; try < 3; try++) {
        sh("rm -rf %s/smoke/figures %s/smoke/report.md %s/smoke/index.html", dir, dir, dir);
        int rc = sh("PATH=/nonexistent %s plot --quiet %s/smoke >%s/out 2>%s/err", bin, dir, dir, dir);
        if (rc != 0) fail_msg("try %d: optbench plot without gnuplot exited %d", try, rc);
        char *err = slurp("err"), *md = slurp("smoke/report.md"), *html = slurp("smoke/index.html");
        assert_non_null(err);
        assert_non_null(md);
        assert_non_null(html);
        static const char *const named[] = {"figures/profiles.png", "figures/gap-steps-lsq-b8.png",
                                            "figures/net-loss-softmax-tiny.png",
                                            "rate/quadratic-3.png", "rate/lsq-b8.png"};
        for (size_t k = 0; k < sizeof named / sizeof *named; k++) {
            char w[128];
            snprintf(w, sizeof w, "%s not drawn: gnuplot is not installed", named[k]);
            if (!strstr(err, w)) fail_msg("no warning names %s:\n%s", named[k], err);
            if (!strstr(md, named[k])) fail_msg("report.md does not name %s", named[k]);
        }
        assert_non_null(strstr(md, "## Figures not drawn"));
        assert_non_null(strstr(md, "## SGD against its theoretical rate"));
        assert_non_null(strstr(html, "id=\"figures-not-drawn\""));
        free(err);
        free(md);
        free(html);
    }
    static const char *const tables[] = {"metrics_analytic.csv", "metrics_net.csv", "reached.csv",
                                         "ranking_analytic.csv", "ranking_net.csv",
                                         "ranking_targets.csv", "tuning.csv", "chosen.csv",
                                         "profiles.csv", "ecdf.csv", "rate.csv", "machine.csv"};
    for (size_t k = 0; k < sizeof tables / sizeof *tables; k++) {
        char rel[64];
        snprintf(rel, sizeof rel, "smoke/%s", tables[k]);
        char *t = slurp(rel);
        if (!t) fail_msg("%s was not written", rel);
        free(t);
    }
    assert_null(slurp("smoke/ranking.csv")); /* the older wide table: split, not kept */
}

/* The smoke bench's directory: the report's own tables and sentences are there; redrawn
 * with gnuplot, in headless Chromium (skipped without it): figures load, the contents'
 * links land, the folded page is short, a link opens its section, the page moved alone
 * shows its figures. */
static void test_smoke_browser(void **st)
{
    (void)st;
    smoke();
    assert_int_equal(sh("%s plot --quiet %s/smoke >/dev/null", bin, dir), 0);
    char *md = slurp("smoke/report.md"), *o = slurp("smoke/oracle.csv"),
         *g = slurp("smoke/generalization.csv");
    assert_non_null(md);
    assert_non_null(o);
    assert_non_null(g);
    assert_non_null(strstr(md, "**What each optimizer received:** the full gradient, a full "
                               "pass of the finite sum at every step (a step costs N sample "
                               "gradients): gd; mini-batches of 8 samples (a step costs 8 sample "
                               "gradients): momentum, adam."));
    assert_non_null(strstr(md, "**Training against test**"));
    assert_non_null(strstr(o, "lsq-b8,analytic,adam,0,8\n"));
    assert_non_null(strstr(g, "softmax-tiny,adam,1,2,"));
    free(md);
    free(o);
    free(g);
    browser_check("smoke");
    interactive_check("smoke");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_workloads, fresh),
        cmocka_unit_test_setup(test_recipes_draw_fixture, fresh),
        cmocka_unit_test_setup(test_recipe_errors, fresh),
        cmocka_unit_test_setup(test_plot_command, fresh),
        cmocka_unit_test_setup(test_browser, fresh),
        cmocka_unit_test_setup(test_plot_without_gnuplot, fresh),
        cmocka_unit_test_setup(test_smoke_plot_without_gnuplot, fresh),
        cmocka_unit_test_setup(test_smoke_browser, fresh),
    };
    return ob_run_tests("plots", tests, setup, teardown);
}
