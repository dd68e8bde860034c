/* test_homes.c - one home per concept: the command table, the "accepted:" lists, the
 * comma-separated options, the data-set registry, the learning rate and the batch size
 * each live in one place, and what reads them reads that place.  Each test fails when a
 * second copy comes back and drifts from the first. */
#include <math.h>

#include "tests/e2e.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "common/names.h"
#include "nets/dataset.h"
#include "nets/mlp.h"
#include "nets/presets.h"
#include "nets/train.h"
#include "optimizers/optimizer.h"
#include "optimizers/schedule.h"
#include "problems/problem.h"
#include "runs/run.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("homes");
}

/* ---- "accepted: a, b, c" ------------------------------------------------------------------ */

static void test_accepted_helper(void **st)
{
    (void)st;
    const char *abc[] = {"a", "bb", "c", NULL}, *none[] = {NULL};
    char buf[64];
    assert_string_equal(ob_accepted(buf, sizeof buf, abc), "accepted: a, bb, c");
    assert_string_equal(ob_names_join(buf, sizeof buf, abc, "|"), "a|bb|c");
    assert_string_equal(ob_names_join(buf, sizeof buf, none, ", "), "");
    assert_string_equal(ob_names_join(buf, 5, abc, ", "), "a, b"); /* truncated, terminated */
    assert_string_equal(ob_accepted(buf, 8, abc), "");          /* no room for a name */
    const char *names[OB_NAMES_MAX];
    OB_NAMES_OF(names, ob_optimizer_types);
    size_t n = 0;
    for (; ob_optimizer_types[n]; n++) assert_string_equal(names[n], ob_optimizer_types[n]->name);
    assert_null(names[n]);
    const char *two[3];
    OB_NAMES_OF(two, ob_optimizer_types); /* at most N - 1 names, then NULL */
    assert_string_equal(two[0], ob_optimizer_types[0]->name);
    assert_null(two[2]);
}

/* every refused name is answered with the whole list, as the helper formats it */
static void test_accepted_lists_every_name(void **st)
{
    (void)st;
    const char *names[OB_NAMES_MAX];
    char want[1024];
    struct {
        const char *args;
        const char *const *names;
    } cases[] = {
        {"run --problem saddle --optimizer adamm --out %s/x.csv", NULL},
        {"run --problem sadle --out %s/x.csv", NULL},
        {"run --problem saddle --schedule cosin --out %s/x.csv", NULL},
        {"train --net netZ --out %s/x.csv", NULL},
        {"landscape --net netZ --out %s/x", NULL},
        {"frobnicate %s", NULL},
        {"train --net netA --act rel --out %s/x.csv", NULL},
        {"train --net netA --loss hinge --out %s/x.csv", NULL},
    };
    const char *acts[16], *losses[8];
    size_t k = 0;
    for (; strcmp(ob_act_name((ob_act)k), "?") != 0; k++) acts[k] = ob_act_name((ob_act)k);
    acts[k] = NULL;
    for (k = 0; strcmp(ob_loss_name((ob_loss)k), "?") != 0; k++)
        losses[k] = ob_loss_name((ob_loss)k);
    losses[k] = NULL;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        switch (i) {
        case 0: OB_NAMES_OF(names, ob_optimizer_types); break;
        case 1: OB_NAMES_OF(names, ob_problem_types); break;
        case 2: OB_NAMES_OF(names, ob_schedule_types); break;
        case 3: case 4: OB_NAMES_OF(names, ob_net_presets); break;
        case 5: OB_NAMES_OF(names, ob_commands); break;
        case 6: memcpy(names, acts, sizeof acts); break;
        case 7: memcpy(names, losses, sizeof losses); break;
        }
        int rc = run(cases[i].args, dir);
        char *err = slurp("stderr");
        if (rc != 2) fail_msg("'%s' exited %d", cases[i].args, rc);
        ob_accepted(want, sizeof want, names);
        if (!strstr(err, want)) fail_msg("'%s': '%s' lacks '%s'", cases[i].args, err, want);
    }
}

/* ---- the value parsers and the one list parser -------------------------------------------- */

