/* test_homes.c - one home per concept: the "accepted:" lists live in one place, and what
 * reads them reads that place.  Each test fails when a second copy comes back and drifts
 * from the first. */
#include <math.h>

#include "tests/e2e.h"
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
        case 5: names[0] = NULL; break; /* the command table: its own test */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted_helper),
        cmocka_unit_test(test_accepted_lists_every_name),
    };
    return cmocka_run_group_tests_name("homes", tests, setup, teardown);
}
