/* test_plot_runs.c - figures of single runs and the 2-D path figures: the box fitted to
 * the paths and the clipping of a path (worked by hand), gnuplot's contour table of the
 * saddle against its level sets, the animation's frames (counted in the GIF's own blocks), `optbench plot` on run
 * CSVs, on training CSVs and on a mix (refused), `run --plot/--animate`, `train --plot`,
 * PNG/SVG/PDF output, and small multiples with one panel per optimizer. */
#define _DEFAULT_SOURCE /* realpath */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tests/runner.h"

#include "experiments/experiment.h"
#include "plots/box.h"
#include "plots/contours.h"
#include "plots/figopts.h"
#include "plots/paths.h"
#include "plots/recipes.h"
#include "tests/shell.h"

static char dir[64];

/* |a - b| <= tol (cmocka's assert_float_equal compares in single precision) */
#define assert_near(a, b, tol)                                                               \
    do {                                                                                     \
        double a_ = (a), b_ = (b);                                                           \
        if (!(fabs(a_ - b_) <= (tol))) fail_msg("%.17g != %.17g (tolerance %g)", a_, b_, (double)(tol)); \
    } while (0)
static const char *bin;

static int setup(void **st)
{
    (void)st;
    static char abs_bin[4096];
    bin = getenv("OPTBENCH");
    if (!realpath(bin ? bin : "build/optbench", abs_bin)) return -1;
    bin = abs_bin; /* the tests run commands in dir */
    strcpy(dir, "/tmp/optbench-plotruns-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    return sh("rm -rf %s", dir);
}

static unsigned char *slurp(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *s = malloc((size_t)*size + 1);
    if (s) s[fread(s, 1, (size_t)*size, f)] = '\0';
    fclose(f);
    return s;
}

/* path (under dir) is a figure of its extension's format: magic bytes, more than a blank
 * canvas's size */
static void assert_figure(const char *rel)
{
    char path[256];
    long size = 0;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    unsigned char *b = slurp(path, &size);
    if (!b) fail_msg("%s was not written", path);
    const char *ext = strrchr(rel, '.') + 1;
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    int ok = !strcmp(ext, "png")   ? size > 8 && !memcmp(b, png, 8)
             : !strcmp(ext, "svg") ? strstr((char *)b, "<svg") && strstr((char *)b, "</svg>")
             : !strcmp(ext, "pdf") ? !memcmp(b, "%PDF-", 5) && strstr((char *)b + size - 8, "EOF")
             : !strcmp(ext, "gif") ? !memcmp(b, "GIF89a", 6)
                                   : 0;
    if (!ok) fail_msg("%s is not a valid %s", path, ext);
    /* an empty canvas: about 1.5 KB of PDF, 3 KB of PNG or SVG */
    if (size < (!strcmp(ext, "pdf") ? 5000 : 10000))
        fail_msg("%s has only %ld bytes: nothing drawn?", path, size);
    free(b);
}

/* The images of a GIF (GIF89a: header, screen descriptor, colour table, then extension
 * blocks 0x21, image descriptors 0x2C, the trailer 0x3B), or -1 when it is malformed. */
static int gif_frames(const unsigned char *b, long n)
{
    long i = 13;
    if (n < 13 || memcmp(b, "GIF89a", 6) != 0) return -1;
    if (b[10] & 0x80) i += 3L << ((b[10] & 7) + 1); /* the global colour table */
    int frames = 0;
    while (i < n) {
        if (b[i] == 0x3B) return frames;
        if (b[i] == 0x21) {
            i += 2; /* introducer, label */
        } else if (b[i] == 0x2C) {
            frames++;
            unsigned char flags = b[i + 9];
            i += 10;
            if (flags & 0x80) i += 3L << ((flags & 7) + 1); /* a local colour table */
            i++;                                            /* LZW minimum code size */
        } else {
            return -1;
        }
        while (i < n && b[i] != 0) i += b[i] + 1; /* data sub-blocks, up to the terminator */
        i++;
    }
    return -1;
}

static void test_box_fit(void **st)
{
    (void)st;
    /* Beale's box and paths near (1, 0.5)..(3, 0.5): x spans 2, so 0.1 of it on each side;
     * y spans 0.5 (more than 4% of 9 = 0.36): [-0.05, 0.55] */
    const double box[4] = {-4.5, 4.5, -4.5, 4.5}, star[2] = {3, 0.5};
    double x[] = {1, 2, 3, 2.5}, y[] = {0.5, 0, 0.5, 0.25}, out[4];
    ob_box_fit(box, x, y, 4, star, 0.1, out);
    assert_near(out[0], 0.8, 1e-12);
    assert_near(out[1], 3.2, 1e-12);
    assert_near(out[2], -0.05, 1e-12);
    assert_near(out[3], 0.55, 1e-12);
    /* a point beyond the reach (twice the half-widths) is left out; one inside it widens
     * the box past the problem's */
    double x2[] = {1, 3, 1e10, 7}, y2[] = {0.5, 0.5, 0, 0.5};
    ob_box_fit(box, x2, y2, 4, NULL, 0.1, out);
    assert_near(out[0], 1 - 0.6, 1e-12);
    assert_near(out[1], 7 + 0.6, 1e-12);
    /* the minimum span: one point gives 4% of the box around it, plus the margin */
    ob_box_fit(box, x, y, 1, NULL, 0, out);
    assert_near(out[1] - out[0], 0.36, 1e-12);
    assert_near(0.5 * (out[0] + out[1]), 1, 1e-12);
    /* random paths: every point within the reach lies inside, margin included */
    srand(7);
    double px[500], py[500];
    for (int i = 0; i < 500; i++) {
        px[i] = -9 + 18.0 * rand() / RAND_MAX * (i % 50 ? 0.3 : 1);
        py[i] = -3 + 6.0 * rand() / RAND_MAX;
    }
    ob_box_fit(box, px, py, 500, NULL, OB_BOX_MARGIN, out);
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (int i = 0; i < 500; i++) {
        lo[0] = fmin(lo[0], px[i]), hi[0] = fmax(hi[0], px[i]);
        lo[1] = fmin(lo[1], py[i]), hi[1] = fmax(hi[1], py[i]);
    }
    for (int a = 0; a < 2; a++) {
        double m = OB_BOX_MARGIN * (hi[a] - lo[a]);
        assert_true(out[2 * a] <= lo[a] - m + 1e-12 || out[2 * a] == -9);
        assert_true(out[2 * a + 1] >= hi[a] + m - 1e-12 || out[2 * a + 1] == 9);
        assert_true(out[2 * a] >= -9 && out[2 * a + 1] <= 9);
    }
}

static void test_box_clip(void **st)
{
    (void)st;
    const double box[4] = {-1, 1, -1, 1};
    double t0, t1;
    assert_int_equal(ob_box_clip(box, 0, 0, 2, 0, &t0, &t1), 1); /* leaves at x = 1 */
    assert_near(t0, 0, 0);
    assert_near(t1, 0.5, 1e-15);
    assert_int_equal(ob_box_clip(box, -3, 0, 1, 0, &t0, &t1), 1); /* enters at x = -1 */
    assert_near(t0, 0.5, 1e-15);
    assert_near(t1, 1, 0);
    assert_int_equal(ob_box_clip(box, 2, 2, 3, 0, &t0, &t1), 0);  /* misses */
    assert_int_equal(ob_box_clip(box, -2, 0.5, 2, 0.5, &t0, &t1), 1); /* crosses */
    assert_near(t0, 0.25, 1e-15);
    assert_near(t1, 0.75, 1e-15);
}

/* the levels every dz from the first multiple at or above zlo up to zhi, by hand */
static void test_contour_levels(void **st)
{
    (void)st;
    char out[256];
    ob_zrange zr = {.zlo = -1.03, .zhi = 0.98, .dz = 0.5};
    assert_int_equal(ob_contour_levels(&zr, out, sizeof out), 4);
    assert_string_equal(out, "-1,-0.5,0,0.5");
    zr = (ob_zrange){.zlo = 2, .zhi = 4, .dz = 1}; /* both ends are levels */
    assert_int_equal(ob_contour_levels(&zr, out, sizeof out), 3);
    assert_string_equal(out, "2,3,4");
}

/* The saddle f = (1 - x y)^2, f* = 0: the level L of log10(f - f*) is the pair of
 * hyperbolas x y = 1 -+ 10^(L/2).  Every point of gnuplot's table lies on its level set
 * (up to the linear interpolation between grid points), every level has points; the
 * temporary table is removed, a cached one kept until the cache is cleared. */
static void test_contour_table(void **st)
{
    (void)st;
    ob_surface sf;
    ob_error e = {{0}};
    assert_int_equal(ob_surface_from_problem(&sf, "saddle", NULL, &e), OB_OK);
    const double box[4] = {-2, 2.5, -1, 3}; /* not symmetric: x and y cannot swap */
    memcpy(sf.box, box, sizeof sf.box);
    char near[128], levels[512];
    snprintf(near, sizeof near, "%s/saddle", dir);
    ob_contours c;
    assert_int_equal(ob_contours_get(&sf, near, &c, &e), OB_OK);
    assert_true(c.temporary);
    assert_near(c.zr.fstar, 0, 0); /* the saddle's f* */
    assert_near(c.zr.dz, 0.5, 0); /* f - f* spans about 4 decades: a line every half */
    int nl = ob_contour_levels(&c.zr, levels, sizeof levels), seen[64] = {0};
    assert_true(nl >= 5 && nl < 64);
    FILE *f = fopen(c.path, "r");
    assert_non_null(f);
    char line[256];
    size_t points = 0;
    double worst = 0;
    while (fgets(line, sizeof line, f)) {
        double x, y, L;
        if (line[0] == '#' || sscanf(line, "%lf %lf %lf", &x, &y, &L) != 3) continue;
        double first = ceil(c.zr.zlo / c.zr.dz - 1e-9) * c.zr.dz;
        int k = (int)lround((L - first) / c.zr.dz);
        assert_true(k >= 0 && k < nl);
        assert_near(L, first + k * c.zr.dz, 1e-6);
        seen[k] = 1;
        assert_true(x >= sf.box[0] && x <= sf.box[1] && y >= sf.box[2] && y <= sf.box[3]);
        double r = fabs(1 - x * y); /* |1 - x y| = 10^(L/2) on the level set */
        double err = fabs(log10(r) - L / 2);
        if (err > worst) worst = err;
        /* gnuplot interpolates linearly between grid points (a step of 0.028 in x): near
         * the valley, at y = 3, |1 - x y| = 0.1 changes by 0.084 a step, so log10 bends
         * by a few hundredths; a wrong level (dz = 0.5 in L) would be off by 0.25 */
        assert_true(r > 0 && err <= 0.05);
        points++;
    }
    fclose(f);
    assert_true(points > 100);
    for (int k = 0; k < nl; k++) assert_true(seen[k]);
    print_message("contour table: %zu points, %d levels, worst |log10|1-xy| - L/2| %.3g\n",
                  points, nl, worst);
    ob_contours_release(&c);
    assert_int_not_equal(sh("test -e %s", near), 0);
    char cache[160];
    snprintf(cache, sizeof cache, "%s/cache", dir);
    assert_int_equal(sh("mkdir %s", cache), 0);
    ob_contours_cache(cache);
    ob_contours c2, c3;
    assert_int_equal(ob_contours_get(&sf, near, &c2, &e), OB_OK);
    assert_int_equal(ob_contours_get(&sf, near, &c3, &e), OB_OK); /* found, not traced */
    assert_string_equal(c2.path, c3.path);
    assert_false(c2.temporary);
    ob_contours_release(&c2);
    assert_int_equal(sh("test -s %s", c3.path), 0);
    sf.box[1] = 1.5; /* another grid: another table */
    assert_int_equal(ob_contours_get(&sf, near, &c2, &e), OB_OK);
    assert_string_not_equal(c2.path, c3.path);
    ob_contours_cache(NULL);
    ob_contours_cache_clear(cache);
    assert_int_not_equal(sh("test -e %s", cache), 0);
    ob_surface_free(&sf);
}

static void test_anim_frames(void **st)
{
    (void)st;
    double steps[301];
    for (int i = 0; i <= 300; i++) steps[i] = i;
    ob_path p = {.n = 301, .step = steps};
    ob_paths ps = {.v = &p, .n = 1};
    long lim[OB_ANIM_MAX_FRAMES];
    size_t f = ob_anim_frames(&ps, INFINITY, lim, OB_ANIM_MAX_FRAMES);
    assert_int_equal(f, 40); /* 301 logged steps in 40 chunks */
    assert_int_equal(lim[39], 300);
    for (size_t j = 1; j < f; j++) assert_true(lim[j] > lim[j - 1]);
    p.n = 6; /* 6 logged steps: 10 frames at least, steps repeat */
    f = ob_anim_frames(&ps, INFINITY, lim, OB_ANIM_MAX_FRAMES);
    assert_int_equal(f, 10);
    assert_int_equal(lim[0], 0);
    assert_int_equal(lim[9], 5);
}

/* An animation ends when the paths stop moving: a path that walks for 100 steps and then
 * sits still, another that stops at step 60; the frames end at step 100. */
static void test_anim_still(void **st)
{
    (void)st;
    double x[2][301], y[2][301], steps[301];
    for (int i = 0; i <= 300; i++) {
        steps[i] = i;
        x[0][i] = i < 100 ? i / 100.0 : 1, y[0][i] = 0;
        x[1][i] = 0, y[1][i] = i < 60 ? i / 60.0 : 1;
    }
    ob_path p[2] = {{.n = 301, .x = x[0], .y = y[0], .step = steps, .highlight = 1},
                    {.n = 301, .x = x[1], .y = y[1], .step = steps, .highlight = 1}};
    ob_paths ps = {.v = p, .n = 2};
    double box[4] = {0, 1, 0, 1};
    assert_true(ob_anim_still(&ps, box) == 100);
    p[0].highlight = 0; /* the other seeds' paths do not hold the animation */
    assert_true(ob_anim_still(&ps, box) == 60);
    p[0].highlight = 1;
    for (int i = 250; i < 300; i++) x[0][i] = 1 + (i - 249) * 10.0; /* flies off, */
    x[0][300] = NAN; /* then diverges: it moves until its last finite point */
    assert_true(ob_anim_still(&ps, box) == 299);
    for (int i = 250; i < 300; i++) x[0][i] = 1;
    long lim[OB_ANIM_MAX_FRAMES];
    size_t f = ob_anim_frames(&ps, 100, lim, OB_ANIM_MAX_FRAMES);
    assert_int_equal(f, 40);
    assert_int_equal(lim[f - 1], 100);
}

static void run(const char *args)
{
    if (sh("cd %s && %s run %s --quiet >/dev/null", dir, bin, args) != 0)
        fail_msg("optbench run %s failed", args);
}

static void test_plot_runs(void **st)
{
    (void)st;
    run("--problem beale --optimizer adam --lr 0.05 --steps 300 --out a.csv");
    run("--problem beale --optimizer momentum --lr 0.01 --steps 300 --seed 2 --out b.csv");
    run("--problem quadratic --dim 10 --optimizer nag --lr 0.01 --steps 200 --out q.csv");
    const char *fmt[] = {"png", "svg", "pdf"};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(sh("cd %s && %s plot a.csv b.csv --out figs --format %s >out 2>err", dir,
                            bin, fmt[k]), 0);
        const char *kinds[] = {"contour", "gap", "gnorm"};
        for (int j = 0; j < 3; j++) {
            char rel[64];
            snprintf(rel, sizeof rel, "figs/runs-%s.%s", kinds[j], fmt[k]);
            assert_figure(rel);
        }
    }
    /* a run with sharpness estimates also gets the sharpness figure (plots/fig_sharpness.h) */
    run("--problem quadratic --dim 2 --optimizer gd --lr 0.01 --steps 50 --sharpness-every 10 "
        "--out sh.csv");
    assert_int_equal(sh("cd %s && %s plot sh.csv >out 2>err", dir, bin), 0);
    assert_figure("sh-sharpness.png");
    assert_figure("sh-contour.png");
    /* a 10-dimensional run: no contour, the curves */
    assert_int_equal(sh("cd %s && %s plot q.csv >out 2>err", dir, bin), 0);
    assert_figure("q-gap.png");
    assert_figure("q-gnorm.png");
    assert_int_not_equal(sh("test -e %s/q-contour.png", dir), 0);
    /* --out where a file is: refused, one line */
    assert_int_equal(sh("cd %s && %s plot a.csv --out a.csv 2>err", dir, bin), 2);
    assert_int_equal(sh("test $(wc -l < %s/err) -eq 1 && grep -q 'a file is in the way' %s/err",
                        dir, dir), 0);
    /* two seeds of a rotated quadratic are two instances (the seed turns the axes): refused;
     * two seeds of the saddle are one function, drawn on one contour */
    run("--problem quadratic --dim 2 --rotate --kappa 10 --optimizer gd --lr 0.05 --steps 30 "
        "--seed 1 --out q1.csv");
    run("--problem quadratic --dim 2 --rotate --kappa 10 --optimizer gd --lr 0.05 --steps 30 "
        "--seed 2 --out q2.csv");
    assert_int_equal(sh("cd %s && %s plot q1.csv q2.csv --name qq 2>err", dir, bin), 2);
    assert_int_equal(sh("test $(wc -l < %s/err) -eq 1 && grep -q 'two instances of quadratic' "
                        "%s/err && ! ls %s/qq-* 2>/dev/null", dir, dir, dir), 0);
    run("--problem saddle --optimizer gd --lr 0.05 --steps 30 --seed 1 --out s1.csv");
    run("--problem saddle --optimizer gd --lr 0.05 --steps 30 --seed 2 --out s2.csv");
    assert_int_equal(sh("cd %s && %s plot s1.csv s2.csv --name ss >out 2>err", dir, bin), 0);
    assert_figure("ss-contour.png");
    /* 2-D runs of different problems cannot share a contour: refused, one line */
    run("--problem rosenbrock --optimizer adam --lr 0.01 --steps 100 --out r.csv");
    assert_int_equal(sh("cd %s && %s plot a.csv r.csv 2>err", dir, bin), 2);
    assert_int_equal(sh("test $(wc -l < %s/err) -eq 1 && grep -q 'one problem instance' %s/err",
                        dir, dir), 0);
}