static void test_value_parsers(void **st)
{
    (void)st;
    ob_error e = {{0}};
    double d;
    int k;
    const char *f, *items[4];
    char *buf = NULL;
    size_t n = 9;
    assert_int_equal(ob_parse_min("--x", "0", 0, 0, &d, &e), OB_OK);
    assert_int_equal(ob_parse_min("--x", "0", 0, 1, &d, &e), OB_EINVAL);
    assert_string_equal(e.msg, "--x must be > 0, got 0");
    assert_int_equal(ob_parse_min("--x", "-1", 0, 0, &d, &e), OB_EINVAL);
    assert_string_equal(e.msg, "--x must be >= 0, got -1");
    assert_int_equal(ob_parse_min("--x", "1e", 0, 0, &d, &e), OB_EINVAL);
    assert_int_equal(ob_parse_word("--w", "svg", ob_figure_formats, &k, &e), OB_OK);
    assert_int_equal(k, 1);
    assert_int_equal(ob_parse_word("--w", "gif", ob_figure_formats, &k, &e), OB_EINVAL);
    assert_string_equal(e.msg, "--w: unknown value 'gif' (accepted: png, svg, pdf, tex)");
    assert_int_equal(ob_parse_figure("--p", "a.b.pdf", 0, &f, &e), OB_OK);
    assert_int_equal(ob_parse_figure("--p", "a.gif", 0, &f, &e), OB_EINVAL);
    assert_int_equal(ob_parse_figure("--p", "a.gif", 1, &f, &e), OB_OK);
    assert_int_equal(ob_parse_figure("--p", "pdf", 0, &f, &e), OB_EINVAL);
    assert_int_equal(ob_parse_items("--l", "a,bb,c", "names", &buf, items, 4, &n, &e), OB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(items[1], "bb");
    free(buf);
    const char *bad[] = {"a,,b", ",a", "a,", "", ","};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        buf = NULL;
        assert_int_equal(ob_parse_items("--l", bad[i], "names", &buf, items, 4, &n, &e), OB_EINVAL);
        char want[64];
        snprintf(want, sizeof want, "--l: '%s' has an empty element", bad[i]);
        assert_string_equal(e.msg, want);
        free(buf);
    }
    buf = NULL;
    assert_int_equal(ob_parse_items("--l", "a,b,c,d,e", "names", &buf, items, 4, &n, &e),
                     OB_EINVAL);
    assert_string_equal(e.msg, "--l takes at most 4 names");
    free(buf);
    double v[3];
    assert_int_equal(ob_parse_list("--v", "1,,2", v, 3, &n, &e), OB_EINVAL);
    assert_string_equal(e.msg, "--v: '1,,2' has an empty element");
    assert_int_equal(ob_parse_list("--v", "1,2.5", v, 3, &n, &e), OB_OK);
    assert_true(n == 2 && v[1] == 2.5);
}

/* what each command needs besides the option under test, so that only it can fail */
static const char *base_args(const char *cmd)
{
    if (!strcmp(cmd, "run")) return "--problem saddle --optimizer rprop --out %s/x.csv";
    if (!strcmp(cmd, "rate")) return "--problem quadratic --out %s/x.csv";
    if (!strcmp(cmd, "train")) return "--net netA --optimizer rprop --out %s/x.csv";
    if (!strcmp(cmd, "landscape")) return "--out %s/l";
    return "%.0s";
}

/* every comma-separated option of every command (its value placeholder has a comma:
 * "A,B,...", "LO,HI", "O1,O2,...", also the optimizers' pairs) refuses an empty element
 * with one line naming it, exit 2, and writes nothing */
