/* test_dataset.c - the data sets of the network workloads (nets/dataset.h): the IDX reader
 * on tiny fixtures (tests/fixtures/nets/, made by make_fixtures.sh there; run from the
 * repository root), every corrupt variant, the real Fashion-MNIST and the CSV data set.
 * The synthetic sets and the preprocessing are tested in test_synthetic.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "tests/runner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nets/dataset.h"

#define FIX "tests/fixtures/nets/"

/* pixel k of a fixture image file, as make_fixtures.sh writes it */
static float fixture_pixel(size_t k)
{
    return (float)(k == 1 ? 255 : (37 * k + 11) % 256) / 255.0f;
}

static void test_idx_roundtrip(void **state)
{
    (void)state;
    float *xp, *xg;
    int32_t *yp, *yg;
    size_t n, d, n2, d2;
    ob_error err = {{0}};
    assert_int_equal(ob_idx_read_images(FIX "img.idx3", &xp, &n, &d, &err), OB_OK);
    assert_int_equal(ob_idx_read_images(FIX "img.idx3.gz", &xg, &n2, &d2, &err), OB_OK);
    assert_int_equal(n, 3), assert_int_equal(d, 4);
    assert_int_equal(n2, 3), assert_int_equal(d2, 4);
    for (size_t k = 0; k < n * d; k++) assert_true(xp[k] == fixture_pixel(k));
    assert_true(xp[1] == 1.0f); /* 255 -> exactly 1 */
    assert_memory_equal(xp, xg, n * d * sizeof *xp);
    assert_int_equal(ob_idx_read_labels(FIX "lab.idx1", &yp, &n, &err), OB_OK);
    assert_int_equal(ob_idx_read_labels(FIX "lab.idx1.gz", &yg, &n2, &err), OB_OK);
    assert_int_equal(n, 3), assert_int_equal(n2, 3);
    const int32_t want[3] = {0, 1, 2};
    assert_memory_equal(yp, want, sizeof want);
    assert_memory_equal(yg, want, sizeof want);
    free(xp), free(xg), free(yp), free(yg);
}

/* Each corrupt or missing file: the status, and words the message must contain (the
 * file name first). */
static void test_idx_errors(void **state)
{
    (void)state;
    static const struct {
        int labels; /* read as labels (else images) */
        const char *file;
        ob_status want;
        const char *says[2];
    } bad[] = {
        {0, FIX "img_truncated.idx3", OB_EDATA, {"img_truncated.idx3", "truncated"}},
        {0, FIX "img_truncated.idx3.gz", OB_EDATA, {"img_truncated.idx3.gz", "truncated"}},
        {0, FIX "img_cut_trailer.idx3.gz", OB_EDATA, {"img_cut_trailer.idx3.gz", "trailer"}},
        {0, FIX "img_badcrc.idx3.gz", OB_EDATA, {"img_badcrc.idx3.gz", "corrupt gzip"}},
        {0, FIX "img_short_header.idx3", OB_EDATA, {"img_short_header.idx3", "header"}},
        {0, FIX "img_trailing.idx3", OB_EDATA, {"img_trailing.idx3", "trailing"}},
        {0, FIX "img_badmagic.idx3", OB_EDATA, {"img_badmagic.idx3", "0x00000804"}},
        {0, FIX "img_zero.idx3", OB_EDATA, {"img_zero.idx3", "dimension 1"}},
        {0, FIX "img_zero_rows.idx3", OB_EDATA, {"img_zero_rows.idx3", "dimension 2"}},
        {0, FIX "lab.idx1", OB_EDATA, {"lab.idx1", "magic"}},
        {1, FIX "img.idx3", OB_EDATA, {"img.idx3", "magic"}},
        {1, FIX "lab_truncated.idx1", OB_EDATA, {"lab_truncated.idx1", "truncated"}},
        {0, FIX "nope.idx3", OB_EIO, {"nope.idx3", "No such file"}},
        {1, FIX "nope.idx1.gz", OB_EIO, {"nope.idx1.gz", "No such file"}},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ob_error err = {{0}};
        float *x = (float *)&err; /* must come back NULL */
        int32_t *y = (int32_t *)&err;
        size_t n = 7, d = 7;
        ob_status st = bad[i].labels ? ob_idx_read_labels(bad[i].file, &y, &n, &err)
                                     : ob_idx_read_images(bad[i].file, &x, &n, &d, &err);
        print_message("%s -> %s\n", bad[i].file, err.msg);
        assert_int_equal(st, bad[i].want);
        assert_null(bad[i].labels ? (void *)y : (void *)x);
        assert_int_equal(n, 0);
        for (int k = 0; k < 2; k++) assert_non_null(strstr(err.msg, bad[i].says[k]));
        assert_null(strchr(err.msg, '\n'));
    }
}