static void test_plot_train_and_mix(void **st)
{
    (void)st;
    assert_int_equal(sh("cd %s && %s train --layers 8 --dataset spirals --optimizer adam "
                        "--epochs 4 --out t.csv --quiet --plot t-overview.svg", dir, bin), 0);
    assert_figure("t-overview.svg");
    assert_int_equal(sh("cd %s && %s plot t.csv --format pdf >out 2>err", dir, bin), 0);
    assert_figure("t-loss.pdf");
    assert_figure("t-acc.pdf");
    /* a run CSV and a training CSV: refused with the reason, nothing drawn */
    run("--problem beale --optimizer adam --lr 0.05 --steps 30 --out m.csv");
    assert_int_equal(sh("cd %s && %s plot t.csv m.csv --name mix 2>err", dir, bin), 2);
    assert_int_equal(sh("test $(wc -l < %s/err) -eq 1 && grep -q 'training CSV' %s/err && "
                        "grep -q 'trajectory CSV' %s/err && ! ls %s/mix-* 2>/dev/null", dir, dir,
                        dir, dir), 0);
    /* neither kind */
    assert_int_equal(sh("cd %s && printf 'a,b\\n1,2\\n' > x.csv && %s plot x.csv 2>err", dir, bin), 2);
}

/* the step log beside a training CSV is drawn on the loss panel; a split whose column is
 * empty (a bench tuning run's test split) is left out, from the legend and the title (SVG
 * is text: the legend entries are read back) */