static void test_list_options_refuse_empty_elements(void **st)
{
    (void)st;
    const char *bad[] = {"1,,2", ",1", "1,"};
    size_t tried = 0;
    for (const ob_cli_command *const *c = ob_commands; *c; c++) {
        const char *opts[64];
        size_t n = 0;
        for (const ob_cli_option *o = (*c)->options; o->name && n < 64; o++)
            if (o->value && strchr(o->value, ',')) opts[n++] = o->name;
        ob_shared_option sh[OB_CLI_MAX_OPTIONS];
        size_t m = (*c)->shared & OB_CLI_OPTIMIZER
                       ? ob_shared_options(OB_CLI_OPTIMIZER, sh, OB_CLI_MAX_OPTIONS)
                       : 0;
        for (size_t i = 0; i < m && n < 64; i++)
            if (sh[i].value && strchr(sh[i].value, ',')) opts[n++] = sh[i].name;
        for (size_t i = 0; i < n; i++)
            for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
                char base[256], args[512];
                snprintf(base, sizeof base, base_args((*c)->name), dir);
                snprintf(args, sizeof args, "%s %s --%s %s", (*c)->name, base, opts[i], bad[b]);
                int rc = run("%s", args);
                char *err = slurp("stderr");
                char want[128];
                snprintf(want, sizeof want, "--%s: '%s' has an empty element\n", opts[i], bad[b]);
                if (rc != 2) fail_msg("'%s' exited %d (stderr %s)", args, rc, err);
                if (!strstr(err, want) || strchr(err, '\n') != err + strlen(err) - 1)
                    fail_msg("'%s': stderr '%s', want one line ending '%s'", args, err, want);
                if (exists("x.csv") || exists("l")) fail_msg("'%s' wrote output", args);
                tried++;
            }
    }
    assert_true(tried >= 3 * 10); /* x0 (run, rate), n-list, layers, dropout, optimizer, lr,
                                     alpha, etas, step-sizes */
}

/* one parser per kind of value: the same option refused the same way by every command */
static void test_one_message_per_value(void **st)
{
    (void)st;
    static const char *const same[][2] = {
        {"plot --format gif x", "bench --format gif"},
        {"run --problem saddle --plot x.gif --out %1$s/x.csv", "train --net netA --plot x.gif"},
        {"train --net netA --l2 -1", "train --net netA --l1 -1"},
    };
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        char msg[2][512];
        for (int j = 0; j < 2; j++) {
            assert_int_equal(run(same[i][j], dir), 2);
            char *err = slurp("stderr"), *colon = strstr(err, ": ");
            assert_non_null(colon);
            snprintf(msg[j], sizeof msg[j], "%s", colon + 2);
            if (i == 2) { /* the option's name differs */
                char *dash = strstr(msg[j], "--l");
                assert_non_null(dash);
                dash[3] = '_';
            }
        }
        if (strcmp(msg[0], msg[1]) != 0) fail_msg("'%s' and '%s' differ: %s / %s", same[i][0],
                                                  same[i][1], msg[0], msg[1]);
    }
}

/* ---- the data-set registry ------------------------------------------------------------- */

/* every set is found by its name, a miss lists every name, and a set loads with the sizes
 * and defaults its entry says */