/* A header announcing far more data than the file holds (a 10-byte labels file claiming
 * 2^32 - 1 labels, a 16-byte images file claiming 65535 x 65535 x 255 pixels) is a
 * truncated file, OB_EDATA, not an allocation of the announced size (found by
 * fuzz/fuzz_idx.c: it asked for 16 GB and answered OB_ENOMEM). */
static void test_idx_huge_header(void **state)
{
    (void)state;
    static const unsigned char lab[] = {0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff, 1, 2};
    static const unsigned char img[] = {0, 0, 8, 3, 0, 0, 0xff, 0xff,
                                        0, 0, 0xff, 0xff, 0, 0, 0, 0xff, 7};
    char path[] = "/tmp/optbench-idx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(fseek(f, 0, SEEK_SET), 0);
        assert_int_equal(ftruncate(fd, 0), 0);
        size_t len = k ? sizeof img : sizeof lab;
        assert_int_equal(fwrite(k ? img : lab, 1, len, f), len);
        assert_int_equal(fflush(f), 0);
        ob_error err = {{0}};
        float *x = (float *)&err;
        int32_t *y = (int32_t *)&err;
        size_t n = 7, d = 7;
        ob_status st = k ? ob_idx_read_images(path, &x, &n, &d, &err)
                         : ob_idx_read_labels(path, &y, &n, &err);
        print_message("%s -> %s\n", k ? "huge images" : "huge labels", err.msg);
        assert_int_equal(st, OB_EDATA);
        assert_null(k ? (void *)x : (void *)y);
        assert_int_equal(n, 0);
        assert_non_null(strstr(err.msg, path));
        assert_non_null(strstr(err.msg, "truncated"));
    }
    fclose(f);
    unlink(path);
}

/* The row of the tiny directory's training file a sample came from: its first pixel is
 * (37*4i + 11) mod 256 (i > 0) and the first pixels of the ten rows are distinct. */
static size_t tiny_row(const float *x)
{
    for (size_t i = 0; i < 10; i++)
        if (x[0] == fixture_pixel(4 * i)) return i;
    fail_msg("sample not from the fixture");
    return 0;
}

