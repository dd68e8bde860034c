/* test_output.c - outputs that are safe (common/outfile.c, and through it every CSV):
 * regular files replaced atomically, "-" as standard output, FIFOs and devices written in
 * place and never replaced, parent directories created, bad destinations refused. */
#include "tests/e2e.h"

#include <errno.h>
#include <fcntl.h>

#include "common/csvout.h"
#include "common/outfile.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("output");
}

static void write_csv(const char *path, ob_status want)
{
    ob_csv w;
    ob_error e = {{0}};
    ob_status s = ob_csv_open(&w, path, &e);
    if (s != OB_OK) {
        assert_int_equal(s, want);
        return;
    }
    ob_csv_text(&w, "a");
    ob_csv_num(&w, 0.1);
    ob_csv_end_row(&w);
    assert_int_equal(ob_csv_commit(&w, &e), want);
}

/* nested directories are created; the file is complete; no temporary file stays */
static void test_nested_dirs(void **st)
{
    (void)st;
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/c/x.csv", dir);
    write_csv(path, OB_OK);
    assert_string_equal(slurp("a/b/c/x.csv"), "a,0.1\n");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls -a %s/a/b/c | grep -q tmp", dir);
    assert_int_equal(system(cmd), 256);
    /* and through the command line */
    assert_int_equal(run("run --problem saddle --optimizer gd --steps 3 --out %s/d/e/r.csv", dir),
                     0);
    assert_true(exists("d/e/r.csv") && exists("d/e/r.summary.csv"));
}

/* a FIFO stays a FIFO, and its reader gets the whole CSV */
static void test_fifo(void **st)
{
    (void)st;
    char fifo[256], cmd[1024];
    snprintf(fifo, sizeof fifo, "%s/pipe.csv", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(cmd, sizeof cmd, "cat %s > %s/got.csv & %s run --problem saddle --optimizer gd "
             "--steps 40 --out %s 2>%s/stderr; rc=$?; wait; exit $rc", fifo, dir, bin, fifo, dir);
    assert_int_equal(WEXITSTATUS(system(cmd)), 0);
    struct stat sb;
    assert_int_equal(lstat(fifo, &sb), 0);
    assert_true(S_ISFIFO(sb.st_mode));
    table t = load("got.csv"); /* header + rows 0..40 */
    assert_int_equal(t.rows, 41);
    assert_int_equal((int)AT(t, 40, 0), 40);
    free(t.v);
}

/* a character device (/dev/null) and a link to one are written in place, never replaced */
static void test_device(void **st)
{
    (void)st;
    write_csv("/dev/null", OB_OK);
    struct stat sb;
    assert_int_equal(stat("/dev/null", &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    char link[256];
    snprintf(link, sizeof link, "%s/null-link", dir);
    assert_int_equal(symlink("/dev/null", link), 0);
    write_csv(link, OB_OK);
    assert_int_equal(lstat(link, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_int_equal(stat("/dev/null", &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
}

/* a link to a regular file: the file is replaced, the link stays */
static void test_link_to_file(void **st)
{
    (void)st;
    char target[256], link[256];
    snprintf(target, sizeof target, "%s/target.csv", dir);
    snprintf(link, sizeof link, "%s/link.csv", dir);
    FILE *f = fopen(target, "w");
    fputs("old\n", f);
    fclose(f);
    assert_int_equal(symlink(target, link), 0);
    write_csv(link, OB_OK);
    struct stat sb;
    assert_int_equal(lstat(link, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_string_equal(slurp("target.csv"), "a,0.1\n");
}

/* "-" is standard output */
static void test_stdout(void **st)
{
    (void)st;
    ob_outfile o;
    ob_error e = {{0}};
    assert_int_equal(ob_outfile_open(&o, "-", &e), OB_OK);
    assert_true(o.fp == stdout);
    assert_int_equal(ob_outfile_commit(&o, &e), OB_OK);
    assert_true(ob_out_in_place("-"));
}

/* `--out -`: the CSV on standard output, the summary (and the text line) on stderr, or the
 * summary where --summary says; run and train alike */
static void test_out_dash(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem saddle --optimizer gd --steps 5 --out -"), 0);
    char *out = slurp("stdout");
    assert_non_null(out);
    assert_int_equal(strncmp(out, "step,loss,grad_norm", 19), 0);
    int lines = 0;
    for (char *p = out; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 7); /* header + rows 0..5, nothing else */
    char *err = slurp("stderr");
    assert_non_null(strstr(err, "problem,optimizer,schedule"));
    assert_non_null(strstr(err, "saddle gd: ok after 5 steps"));
    assert_false(exists("-.summary.csv"));
    assert_int_equal(run("run --problem saddle --optimizer gd --steps 5 --out - "
                         "--summary %s/sum/s.csv", dir), 0);
    assert_true(exists("sum/s.csv"));
    assert_int_equal(run("train --layers 4 --dataset moons --samples 200 --epochs 2 --out -"), 0);
    assert_int_equal(strncmp(slurp("stdout"), "epoch,step,seconds", 18), 0);
    assert_non_null(strstr(slurp("stderr"), "problem,optimizer,kind"));
}

/* a directory, a path through a device, an empty path: bad input, named, nothing left */
static void test_bad_destinations(void **st)
{
    (void)st;
    ob_outfile o;
    ob_error e = {{0}};
    assert_int_equal(ob_outfile_open(&o, dir, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "directory"));
    assert_int_equal(ob_outfile_open(&o, "/dev/null/x.csv", &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "/dev/null"));
    assert_int_equal(ob_outfile_open(&o, "", &e), OB_EINVAL);
    /* an aborted write leaves no file and no temporary file */
    char path[256];
    snprintf(path, sizeof path, "%s/aborted/x.csv", dir);
    assert_int_equal(ob_outfile_open(&o, path, &e), OB_OK);
    fputs("half", o.fp);
    ob_outfile_abort(&o);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls -A %s/aborted | grep -q .", dir);
    assert_int_equal(system(cmd), 256);
}

/* the README's --data commands run as typed on the sample files of examples/data, and
 * reach the minimum (a gradient norm near 0 at the last row) */
static void test_readme_data_examples(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem logreg --data examples/data/blobs.csv --optimizer adam "
                         "--lr 0.05 --steps 500 --out %s/blobs.csv", dir), 0);
    assert_int_equal(run("run --problem lsq --data examples/data/linear.csv --optimizer adagrad "
                         "--lr 0.5 --steps 500 --out %s/linear.csv", dir), 0);
    table a = load("blobs.csv"), b = load("linear.csv");
    assert_int_equal(a.rows, 501);
    assert_true(AT(a, 500, 2) < 1e-4 * AT(a, 0, 2));
    assert_true(AT(b, 500, 2) < 1e-6 * AT(b, 0, 2));
    free(a.v);
    free(b.v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_dirs),  cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_device),       cmocka_unit_test(test_link_to_file),
        cmocka_unit_test(test_stdout),       cmocka_unit_test(test_bad_destinations),
        cmocka_unit_test(test_readme_data_examples),
        cmocka_unit_test(test_out_dash),
    };
    return ob_run_tests("output", tests, setup, teardown);
}
