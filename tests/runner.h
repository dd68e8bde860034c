/* runner.h - every test binary's way to run its tests: ob_run_tests(GROUP, tests, setup,
 * teardown) in place of cmocka_run_group_tests_name (ob_run_tests_n for an array filled at
 * run time), reading three environment variables:
 *   OB_TEST=NAME          runs only the test called NAME (an unknown name is an error,
 *                         exit 1, never an empty pass); the group setup still runs, so a
 *                         test that stands alone passes this way
 *   OB_TEST_SHUFFLE=SEED  runs the tests in an order drawn from SEED (a number; "random"
 *                         or empty: one from the time); the seed and the order are printed
 *                         first ("shuffle: GROUP seed S: a b c"), and OB_TEST_SHUFFLE=S
 *                         runs that order again
 *   OB_TEST_LIST=1        prints the test names, one a line, and runs nothing
 * (tests/run.sh --shuffle and --alone use them).  Included after cmocka.h; it also
 * redirects cmocka_run_group_tests and cmocka_run_group_tests_name to ob_run_tests_n, so
 * that a test file which includes it through tests/e2e.h and calls cmocka's name is run
 * the same way. */
#ifndef OB_TEST_RUNNER_H
#define OB_TEST_RUNNER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* splitmix64: a small seeded generator, the same numbers on every machine */
static inline uint64_t ob_test_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline int ob_run_tests_n(const char *group, const struct CMUnitTest *tests, size_t n,
                                 CMFixtureFunction setup, CMFixtureFunction teardown)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* cmocka's results in order with its messages on stderr */
    if (getenv("OB_TEST_LIST")) {
        for (size_t i = 0; i < n; i++) printf("%s\n", tests[i].name);
        return 0;
    }
    struct CMUnitTest *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return 1;
    const char *only = getenv("OB_TEST");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!only || !strcmp(tests[i].name, only)) v[k++] = tests[i];
    if (only && k == 0) {
        fprintf(stderr, "%s: no test named '%s' (OB_TEST_LIST=1 lists them)\n", group, only);
        free(v);
        return 1;
    }
    const char *sh = getenv("OB_TEST_SHUFFLE");
    if (sh) {
        char *end;
        unsigned long long seed = strtoull(sh, &end, 10);
        if (!*sh || end == sh || *end)
            seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 16);
        uint64_t s = seed;
        for (size_t i = k; i > 1; i--) { /* Fisher-Yates */
            size_t j = (size_t)(ob_test_next(&s) % i);
            struct CMUnitTest t = v[i - 1];
            v[i - 1] = v[j];
            v[j] = t;
        }
        printf("shuffle: %s seed %llu:", group, seed);
        for (size_t i = 0; i < k; i++) printf(" %s", v[i].name);
        printf("\n");
        fflush(stdout);
    }
    int rc = _cmocka_run_group_tests(group, v, k, setup, teardown);
    free(v);
    return rc;
}

#define ob_run_tests(group, tests, setup, teardown)                                           \
    ob_run_tests_n(group, tests, sizeof(tests) / sizeof((tests)[0]), setup, teardown)

#undef cmocka_run_group_tests
#define cmocka_run_group_tests(tests, setup, teardown) ob_run_tests(#tests, tests, setup, teardown)
#undef cmocka_run_group_tests_name
#define cmocka_run_group_tests_name(group, tests, setup, teardown)                            \
    ob_run_tests(group, tests, setup, teardown)

#endif