static void test_idx_dir_tiny(void **state)
{
    (void)state;
    ob_splits s, s2;
    ob_error err = {{0}};
    assert_int_equal(ob_load_idx_dir(FIX "tiny/", 3, 42, &s, &err), OB_OK);
    assert_int_equal(s.train.n, 7), assert_int_equal(s.val.n, 3), assert_int_equal(s.test.n, 4);
    assert_int_equal(s.train.d, 4), assert_int_equal(s.val.d, 4), assert_int_equal(s.test.d, 4);
    assert_int_equal(s.train.classes, 3), assert_int_equal(s.test.classes, 3);
    assert_string_equal(s.train.name, "tiny/train");
    assert_string_equal(s.val.name, "tiny/val");
    /* train keeps file order, val too; together they are the ten rows, each once */
    int seen[10] = {0};
    size_t prev = 0;
    for (size_t i = 0; i < s.train.n; i++) {
        size_t r = tiny_row(s.train.x + 4 * i);
        if (i) assert_true(r > prev);
        prev = r, seen[r]++;
        assert_int_equal(s.train.y[i], (int32_t)(r % 3));
        for (size_t j = 0; j < 4; j++) assert_true(s.train.x[4 * i + j] == fixture_pixel(4 * r + j));
    }
    for (size_t i = 0; i < s.val.n; i++) {
        size_t r = tiny_row(s.val.x + 4 * i);
        seen[r]++;
        assert_int_equal(s.val.y[i], (int32_t)(r % 3));
    }
    for (size_t r = 0; r < 10; r++) assert_int_equal(seen[r], 1);
    for (size_t k = 0; k < 16; k++) assert_true(s.test.x[k] == fixture_pixel(k));
    /* same seed, same split */
    assert_int_equal(ob_load_idx_dir(FIX "tiny", 3, 42, &s2, &err), OB_OK);
    assert_memory_equal(s.val.x, s2.val.x, 12 * sizeof(float));
    ob_splits_free(&s2);
    ob_splits_free(&s);
    /* n_val must leave a training sample */
    assert_int_equal(ob_load_idx_dir(FIX "tiny", 10, 42, &s, &err), OB_EINVAL);
    assert_null(s.train.x);
}

static void test_idx_dir_errors(void **state)
{
    (void)state;
    ob_splits s;
    ob_error err = {{0}};
    assert_int_equal(ob_load_idx_dir(FIX "mismatch", 2, 1, &s, &err), OB_EDATA);
    print_message("%s\n", err.msg);
    assert_non_null(strstr(err.msg, "mismatch/train-labels-idx1-ubyte"));
    assert_non_null(strstr(err.msg, "9 labels"));
    assert_null(s.train.x), assert_null(s.val.x), assert_null(s.test.x);
    assert_int_equal(ob_load_idx_dir(FIX "nodir", 2, 1, &s, &err), OB_EIO);
    print_message("%s\n", err.msg);
    assert_non_null(strstr(err.msg, "nodir/train-images-idx3-ubyte"));
}

/* per-class counts of a label array */
static void histogram(const ob_dataset *ds, size_t *h, size_t k)
{
    memset(h, 0, k * sizeof *h);
    for (size_t i = 0; i < ds->n; i++) {
        assert_true(ds->y[i] >= 0 && (size_t)ds->y[i] < k);
        h[ds->y[i]]++;
    }
}

static void test_fashion_mnist(void **state)
{
    (void)state;
    ob_splits s, same, other;
    ob_error err = {{0}};
    ob_status st = ob_load_idx_dir(OB_FASHION_MNIST_DIR, 6000, 1, &s, &err);
    if (st != OB_OK) fail_msg("%s (install the Debian package dataset-fashion-mnist)", err.msg);
    assert_int_equal(s.train.n, 54000), assert_int_equal(s.val.n, 6000);
    assert_int_equal(s.test.n, 10000);
    assert_int_equal(s.train.d, 784), assert_int_equal(s.val.d, 784);
    assert_int_equal(s.test.d, 784);
    assert_int_equal(s.train.classes, 10), assert_int_equal(s.test.classes, 10);
    assert_string_equal(s.test.name, "fashion-mnist/test");
    const ob_dataset *ds[3] = {&s.train, &s.val, &s.test};
    for (int k = 0; k < 3; k++) {
        float lo = 1, hi = 0;
        for (size_t i = 0; i < ds[k]->n * ds[k]->d; i++) {
            lo = fminf(lo, ds[k]->x[i]);
            hi = fmaxf(hi, ds[k]->x[i]);
        }
        assert_true(lo == 0.0f && hi == 1.0f);
    }
    size_t h[10], hv[10];
    histogram(&s.test, h, 10);
    for (int c = 0; c < 10; c++) assert_int_equal(h[c], 1000);
    histogram(&s.train, h, 10);
    histogram(&s.val, hv, 10);
    for (int c = 0; c < 10; c++) assert_int_equal(h[c] + hv[c], 6000);

    assert_int_equal(ob_load_idx_dir(OB_FASHION_MNIST_DIR, 6000, 1, &same, &err), OB_OK);
    assert_memory_equal(s.val.x, same.val.x, 6000 * 784 * sizeof(float));
    assert_memory_equal(s.train.y, same.train.y, 54000 * sizeof(int32_t));
    ob_splits_free(&same);
    assert_int_equal(ob_load_idx_dir(OB_FASHION_MNIST_DIR, 6000, 2, &other, &err), OB_OK);
    assert_int_equal(other.val.n, 6000);
    assert_memory_not_equal(s.val.x, other.val.x, 6000 * 784 * sizeof(float));
    ob_splits_free(&other);
    ob_splits_free(&s);
}

