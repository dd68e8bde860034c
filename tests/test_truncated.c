/* test_truncated.c - a file cut short is bad input, never data: for each reader (the
 * trajectory and table CSVs, gzipped or not, a run's summary, optbench.json, a CSV data
 * set, IDX files), the command that reads a cut copy exits 2 with one line on stderr naming
 * the file; and `bench` runs again a run whose summary or trajectory was cut after it
 * finished, giving the same tables.  Cuts: mid-row, a last line without its "\n", a row
 * with fewer fields, a gzip stream without its trailer (head -c -8), cut at a row boundary
 * (a sync flush point) or mid-stream, a summary cut in its header or mid-number. */
#include <dirent.h>
#include <zlib.h>

#include "tests/e2e.h"
#include "tests/shell.h"
#include "runs/runfile.h"

static int setup(void **st)
{
    (void)st;
    if (e2e_setup("truncated") != 0) return -1;
    /* a trajectory of a 3-D problem (its figures need no summary), plain and gzipped */
    if (run("run --problem quadratic --dim 3 --optimizer adam --steps 50 --out %s/t.csv --quiet",
            dir) != 0 ||
        run("run --problem quadratic --dim 3 --optimizer adam --steps 50 --out %s/g.csv.gz "
            "--quiet", dir) != 0)
        return -1;
    /* a results directory: every test cuts a copy of it */
    return run("bench --suite smoke --out %s/A --jobs 2 --quiet", dir) == 0 ? 0 : -1;
}

/* stderr is one line that names the file name (and holds word, when given) */
static void one_line(const char *name, const char *word)
{
    const char *e = slurp("stderr");
    assert_non_null(e);
    size_t len = strlen(e);
    if (len == 0 || e[len - 1] != '\n' || strchr(e, '\n') != e + len - 1)
        fail_msg("stderr is not one line: \"%s\"", e);
    if (!strstr(e, name)) fail_msg("stderr does not name %s: %s", name, e);
    if (word && !strstr(e, word)) fail_msg("stderr lacks \"%s\": %s", word, e);
}

/* the whole text of dir/name read through zlib (plain or gzipped), malloc'ed */
static char *gz_text(const char *name, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gzFile f = gzopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 16;
    char *s = malloc(cap);
    *n = 0;
    int got;
    while ((got = gzread(f, s + *n, (unsigned)(cap - *n - 1))) > 0) {
        *n += (size_t)got;
        if (cap - *n < 1024) s = realloc(s, cap *= 2);
    }
    gzclose(f);
    s[*n] = '\0';
    return s;
}

/* dst: src's text gzipped, its first `lines` lines then a sync flush point, the file cut
 * there: a stream whose data ends at a row boundary, without its end */
static void gz_cut_at_row(const char *src, const char *dst, int lines)
{
    size_t n;
    char *s = gz_text(src, &n);
    const char *p = s;
    for (int k = 0; k < lines; k++) p = strchr(p, '\n') + 1;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, dst);
    gzFile f = gzopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(gzwrite(f, s, (unsigned)(p - s)), (int)(p - s));
    assert_int_equal(gzflush(f, Z_SYNC_FLUSH), Z_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    gzwrite(f, p, (unsigned)(n - (size_t)(p - s)));
    gzclose(f);
    assert_int_equal(truncate(path, sb.st_size), 0);
    free(s);
    /* what it is meant to be: the first lines, whole, then the stream's end is missing */
    f = gzopen(path, "rb");
    char buf[1 << 16];
    int got = gzread(f, buf, sizeof buf), zerr;
    gzerror(f, &zerr);
    gzclose(f);
    assert_true(got > 0 && buf[got - 1] == '\n');
    assert_int_equal(zerr, Z_BUF_ERROR);
}

/* dir/name cut to its first n bytes (n < 0: all but the last -n) */
static void cut(const char *name, const char *to, long n)
{
    assert_int_equal(sh("head -c %ld %s/%s > %s/%s.cut && mv %s/%s.cut %s/%s", n, dir, name, dir,
                        to, dir, to, dir, to),
                     0);
}

