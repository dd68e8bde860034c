/* test_figopts.c - the figure options of plots/figopts.h and the figures they shape:
 * the parsers take what the docs say and refuse the rest with a message naming the value;
 * the session's optimizer list filters; the sizes the terminal gets follow the unit. */
#include "tests/e2e.h"
#include <math.h>

#include "plots/figopts.h"
#include "plots/recipes.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("figopts");
}

static void test_parse(void **st)
{
    (void)st;
    ob_fig_options o = {0};
    ob_error e = {{0}};
    assert_int_equal(ob_fig_parse_optimizers("--optimizers", "adam,sgd", &o, &e), OB_OK);
    assert_int_equal(o.n_optimizers, 2);
    assert_string_equal(o.optimizers[1], "sgd");
    assert_int_equal(ob_fig_parse_optimizers("--optimizers", "adam,,sgd", &o, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "has an empty element"));
    assert_int_equal(ob_fig_parse_optimizers("--optimizers", "adam,adam", &o, &e), OB_EINVAL);
    assert_int_equal(ob_fig_parse_box("--box", "-2,2,-1,3", &o, &e), OB_OK);
    assert_true(o.has_box && o.x0 == -2 && o.x1 == 2 && o.y0 == -1 && o.y1 == 3);
    const char *bad_box[] = {"1,0,0,1", "0,1,1,1", "0,1,2", "0,1,2,3,4", "a,1,2,3", "0,1,2,3x",
                             "", "0,1,nan,3"};
    for (size_t k = 0; k < sizeof bad_box / sizeof *bad_box; k++) {
        e.msg[0] = '\0';
        assert_int_equal(ob_fig_parse_box("--box", bad_box[k], &o, &e), OB_EINVAL);
        assert_non_null(strstr(e.msg, "--box"));
    }
    assert_int_equal(ob_fig_parse_size("--size", "3.3x2.5in", &o, &e), OB_OK);
    assert_true(o.unit == OB_FIG_UNIT_IN && o.width == 3.3 && o.height == 2.5);
    assert_int_equal(ob_fig_parse_size("--size", "8x6cm", &o, &e), OB_OK);
    assert_true(o.unit == OB_FIG_UNIT_CM && o.width == 8);
    assert_int_equal(ob_fig_parse_size("--size", "960x640", &o, &e), OB_OK);
    assert_true(o.unit == OB_FIG_UNIT_NONE && o.height == 640);
    const char *bad_size[] = {"960", "x640", "960x", "0x640", "-3x2in", "3x2mm", "3.5x2px",
                              "3x2 in", "20000x10"};
    for (size_t k = 0; k < sizeof bad_size / sizeof *bad_size; k++) {
        e.msg[0] = '\0';
        assert_int_equal(ob_fig_parse_size("--size", bad_size[k], &o, &e), OB_EINVAL);
        assert_non_null(strstr(e.msg, bad_size[k]));
    }
    assert_int_equal(ob_fig_parse_font_size("--font-size", "9", &o, &e), OB_OK);
    assert_true(o.font_size == 9);
    assert_int_equal(ob_fig_parse_font_size("--font-size", "2", &o, &e), OB_EINVAL);
    assert_int_equal(ob_fig_parse_format("--format", "tex", &o, &e), OB_OK);
    assert_int_equal(ob_fig_parse_format("--format", "eps", &o, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "eps"));
}