static void test_plot_train_steps_and_splits(void **st)
{
    (void)st;
    assert_int_equal(sh("cd %s && %s train --layers 8 --dataset spirals --optimizer adam "
                        "--epochs 4 --log-every 2 --out ts.csv --quiet", dir, bin), 0);
    assert_int_equal(sh("test -s %s/ts.steps.csv", dir), 0);
    assert_int_equal(sh("cd %s && %s plot ts.csv --format svg >out 2>err", dir, bin), 0);
    assert_figure("ts-loss.svg");
    assert_int_equal(sh("grep -q 'mini-batch loss' %s/ts-loss.svg && "
                        "grep -q 'adam, lr 0.001: test' %s/ts-loss.svg && "
                        "grep -q 'test dotted' %s/ts-loss.svg", dir, dir, dir), 0);
    /* no step log: no such line */
    assert_int_equal(sh("cd %s && cp ts.csv tn.csv && cp ts.summary.csv tn.summary.csv && "
                        "%s plot tn.csv --format svg >out 2>err", dir, bin), 0);
    assert_int_not_equal(sh("grep -q 'mini-batch' %s/tn-loss.svg", dir), 0);
    /* the test columns emptied: no test entry, no test in the title */
    assert_int_equal(sh("cd %s && awk -F, -v OFS=, 'NR > 1 {$9 = \"\"; $10 = \"\"} 1' ts.csv "
                        "> te.csv && cp ts.summary.csv te.summary.csv && head -1 te.csv | "
                        "grep -q 'test_loss,test_acc$' && %s plot te.csv --format svg >out 2>err",
                        dir, bin), 0);
    assert_figure("te-acc.svg");
    assert_int_equal(sh("grep -q 'adam, lr 0.001: validation' %s/te-acc.svg", dir), 0);
    assert_int_not_equal(sh("grep -q 'adam, lr 0.001: test' %s/te-acc.svg", dir), 0);
    assert_int_not_equal(sh("grep -q 'test dotted' %s/te-acc.svg", dir), 0);
}

