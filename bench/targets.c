/* targets.c - the metrics' relative targets (bench.h): parsed from a suite's `targets`
 * key, written into the results directory as targets.csv, and read back from there by
 * the tables, so that they are a function of the directory alone. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench/bench.h"
#include "common/csvout.h"
#include "common/table.h"

const double ob_targets[OB_N_TARGETS] = {1e-1, 1e-3, 1e-6};
const char *const ob_target_names[OB_N_TARGETS] = {"1e-1", "1e-3", "1e-6"};
const ob_target_set ob_default_targets = {3, {1e-1, 1e-3, 1e-6}, {"1e-1", "1e-3", "1e-6"}};

#define ACCEPTED "accepted: 1 to 3 numbers between 0 and 1, decreasing (1e-1 1e-3 1e-6)"

/* one target: a number strictly between 0 and 1, below the one before */
static ob_status add_target(ob_target_set *t, const char *tok, ob_error *err)
{
    char *end;
    double d = strtod(tok, &end);
    if (end == tok || *end || !(d > 0 && d < 1))
        return ob_fail(err, OB_EINVAL, "'%s' is not between 0 and 1; " ACCEPTED, tok);
    if (t->n == OB_N_TARGETS)
        return ob_fail(err, OB_EINVAL, "more than %d targets; " ACCEPTED, OB_N_TARGETS);
    if (t->n && !(d < t->v[t->n - 1]))
        return ob_fail(err, OB_EINVAL, "'%s' is not below %s; " ACCEPTED, tok, t->name[t->n - 1]);
    if (strlen(tok) >= sizeof t->name[0])
        return ob_fail(err, OB_EINVAL, "'%s' is too long; " ACCEPTED, tok);
    t->v[t->n] = d;
    snprintf(t->name[t->n++], sizeof t->name[0], "%s", tok);
    return OB_OK;
}

ob_status ob_targets_parse(const char *text, ob_target_set *t, ob_error *err)
{
    char buf[512], *save = NULL;
    if (strlen(text) >= sizeof buf) return ob_fail(err, OB_EINVAL, "too long; " ACCEPTED);
    snprintf(buf, sizeof buf, "%s", text);
    ob_target_set r = {.n = 0};
    for (char *tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save))
        if (add_target(&r, tok, err) != OB_OK) return OB_EINVAL;
    if (r.n == 0) return ob_fail(err, OB_EINVAL, "no targets; " ACCEPTED);
    *t = r;
    return OB_OK;
}

ob_status ob_targets_write(const char *out, const ob_target_set *t, ob_error *err)
{
    char path[4096];
    ob_csv c;
    if (t->n == 0) t = &ob_default_targets; /* a suite put together in C, not parsed */
    snprintf(path, sizeof path, "%s/targets.csv", out);
    ob_status s = ob_csv_open(&c, path, err);
    if (s != OB_OK) return s;
    ob_csv_text(&c, "target");
    ob_csv_end_row(&c);
    for (int k = 0; k < t->n; k++) {
        ob_csv_text(&c, t->name[k]);
        ob_csv_end_row(&c);
    }
    return ob_csv_commit(&c, err);
}

ob_status ob_targets_read(const char *out, ob_target_set *t, ob_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/targets.csv", out);
    struct stat sb;
    if (stat(path, &sb) != 0) return *t = ob_default_targets, OB_OK; /* an older directory */
    ob_table tab; /* through the one CSV reader: a file cut short is one line naming it */
    ob_status s = ob_table_read(path, &tab, err);
    if (s != OB_OK) return s;
    ob_target_set r = {.n = 0};
    ob_error e = {{0}};
    size_t ln = 1;
    if (tab.cols != 1 || strcmp(tab.head[0], "target") != 0)
        s = ob_fail(&e, OB_EINVAL, "the header is not 'target'");
    for (size_t i = 0; s == OB_OK && i < tab.rows; i++) {
        ln = i + 2;
        const char *v = ob_table_str(&tab, i, 0);
        if (v[0]) s = add_target(&r, v, &e);
    }
    ob_table_free(&tab);
    if (s == OB_OK && r.n == 0) s = ob_fail(&e, OB_EINVAL, "no targets; " ACCEPTED);
    if (s != OB_OK) return ob_fail(err, OB_EINVAL, "%s:%zu: %s", path, ln, e.msg);
    *t = r;
    return OB_OK;
}
