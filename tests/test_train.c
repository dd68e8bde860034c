/* test_train.c - `optbench train` end to end: the binary is run as a user would run it
 * on the synthetic sets (and a small Fashion-MNIST subset), and its training CSV is
 * checked; bad input must exit 2 with one line on stderr and leave no output file. */
#include <math.h>

#include "tests/e2e.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("train");
}
enum { C_EPOCH, C_STEP, C_SECONDS, C_LR, C_TRAIN_LOSS, C_TRAIN_ACC, C_VAL_LOSS, C_VAL_ACC,
       C_TEST_LOSS, C_TEST_ACC, NCOLS };

static const char header[] =
    "epoch,step,seconds,lr,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc\n";

/* the CSV's shape: header, row 0 before training, steps, seconds, fractions */
static void test_csv_shape(void **st)
{
    (void)st;
    assert_int_equal(run("train --net netA --dataset spirals --optimizer adam --lr 0.01 "
                         "--epochs 3 --batch 100 --out %s/s.csv", dir), 0);
    char *head = slurp("s.csv");
    assert_non_null(head);
    assert_true(strncmp(head, header, sizeof header - 1) == 0);
    table t = load("s.csv");
    assert_int_equal(t.rows, 4);
    assert_int_equal(t.cols, NCOLS);
    for (size_t r = 0; r < t.rows; r++) {
        assert_true(AT(t, r, C_EPOCH) == (double)r);
        assert_true(AT(t, r, C_STEP) == 20.0 * (double)r); /* 2000 samples / 100 */
        assert_true(AT(t, r, C_LR) == 0.01);
        for (int c = C_TRAIN_ACC; c <= C_TEST_ACC; c += 2)
            assert_true(AT(t, r, c) >= 0 && AT(t, r, c) <= 1);
        if (r) assert_true(AT(t, r, C_SECONDS) >= AT(t, r - 1, C_SECONDS));
    }
    assert_true(AT(t, 0, C_SECONDS) == 0);
    assert_true(AT(t, 3, C_TRAIN_LOSS) < AT(t, 0, C_TRAIN_LOSS));
    /* the summary line on stdout */
    assert_non_null(strstr(slurp("stdout"), "ok after 3 epochs"));
    free(t.v);
}

/* the same command twice: the same file apart from the seconds column; another seed
 * gives other numbers */
static void test_same_seed_same_csv(void **st)
{
    (void)st;
    const char *cmd = "train --layers 16,8 --act tanh --dataset moons --optimizer momentum "
                      "--lr 0.05 --epochs 2 --batch 32 --dropout 0.2 --l2 1e-3 --seed %d --out %s/%s";
    assert_int_equal(run(cmd, 4, dir, "a.csv"), 0);
    assert_int_equal(run(cmd, 4, dir, "b.csv"), 0);
    assert_int_equal(run(cmd, 5, dir, "c.csv"), 0);
    table a = load("a.csv"), b = load("b.csv"), c = load("c.csv");
    assert_int_equal(a.rows, 3);
    int differ = 0;
    for (size_t r = 0; r < a.rows; r++)
        for (int k = 0; k < NCOLS; k++) {
            if (k == C_SECONDS) continue;
            assert_memory_equal(&AT(a, r, k), &AT(b, r, k), sizeof(double));
            differ |= AT(a, r, k) != AT(c, r, k);
        }
    assert_true(differ);
    free(a.v);
    free(b.v);
    free(c.v);
}