/* run --plot draws the overview; --animate a GIF of one frame per chunk of logged steps */
static void test_run_plot_animate(void **st)
{
    (void)st;
    run("--problem rosenbrock --optimizer adam --lr 0.01 --steps 300 --out rb.csv "
        "--plot rb.png --animate rb.gif");
    assert_figure("rb.png");
    assert_figure("rb.gif");
    char path[128];
    long n;
    snprintf(path, sizeof path, "%s/rb.gif", dir);
    unsigned char *b = slurp(path, &n);
    assert_int_equal(gif_frames(b, n), 40); /* 301 logged steps, 40 chunks at most */
    free(b);
    run("--problem saddle --optimizer gd --lr 0.1 --steps 5 --out s.csv --animate s.gif");
    snprintf(path, sizeof path, "%s/s.gif", dir);
    b = slurp(path, &n);
    assert_int_equal(gif_frames(b, n), 10); /* 6 logged steps: at least 10 frames */
    free(b);
    /* not 2-D: refused before running */
    assert_int_equal(sh("cd %s && %s run --problem quadratic --dim 5 --out n.csv --animate n.gif "
                        "2>err; test $? -eq 2 && ! test -e n.csv", dir, bin), 0);
    assert_int_equal(sh("cd %s && %s run --problem beale --out - --plot x.png 2>err", dir, bin), 2);
}

