/* test_abi.c - the plugin interface's versions: a rule's stability facts are fields of its
 * type (version 2: .threshold, .precond), the built-ins carry theirs, a version-2 plugin's
 * threshold reaches the run's threshold column, and a version-1 or version-2 plugin (built
 * against the header of its version: today's without the later fields, so its struct ends
 * before them) loads and runs with the same numbers as the same source built against
 * today's header, with no threshold (version 1) and as a competitor, not a reference
 * (version 3's .reference, which only the GSL minimizers set among the built-ins). */
#include <math.h>

#include "tests/e2e.h"
#include "tests/shell.h"

#include "optimizers/optimizer.h"
#include "optimizers/plugin.h"
#include "optimizers/threshold.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("abi");
}

/* dir/NAME.so from SRC against the header in INC */
static int build(const char *name, const char *src, const char *inc)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cc -std=c11 -O2 -Wall -fPIC -shared -I%s %s -o %s/%s.so -lm",
             inc, src, dir, name);
    return system(cmd);
}

/* every rule whose threshold the edge-of-stability analysis knows has it on its type, and
 * ob_stability_threshold reads nothing else: a copy of a type without the field has none */
static void test_threshold_is_a_field(void **st)
{
    (void)st;
    static const char *const known[] = {"gd", "sgd", "momentum", "nag", "adam", "adamw"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        const ob_optimizer_type *T = ob_optimizer_find(known[i]);
        assert_non_null(T);
        assert_non_null(T->threshold);
        ob_hparams h;
        ob_hparams_default(T, &h);
        int pre = -1;
        double v = ob_stability_threshold(T, &h, 0.1, &pre);
        assert_true(isfinite(v) && v > 0);
        assert_int_equal(pre, T->precond != NULL);
        ob_optimizer_type copy = *T;
        copy.threshold = NULL;
        assert_true(isnan(ob_stability_threshold(&copy, &h, 0.1, &pre)));
    }
    /* gd: 2/lr (Cohen et al. 2021) */
    const ob_optimizer_type *gd = ob_optimizer_find("gd");
    ob_hparams h;
    ob_hparams_default(gd, &h);
    assert_true(fabs(gd->threshold(&h, 0.25, &(int){0}) - 8.0) < 1e-15);
    /* rules with no known threshold carry none */
    assert_null(ob_optimizer_find("rmsprop")->threshold);
    assert_null(ob_optimizer_find("lion")->threshold);
    /* the built-in reference methods are the GSL minimizers, and only they (a plugin
     * another test loaded may be one too) */
    for (const ob_optimizer_type *const *t = ob_optimizer_types; *t; t++)
        if (!ob_plugin_loaded(*t)) assert_int_equal((*t)->reference, (*t)->needs_objective);
    assert_int_equal(ob_optimizer_find("gsl-bfgs")->reference, 1);
    assert_int_equal(ob_optimizer_find("gsl-cg")->reference, 1);
}

/* the values of column name of run file f, by name */
static double cell(const char *f, const char *name, size_t row)
{
    ob_table t = tab(f);
    int c = ob_table_col(&t, name);
    if (c < 0) fail_msg("%s: no column %s", f, name);
    double v = ob_table_num(&t, row, c);
    ob_table_free(&t);
    return v;
}

static void test_v2_plugin_threshold(void **st)
{
    (void)st;
    char src[256];
    snprintf(src, sizeof src, "%s/thr.c", dir);
    FILE *f = fopen(src, "w");
    assert_non_null(f);
    fputs("#include <optbench.h>\n"
          "static ob_status a(void *s, size_t n, const ob_hparams *h) { (void)s, (void)n, (void)h; return OB_OK; }\n"
          "static ob_status st(void *s, void *x, const void *g, size_t n, ob_dtype d, double lr, long t, const ob_objective *o)\n"
          "{ (void)s, (void)t, (void)o, (void)d; for (size_t i = 0; i < n; i++) ((double *)x)[i] -= lr * ((const double *)g)[i]; return OB_OK; }\n"
          "static double thr(const ob_hparams *h, double lr, int *p) { (void)h; *p = 0; return 3 / lr; }\n"
          "static const ob_hp_option o[] = {OB_HP_LR(0.01, \"lr\"), OB_HP_END};\n"
          "const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;\n"
          "const ob_optimizer_type optbench_optimizer = {.name = \"thr\", .options = o, .alloc = a,\n"
          "    .step = st, .f64_only = 1, .threshold = thr, .reference = 1};\n", f);
    fclose(f);
    assert_int_equal(build("thr", src, "include"), 0);
    assert_int_equal(run("run --problem quadratic --optimizer %s/thr.so --lr 0.05 --steps 10 "
                         "--sharpness-every 5 --out %s/t.csv", dir, dir), 0);
    assert_true(fabs(cell("t.csv", "threshold", 0) - 60.0) < 1e-12);
    /* its version-3 fact reaches the registry */
    char so[256];
    snprintf(so, sizeof so, "%s/thr.so", dir);
    const ob_optimizer_type *T;
    ob_error e;
    assert_int_equal(ob_plugin_load(so, &T, &e), OB_OK);
    assert_int_equal(T->reference, 1);
}

