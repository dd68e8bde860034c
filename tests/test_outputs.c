/* test_outputs.c - every file optbench writes goes through one output path with one set
 * of rules (common/outfile.h), figures and reports included: a figure drawn by gnuplot
 * onto a FIFO reaches the FIFO's reader and the FIFO stays; onto a link to /dev/null the
 * link stays; a destination under a regular file or that is a directory is refused before
 * any work, naming the option.  Every figure kind: plot CSV --out D, run --plot/--animate,
 * train --plot, compare --out C, plot DIR (a registry figure, report.md, index.html). */
#include "tests/e2e.h"
#include "tests/shell.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>

#include "common/outfile.h"

static int setup(void **st)
{
    (void)st;
    if (e2e_setup("outputs") != 0) return -1;
    /* a 2-D run (contour, gap, gnorm, animation) and a small results directory */
    if (run("run --problem rosenbrock --optimizer gd --lr 0.001 --steps 60 --out %s/a.csv "
            "--quiet", dir) != 0)
        return -1;
    return run("bench --suite smoke --out %s/S --jobs 2 --quiet", dir) == 0 ? 0 : -1;
}

/* dir/name made a FIFO (after removing what was there) */
static void make_fifo(const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    unlink(p);
    assert_int_equal(mkfifo(p, 0600), 0);
}

/* dir/name made a link to /dev/null */
static void make_null_link(const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    unlink(p);
    assert_int_equal(symlink("/dev/null", p), 0);
}

static void assert_fifo(const char *name)
{
    char p[512];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    assert_int_equal(lstat(p, &sb), 0);
    if (!S_ISFIFO(sb.st_mode)) fail_msg("%s is no longer a FIFO", name);
}

/* a link to /dev/null still, and /dev/null still the device */
static void assert_null_link(const char *name)
{
    char p[512], to[64];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    assert_int_equal(lstat(p, &sb), 0);
    if (!S_ISLNK(sb.st_mode)) fail_msg("%s is no longer a link to /dev/null", name);
    ssize_t n = readlink(p, to, sizeof to - 1);
    assert_true(n > 0);
    to[n] = '\0';
    assert_string_equal(to, "/dev/null");
    assert_int_equal(stat("/dev/null", &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
}

/* the first bytes of dir/name begin with magic (a PNG, a GIF, ...) */
static void assert_starts(const char *name, const char *magic)
{
    char p[512], buf[16] = {0};
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "rb");
    if (!f) fail_msg("%s: nothing arrived", name);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    if (n < strlen(magic) || memcmp(buf, magic, strlen(magic)) != 0)
        fail_msg("%s: %zu bytes, not a %s file", name, n, magic);
}

/* `optbench ARGS` with a reader on the FIFO dir/fifo copying it to dir/got (both bounded in
 * time; a FIFO replaced by a regular file would leave its reader waiting forever: it is
 * stopped then) */
__attribute__((format(printf, 3, 4))) static int run_with_reader(const char *fifo,
                                                                  const char *got,
                                                                  const char *fmt, ...)
{
    char args[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    return sh("timeout 120 cat %s/%s > %s/%s & c=$!; timeout 300 %s %s >%s/stdout "
              "2>%s/stderr; rc=$?; [ -p %s/%s ] || kill $c 2>/dev/null; wait; exit $rc",
              dir, fifo, dir, got, bin, args, dir, dir, dir, fifo);
}

/* the names in dir/sub that contain part (temporary files left behind) */
static int count_with(const char *sub, const char *part)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, sub);
    DIR *d = opendir(p);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strstr(e->d_name, part) != NULL;
    closedir(d);
    return n;
}

/* plot a.csv --out D: the gap figure onto a link to /dev/null, the gnorm figure into a FIFO */
static void test_plot_csv(void **st)
{
    (void)st;
    assert_int_equal(sh("mkdir -p %s/D", dir), 0);
    make_null_link("D/a-gap.png");
    make_fifo("D/a-gnorm.png");
    assert_int_equal(run_with_reader("D/a-gnorm.png", "gnorm.got", "plot %s/a.csv --out %s/D",
                                     dir, dir), 0);
    assert_null_link("D/a-gap.png");
    assert_fifo("D/a-gnorm.png");
    assert_starts("gnorm.got", "\x89PNG");
    assert_starts("D/a-contour.png", "\x89PNG"); /* a new file still gets its figure */
    assert_int_equal(count_with("D", ".tmp"), 0);
    assert_int_equal(count_with("D", ".gp"), 0);
    /* the other way round, as SVG */
    make_fifo("D/a-gap.svg");
    make_null_link("D/a-gnorm.svg");
    assert_int_equal(run_with_reader("D/a-gap.svg", "gap.got",
                                     "plot %s/a.csv --out %s/D --format svg", dir, dir), 0);
    assert_fifo("D/a-gap.svg");
    assert_null_link("D/a-gnorm.svg");
    assert_non_null(strstr(slurp("gap.got"), "<svg"));
}