/* small multiples of the fixture's rosenbrock (3 optimizers): 3 panels, each titled */
static void test_multiples(void **st)
{
    (void)st;
    assert_int_equal(sh("cp -R tests/fixtures/bench %s/fx", dir), 0);
    char fx[128], out[160];
    snprintf(fx, sizeof fx, "%s/fx", dir);
    snprintf(out, sizeof out, "%s/multiples.svg", dir);
    ob_error e = {{0}};
    assert_int_equal(ob_plot_multiples(fx, "rosenbrock", out, &e), OB_OK);
    assert_figure("multiples.svg");
    long n;
    char *svg = (char *)slurp(out, &n);
    /* gnuplot's SVG names each panel's first plot gnuplot_plot_1<panel letter> */
    int panels = 0;
    for (char c = 'a'; c <= 'z'; c++) {
        char id[40];
        snprintf(id, sizeof id, "id=\"gnuplot_plot_1%c\"", c);
        panels += strstr(svg, id) != NULL;
    }
    assert_int_equal(panels, 3);
    assert_non_null(strstr(svg, ">adam<"));
    assert_non_null(strstr(svg, ">gd<"));
    assert_non_null(strstr(svg, ">momentum<"));
    free(svg);
    /* the other 2-D figures in the three formats */
    const char *fmt[] = {"png", "svg", "pdf"};
    for (int k = 0; k < 3; k++) {
        char rel[64];
        snprintf(rel, sizeof rel, "contour.%s", fmt[k]);
        snprintf(out, sizeof out, "%s/%s", dir, rel);
        assert_int_equal(ob_plot_contour(fx, "rosenbrock", out, &e), OB_OK);
        assert_figure(rel);
        snprintf(rel, sizeof rel, "surface3d.%s", fmt[k]);
        snprintf(out, sizeof out, "%s/%s", dir, rel);
        assert_int_equal(ob_plot_surface3d(fx, "rosenbrock", out, &e), OB_OK);
        assert_figure(rel);
    }
}