/* a fresh copy of the results directory A */
static void copy_a(const char *to)
{
    assert_int_equal(sh("rm -rf %s/%s && cp -r %s/A %s/%s", dir, to, dir, dir, to), 0);
}

/* the byte count up to and including the first digit of dir/name's data row (line 2)
 * that another digit follows: a cut there leaves that number's head */
static long mid_number(const char *name)
{
    size_t n;
    char *s = gz_text(name, &n);
    const char *p = strchr(s, '\n') + 1;
    while (p[0] && p[1] && !(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9')) p++;
    assert_true(p[1] != '\0');
    long at = (long)(p - s) + 1;
    free(s);
    return at;
}

/* --- plot FILE: a trajectory CSV ------------------------------------------------------- */

static void test_plot_row_cut(void **st)
{
    (void)st;
    cut("t.csv", "cut.csv", -5); /* inside the last row's last number */
    assert_int_equal(run("plot %s/cut.csv --out %s/o", dir, dir), 2);
    one_line("cut.csv", "line 52");
}

static void test_plot_no_newline(void **st)
{
    (void)st;
    cut("t.csv", "nonl.csv", -1); /* every field whole, the last "\n" gone */
    assert_int_equal(run("plot %s/nonl.csv --out %s/o", dir, dir), 2);
    one_line("nonl.csv", "end of line");
}

static void test_plot_short_row(void **st)
{
    (void)st;
    /* the last row with 3 of its 9 fields, its line ended */
    assert_int_equal(sh("cd %s && head -n 51 t.csv > short.csv && printf '50,1.5,2\\n' >> short.csv",
                        dir),
                     0);
    assert_int_equal(run("plot %s/short.csv --out %s/o", dir, dir), 2);
    one_line("short.csv", "line 52");
}

/* empty cells are not missing ones: a run with sharpness columns (empty between estimates)
 * draws */
static void test_plot_empty_cells(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem quadratic --dim 3 --steps 30 --sharpness-every 10 "
                         "--out %s/sharp.csv --quiet", dir),
                     0);
    assert_non_null(strstr(slurp("sharp.csv"), ",,"));
    assert_int_equal(run("plot %s/sharp.csv --out %s/o", dir, dir), 0);
}

/* --- plot FILE: a gzipped trajectory ------------------------------------------------- */

static void test_plot_gz_trailer(void **st)
{
    (void)st;
    cut("g.csv.gz", "gt.csv.gz", -8); /* the CRC-32 and length gone, every row there */
    assert_int_equal(run("plot %s/gt.csv.gz --out %s/o", dir, dir), 2);
    one_line("gt.csv.gz", "gzip");
}

static void test_plot_gz_row_boundary(void **st)
{
    (void)st;
    gz_cut_at_row("g.csv.gz", "gr.csv.gz", 20);
    assert_int_equal(run("plot %s/gr.csv.gz --out %s/o", dir, dir), 2);
    one_line("gr.csv.gz", "after line 20");
}

static void test_plot_gz_mid_stream(void **st)
{
    (void)st;
    struct stat sb;
    char path[256];
    snprintf(path, sizeof path, "%s/g.csv.gz", dir);
    assert_int_equal(stat(path, &sb), 0);
    cut("g.csv.gz", "gm.csv.gz", (long)sb.st_size / 2);
    assert_int_equal(run("plot %s/gm.csv.gz --out %s/o", dir, dir), 2);
    one_line("gm.csv.gz", "gzip");
}

/* --- compare A B: a run's summary and trajectory --------------------------------------- */

#define S1 "runs/quadratic-3/adam/summaries.csv" /* every run's summary of the pair */

static void test_compare_summary_header(void **st)
{
    (void)st;
    copy_a("B1");
    cut("A/" S1, "B1/" S1, 40); /* inside the header line */
    assert_int_equal(run("compare %s/A %s/B1 --out %s/C1 --quiet", dir, dir, dir), 2);
    one_line("B1/" S1, NULL);
    assert_false(exists("C1/compare.md"));
}