/* run --plot and --animate onto links to /dev/null and into FIFOs */
static void test_run_figures(void **st)
{
    (void)st;
    make_null_link("lp.png");
    make_null_link("la.gif");
    assert_int_equal(run("run --problem rosenbrock --optimizer gd --lr 0.001 --steps 40 "
                         "--out %s/r1.csv --plot %s/lp.png --animate %s/la.gif", dir, dir, dir),
                     0);
    assert_null_link("lp.png");
    assert_null_link("la.gif");
    make_fifo("fa.gif");
    assert_int_equal(run_with_reader("fa.gif", "fa.got", "run --problem rosenbrock "
                                     "--optimizer gd --lr 0.001 --steps 40 --out %s/r2.csv "
                                     "--animate %s/fa.gif", dir, dir), 0);
    assert_fifo("fa.gif");
    assert_starts("fa.got", "GIF89a");
    make_fifo("fp.png");
    assert_int_equal(run_with_reader("fp.png", "fp.got", "run --problem rosenbrock "
                                     "--optimizer gd --lr 0.001 --steps 40 --out %s/r3.csv "
                                     "--plot %s/fp.png", dir, dir), 0);
    assert_fifo("fp.png");
    assert_starts("fp.got", "\x89PNG");
    assert_int_equal(count_with(".", ".tmp."), 0);
    assert_int_equal(count_with(".", ".contours."), 0);
}

/* train --plot into a FIFO and onto a link to /dev/null */
static void test_train_figure(void **st)
{
    (void)st;
    make_fifo("tp.png");
    assert_int_equal(run_with_reader("tp.png", "tp.got", "train --layers 4 --dataset moons "
                                     "--samples 200 --epochs 2 --quiet --out %s/t.csv "
                                     "--plot %s/tp.png", dir, dir), 0);
    assert_fifo("tp.png");
    assert_starts("tp.got", "\x89PNG");
    make_null_link("tn.png");
    assert_int_equal(run("train --layers 4 --dataset moons --samples 200 --epochs 2 --quiet "
                         "--out %s/t.csv --plot %s/tn.png", dir, dir), 0);
    assert_null_link("tn.png");
}

/* compare S S --out C: figures/compare-W.png onto a link to /dev/null and into a FIFO; a
 * ranking.csv link kept as well */
static void test_compare_figures(void **st)
{
    (void)st;
    assert_int_equal(run("compare %s/S %s/S --out %s/C0 --quiet", dir, dir, dir), 0);
    assert_true(exists("C0/figures/compare-saddle.png"));
    assert_true(exists("C0/figures/compare-quadratic-3.png"));
    assert_int_equal(sh("mkdir -p %s/C/figures", dir), 0);
    make_null_link("C/figures/compare-saddle.png");
    make_null_link("C/ranking.csv");
    make_fifo("C/figures/compare-quadratic-3.png");
    assert_int_equal(run_with_reader("C/figures/compare-quadratic-3.png", "cq.got",
                                     "compare %s/S %s/S --out %s/C --quiet", dir, dir, dir), 0);
    assert_null_link("C/figures/compare-saddle.png");
    assert_null_link("C/ranking.csv");
    assert_fifo("C/figures/compare-quadratic-3.png");
    assert_starts("cq.got", "\x89PNG");
    assert_int_equal(count_with("C/figures", ".tmp"), 0);
}

/* plot DIR: a registry figure onto a link to /dev/null, the animation into a FIFO (the
 * report links to it, never reads it), report.md into a FIFO, index.html onto a link */