/* plot --optimizers and --box on the path figures: the listed optimizers only (not the
 * default few), and the box given (its ticks, 30 to 40, are nowhere near the fitted box
 * of the fixture's Rosenbrock paths); --box shared parses. */
static void test_path_options(void **st)
{
    (void)st;
    assert_int_equal(sh("rm -rf %s/fo && cp -R tests/fixtures/bench %s/fo", dir, dir), 0);
    char fx[128], out[160];
    snprintf(fx, sizeof fx, "%s/fo", dir);
    snprintf(out, sizeof out, "%s/fo.svg", dir);
    ob_error e = {{0}};
    ob_fig_options o = {0};
    assert_int_equal(ob_fig_parse_optimizers("--optimizers", "adam,gd", &o, &e), OB_OK);
    ob_fig_options_set(&o);
    assert_int_equal(ob_plot_contour(fx, "rosenbrock", out, &e), OB_OK);
    long n;
    char *svg = (char *)slurp(out, &n);
    assert_non_null(strstr(svg, ">adam<"));
    assert_non_null(strstr(svg, ">gd<"));
    assert_null(strstr(svg, ">momentum<"));
    free(svg);
    ob_fig_options_set(NULL);
    assert_int_equal(ob_plot_multiples(fx, "rosenbrock", out, &e), OB_OK);
    svg = (char *)slurp(out, &n);
    assert_null(strstr(svg, "34</tspan>"));
    free(svg);
    assert_int_equal(ob_fig_parse_box("--box", "10,20,30,40", &o, &e), OB_OK);
    ob_fig_options_set(&o);
    const ob_plot_fn fig[] = {ob_plot_multiples, ob_plot_contour};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(fig[k](fx, "rosenbrock", out, &e), OB_OK);
        svg = (char *)slurp(out, &n);
        assert_non_null(strstr(svg, "34</tspan>"));
        free(svg);
    }
    ob_fig_options s = {0};
    assert_int_equal(ob_fig_parse_box("--box", "shared", &s, &e), OB_OK);
    assert_true(s.box_shared && !s.has_box);
    ob_fig_options_set(&s);
    assert_int_equal(ob_plot_multiples(fx, "rosenbrock", out, &e), OB_OK);
    ob_fig_options_set(NULL);
}

