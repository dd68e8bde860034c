/* suite_keys.c - the sections and keys of a suite file (suite_file.h): [suite], [workload
 * NAME] (an analytic problem with its own options, or a network) and [optimizer NAME]
 * (the rule's own options, fixed for every run, or a list of values tuned with lr).  Keys are the command line's options
 * without "--"; the tables below list them, with the field each sets, and make the
 * "accepted:" part of every message. */
#define _XOPEN_SOURCE 700 /* strdup */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/suite_keys.h"
#include "bench/tuning.h"
#include "common/names.h"
#include "optimizers/plugin.h"
#include "nets/presets.h"

ob_status ob_suite_fail(ob_suite_parser *p, const char *fmt, ...)
{
    if (p->failed) return OB_EINVAL;
    p->failed = 1;
    p->err_line = p->line;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ob_fail(p->err, OB_EINVAL, "%s:%ld: %s", p->file, p->line, msg);
}

ob_suite_at ob_suite_here(const ob_suite_parser *p)
{
    return (ob_suite_at){p->file, p->line, p->depth};
}

/* ---- values ------------------------------------------------------------------------ */

static ob_status number(ob_suite_parser *p, const char *key, const char *v, double lo,
                        double *out)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !isfinite(d) || d < lo)
        return ob_suite_fail(p, "%s = '%s': accepted: a number >= %g", key, v, lo);
    *out = d;
    return OB_OK;
}

static ob_status whole(ob_suite_parser *p, const char *key, const char *v, double lo,
                       double hi, long *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || *end || n < lo || n > hi)
        return ob_suite_fail(p, "%s = '%s': accepted: a whole number from %.0f to %.0f", key,
                             v, lo, hi);
    *out = n;
    return OB_OK;
}

static ob_status flag(ob_suite_parser *p, const char *key, const char *v, int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no", "off", "0"};
    for (int k = 0; k < 4; k++)
        if (!strcmp(v, yes[k]) || !strcmp(v, no[k])) return *out = !strcmp(v, yes[k]), OB_OK;
    return ob_suite_fail(p, "%s = '%s': accepted: true or false", key, v);
}

/* a learning-rate grid's end, 10^e, as its exponent e */
static ob_status power_of_ten(ob_suite_parser *p, const char *key, const char *v, int *e)
{
    double d = 0;
    if (number(p, key, v, 0, &d) != OB_OK) return OB_EINVAL;
    double l = d > 0 ? log10(d) : NAN;
    if (!(fabs(l - round(l)) < 1e-9) || fabs(l) > 30)
        return ob_suite_fail(p, "%s = '%s': accepted: a power of ten (1e-5, 0.01, 1, 10)", key, v);
    *e = (int)round(l);
    return OB_OK;
}

/* file-name safe: letters, digits, '.', '_', '-', not starting with '.' */
static int safe_name(const char *s)
{
    return *s && *s != '.' && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789._-") == strlen(s);
}

static ob_status text(ob_suite_parser *p, const char *v, const char **out)
{
    free((char *)*out);
    return (*out = strdup(v)) ? OB_OK : ob_suite_fail(p, "out of memory");
}

/* a path as written when absolute, else from the suite file's directory */
static ob_status path(ob_suite_parser *p, const char *v, const char **out)
{
    if (v[0] == '/' || !p->dir) return text(p, v, out);
    size_t n = strlen(p->dir) + strlen(v) + 2;
    char *buf = malloc(n);
    if (!buf) return ob_suite_fail(p, "out of memory");
    snprintf(buf, n, "%s/%s", p->dir, v);
    free((char *)*out);
    *out = buf;
    return OB_OK;
}

/* ---- [suite] ----------------------------------------------------------------------- */

typedef enum {
    SK_NAME, SK_INT, SK_LONG, SK_POW10, SK_OPTIMIZERS, SK_TARGETS, SK_FLAG, SK_INCLUDE,
    SK_TUNING, SK_SEED
} suite_kind;