static void test_plot_dir(void **st)
{
    (void)st;
    assert_int_equal(sh("rm -rf %s/P && cp -r %s/S %s/P", dir, dir, dir), 0);
    make_null_link("P/figures/ecdf.png");
    make_fifo("P/figures/animation-saddle.gif");
    assert_int_equal(run_with_reader("P/figures/animation-saddle.gif", "anim.got",
                                     "plot %s/P --jobs 2 --quiet", dir), 0);
    assert_null_link("P/figures/ecdf.png");
    assert_fifo("P/figures/animation-saddle.gif");
    assert_starts("anim.got", "GIF89a");
    assert_starts("P/figures/contour-saddle.png", "\x89PNG");
    assert_int_equal(count_with("P/figures", ".tmp"), 0);
    assert_int_equal(count_with("P/figures", ".gp"), 0);
    assert_int_equal(sh("rm %s/P/figures/animation-saddle.gif", dir), 0); /* no reader now */
    make_fifo("P/report.md");
    make_null_link("P/index.html");
    assert_int_equal(run_with_reader("P/report.md", "report.got", "plot %s/P --jobs 2 --quiet",
                                     dir), 0);
    assert_fifo("P/report.md");
    assert_null_link("P/index.html");
    assert_non_null(strstr(slurp("report.got"), "figures/ecdf.png"));
}

/* every figure of every recipe `plot DIR` draws (figures/, rate/, landscape/: whatever the
 * registry made of the smoke suite), and the report, replaced by links to /dev/null: drawn
 * again through them, each stays a link, and no temporary file is left anywhere */
static void test_every_figure_through_links(void **st)
{
    (void)st;
    assert_int_equal(sh("rm -rf %s/Q && cp -r %s/S %s/Q", dir, dir, dir), 0);
    assert_int_equal(sh("cd %s/Q && find . -type f \\( -name '*.png' -o -name '*.gif' -o "
                        "-name report.md -o -name index.html \\) > ../figs.txt && "
                        "test $(wc -l < ../figs.txt) -ge 20 && "
                        "while read f; do rm \"$f\" && ln -s /dev/null \"$f\" || exit 1; done "
                        "< ../figs.txt", dir), 0);
    assert_int_equal(run("plot %s/Q --jobs 2 --quiet", dir), 0);
    /* every one still a link to /dev/null, none replaced by a regular file */
    assert_int_equal(sh("cd %s/Q && while read f; do test -L \"$f\" && "
                        "test \"$(readlink \"$f\")\" = /dev/null || { echo \"replaced: $f\"; "
                        "exit 1; }; done < ../figs.txt", dir), 0);
    assert_true(sh("test -c /dev/null") == 0);
    assert_int_equal(sh("test -z \"$(find %s/Q -name '*.tmp*' -o -name '*.gp.*' -o "
                        "-name '*.log.*')\"", dir), 0);
}

/* a destination under a regular file, or a directory: refused before any work, in one line
 * naming the option and the path; nothing is written */