static void test_compare_summary_mid_number(void **st)
{
    (void)st;
    copy_a("B2");
    cut("A/" S1, "B2/" S1, mid_number("A/" S1));
    assert_int_equal(run("compare %s/A %s/B2 --out %s/C2 --quiet", dir, dir, dir), 2);
    one_line("B2/" S1, "line 2");
}

static void test_compare_summary_header_only(void **st)
{
    (void)st;
    copy_a("B3");
    assert_int_equal(sh("cd %s && head -n 1 A/" S1 " > B3/" S1, dir), 0);
    assert_int_equal(run("compare %s/A %s/B3 --out %s/C3 --quiet", dir, dir, dir), 2);
    one_line("B3/" S1, "line 2");
}

#define G2 "runs/quadratic-3/adam/seed-2.csv.gz"

static void test_compare_gz_row_boundary(void **st)
{
    (void)st;
    copy_a("B4");
    gz_cut_at_row("A/" G2, "B4/" G2, 30);
    assert_int_equal(run("compare %s/A %s/B4 --out %s/C4 --quiet", dir, dir, dir), 2);
    one_line("B4/" G2, "gzip");
}

static void test_compare_gz_trailer(void **st)
{
    (void)st;
    copy_a("B5");
    cut("A/" G2, "B5/" G2, -8);
    assert_int_equal(run("compare %s/A %s/B5 --out %s/C5 --quiet", dir, dir, dir), 2);
    one_line("B5/" G2, "gzip");
}

/* a network run's training CSV, its last row cut */
static void test_compare_training_csv(void **st)
{
    (void)st;
    copy_a("B6");
    cut("A/runs/softmax-tiny/adam/seed-1.csv", "B6/runs/softmax-tiny/adam/seed-1.csv", -4);
    assert_int_equal(run("compare %s/A %s/B6 --out %s/C6 --quiet", dir, dir, dir), 2);
    one_line("B6/runs/softmax-tiny/adam/seed-1.csv", "end of line");
}

/* --- optbench.json ------------------------------------------------------------------ */

static void test_json_cut(void **st)
{
    (void)st;
    copy_a("J");
    struct stat sb;
    char path[256];
    snprintf(path, sizeof path, "%s/A/optbench.json", dir);
    assert_int_equal(stat(path, &sb), 0);
    cut("A/optbench.json", "J/optbench.json", (long)sb.st_size / 2);
    assert_int_equal(run("plot %s/J --quiet", dir), 2);
    one_line("J/optbench.json", "cut short");
    assert_int_equal(run("compare %s/A %s/J --out %s/CJ --quiet", dir, dir, dir), 2);
    one_line("J/optbench.json", "cut short");
}

/* --- train --data: a CSV data set ----------------------------------------------------- */

static void write_data(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/data.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "x1,x2,label\n");
    uint64_t s = 7;
    for (int i = 0; i < 60; i++) {
        double a = (double)(ob_test_next(&s) >> 11) / 9007199254740992.0,
               b = (double)(ob_test_next(&s) >> 11) / 9007199254740992.0;
        fprintf(f, "%.4f,%.4f,%d\n", a, b, a > b);
    }
    fclose(f);
}

static void test_data_csv(void **st)
{
    (void)st;
    write_data();
    assert_int_equal(run("train --layers 4 --data %s/data.csv --epochs 1 --out %s/d.csv --quiet",
                         dir, dir),
                     0);
    /* a data set a person wrote may end without a newline: the last row has every field */
    cut("data.csv", "d1.csv", -1);
    assert_int_equal(run("train --layers 4 --data %s/d1.csv --epochs 1 --out %s/d1o.csv --quiet",
                         dir, dir),
                     0);
    cut("data.csv", "d2.csv", -4); /* a row of two fields */
    assert_int_equal(run("train --layers 4 --data %s/d2.csv --epochs 1 --out %s/d.csv --quiet",
                         dir, dir),
                     2);
    one_line("d2.csv", "61");
    gz_cut_at_row("data.csv", "d3.csv.gz", 40);
    assert_int_equal(run("train --layers 4 --data %s/d3.csv.gz --epochs 1 --out %s/d.csv --quiet",
                         dir, dir),
                     2);
    one_line("d3.csv.gz", "gzip");
}