/* the size's unit must fit the format: pixels for png, inches or cm for the others */
static void test_check(void **st)
{
    (void)st;
    ob_fig_options o = {0};
    ob_error e = {{0}};
    assert_int_equal(ob_fig_parse_size("--size", "3.3x2.5in", &o, &e), OB_OK);
    assert_int_equal(ob_fig_check("--size", &o, &e), OB_EINVAL); /* png */
    assert_non_null(strstr(e.msg, "pixels"));
    snprintf(o.format, sizeof o.format, "pdf");
    assert_int_equal(ob_fig_check("--size", &o, &e), OB_OK);
    double w, h;
    ob_fig_page_inches(&o, 960, 640, &w, &h);
    assert_true(w == 3.3 && h == 2.5);
    assert_int_equal(ob_fig_parse_size("--size", "960x640px", &o, &e), OB_OK);
    assert_int_equal(ob_fig_check("--size", &o, &e), OB_EINVAL);
    assert_int_equal(ob_fig_parse_size("--size", "960x640", &o, &e), OB_OK);
    assert_int_equal(ob_fig_check("--size", &o, &e), OB_EINVAL); /* 960 inches */
    assert_int_equal(ob_fig_parse_size("--size", "6x4", &o, &e), OB_OK);
    assert_int_equal(ob_fig_check("--size", &o, &e), OB_OK); /* bare: inches */
    ob_fig_page_inches(&o, 960, 640, &w, &h);
    assert_true(w == 6 && h == 4);
    assert_int_equal(ob_fig_parse_size("--size", "10.16x5.08cm", &o, &e), OB_OK);
    ob_fig_page_inches(&o, 960, 640, &w, &h);
    assert_float_equal(w, 4, 1e-12);
    assert_float_equal(h, 2, 1e-12);
    /* unset: the recipe's pixels at 150 per inch, and its own canvas */
    ob_fig_options none = {0};
    ob_fig_page_inches(&none, 960, 640, &w, &h);
    assert_float_equal(w, 6.4, 1e-12);
    int pw, ph;
    ob_fig_canvas_pixels(&none, 520, 400, &pw, &ph);
    assert_true(pw == 520 && ph == 400);
    assert_true(ob_fig_font_points(&none, 11) == 11);
}

static void test_wants(void **st)
{
    (void)st;
    ob_fig_options o = {0};
    ob_error e = {{0}};
    ob_fig_options_set(NULL);
    assert_true(ob_fig_wants("adam") && ob_fig_wants("anything"));
    assert_int_equal(ob_fig_parse_optimizers("--optimizers", "adam,gd", &o, &e), OB_OK);
    ob_fig_options_set(&o);
    assert_true(ob_fig_wants("adam") && ob_fig_wants("gd"));
    assert_false(ob_fig_wants("adamw") || ob_fig_wants("sgd") || ob_fig_wants("ada"));
    assert_int_equal(ob_fig_options_get()->n_optimizers, 2);
    ob_fig_options_set(NULL);
    assert_true(ob_fig_wants("sgd"));
}

/* ---- the command line: figures drawn at the size, in the format, with the optimizers asked ---- */