/* float64, full-batch gd (one update per epoch), the window net with the margin loss */
static void test_variants(void **st)
{
    (void)st;
    assert_int_equal(run("train --net netA --dataset moons --samples 400 --optimizer gd --lr 0.5 "
                         "--epochs 4 --precision float64 --out %s/g.csv", dir), 0);
    table t = load("g.csv");
    assert_int_equal(t.rows, 5);
    assert_true(AT(t, 4, C_STEP) == 4);
    assert_true(AT(t, 4, C_TRAIN_LOSS) < AT(t, 0, C_TRAIN_LOSS));
    free(t.v);
    assert_int_equal(run("train --net window --optimizer adam --lr 0.01 --epochs 5 --out %s/w.csv",
                         dir), 0);
    t = load("w.csv");
    assert_int_equal(t.rows, 6);
    /* pairs ranked right: better than chance after training, and the loss went down */
    assert_true(AT(t, 5, C_TEST_ACC) > 0.6);
    assert_true(AT(t, 5, C_TRAIN_LOSS) < AT(t, 0, C_TRAIN_LOSS));
    free(t.v);
    assert_int_equal(run("train --net deep4 --dropout seed --dataset spirals --samples 200 "
                         "--optimizer rmsprop --epochs 1 --out %s/d.csv", dir), 0);
}

/* a short Fashion-MNIST run on a subset of the training split */
static void test_fashion_subset(void **st)
{
    (void)st;
    assert_int_equal(run("train --net softmax --optimizer adam --subset 3000 --epochs 2 "
                         "--out %s/f.csv", dir), 0);
    table t = load("f.csv");
    assert_int_equal(t.rows, 3);
    assert_true(AT(t, 2, C_STEP) == 2.0 * 24); /* ceil(3000 / 128) */
    assert_true(AT(t, 2, C_TEST_ACC) > 0.6);
    free(t.v);
}

/* bad input: exit 2, one line on stderr naming the problem, no output file */
static void test_bad_input(void **st)
{
    (void)st;
    static const struct {
        const char *args, *says;
    } cases[] = {
        {"--net netC --optimizer adam", "netA"},
        {"--net netA --optimizer adamz", "rmsprop"},
        {"--net netA --optimizer adam --precision float16", "float64"},
        {"--net netA --optimizer adam --dropout 1.5", "[0, 1)"},
        {"--net netA --optimizer adam --dropout 0.1,0.2", "one per hidden layer"},
        {"--net netA --optimizer adam --dropout seed", "deep4"},
        {"--net netA --optimizer adam --batch 0", "--batch"},
        {"--net netA --optimizer adam --lr abc", "--lr"},
        {"--net netA --optimizer sgd --beta1 0.8", "does not apply"},
        {"--net netA --optimizer gsl-bfgs", "full-batch"},
        {"--net netA --optimizer gd --batch 10", "full gradient"},
        {"--net netA --optimizer adam --schedule theory", "Lipschitz"},
        {"--net netA --optimizer adam --dataset cifar", "spirals"},
        {"--net netA --optimizer adam --data /nonexistent/dir", "/nonexistent/dir"},
        {"--net netA --optimizer adam --act swish", "softsign"},
        {"--net netA --optimizer adam --act leaky-relu --leaky 0", "(0, 1)"},
        {"--net netA --optimizer adam --epochs -1", "--epochs"},
        {"--net netA --optimizer adam --layers 10,0", "--layers"},
        {"--net netA --optimizer adam extra", "unexpected"},
        {"--optimizer adam", "required"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        /* on spirals (nothing to load from disk) unless the case names its data */
        int rc = run("train %s %s --out %s/bad.csv", strstr(cases[i].args, "--data") ? "" :
                     "--dataset spirals", cases[i].args, dir);
        if (rc != 2) fail_msg("'%s': exit %d, want 2", cases[i].args, rc);
        char *err = slurp("stderr");
        assert_non_null(err);
        if (!strstr(err, cases[i].says))
            fail_msg("'%s': stderr '%s' does not mention '%s'", cases[i].args, err, cases[i].says);
        char *nl = strchr(err, '\n');
        assert_true(nl && nl[1] == '\0'); /* one line */
        assert_false(exists("bad.csv"));
    }
}

static void test_help(void **st)
{
    (void)st;
    assert_int_equal(run("train --help"), 0);
    char *out = slurp("stdout");
    assert_non_null(strstr(out, "deep5"));
    assert_non_null(strstr(out, "--precision"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_shape),
        cmocka_unit_test(test_same_seed_same_csv),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_fashion_subset),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_help),
    };
    return ob_run_tests("train", tests, setup, teardown);
}