/* --- train --data DIR: IDX files ----------------------------------------------------- */

static void be32(FILE *f, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    fwrite(b, 1, 4, f);
}

/* IDX (nets/idx.c): images 0x00000803 n, 2, 2 then n*4 bytes; labels 0x00000801 n then n */
static void write_idx(const char *sub, const char *prefix, uint32_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s/%s-images-idx3-ubyte", dir, sub, prefix);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    be32(f, 0x803), be32(f, n), be32(f, 2), be32(f, 2);
    for (uint32_t i = 0; i < 4 * n; i++) fputc((int)((i * 37u) & 0xff), f);
    fclose(f);
    snprintf(path, sizeof path, "%s/%s/%s-labels-idx1-ubyte", dir, sub, prefix);
    f = fopen(path, "wb");
    assert_non_null(f);
    be32(f, 0x801), be32(f, n);
    for (uint32_t i = 0; i < n; i++) fputc((int)(i % 3), f);
    fclose(f);
}

static void test_idx(void **st)
{
    (void)st;
    assert_int_equal(sh("mkdir -p %s/idx", dir), 0);
    write_idx("idx", "train", 30);
    write_idx("idx", "t10k", 10);
#define TRAIN_IDX "train --layers 4 --data %s/idx --val 5 --epochs 1 --out %s/i.csv --quiet"
    assert_int_equal(run(TRAIN_IDX, dir, dir), 0);
    /* shorter than its header's 10 x 2 x 2 */
    cut("idx/t10k-images-idx3-ubyte", "idx/t10k-images-idx3-ubyte", -3);
    assert_int_equal(run(TRAIN_IDX, dir, dir), 2);
    one_line("idx/t10k-images-idx3-ubyte", "truncated");
    write_idx("idx", "t10k", 10);
    /* gzipped, the trailer gone */
    assert_int_equal(sh("cd %s/idx && gzip train-labels-idx1-ubyte && head -c -8 "
                        "train-labels-idx1-ubyte.gz > x && mv x train-labels-idx1-ubyte.gz", dir),
                     0);
    assert_int_equal(run(TRAIN_IDX, dir, dir), 2);
    one_line("idx/train-labels-idx1-ubyte.gz", "truncated");
}

/* --- bench: a run cut after the bench is run again ------------------------------------ */

static int skipped(int j, const ob_table *t) { return strstr(t->head[j], "seconds") != NULL; }

/* dir/a and dir/b hold the same CSV files (plain or gzipped), equal but for the timing
 * columns (names containing "seconds") and machine.csv (the date) */
