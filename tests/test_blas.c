/* test_blas.c - the build links GSL's BLAS calls to OpenBLAS, not to the slow reference
 * libgslcblas (the Makefile puts -lopenblas before -lgsl; this checks that it worked). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_cblas.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "tests/runner.h"

static void test_cblas_is_openblas(void **st)
{
    (void)st;
    Dl_info info;
    assert_true(dladdr((void *)cblas_dgemm, &info) != 0);
    assert_non_null(info.dli_fname);
    if (!strstr(info.dli_fname, "openblas"))
        fail_msg("cblas_dgemm resolves to %s, not OpenBLAS", info.dli_fname);
}

/* and GSL's wrapper computes through it correctly: (1 2; 3 4)(5; 6) = (17; 39) */
static void test_gsl_blas_works(void **st)
{
    (void)st;
    double a[4] = {1, 2, 3, 4}, x[2] = {5, 6}, y[2] = {0, 0};
    gsl_matrix_view A = gsl_matrix_view_array(a, 2, 2);
    gsl_vector_view X = gsl_vector_view_array(x, 2), Y = gsl_vector_view_array(y, 2);
    assert_int_equal(gsl_blas_dgemv(CblasNoTrans, 1, &A.matrix, &X.vector, 0, &Y.vector), 0);
    assert_true(y[0] == 17 && y[1] == 39);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cblas_is_openblas),
        cmocka_unit_test(test_gsl_blas_works),
    };
    return ob_run_tests("blas", tests, NULL, NULL);
}