static void test_dataset_registry(void **st)
{
    (void)st;
    const char *names[OB_NAMES_MAX];
    char want[256];
    OB_NAMES_OF(names, ob_dataset_types);
    size_t n = 0;
    for (; names[n]; n++) {
        const ob_dataset_type *T;
        assert_ptr_equal(ob_dataset_find(names[n]), ob_dataset_types[n]);
        assert_int_equal(ob_dataset_lookup("--dataset", names[n], &T, NULL), OB_OK);
        assert_ptr_equal(T, ob_dataset_types[n]);
    }
    assert_true(n >= 4);
    ob_error e = {{0}};
    const ob_dataset_type *T = ob_dataset_types[0];
    assert_int_equal(ob_dataset_lookup("--dataset", "mnist", &T, &e), OB_EINVAL);
    assert_null(T);
    snprintf(want, sizeof want, "--dataset: unknown data set 'mnist' (%s)",
             ob_accepted((char[200]){0}, 200, names));
    assert_string_equal(e.msg, want);
    for (const ob_dataset_type *const *t = ob_dataset_types; *t; t++) {
        if ((*t)->n_train && access(OB_FASHION_MNIST_DIR, R_OK) != 0) continue;
        ob_dataset_opts o = ob_dataset_defaults();
        ob_splits sp;
        assert_int_equal(ob_dataset_load(*t, &o, &sp, &e), OB_OK);
        assert_int_equal(sp.train.d, (*t)->d);
        assert_int_equal(sp.train.classes, (*t)->classes);
        size_t n_train = (*t)->n_train ? (*t)->n_train - o.val : (*t)->samples;
        assert_int_equal(sp.train.n, n_train);
        assert_int_equal(sp.val.n, (*t)->n_train ? o.val : (*t)->samples / 4);
        assert_int_equal(sp.test.n, (*t)->n_train ? (*t)->n_test : (*t)->samples / 4);
        ob_splits_free(&sp);
        o.subset = 100;
        assert_int_equal(ob_dataset_load(*t, &o, &sp, &e), OB_OK);
        assert_int_equal(sp.train.n, 100);
        ob_splits_free(&sp);
    }
    /* the default noise is the entry's: the same draw as asking for it */
    const ob_dataset_type *S = ob_dataset_find("spirals");
    assert_non_null(S);
    ob_dataset_opts o = ob_dataset_defaults();
    ob_splits a, b;
    assert_int_equal(ob_dataset_load(S, &o, &a, &e), OB_OK);
    o.noise = S->noise;
    o.samples = S->samples;
    assert_int_equal(ob_dataset_load(S, &o, &b, &e), OB_OK);
    assert_memory_equal(a.train.x, b.train.x, a.train.n * a.train.d * sizeof(float));
    o.noise = S->noise * 2;
    ob_splits_free(&b);
    assert_int_equal(ob_dataset_load(S, &o, &b, &e), OB_OK);
    assert_true(memcmp(a.train.x, b.train.x, a.train.n * a.train.d * sizeof(float)) != 0);
    ob_splits_free(&a);
    ob_splits_free(&b);
}

/* train, landscape and list read the registry: the same names, the same refusal */
static void test_dataset_commands(void **st)
{
    (void)st;
    char msg[2][512];
    const char *cmds[] = {"train --net netA --dataset mnist", "landscape --dataset mnist"};
    for (int j = 0; j < 2; j++) {
        assert_int_equal(run("%s", cmds[j]), 2);
        char *err = slurp("stderr");
        snprintf(msg[j], sizeof msg[j], "%s", strstr(err, ": ") + 2);
    }
    assert_string_equal(msg[0], msg[1]);
    assert_int_equal(run("list"), 0);
    char *out = slurp("stdout");
    for (const ob_dataset_type *const *t = ob_dataset_types; *t; t++) {
        char line[128];
        snprintf(line, sizeof line, "\n  %-14s %s", (*t)->name, (*t)->summary);
        if (!strstr(out, line)) fail_msg("optbench list lacks '%s'", line + 1);
    }
}

/* ---- the learning rate ------------------------------------------------------------------- */

static int keep_lr(void *ctx, const ob_row *r)
{
    ((double *)ctx)[r->step] = r->lr;
    return 0;
}

static ob_status keep_epoch_lr(void *ctx, const ob_train_row *r, ob_error *err)
{
    (void)err;
    ((double *)ctx)[r->epoch] = r->lr;
    return OB_OK;
}

/* the rate has one home, the rule's h.lr: a run whose schedule is set up without any rate
 * steps with h.lr's schedule, and changing h.lr alone changes every step of the run (an
 * analytic run and a network's) */