/* The overlaid path figures' default subset: the classics present (gd, momentum, adam),
 * then the best ranked on the workload (a reference method unranked, another workload's
 * ranks ignored), six at most, in the canonical order. */
static void test_paths_pick(void **st)
{
    (void)st;
    char d[128], f[200];
    snprintf(d, sizeof d, "%s/pick", dir);
    assert_int_equal(sh("mkdir -p %s", d), 0);
    FILE *o = fopen(snprintf(f, sizeof f, "%s/ranking_analytic.csv", d) > 0 ? f : f, "w");
    assert_non_null(o);
    fputs("workload,optimizer,rank\n"
          "w,gd,9\nw,sgd,8\nw,momentum,7\nw,nag,1\nw,rprop,2\nw,adagrad,2\n"
          "w,rmsprop,5\nw,adam,6\nw,lion,4\nw,gsl-bfgs,\nv,adadelta,1\n", o);
    fclose(o);
    const char *names[] = {"gd", "sgd", "momentum", "nag", "rprop", "adagrad", "rmsprop",
                           "adam", "lion", "gsl-bfgs", "adadelta"}, *out[16];
    size_t n = ob_paths_pick(d, "w", names, 11, out, 16);
    assert_int_equal(n, 6);
    /* gd, momentum, adam; then nag (1), rprop and adagrad (2=); lion (4) left out */
    const char *want[] = {"gd", "momentum", "nag", "rprop", "adagrad", "adam"};
    for (size_t k = 0; k < n; k++) assert_string_equal(out[k], want[k]);
    /* without adam and gd: one classic, then five by rank */
    const char *some[] = {"sgd", "momentum", "nag", "rmsprop", "lion", "gsl-bfgs", "adadelta"};
    n = ob_paths_pick(d, "w", some, 7, out, 16);
    assert_int_equal(n, 5); /* gsl-bfgs and adadelta are unranked on w */
    const char *want2[] = {"sgd", "momentum", "nag", "rmsprop", "lion"};
    for (size_t k = 0; k < n; k++) assert_string_equal(out[k], want2[k]);
    /* no ranking at all: the classics, then the canonical order */
    snprintf(d, sizeof d, "%s/nopick", dir);
    n = ob_paths_pick(d, "w", names, 11, out, 16);
    assert_int_equal(n, 6);
    const char *want3[] = {"gd", "sgd", "momentum", "nag", "rprop", "adam"};
    for (size_t k = 0; k < n; k++) assert_string_equal(out[k], want3[k]);
}