static void same_tables(const char *a, const char *b, int *files)
{
    char pa[320], pb[320];
    snprintf(pa, sizeof pa, "%s/%s", dir, a);
    snprintf(pb, sizeof pb, "%s/%s", dir, b);
    size_t na, nb;
    char **ea = ob_dir_entries(pa, &na), **eb = ob_dir_entries(pb, &nb);
    if (na != nb) fail_msg("%s: %zu entries, %s: %zu", a, na, b, nb);
    for (size_t i = 0; i < na; i++) {
        if (strcmp(ea[i], eb[i])) fail_msg("%s/%s against %s/%s", a, ea[i], b, eb[i]);
        char sa[192], sb[192];
        snprintf(sa, sizeof sa, "%s/%s", a, ea[i]);
        snprintf(sb, sizeof sb, "%s/%s", b, eb[i]);
        struct stat s;
        snprintf(pa, sizeof pa, "%s/%s", dir, sa);
        assert_int_equal(stat(pa, &s), 0);
        if (S_ISDIR(s.st_mode)) {
            if (strcmp(ea[i], "figures")) same_tables(sa, sb, files);
            continue;
        }
        size_t len = strlen(ea[i]);
        int csv = (len > 4 && !strcmp(ea[i] + len - 4, ".csv")) ||
                  (len > 7 && !strcmp(ea[i] + len - 7, ".csv.gz"));
        if (!csv || !strcmp(ea[i], "machine.csv")) continue;
        ob_table x = tab(sa), y = tab(sb);
        if (x.rows != y.rows || x.cols != y.cols) fail_msg("%s: another shape in %s", sa, b);
        for (size_t j = 0; j < x.cols; j++) assert_string_equal(x.head[j], y.head[j]);
        for (size_t r = 0; r < x.rows; r++)
            for (size_t j = 0; j < x.cols; j++)
                if (!skipped((int)j, &x) && strcmp(ob_table_str(&x, r, (int)j), ob_table_str(&y, r, (int)j)))
                    fail_msg("%s row %zu, %s: %s, in %s %s", sa, r + 1, x.head[j],
                             ob_table_str(&x, r, (int)j), b, ob_table_str(&y, r, (int)j));
        ob_table_free(&x);
        ob_table_free(&y);
        ++*files;
    }
    ob_run_stems_free(ea, na);
    ob_run_stems_free(eb, nb);
}

static void test_bench_redoes(void **st)
{
    (void)st;
    copy_a("E");
    static const char *const cuts[][2] = {
        {S1, "mid"},                                              /* a pair's summaries */
        {"runs/quadratic-3/gd/seed-2.csv.gz", "-8"},              /* a trajectory's trailer */
        {"runs/saddle/adam/summaries.csv", "40"},                 /* summaries' header */
        {"runs/lsq-b8/momentum/summaries.csv", "mid"},            /* with extension runs */
        {"runs/softmax-tiny/adam/seed-1.csv", "-3"},              /* a training CSV */
    };
    size_t n = sizeof cuts / sizeof cuts[0];
    char from[160], to[160];
    for (size_t k = 0; k < n; k++) {
        snprintf(from, sizeof from, "A/%s", cuts[k][0]);
        snprintf(to, sizeof to, "E/%s", cuts[k][0]);
        assert_true(exists(from));
        cut(from, to, strcmp(cuts[k][1], "mid") ? atol(cuts[k][1]) : mid_number(from));
        ob_error e = {{0}};
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, to);
        if (ob_table_check(path, &e) == OB_OK) fail_msg("%s reads whole after its cut", to);
    }
    assert_int_equal(run("bench --suite smoke --out %s/E --jobs 2 --quiet", dir), 0);
    /* every cut file is whole again, and the run's directory as the first bench left it */
    for (size_t k = 0; k < n; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/E/%s", dir, cuts[k][0]);
        ob_error e = {{0}};
        if (ob_table_check(path, &e) != OB_OK) fail_msg("after the bench: %s", e.msg);
    }
    int files = 0;
    same_tables("A", "E", &files);
    assert_true(files > 80); /* the whole directory: about 90 CSV files, a pack a pair */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plot_row_cut),
        cmocka_unit_test(test_plot_no_newline),
        cmocka_unit_test(test_plot_short_row),
        cmocka_unit_test(test_plot_empty_cells),
        cmocka_unit_test(test_plot_gz_trailer),
        cmocka_unit_test(test_plot_gz_row_boundary),
        cmocka_unit_test(test_plot_gz_mid_stream),
        cmocka_unit_test(test_compare_summary_header),
        cmocka_unit_test(test_compare_summary_mid_number),
        cmocka_unit_test(test_compare_summary_header_only),
        cmocka_unit_test(test_compare_gz_row_boundary),
        cmocka_unit_test(test_compare_gz_trailer),
        cmocka_unit_test(test_compare_training_csv),
        cmocka_unit_test(test_json_cut),
        cmocka_unit_test(test_data_csv),
        cmocka_unit_test(test_idx),
        cmocka_unit_test(test_bench_redoes),
    };
    return ob_run_tests("truncated", tests, setup, teardown);
}