static void test_lr_one_home(void **st)
{
    (void)st;
    ob_problem p;
    ob_problem_opts po = {.dim = 3, .kappa = 4, .seed = 1};
    ob_error e = {{0}};
    assert_int_equal(ob_problem_create(&p, ob_problem_find("quadratic"), &po, &e), OB_OK);
    ob_run_config c = {.prob = &p, .opt = ob_optimizer_find("sgd"), .steps = 20, .seed = 1};
    ob_hparams_default(c.opt, &c.h);
    c.sched = ob_schedule_default();
    c.sched.type = ob_schedule_find("step");
    c.sched.every = 4;
    c.sched.factor = 0.5;
    const double rates[] = {0.05, 0.02};
    for (int i = 0; i < 2; i++) {
        c.h.lr = rates[i];
        double lr[21];
        ob_observer obs = {.row = keep_lr, .ctx = lr, .every = 1};
        ob_run_result res;
        assert_int_equal(ob_run(&c, &obs, NULL, &res, &e), OB_OK);
        for (long k = 0; k <= 20; k++) { /* row k: the rate of update k - 1 (row 0: update 0's) */
            long t = k ? k - 1 : 0;
            if (lr[k] != rates[i] * pow(0.5, (double)(t / 4)))
                fail_msg("lr %g, row %ld: %.17g", rates[i], k, lr[k]);
            assert_true(lr[k] == ob_schedule_lr(&c.sched, c.h.lr, t));
        }
    }
    ob_problem_free(&p);

    ob_splits sp;
    ob_dataset_opts o = ob_dataset_defaults();
    o.samples = 64;
    assert_int_equal(ob_dataset_load(ob_dataset_find("moons"), &o, &sp, &e), OB_OK);
    ob_train_config tc = {.dtype = OB_F64, .opt = ob_optimizer_find("sgd"), .epochs = 3,
                          .batch = 16, .seed = 1};
    tc.spec = (ob_mlp_spec){.n_layers = 2, .sizes = {2, 4, 2}, .act = OB_ACT_TANH,
                            .loss = OB_LOSS_XENT};
    ob_hparams_default(tc.opt, &tc.h);
    tc.sched = ob_schedule_default();
    tc.sched.type = ob_schedule_find("exp");
    tc.sched.k = 0.1;
    for (int i = 0; i < 2; i++) {
        tc.h.lr = rates[i];
        double lr[4];
        ob_train_observer obs = {.row = keep_epoch_lr, .ctx = lr};
        ob_train_result res;
        assert_int_equal(ob_train(&tc, &sp, &obs, &res, &e), OB_OK);
        for (long ep = 0; ep <= 3; ep++) { /* 4 updates an epoch; row ep: update 4 ep - 1's */
            long t = ep ? 4 * ep - 1 : 0;
            if (lr[ep] != rates[i] * exp(-0.1 * (double)t))
                fail_msg("lr %g, epoch %ld: %.17g", rates[i], ep, lr[ep]);
        }
    }
    ob_splits_free(&sp);
}

/* the command line: --lr given once sets the rule's rate, the schedule's rates and the
 * summary's lr */
static void test_lr_command_line(void **st)
{
    (void)st;
    assert_int_equal(run("run --problem quadratic --optimizer momentum --lr 0.03 --schedule inv "
                         "--steps 10 --quiet --out %s/lr.csv", dir), 0);
    ob_table t = tab("lr.csv"), s = tab("lr.summary.csv");
    int col = ob_table_col(&t, "lr");
    for (size_t r = 0; r < t.rows; r++) {
        double want = 0.03 / (double)(r ? r : 1);
        if (ob_table_num(&t, r, col) != want)
            fail_msg("row %zu: lr %.17g", r, ob_table_num(&t, r, col));
    }
    assert_true(ob_table_num(&s, 0, ob_table_col(&s, "lr")) == 0.03);
    ob_table_free(&t);
    ob_table_free(&s);
}

/* ---- the batch size ------------------------------------------------------------------------ */

/* one default mini-batch, OB_TRAIN_BATCH: what train and landscape say in --help and what a
 * run without --batch trains with */
static void test_batch_default(void **st)
{
    (void)st;
    char want[64];
    snprintf(want, sizeof want, "(default %d)\n", OB_TRAIN_BATCH);
    const char *cmds[] = {"train", "landscape"};
    for (int c = 0; c < 2; c++) {
        assert_int_equal(run("%s --help", cmds[c]), 0);
        char *line = strstr(slurp("stdout"), "  --batch B");
        assert_non_null(line);
        char *end = strchr(line, '\n');
        if (!end || strncmp(end - strlen(want) + 1, want, strlen(want)) != 0)
            fail_msg("%s --help: the --batch line does not end in '%s'", cmds[c], want);
    }
    assert_int_equal(run("train --layers 4 --dataset moons --samples 300 --epochs 1 --quiet "
                         "--out %s/b.csv", dir), 0);
    ob_table t = tab("b.summary.csv");
    assert_true(ob_table_num(&t, 0, ob_table_col(&t, "batch")) == OB_TRAIN_BATCH);
    assert_true(ob_table_num(&t, 0, ob_table_col(&t, "steps")) ==
                (300 + OB_TRAIN_BATCH - 1) / OB_TRAIN_BATCH);
    ob_table_free(&t);
}

