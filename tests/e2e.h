/* e2e.h - helpers of the end-to-end tests, which run the optbench binary as a user would
 * (its path from $OPTBENCH, default build/optbench) in a fresh temporary directory.
 * Included by one test file each: the state below is that test program's own. */
#ifndef OB_TEST_E2E_H
#define OB_TEST_E2E_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/runner.h"
#include "common/csvread.h"
#include "common/table.h"

static char dir[64];      /* the test's temporary directory */
static const char *bin;   /* the optbench binary */

/* a cmocka group setup: makes the directory /tmp/optbench-NAME-XXXXXX */
static inline int e2e_setup(const char *name)
{
    bin = getenv("OPTBENCH");
    if (!bin) bin = "build/optbench";
    snprintf(dir, sizeof dir, "/tmp/optbench-%s-XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

/* a cmocka group teardown: removes the directory (kept when $KEEP is set, to look at) */
static inline int teardown(void **st)
{
    (void)st;
    if (getenv("KEEP")) return 0;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* Runs `optbench ARGS` with stdout and stderr to files in dir; returns the exit status. */
__attribute__((format(printf, 1, 2))) static inline int run(const char *fmt, ...)
{
    char args[2048], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "%s %s >%s/stdout 2>%s/stderr", bin, args, dir, dir);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* the file dir/name (its first 64 KiB), or NULL */
static inline char *slurp(const char *name)
{
    static char buf[1 << 16];
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* writes text to dir/name, its directories made (the test fails when it cannot) */
static inline void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    for (char *c = path + strlen(dir) + 1; (c = strchr(c, '/')) != NULL; c++) {
        *c = '\0';
        mkdir(path, 0777); /* exists already: fine, fopen says the rest */
        *c = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static inline int exists(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* a numeric CSV with a header row, as a matrix */
typedef struct {
    double *v;
    size_t rows, cols;
} table;

static inline table load(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    table t = {0};
    ob_error e = {{0}};
    if (ob_csv_read_matrix(path, &t.v, &t.rows, &t.cols, &e) != OB_OK) fail_msg("%s", e.msg);
    return t;
}

/* dir/name as a table by column name (common/table.h); fails the test when unreadable */
static inline ob_table tab(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ob_table t;
    ob_error e = {{0}};
    if (ob_table_read(path, &t, &e) != OB_OK) fail_msg("%s", e.msg);
    return t;
}

/* dir/sub/name as a table by column name; fails the test when unreadable */
static inline ob_table tab_in(const char *sub, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", sub, name);
    return tab(path);
}

#define AT(t, r, c) ((t).v[(size_t)(r) * (t).cols + (c)])

#endif