/* the whole file dir/name, or NULL (caller frees) */
static char *whole(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    b[fread(b, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return b;
}

/* the first line of dir/stderr */
static const char *err_line(void)
{
    static char line[1024];
    char *e = slurp("stderr");
    snprintf(line, sizeof line, "%.1000s", e ? e : "");
    line[strcspn(line, "\n")] = '\0';
    return line;
}

/* two runs on the quadratic, adam and gd: dir/adam.csv, dir/gd.csv and their summaries */
static void two_runs(void)
{
    static int done;
    if (done) return;
    assert_int_equal(run("run --problem quadratic --optimizer adam --lr 0.1 --steps 200 --out %s/adam.csv --quiet", dir), 0);
    assert_int_equal(run("run --problem quadratic --optimizer gd --lr 0.01 --steps 200 --out %s/gd.csv --quiet", dir), 0);
    done = 1;
}

/* the length of the file dir/name and its bytes (caller frees) */
static char *bytes(const char *name, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *g = fopen(path, "rb");
    if (!g) fail_msg("cannot read %s", path);
    fseek(g, 0, SEEK_END);
    *n = (size_t)ftell(g);
    rewind(g);
    char *b = malloc(*n + 1);
    assert_int_equal(fread(b, 1, *n, g), *n);
    fclose(g);
    b[*n] = '\0';
    return b;
}

/* a PDF's page: /MediaBox [ 0 0 W H ] (pdfcairo writes it uncompressed) */
static void media_box(const char *name, double *w, double *h)
{
    size_t n;
    char *pdf = bytes(name, &n), *m = NULL;
    for (size_t i = 0; i + 9 < n && !m; i++)
        if (!memcmp(pdf + i, "/MediaBox", 9)) m = pdf + i;
    assert_non_null(m);
    double x0, y0;
    assert_int_equal(sscanf(m, "/MediaBox [ %lf %lf %lf %lf", &x0, &y0, w, h), 4);
    free(pdf);
}

static void test_pdf_page(void **st)
{
    (void)st;
    two_runs();
    /* --size sets the page: 3.3 x 2.5 in = 237.6 x 180 pt (gnuplot takes whole points) */
    assert_int_equal(run("plot %s/adam.csv --format pdf --size 3.3x2.5in --font-size 9 --out %s/p1 --quiet", dir, dir), 0);
    double w, h;
    media_box("p1/adam-gap.pdf", &w, &h);
    assert_true(fabs(w - 3.3 * 72) <= 1 && fabs(h - 2.5 * 72) <= 1);
    assert_int_equal(run("plot %s/adam.csv --format pdf --size 8x6cm --out %s/p2 --quiet", dir, dir), 0);
    media_box("p2/adam-gnorm.pdf", &w, &h);
    assert_true(fabs(w - 8 / 2.54 * 72) <= 1 && fabs(h - 6 / 2.54 * 72) <= 1);
    assert_int_equal(run("plot %s/adam.csv --format pdf --size 6x4 --out %s/p4 --quiet", dir, dir), 0);
    media_box("p4/adam-gap.pdf", &w, &h); /* bare: inches */
    assert_true(fabs(w - 432) <= 1 && fabs(h - 288) <= 1);
    /* no size: the figure's pixels at 150 an inch (its 1300 x 560 px: 8.67 x 3.73 in), not
     * a pixel a point */
    assert_int_equal(run("plot %s/adam.csv --format pdf --out %s/p3 --quiet", dir, dir), 0);
    media_box("p3/adam-gap.pdf", &w, &h);
    assert_true(fabs(w - 1300 / 150.0 * 72) <= 1 && fabs(h - 560 / 150.0 * 72) <= 1);
}

/* a PNG's width and height: IHDR, bytes 16..23 */
static void png_size(const char *name, unsigned *w, unsigned *h)
{
    char path[512];
    unsigned char b[24];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(b, 1, 24, f), 24);
    fclose(f);
    assert_memory_equal(b + 12, "IHDR", 4);
    *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
    *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
}

static void test_png_size(void **st)
{
    (void)st;
    two_runs();
    unsigned w, h;
    assert_int_equal(run("plot %s/gd.csv --size 700x450 --font-size 8 --out %s/g1 --quiet", dir, dir), 0);
    png_size("g1/gd-gap.png", &w, &h);
    assert_true(w == 700 && h == 450);
    assert_int_equal(run("plot %s/gd.csv --size 640x480px --out %s/g2 --quiet", dir, dir), 0);
    png_size("g2/gd-gnorm.png", &w, &h);
    assert_true(w == 640 && h == 480);
    assert_int_equal(run("plot %s/gd.csv --out %s/g3 --quiet", dir, dir), 0);
    png_size("g3/gd-gap.png", &w, &h); /* the figure's own */
    assert_true(w == 1300 && h == 560);
}

/* an svg at a size: width and height in inches, the text at the font size in points */
static void test_svg_size(void **st)
{
    (void)st;
    two_runs();
    assert_int_equal(run("plot %s/gd.csv --format svg --size 4x3in --font-size 9 --out %s/s1 --quiet", dir, dir), 0);
    char *svg = whole("s1/gd-gap.svg");
    assert_non_null(svg);
    assert_non_null(strstr(svg, "width=\"4in\" height=\"3in\""));
    assert_non_null(strstr(svg, "viewBox=\"0 0 288 216\""));
    assert_non_null(strstr(svg, "font-size=\"9.00\""));
    free(svg);
}

static void test_tex(void **st)
{
    (void)st;
    two_runs();
    assert_int_equal(run("plot %s/adam.csv %s/gd.csv --format tex --size 3.3x2.5in --out %s/t1 --quiet", dir, dir, dir), 0);
    char *tex = whole("t1/runs-gap.tex");
    assert_non_null(tex);
    /* the picture: 237 x 180 bp, over the drawing by its final name */
    assert_non_null(strstr(tex, "\\includegraphics[width={237.00bp},height={180.00bp}]{runs-gap}"));
    assert_non_null(strstr(tex, "\\begin{picture}"));
    /* gnuplot's enhanced text made LaTeX: 10^{-5} as math, no bare ^ or _ left */
    assert_non_null(strstr(tex, "10$^{"));
    assert_null(strstr(tex, "strut{}10^{"));
    free(tex);
    double w, h;
    media_box("t1/runs-gap.pdf", &w, &h);
    assert_true(fabs(w - 237.6) <= 1 && fabs(h - 180) <= 1);
    assert_false(exists("t1/runs-gap.tex.pdf"));
    /* the label's symbols as math, no UTF-8 left for LaTeX to choke on */
    tex = whole("t1/runs-gnorm.tex");
    assert_non_null(strstr(tex, "gradient norm $\\|\\nabla$f(x)$\\|$"));
    assert_null(strstr(tex, "‖"));
    free(tex);
}

static void test_bad_values(void **st)
{
    (void)st;
    two_runs();
    static const struct {
        const char *args, *named;
    } bad[] = {
        {"--size 3.3x2.5in", "3.3x2.5in"},         /* png: pixels */
        {"--format pdf --size 960x640px", "960x640px"},
        {"--format pdf --size 960x640", "960x640"}, /* bare: inches, at most 100 */
        {"--size 960", "960"},
        {"--size 0x10", "0x10"},
        {"--box 1,0,0,1", "1,0,0,1"},
        {"--box 0,1,0", "0,1,0"},
        {"--box 0,1,a,2", "0,1,a,2"},
        {"--font-size 0", "0"},
        {"--font-size big", "big"},
        {"--format eps", "eps"},
        {"--optimizers adam,,gd", "adam,,gd"},
        {"--optimizers lion", "lion"},              /* in none of the CSVs */
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        int rc = run("plot %s/adam.csv %s/gd.csv --out %s/bad %s", dir, dir, dir, bad[k].args);
        if (rc != 2 || !strstr(err_line(), bad[k].named))
            fail_msg("plot %s: status %d, %s", bad[k].args, rc, err_line());
        char *e = slurp("stderr");
        assert_int_equal(strchr(e, '\n') - e + 1, (long)strlen(e)); /* one line */
    }
    /* the unknown name is named, and what is there */
    assert_int_equal(run("plot %s/adam.csv %s/gd.csv --out %s/bad --optimizers adam,lion,sgd", dir, dir, dir), 2);
    assert_non_null(strstr(err_line(), "lion, sgd"));
    assert_non_null(strstr(err_line(), "adam, gd"));
}

/* --optimizers drops the line of the others: their key entry is gone */
static void test_optimizers_csvs(void **st)
{
    (void)st;
    two_runs();
    assert_int_equal(run("plot %s/adam.csv %s/gd.csv --format svg --out %s/o1 --quiet", dir, dir, dir), 0);
    char *svg = whole("o1/runs-gap.svg");
    assert_non_null(strstr(svg, ">adam, lr 0.1<"));
    assert_non_null(strstr(svg, ">gd, lr 0.01<"));
    free(svg);
    assert_int_equal(run("plot %s/adam.csv %s/gd.csv --format svg --optimizers gd --out %s/o2 --quiet", dir, dir, dir), 0);
    svg = whole("o2/runs-gap.svg");
    assert_null(strstr(svg, ">adam, lr 0.1<"));
    assert_non_null(strstr(svg, ">gd, lr 0.01<"));
    free(svg);
}

/* in a results directory's figures too: the gap figure of curves/W.csv */
static void test_optimizers_results(void **st)
{
    (void)st;
    char path[512];
    snprintf(path, sizeof path, "%s/res/curves", dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", path);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/res/curves/w.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("optimizer,step,evals,seconds,gap_median,gap_q1,gap_q3,gnorm_median,gnorm_q1,gnorm_q3\n", f);
    for (int k = 0; k < 2; k++)
        for (int t = 0; t < 5; t++)
            fprintf(f, "%s,%d,%d,0,%g,%g,%g,1,1,1\n", k ? "gd" : "adam", t, t, pow(10, -t - k),
                    pow(10, -t - k) / 2, pow(10, -t - k) * 2);
    fclose(f);
    snprintf(path, sizeof path, "%s/res/tuning.csv", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("workload,kind,optimizer,lr,status,score\nw,analytic,adam,0.1,ok,1\nw,analytic,gd,0.1,ok,1\n", f);
    fclose(f);
    ob_error e = {{0}};
    char res[512], out[600];
    snprintf(res, sizeof res, "%s/res", dir);
    snprintf(out, sizeof out, "%s/res/all.svg", dir);
    ob_fig_options_set(NULL);
    assert_int_equal(ob_plot_gap_steps(res, "w", out, &e), OB_OK);
    ob_fig_options o = {0};
    assert_int_equal(ob_fig_parse_optimizers("--optimizers", "gd", &o, &e), OB_OK);
    ob_fig_options_set(&o);
    snprintf(out, sizeof out, "%s/res/gd.svg", dir);
    assert_int_equal(ob_plot_gap_steps(res, "w", out, &e), OB_OK);
    ob_fig_options_set(NULL);
    char *all = whole("res/all.svg"), *gd = whole("res/gd.svg");
    assert_non_null(strstr(all, ">adam<"));
    assert_non_null(strstr(all, ">gd<"));
    assert_null(strstr(gd, ">adam<"));
    assert_non_null(strstr(gd, ">gd<"));
    free(all);
    free(gd);
    /* the command: a name the results do not have is refused, naming what is there */
    assert_int_equal(run("plot %s --optimizers gd,lion", res), 2);
    assert_non_null(strstr(err_line(), "lion"));
    assert_non_null(strstr(err_line(), "there: adam, gd"));
}

/* ---- single runs that say what happened ---- */

/* a run that reached 8.8e-30 is drawn there, not on a floor 20 decades under the top;
 * a gap of 0 is drawn on a floor that the key names */
static void test_run_gap_unclamped(void **st)
{
    (void)st;
    char path[512];
    snprintf(path, sizeof path, "%s/deep.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("step,loss,grad_norm\n0,1,1\n1,1e-10,1e-5\n2,8.8e-30,1e-15\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/deep.summary.csv", dir);
    f = fopen(path, "w");
    fputs("problem,optimizer,lr,f_star,f_star_kind\nquadratic,gd,0.1,0,exact\n", f);
    fclose(f);
    assert_int_equal(run("plot %s/deep.csv --format svg --out %s/d1 --quiet", dir, dir), 0);
    char *svg = whole("d1/deep-gap.svg");
    assert_non_null(strstr(svg, ">-30</tspan>")); /* the axis reaches 10^-30 */
    assert_null(strstr(svg, "drawn at"));         /* nothing is on a floor */
    free(svg);
    /* an exact 0: on the floor a decade under 10^-30, drawn and named */
    snprintf(path, sizeof path, "%s/zero.csv", dir);
    f = fopen(path, "w");
    fputs("step,loss,grad_norm\n0,1,1\n1,1e-10,1e-5\n2,8.8e-30,1e-15\n3,0,0\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/zero.summary.csv", dir);
    f = fopen(path, "w");
    fputs("problem,optimizer,lr,f_star,f_star_kind\nquadratic,gd,0.1,0,exact\n", f);
    fclose(f);
    assert_int_equal(run("plot %s/zero.csv --format svg --out %s/d2 --quiet", dir, dir), 0);
    svg = whole("d2/zero-gap.svg");
    assert_non_null(strstr(svg, "f - f* &lt;= 0 drawn at 1e-31"));
    free(svg);
}

/* `optbench plot s-*.csv`: the summaries the glob matches are the runs' companions */
static void test_glob_companions(void **st)
{
    (void)st;
    two_runs();
    assert_int_equal(run("plot %s/adam.csv %s/adam.summary.csv %s/gd.csv %s/gd.summary.csv --out %s/c1", dir, dir, dir, dir, dir), 0);
    assert_true(exists("c1/runs-gap.png"));
    assert_null(strstr(slurp("stderr"), "optbench"));
    /* a summary alone stands for its run */
    assert_int_equal(run("plot %s/gd.summary.csv --out %s/c2 --quiet", dir, dir), 0);
    assert_true(exists("c2/gd-gap.png"));
    /* the shell's glob itself: adam.csv adam.summary.csv */
    assert_int_equal(run("plot %s/adam*.csv --out %s/c3 --quiet", dir, dir), 0);
    assert_true(exists("c3/adam-gap.png"));
}

/* `train --plot` without --log-every: a step log of about 50 rows, drawn */
static void test_train_steps_default(void **st)
{
    (void)st;
    assert_int_equal(run("train --net softmax --dataset spirals --epochs 2 --out %s/t.csv --plot %s/t.svg --quiet", dir, dir), 0);
    ob_table t = tab("t.steps.csv");
    assert_true(t.rows >= 20);
    ob_table_free(&t);
    char *svg = whole("t.svg");
    assert_non_null(strstr(svg, "mini-batch loss"));
    free(svg);
    assert_int_equal(run("train --net softmax --dataset spirals --epochs 2 --out %s/u.csv --log-every 0 --quiet", dir), 0);
    assert_false(exists("u.steps.csv"));
}

/* a suite file's [figures]: the bench draws with them; a bad value names its line */
static void test_suite_figures(void **st)
{
    (void)st;
    assert_int_equal(run("bench --suite smoke --print-suite"), 0);
    char *smoke = strdup(slurp("stdout"));
    long lines = 0;
    for (char *c = smoke; *c; c++) lines += *c == '\n';
    char path[512];
    snprintf(path, sizeof path, "%s/figs.ini", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "%s\n[figures]\noptimizers = gd,adam\nsize = 4x3in\nfont-size = 9\nformat = svg\n", smoke);
    fclose(f);
    assert_int_equal(run("bench --suite %s/figs.ini --out %s/sres --quiet", dir, dir), 0);
    char *svg = whole("sres/figures/gap-steps-quadratic-3.svg");
    assert_non_null(svg);
    assert_non_null(strstr(svg, "width=\"4in\" height=\"3in\""));
    assert_non_null(strstr(svg, ">adam<"));
    assert_null(strstr(svg, ">gsl-bfgs<")); /* the suite runs it; the figure leaves it out */
    free(svg);
    static const struct {
        const char *keys, *named;
    } bad[] = {
        {"size = 3.3x2.5in\nformat = png\n", "3.3x2.5in"},
        {"box = 1,0,0,1\n", "1,0,0,1"},
        {"optimizers = lion\n", "lion"},
        {"colour = red\n", "colour"},
        {"font-size = 1\n", "font-size"},
        {"format = eps\n", "eps"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        snprintf(path, sizeof path, "%s/bad.ini", dir);
        f = fopen(path, "w");
        fprintf(f, "%s\n[figures]\n%s", smoke, bad[k].keys);
        fclose(f);
        char at[64];
        snprintf(at, sizeof at, "bad.ini:%ld:", lines + 3); /* the key's line */
        int rc = run("bench --suite %s/bad.ini --out %s/bres --quiet", dir, dir);
        if (rc != 2 || !strstr(err_line(), bad[k].named) || !strstr(err_line(), at))
            fail_msg("[figures] %s: status %d, %s", bad[k].keys, rc, err_line());
    }
    free(smoke);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_wants),
        cmocka_unit_test(test_pdf_page),
        cmocka_unit_test(test_png_size),
        cmocka_unit_test(test_svg_size),
        cmocka_unit_test(test_tex),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_optimizers_csvs),
        cmocka_unit_test(test_optimizers_results),
        cmocka_unit_test(test_run_gap_unclamped),
        cmocka_unit_test(test_glob_companions),
        cmocka_unit_test(test_train_steps_default),
        cmocka_unit_test(test_suite_figures),
    };
    return ob_run_tests("figopts", tests, setup, teardown);
}