static void test_v1_plugin_loads(void **st)
{
    (void)st;
    /* the version-1 header: today's without the version-2 and -3 fields; the version-2
     * header: without the version-3 field */
    assert_int_equal(sh("mkdir -p %s/abi1 %s/abi2 && sed -e '/---- version 2/,/among the winners/d' -e "
                        "'s/ABI_VERSION 3u/ABI_VERSION 1u/' include/optbench.h > %s/abi1/optbench.h "
                        "&& grep -q 'ABI_VERSION 1u' %s/abi1/optbench.h && ! grep -q '(\\*precond)' "
                        "%s/abi1/optbench.h && ! grep -q 'int reference' %s/abi1/optbench.h",
                        dir, dir, dir, dir, dir, dir), 0);
    assert_int_equal(sh("sed -e '/---- version 3/,/among the winners/d' -e "
                        "'s/ABI_VERSION 3u/ABI_VERSION 2u/' include/optbench.h > %s/abi2/optbench.h "
                        "&& grep -q 'ABI_VERSION 2u' %s/abi2/optbench.h && grep -q '(\\*precond)' "
                        "%s/abi2/optbench.h && ! grep -q 'int reference' %s/abi2/optbench.h",
                        dir, dir, dir, dir), 0);
    char inc[128];
    snprintf(inc, sizeof inc, "%s/abi1", dir);
    assert_int_equal(build("sd1", "examples/plugins/sign_descent.c", inc), 0);
    snprintf(inc, sizeof inc, "%s/abi2", dir);
    assert_int_equal(build("sd3", "examples/plugins/sign_descent.c", inc), 0);
    assert_int_equal(build("sd2", "examples/plugins/sign_descent.c", "include"), 0);
    for (int v = 1; v <= 3; v++)
        assert_int_equal(run("run --problem rosenbrock --optimizer %s/sd%d.so --lr 0.01 --steps 40 "
                             "--sharpness-every 10 --out %s/r%d.csv", dir, v, dir, v), 0);
    ob_table A = tab("r1.csv"), B = tab("r2.csv");
    assert_int_equal(A.rows, 41);
    assert_int_equal(A.rows, B.rows);
    assert_int_equal(A.cols, B.cols);
    for (size_t c = 0; c < A.cols; c++) {
        assert_string_equal(A.head[c], B.head[c]);
        if (strstr(A.head[c], "seconds")) continue; /* timing */
        for (size_t r = 0; r < A.rows; r++)
            assert_string_equal(ob_table_str(&A, r, (int)c), ob_table_str(&B, r, (int)c));
    }
    ob_table_free(&A), ob_table_free(&B);
    /* the version-2 build runs the same numbers */
    A = tab("r3.csv");
    assert_int_equal(A.rows, 41);
    ob_table_free(&A);
    assert_true(cell("r3.csv", "loss", 40) == cell("r2.csv", "loss", 40));
    /* loaded here, the version-2 one is a competitor, whatever follows its struct */
    char so[256];
    snprintf(so, sizeof so, "%s/sd3.so", dir);
    const ob_optimizer_type *T;
    ob_error e;
    assert_int_equal(ob_plugin_load(so, &T, &e), OB_OK);
    assert_int_equal(T->reference, 0);
    /* neither knows its threshold: the column is empty */
    assert_true(isnan(cell("r1.csv", "threshold", 0)));
    /* the loader says which versions it takes */
    assert_int_equal(sh("sed 's/OB_PLUGIN_ABI_VERSION;/7u;/' examples/plugins/sign_descent.c > "
                        "%s/sd7.c", dir), 0);
    char src[256];
    snprintf(src, sizeof src, "%s/sd7.c", dir);
    assert_int_equal(build("sd7", src, "include"), 0);
    assert_int_equal(run("run --problem saddle --optimizer %s/sd7.so --out %s/x.csv", dir, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "ABI version 7, this optbench accepts 1 to 3"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threshold_is_a_field),
        cmocka_unit_test(test_v2_plugin_threshold),
        cmocka_unit_test(test_v1_plugin_loads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