/* The fitted box ignores where a path flies beyond the problem's box (and comes back), but
 * keeps where every path starts and ends; with every set, the thin paths count too. */
static void test_surface_fit_robust(void **st)
{
    (void)st;
    ob_surface sf = {.pbox = {-2, 2, -1, 3}};
    double x[4] = {-1, 0, 0.5, 1}, y[4] = {1, 50, 0.5, 1}, steps[4] = {0, 1, 2, 3};
    double x2[2] = {0, 1.5}, y2[2] = {0.8, 2.5}; /* starts inside the box */
    ob_path p[2] = {{.n = 4, .x = x, .y = y, .step = steps, .highlight = 1},
                    {.n = 2, .x = x2, .y = y2, .step = steps, .highlight = 0}};
    ob_paths ps = {.v = p, .n = 1};
    ob_surface_fit(&sf, &ps, 0);
    double want[4];
    double bx[3] = {-1, 0.5, 1}, by[3] = {1, 0.5, 1};
    ob_box_fit(sf.pbox, bx, by, 3, NULL, OB_BOX_MARGIN, want);
    for (int k = 0; k < 4; k++) assert_near(sf.box[k], want[k], 1e-12);
    assert_true(sf.box[3] < 3); /* the flight to y = 50 did not stretch it */
    ps.n = 2; /* a thin path counts with every set, by its start only otherwise */
    ob_surface_fit(&sf, &ps, 0);
    for (int k = 0; k < 4; k++) assert_near(sf.box[k], want[k], 1e-12);
    ob_surface_fit(&sf, &ps, 1);
    assert_true(sf.box[1] > 1.5 && sf.box[3] > 2.5);
}

/* --format: every planned figure's file takes the extension, the animations stay GIFs and
 * the interactive curves (index.html's) gzipped HTML */
static void test_figure_format(void **st)
{
    (void)st;
    char fx[128];
    snprintf(fx, sizeof fx, "%s/fx2", dir);
    assert_int_equal(sh("cp -R tests/fixtures/bench %s", fx), 0);
    ob_result_list w;
    ob_figure_list f;
    assert_int_equal(ob_workloads_find(fx, &w, NULL), OB_OK);
    const ob_plot_recipe *const *lists[8];
    assert_int_equal(ob_figures_plan(fx, &w, ob_experiments_recipes(lists, 8), &f, NULL), OB_OK);
    ob_figures_set_format(&f, "pdf");
    size_t gifs = 0;
    for (size_t i = 0; i < f.n; i++) {
        const char *ext = strrchr(f.v[i].png, '.');
        if (!strcmp(f.v[i].recipe->name, "animation")) {
            assert_string_equal(ext, ".gif");
            gifs++;
        } else if (!strcmp(f.v[i].recipe->name, "interactive")) {
            assert_string_equal(ext, ".gz"); /* index.html's, figures/curves-W.html.gz */
        } else if (strcmp(ext, ".pdf") != 0) {
            fail_msg("%s: not a PDF", f.v[i].png);
        }
    }
    assert_int_equal(gifs, 1); /* the fixture's one 2-D workload */
    ob_figures_free(&f);
    ob_workloads_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_box_fit),
        cmocka_unit_test(test_box_clip),
        cmocka_unit_test(test_contour_levels),
        cmocka_unit_test(test_contour_table),
        cmocka_unit_test(test_anim_frames),
        cmocka_unit_test(test_anim_still),
        cmocka_unit_test(test_paths_pick),
        cmocka_unit_test(test_path_options),
        cmocka_unit_test(test_surface_fit_robust),
        cmocka_unit_test(test_plot_runs),
        cmocka_unit_test(test_plot_train_and_mix),
        cmocka_unit_test(test_plot_train_steps_and_splits),
        cmocka_unit_test(test_run_plot_animate),
        cmocka_unit_test(test_multiples),
        cmocka_unit_test(test_figure_format),
    };
    return ob_run_tests("plot_runs", tests, setup, teardown);
}