static void test_bad_destinations(void **st)
{
    (void)st;
    assert_int_equal(sh("touch %s/afile && mkdir -p %s/adir", dir, dir), 0);
    assert_int_equal(run("run --problem rosenbrock --optimizer gd --steps 20 --out %s/u1.csv "
                         "--animate %s/afile/x.gif", dir, dir), 2);
    assert_false(exists("u1.csv"));
    assert_false(exists("u1.summary.csv"));
    char *err = slurp("stderr");
    assert_non_null(strstr(err, "--animate"));
    assert_non_null(strstr(err, "afile/x.gif"));
    assert_null(strstr(err, ".gp."));
    assert_null(strstr(err, "contours"));
    assert_non_null(strchr(err, '\n'));
    assert_string_equal(strchr(err, '\n'), "\n"); /* one line */
    assert_int_equal(count_with(".", "x.gif"), 0);
    /* --plot a directory; --summary under a file */
    assert_int_equal(run("run --problem rosenbrock --optimizer gd --steps 20 --out %s/u2.csv "
                         "--plot %s/adir", dir, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--plot"));
    assert_false(exists("u2.csv"));
    assert_int_equal(run("run --problem rosenbrock --optimizer gd --steps 20 --out %s/u3.csv "
                         "--summary %s/afile/s.csv", dir, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--summary"));
    assert_false(exists("u3.csv"));
    /* train --plot under a file */
    assert_int_equal(run("train --layers 4 --dataset moons --samples 200 --epochs 2 --quiet "
                         "--out %s/u4.csv --plot %s/afile/y.png", dir, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--plot"));
    assert_false(exists("u4.csv"));
    assert_false(exists("u4.summary.csv"));
    /* plot --out under a file; compare --out under a file */
    assert_int_equal(run("plot %s/a.csv --out %s/afile/D", dir, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--out"));
    assert_int_equal(run("compare %s/S %s/S --out %s/afile/C", dir, dir, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--out"));
    /* a figure that is a directory: refused, nothing left beside it */
    assert_int_equal(sh("mkdir -p %s/E/a-gap.png", dir), 0);
    assert_int_equal(run("plot %s/a.csv --out %s/E", dir, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "a-gap.png"));
    assert_int_equal(count_with("E", ".tmp"), 0);
}

/* plot g.csv.gz: the figures are named after the CSV's stem, .csv.gz dropped */
static void test_gz_names(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem rosenbrock --optimizer gd --lr 0.001 --steps 30 "
                         "--out %s/g.csv.gz --quiet", dir), 0);
    assert_int_equal(run("plot %s/g.csv.gz --out %s/G", dir, dir), 0);
    assert_true(exists("G/g-gap.png"));
    assert_true(exists("G/g-gnorm.png"));
    assert_true(exists("G/g-contour.png"));
    assert_int_equal(count_with("G", ".csv"), 0);
}

/* ob_outfile_place itself: a new file, a link to a regular file (the link stays, its file
 * replaced), a directory refused; the temporary file gone in every case */
static void test_place(void **st)
{
    (void)st;
    char tmp[512], target[512], link[512], file[512], d[512];
    ob_error e = {{0}};
    snprintf(target, sizeof target, "%s/place/new.bin", dir);
    assert_int_equal(sh("mkdir -p %s/place/sub", dir), 0);
    assert_non_null(ob_out_temp_path(target, "tmp", tmp, sizeof tmp));
    assert_int_equal(sh("printf new > %s", tmp), 0);
    assert_int_equal(ob_outfile_place(tmp, target, &e), OB_OK);
    assert_string_equal(slurp("place/new.bin"), "new");
    assert_int_equal(access(tmp, F_OK), -1);
    snprintf(file, sizeof file, "%s/place/sub/real.bin", dir);
    snprintf(link, sizeof link, "%s/place/link.bin", dir);
    assert_int_equal(sh("printf old > %s", file), 0);
    assert_int_equal(symlink(file, link), 0);
    assert_non_null(ob_out_temp_path(link, "tmp", tmp, sizeof tmp));
    assert_non_null(strstr(tmp, "/place/sub/real.bin.")); /* beside the file it points to */
    assert_int_equal(sh("printf fresh > %s", tmp), 0);
    assert_int_equal(ob_outfile_place(tmp, link, &e), OB_OK);
    struct stat sb;
    assert_int_equal(lstat(link, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_string_equal(slurp("place/sub/real.bin"), "fresh");
    snprintf(d, sizeof d, "%s/place/sub", dir);
    snprintf(tmp, sizeof tmp, "%s/place/t.bin", dir);
    assert_int_equal(sh("printf x > %s", tmp), 0);
    assert_int_equal(ob_outfile_place(tmp, d, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "directory"));
    assert_int_equal(access(tmp, F_OK), -1);
    /* a device is written in place: /dev/null stays the device */
    assert_non_null(ob_out_temp_path("/dev/null", "tmp", tmp, sizeof tmp));
    assert_null(strstr(tmp, "/dev/")); /* the scratch file is not beside a device */
    assert_int_equal(sh("printf y > %s", tmp), 0);
    assert_int_equal(ob_outfile_place(tmp, "/dev/null", &e), OB_OK);
    assert_int_equal(stat("/dev/null", &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    assert_int_equal(access(tmp, F_OK), -1);
    /* ob_out_check: the option and the path in the message */
    assert_int_equal(sh("touch %s/place/f", dir), 0);
    snprintf(target, sizeof target, "%s/place/f/x.png", dir);
    assert_int_equal(ob_out_check(target, "--plot", &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "--plot"));
    assert_non_null(strstr(e.msg, "a file is in the way"));
    assert_int_equal(ob_out_check(d, "--out", &e), OB_EINVAL);
    snprintf(target, sizeof target, "%s/place/not/yet/x.png", dir);
    assert_int_equal(ob_out_check(target, "--plot", &e), OB_OK);
    assert_int_equal(access(target, F_OK), -1); /* nothing created */
    assert_int_equal(ob_out_check("-", "--out", &e), OB_OK);
    assert_int_equal(ob_out_check("/dev/null", "--out", &e), OB_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plot_csv),        cmocka_unit_test(test_run_figures),
        cmocka_unit_test(test_train_figure),    cmocka_unit_test(test_compare_figures),
        cmocka_unit_test(test_plot_dir),
        cmocka_unit_test(test_every_figure_through_links),        cmocka_unit_test(test_bad_destinations),
        cmocka_unit_test(test_gz_names),        cmocka_unit_test(test_place),
    };
    return ob_run_tests("outputs", tests, setup, teardown);
}