static const struct {
    const char *name;
    suite_kind kind;
    size_t field;
    double lo, hi;
} suite_keys[] = {
    {"name", SK_NAME, 0, 0, 0},
    {"seeds", SK_INT, offsetof(ob_suite, seeds), 1, 10000},
    {"net-seeds", SK_INT, offsetof(ob_suite, net_seeds), 1, 10000},
    {"lr-from", SK_POW10, offsetof(ob_suite, grid.lo), 0, 0},
    {"lr-to", SK_POW10, offsetof(ob_suite, grid.hi), 0, 0},
    {"lr-per-decade", SK_INT, offsetof(ob_suite, grid.per_decade), 1, 100},
    {"net-lr-from", SK_POW10, offsetof(ob_suite, net_grid.lo), 0, 0},
    {"net-lr-to", SK_POW10, offsetof(ob_suite, net_grid.hi), 0, 0},
    {"net-lr-per-decade", SK_INT, offsetof(ob_suite, net_grid.per_decade), 1, 100},
    {"rate-max-n", SK_LONG, offsetof(ob_suite, rate_max_n), 10, 1e9},
    {"rate-seeds", SK_INT, offsetof(ob_suite, rate_seeds), 1, 10000},
    {"optimizers", SK_OPTIMIZERS, 0, 0, 0},
    {"targets", SK_TARGETS, 0, 0, 0},
    {"gzip", SK_FLAG, offsetof(ob_suite, gzip), 0, 0},
    {"tuning", SK_TUNING, 0, 1, OB_SUITE_MAX_TRIALS},
    {"tuning-seed", SK_SEED, offsetof(ob_suite, tuning_seed), 0, 4294967295.0},
    {"include", SK_INCLUDE, 0, 0, 0},
};
#define N_SUITE_KEYS (sizeof suite_keys / sizeof *suite_keys)

/* the defaults of the keys a [suite] leaves out: the quick suite's */
void ob_suite_defaults(ob_suite_parser *p)
{
    ob_suite *S = p->S;
    S->seeds = 5;
    S->grid = (ob_lr_grid){-5, 1, 3};
    S->net_seeds = 3;
    S->net_grid = (ob_lr_grid){-4, 0, 1};
    S->rate_max_n = 10000;
    S->rate_seeds = 10;
    S->targets = ob_default_targets;
    S->gzip = 1;
    S->tuning_trials = 0; /* the grid */
    S->tuning_seed = 1;
}

/* tuning = grid | random N */
static ob_status tuning_key(ob_suite_parser *p, const char *v, double lo, double hi)
{
    char word[16];
    int used = 0;
    long n = 0;
    if (!strcmp(v, "grid")) return p->S->tuning_trials = 0, OB_OK;
    if (sscanf(v, "%15s %ld%n", word, &n, &used) == 2 && !strcmp(word, "random") && !v[used] &&
        n >= lo && n <= hi)
        return p->S->tuning_trials = (int)n, OB_OK;
    return ob_suite_fail(p, "tuning = '%s': accepted: grid, or random N (N random trials per "
                         "optimizer and workload, N a whole number from %.0f to %.0f)", v, lo, hi);
}

