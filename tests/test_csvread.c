/* test_csvread.c - ob_csv_read_matrix on tiny fixtures (tests/fixtures/, run from the
 * repository root): the good shapes, and each malformed shape with the message that
 * must name the file, the row and the column. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "tests/runner.h"

#include <stdlib.h>
#include <string.h>

#include "common/csvread.h"

#define FIX "tests/fixtures/"

static void test_header(void **state)
{
    (void)state;
    double *m;
    size_t r, c;
    ob_error err = {{0}};
    /* a,b,c / 1,2,3 / 4.5, -6e-1 ,"7": the header is dropped, blanks and quotes allowed */
    assert_int_equal(ob_csv_read_matrix(FIX "good_header.csv", &m, &r, &c, &err), OB_OK);
    assert_int_equal(r, 2);
    assert_int_equal(c, 3);
    const double want[6] = {1, 2, 3, 4.5, -0.6, 7};
    assert_memory_equal(m, want, sizeof want);
    free(m);
}

static void test_no_header(void **state)
{
    (void)state;
    double *m;
    size_t r, c;
    assert_int_equal(ob_csv_read_matrix(FIX "good_noheader.csv", &m, &r, &c, NULL), OB_OK);
    assert_int_equal(r, 2);
    assert_int_equal(c, 3);
    const double want[6] = {1, 2, 3, 4, 5, 6};
    assert_memory_equal(m, want, sizeof want);
    free(m);
}

/* Each bad file: the status, and words the one-line message must contain. */
static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        ob_status want;
        const char *says[3];
    } bad[] = {
        {FIX "ragged.csv", OB_EDATA, {"ragged.csv", "row 3 has 4 fields, expected 3"}},
        {FIX "nonnumeric.csv", OB_EDATA, {"nonnumeric.csv", "row 2, column 2", "five"}},
        {FIX "trailing.csv", OB_EDATA, {"trailing.csv", "row 2, column 2", "4x"}},
        {FIX "nan.csv", OB_EDATA, {"nan.csv", "row 2, column 1", "finite"}},
        {FIX "mixed_header.csv", OB_EDATA, {"mixed_header.csv", "row 1, column 1"}},
        {FIX "empty.csv", OB_EDATA, {"empty.csv", "empty"}},
        {FIX "header_only.csv", OB_EDATA, {"header_only.csv", "no data rows"}},
        {FIX "unterminated.csv", OB_EDATA, {"unterminated.csv", "malformed"}},
        {FIX "no-such-file.csv", OB_EIO, {"no-such-file.csv", "cannot open"}},
        {FIX, OB_EIO, {"fixtures/"}}, /* a directory: opens, then cannot be read */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        double *m = (double *)&m; /* must come back NULL */
        size_t r = 99, c = 99;
        ob_error err = {{0}};
        ob_status s = ob_csv_read_matrix(bad[k].file, &m, &r, &c, &err);
        if (s != bad[k].want) fail_msg("%s: got %s (%s)", bad[k].file, ob_status_name(s), err.msg);
        assert_null(m);
        assert_int_equal(r + c, 0);
        assert_null(strchr(err.msg, '\n'));
        for (int w = 0; w < 3 && bad[k].says[w]; w++)
            if (!strstr(err.msg, bad[k].says[w]))
                fail_msg("%s: message \"%s\" lacks \"%s\"", bad[k].file, err.msg, bad[k].says[w]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_no_header),
        cmocka_unit_test(test_errors),
    };
    return ob_run_tests("csvread", tests, NULL, NULL);
}