/* ---- the command table ------------------------------------------------------------------ */

/* every descriptor is complete, its name unique and found by name */
static void test_command_descriptors(void **st)
{
    (void)st;
    size_t n = 0;
    for (const ob_cli_command *const *c = ob_commands; *c; c++, n++) {
        assert_non_null((*c)->name);
        assert_non_null((*c)->synopsis);
        assert_non_null((*c)->options);
        assert_non_null((*c)->main);
        if (!(*c)->summary || !(*c)->summary[0]) fail_msg("%s has no summary", (*c)->name);
        assert_ptr_equal(ob_command_find((*c)->name), *c);
        for (const ob_cli_command *const *d = ob_commands; d != c; d++)
            if (strcmp((*d)->name, (*c)->name) == 0) fail_msg("%s is listed twice", (*c)->name);
    }
    assert_true(n >= 11);
    assert_null(ob_command_find("frobnicate"));
}

/* a line of `optbench --help` that starts a command: "  NAME ..." */
static int command_line(const char *l)
{
    return l[0] == ' ' && l[1] == ' ' && l[2] != ' ' && l[2] != '\n';
}

/* `optbench --help` lists exactly the commands of the table, each with its descriptor's
 * summary, which is also the summary line of the command's own --help */
static void test_command_table_is_the_help(void **st)
{
    (void)st;
    assert_int_equal(run("--help"), 0);
    static char out[1 << 16];
    snprintf(out, sizeof out, "%s", slurp("stdout"));
    char *list = strstr(out, "commands:\n");
    assert_non_null(list);
    size_t listed = 0;
    for (char *line = strchr(list, '\n') + 1; *line && *line != '\n';
         line = strchr(line, '\n') + 1) {
        if (!command_line(line)) continue;
        char name[64];
        assert_int_equal(sscanf(line + 2, "%63s", name), 1);
        const ob_cli_command *c = ob_command_find(name);
        if (!c) fail_msg("optbench --help lists '%s', which has no descriptor", name);
        listed++;
        /* its block: this line and the further indented ones; one of them (after the
         * name) is the summary, whole */
        int found = 0;
        for (char *l = line; *l && (l == line || (l[0] == ' ' && !command_line(l)));
             l = strchr(l, '\n') + 1) {
            const char *t = l == line ? l + 2 + strlen(name) : l;
            t += strspn(t, " ");
            size_t len = strcspn(t, "\n");
            found |= len == strlen(c->summary) && strncmp(t, c->summary, len) == 0;
        }
        if (!found)
            fail_msg("optbench --help does not show %s's descriptor summary '%s'", name,
                     c->summary);
        assert_int_equal(run("%s --help", name), 0);
        char own[600];
        snprintf(own, sizeof own, "\n\n%s.\n", c->summary);
        if (!strstr(slurp("stdout"), own))
            fail_msg("optbench %s --help does not show the summary '%s'", name, c->summary);
    }
    size_t n = 0;
    for (const ob_cli_command *const *c = ob_commands; *c; c++) n++;
    assert_int_equal(listed, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted_helper),
        cmocka_unit_test(test_accepted_lists_every_name),
        cmocka_unit_test(test_value_parsers),
        cmocka_unit_test(test_list_options_refuse_empty_elements),
        cmocka_unit_test(test_one_message_per_value),
        cmocka_unit_test(test_dataset_registry),
        cmocka_unit_test(test_dataset_commands),
        cmocka_unit_test(test_lr_one_home),
        cmocka_unit_test(test_lr_command_line),
        cmocka_unit_test(test_batch_default),
        cmocka_unit_test(test_command_descriptors),
        cmocka_unit_test(test_command_table_is_the_help),
    };
    return cmocka_run_group_tests_name("homes", tests, setup, teardown);
}