static ob_status suite_key(ob_suite_parser *p, const char *key, const char *v)
{
    size_t k = 0;
    while (k < N_SUITE_KEYS && strcmp(key, suite_keys[k].name)) k++;
    if (k == N_SUITE_KEYS) {
        const char *names[N_SUITE_KEYS + 1];
        for (size_t i = 0; i < N_SUITE_KEYS; i++) names[i] = suite_keys[i].name;
        names[N_SUITE_KEYS] = NULL;
        char known[400];
        return ob_suite_fail(p, "[suite] %s: unknown key; %s", key,
                             ob_accepted(known, sizeof known, names));
    }
    char *field = (char *)p->S + suite_keys[k].field;
    long n = 0;
    p->suite_keys++;
    switch (suite_keys[k].kind) {
    case SK_INCLUDE:
        if (p->suite_keys > 1)
            return ob_suite_fail(p, "include = '%s': include is the first key of [suite] (the "
                                 "keys after it change the included suite's), and one "
                                 "suite includes at most one other", v);
        return ob_suite_include(p, v);
    case SK_NAME:
        if (!safe_name(v))
            return ob_suite_fail(p, "name = '%s': accepted: letters, digits, '.', '_', '-'", v);
        return text(p, v, &p->S->name);
    case SK_INT:
    case SK_LONG:
        if (whole(p, key, v, suite_keys[k].lo, suite_keys[k].hi, &n) != OB_OK) return OB_EINVAL;
        if (suite_keys[k].kind == SK_INT) *(int *)(void *)field = (int)n;
        else *(long *)(void *)field = n;
        return OB_OK;
    case SK_POW10:
        p->grid_at[!strncmp(key, "net-", 4)] = ob_suite_here(p); /* the grid's check names the later */
        return power_of_ten(p, key, v, (int *)(void *)field);
    case SK_FLAG: return ob_suite_flag(p, key, v, (int *)(void *)field);
    case SK_TUNING: return tuning_key(p, v, suite_keys[k].lo, suite_keys[k].hi);
    case SK_SEED:
        if (whole(p, key, v, suite_keys[k].lo, suite_keys[k].hi, &n) != OB_OK) return OB_EINVAL;
        *(unsigned long *)(void *)field = (unsigned long)n;
        return OB_OK;
    case SK_OPTIMIZERS: return ob_suite_optimizers(p, v);
    case SK_TARGETS: {
        ob_error e = {{0}};
        if (ob_targets_parse(v, &p->S->targets, &e) != OB_OK)
            return ob_suite_fail(p, "targets = '%s': %s", v, e.msg);
        return OB_OK;
    }
    }
    return OB_EINVAL;
}

/* ---- sections ---------------------------------------------------------------------- */

/* [workload NAME]: a new workload, or (NAME an included one's) its keys changed in
 * place.  A new workload goes after the one of the text's previous [workload] section
 * that changed or added one, or last. */
static ob_status open_workload(ob_suite_parser *p, const char *name)
{
    if (!safe_name(name))
        return ob_suite_fail(p, "[workload %s]: accepted names: letters, digits, '.', '_', '-'", name);
    size_t n = p->S->n_workloads;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(p->w[i].name, name)) continue;
        if (p->w_info[i].at.depth == p->depth)
            return ob_suite_fail(p, "[workload %s] is defined twice (first on line %ld)", name,
                                 p->w_info[i].at.line);
        p->w_info[i].at = ob_suite_here(p); /* an included workload, changed here */
        p->cur = i;
        p->place = i + 1;
        return OB_OK;
    }
    ob_workload *w = realloc(p->w, (n + 1) * sizeof *w);
    if (w) p->w = w;
    ob_suite_w_info *at = realloc(p->w_info, (n + 1) * sizeof *at);
    if (at) p->w_info = at;
    if (!w || !at) return ob_suite_fail(p, "out of memory");
    p->S->workloads = p->w;
    size_t k = p->place < n ? p->place : n;
    memmove(w + k + 1, w + k, (n - k) * sizeof *w);
    memmove(at + k + 1, at + k, (n - k) * sizeof *at);
    w[k] = (ob_workload){0};
    at[k] = (ob_suite_w_info){.at = ob_suite_here(p)};
    p->S->n_workloads = n + 1;
    p->cur = k;
    if (p->place != SIZE_MAX) p->place = k + 1;
    return text(p, name, &w[k].name);
}

/* the next word of *s (NULL: none): its start, *len its length; *s moves past it */
static const char *word(const char **s, size_t *len)
{
    const char *w = *s + strspn(*s, " \t\r\v\f");
    *len = strcspn(w, " \t\r\v\f");
    *s = w + *len;
    return *len ? w : NULL;
}

