/* test_homes.c - one home per concept: the command table, the "accepted:" lists, the
 * comma-separated options, the data-set registry, the learning rate and the batch size
 * each live in one place, and what reads them reads that place.  Each test fails when a
 * second copy comes back and drifts from the first. */
#include <math.h>

#include "tests/e2e.h"
#include "cli/commands.h"
#include "common/names.h"
#include "nets/mlp.h"
#include "nets/presets.h"
#include "optimizers/optimizer.h"
#include "optimizers/schedule.h"
#include "problems/problem.h"

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
    for (k = 0; strcmp(ob_loss_name((ob_loss)k), "?") != 0; k++) losses[k] = ob_loss_name((ob_loss)k);
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
static int command_line(const char *l) { return l[0] == ' ' && l[1] == ' ' && l[2] != ' ' && l[2] != '\n'; }

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
    for (char *line = strchr(list, '\n') + 1; *line && *line != '\n'; line = strchr(line, '\n') + 1) {
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
        cmocka_unit_test(test_command_descriptors),
        cmocka_unit_test(test_command_table_is_the_help),
    };
    return cmocka_run_group_tests_name("homes", tests, setup, teardown);
}