static void test_csv_dataset(void **state)
{
    (void)state;
    ob_splits s;
    ob_error err = {{0}};
    /* good.csv: header, then rows (x, x') -> label; features identify the row */
    assert_int_equal(ob_load_csv_dataset(FIX "good.csv", 0.2, 0.3, 5, &s, &err), OB_OK);
    assert_int_equal(s.test.n, 3), assert_int_equal(s.val.n, 2), assert_int_equal(s.train.n, 5);
    assert_int_equal(s.train.d, 2), assert_int_equal(s.train.classes, 3);
    assert_int_equal(s.val.classes, 3), assert_int_equal(s.test.classes, 3);
    static const float rows[10][3] = {{0, 0, 0}, {1, 0, 1}, {0, 1, 2}, {1, 1, 0}, {2, 2, 1},
                                      {3, 3, 2}, {4, 4, 0}, {5, 5, 1}, {6, 6, 2}, {7, 7, 0}};
    int seen[10] = {0};
    const ob_dataset *ds[3] = {&s.train, &s.val, &s.test};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < ds[k]->n; i++) {
            int found = 0;
            for (int r = 0; r < 10; r++)
                if (rows[r][0] == ds[k]->x[2 * i] && rows[r][1] == ds[k]->x[2 * i + 1]) {
                    assert_int_equal(ds[k]->y[i], (int32_t)rows[r][2]);
                    seen[r]++, found = 1;
                }
            assert_true(found);
        }
    for (int r = 0; r < 10; r++) assert_int_equal(seen[r], 1);
    ob_splits_free(&s);

    assert_int_equal(ob_load_csv_dataset(FIX "bad_label.csv", 0, 0, 1, &s, &err), OB_EDATA);
    print_message("%s\n", err.msg);
    assert_non_null(strstr(err.msg, "bad_label.csv"));
    assert_non_null(strstr(err.msg, "row 3"));
    assert_non_null(strstr(err.msg, "1.5"));
    assert_null(s.train.x);
    assert_int_equal(ob_load_csv_dataset(FIX "neg_label.csv", 0, 0, 1, &s, &err), OB_EDATA);
    assert_non_null(strstr(err.msg, "neg_label.csv"));
    assert_non_null(strstr(err.msg, "row 2"));
    assert_non_null(strstr(err.msg, "'-1'"));
    assert_int_equal(ob_load_csv_dataset(FIX "nope.csv", 0, 0, 1, &s, &err), OB_EIO);
    assert_int_equal(ob_load_csv_dataset(FIX "good.csv", 0.5, 0.5, 1, &s, &err), OB_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idx_roundtrip),  cmocka_unit_test(test_idx_errors),
        cmocka_unit_test(test_idx_huge_header),
        cmocka_unit_test(test_idx_dir_tiny),   cmocka_unit_test(test_idx_dir_errors),
        cmocka_unit_test(test_fashion_mnist),  cmocka_unit_test(test_csv_dataset),
    };
    return ob_run_tests("dataset", tests, NULL, NULL);
}