ob_status ob_suite_open_section(ob_suite_parser *p, const char *header)
{
    const char *s = header;
    size_t kn, nn, rn;
    const char *k = word(&s, &kn), *nm = k ? word(&s, &nn) : NULL,
               *rest = nm ? word(&s, &rn) : NULL;
    char kind[16] = "";
    if (k && kn < sizeof kind) memcpy(kind, k, kn), kind[kn] = '\0';
    int got = !k ? 0 : !nm ? 1 : rest ? 3 : 2;
    if (got == 1 && !strcmp(kind, "suite")) {
        if (p->have_suite) return ob_suite_fail(p, "[suite] is given twice");
        p->have_suite = 1;
        if (p->depth == 0) p->suite_at = ob_suite_here(p);
        p->suite_keys = 0;
        p->sec = OB_SEC_SUITE;
        return OB_OK;
    }
    if (got == 2 && (!strcmp(kind, "workload") || !strcmp(kind, "optimizer"))) {
        if (!p->have_suite)
            return ob_suite_fail(p, "[%s] comes before [suite]; [suite] comes first", header);
        char *name = strndup(nm, nn);
        if (!name) return ob_suite_fail(p, "out of memory");
        p->sec = kind[0] == 'w' ? OB_SEC_WORKLOAD : OB_SEC_OPTIMIZER;
        ob_status st = p->sec == OB_SEC_WORKLOAD ? open_workload(p, name) : ob_suite_open_optimizer(p, name);
        free(name);
        return st;
    }
    if (got == 1 && !strcmp(kind, "figures")) {
        if (!p->have_suite) return ob_suite_fail(p, "[figures] comes before [suite]; [suite] comes first");
        p->figures_at = ob_suite_here(p);
        p->sec = OB_SEC_FIGURES;
        return OB_OK;
    }
    return ob_suite_fail(p, "unknown section [%s]; accepted: [suite], [workload NAME], "
                         "[optimizer NAME], [figures]", header);
}

/* [figures]: the figure options of `optbench plot` (plots/figopts.h), keys as its options */
static ob_status figures_key(ob_suite_parser *p, const char *key, const char *v)
{
    static const char *const keys[] = {"optimizers", "box", "size", "font-size", "format", NULL};
    ob_fig_options *o = &p->S->figures;
    ob_error e = {{0}};
    ob_status s;
    if (!strcmp(key, "optimizers")) {
        s = ob_fig_parse_optimizers("optimizers", v, o, &e);
        p->fig_optimizers_at = ob_suite_here(p);
    } else if (!strcmp(key, "box")) {
        s = ob_fig_parse_box("box", v, o, &e);
    } else if (!strcmp(key, "size")) {
        s = ob_fig_parse_size("size", v, o, &e);
        p->fig_size_at = ob_suite_here(p);
    } else if (!strcmp(key, "font-size")) {
        s = ob_fig_parse_font_size("font-size", v, o, &e);
    } else if (!strcmp(key, "format")) {
        s = ob_fig_parse_format("format", v, o, &e);
    } else {
        char known[200];
        return ob_suite_fail(p, "[figures] %s: unknown key; %s", key,
                             ob_accepted(known, sizeof known, keys));
    }
    return s == OB_OK ? OB_OK : ob_suite_fail(p, "%s", e.msg);
}

/* [figures] as a whole: a size that fits its format, optimizers of the suite */
static ob_status check_figures(ob_suite_parser *p)
{
    const ob_fig_options *o = &p->S->figures;
    ob_error e = {{0}};
    if (ob_fig_check("size", o, &e) != OB_OK) {
        ob_suite_goto(p, p->fig_size_at);
        return ob_suite_fail(p, "[figures] %s", e.msg);
    }
    for (size_t k = 0; k < o->n_optimizers; k++) {
        size_t j = 0;
        while (j < p->S->n_optimizers && strcmp(p->S->optimizers[j].name, o->optimizers[k]) &&
               !(p->S->optimizers[j].T && !strcmp(p->S->optimizers[j].T->name, o->optimizers[k])))
            j++;
        if (j < p->S->n_optimizers) continue;
        char there[1024] = "";
        size_t n = 0;
        for (j = 0; j < p->S->n_optimizers; j++)
            n += (size_t)snprintf(there + n, n < sizeof there ? sizeof there - n : 0, "%s%s",
                                  j ? ", " : "", p->S->optimizers[j].name);
        ob_suite_goto(p, p->fig_optimizers_at);
        return ob_suite_fail(p, "[figures] optimizers: %s is not an optimizer of the suite "
                             "(accepted: %s)", o->optimizers[k], there);
    }
    return OB_OK;
}

ob_status ob_suite_key(ob_suite_parser *p, const char *key, const char *value)
{
    p->n_keys++;
    switch (p->sec) {
    case OB_SEC_SUITE: return suite_key(p, key, value);
    case OB_SEC_WORKLOAD: return ob_suite_workload_key(p, &p->w[p->cur], key, value);
    case OB_SEC_OPTIMIZER: return ob_suite_optimizer_key(p, key, value);
    case OB_SEC_FIGURES: return figures_key(p, key, value);
    case OB_SEC_NONE: break;
    }
    return ob_suite_fail(p, "%s comes before any section; accepted sections: [suite], "
                         "[workload NAME], [optimizer NAME], [figures]", key);
}

/* ---- the whole file ---------------------------------------------------------------- */

static ob_status check_grid(ob_suite_parser *p, const char *prefix, const ob_lr_grid *g,
                            ob_suite_at at)
{
    if (g->lo > g->hi) {
        ob_suite_goto(p, at);
        return ob_suite_fail(p, "[suite] %slr-from is above %slr-to", prefix, prefix);
    }
    return OB_OK;
}

ob_status ob_suite_finish(ob_suite_parser *p)
{
    ob_suite *S = p->S;
    p->line = p->have_suite ? p->suite_at.line : 1;
    if (!p->have_suite)
        return ob_suite_fail(p, "no [suite] section; a suite file starts with [suite] and its name");
    if (!S->name) return ob_suite_fail(p, "[suite] has no name (name = NAME)");
    if (check_grid(p, "", &S->grid, p->grid_at[0]) ||
        check_grid(p, "net-", &S->net_grid, p->grid_at[1]))
        return OB_EINVAL;
    if (!S->n_optimizers)
        return ob_suite_fail(p, "the suite has no optimizers ([suite] optimizers = NAME ...)");
    if (!S->n_workloads)
        return ob_suite_fail(p, "the suite has no workloads ([workload NAME] sections)");
    for (size_t i = 0; i < S->n_optimizers; i++)
        if (ob_suite_finish_optimizer(p, i) != OB_OK) return OB_EINVAL;
    if (ob_suite_check_tuning(p) != OB_OK) return OB_EINVAL;
    for (size_t i = 0; i < S->n_workloads; i++) {
        ob_suite_goto(p, p->w_info[i].at);
        ((ob_workload *)&S->workloads[i])->gzip = S->gzip; /* the runs' files follow the suite */
        if (ob_suite_workload_finish(p, i) != OB_OK) return OB_EINVAL;
    }
    return check_figures(p);
}

void ob_suite_parser_done(ob_suite_parser *p)
{
    free(p->w_info);
    free(p->o_info);
    for (size_t i = 0; i < p->n_names; i++) free(p->names[i]);
    free(p->names);
}

void ob_suite_goto(ob_suite_parser *p, ob_suite_at a)
{
    if (a.file) p->file = a.file; /* (none: a section never given, line 0 of the text) */
    p->line = a.line;
}

ob_status ob_suite_number(ob_suite_parser *p, const char *key, const char *v, double lo, double *out)
{
    return number(p, key, v, lo, out);
}
ob_status ob_suite_whole(ob_suite_parser *p, const char *key, const char *v, double lo, double hi,
                         long *out)
{
    return whole(p, key, v, lo, hi, out);
}
ob_status ob_suite_flag(ob_suite_parser *p, const char *key, const char *v, int *out)
{
    return flag(p, key, v, out);
}
ob_status ob_suite_text(ob_suite_parser *p, const char *v, const char **out) { return text(p, v, out); }
ob_status ob_suite_path(ob_suite_parser *p, const char *v, const char **out) { return path(p, v, out); }
