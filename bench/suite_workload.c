/* suite_workload.c - the keys of [workload NAME] in a suite file (suite_file.h): an
 * analytic problem (problem = P, then P's own options as `optbench run` reads them, the
 * step budget and the oracle), or a network (network = N, the epochs, the batch and the
 * regularization as `optbench train` reads them).  The first key says which. */
#define _XOPEN_SOURCE 700 /* strdup, strtok_r */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/suite_keys.h"
#include "common/names.h"
#include "nets/presets.h"

enum { ANALYTIC = 1, NETWORK = 2, BOTH = 3 };
typedef enum { WK_LONG, WK_SIZE, WK_SUBSET, WK_NUMBER, WK_SEED, WK_DROPOUT, WK_OPTIMIZERS, WK_FLAG } wk_kind;

static const struct {
    const char *name;
    int scope;
    wk_kind kind;
    size_t field;       /* offsetof(ob_workload, ...) */
    double lo, hi;
} keys[] = {
    {"steps", ANALYTIC, WK_LONG, offsetof(ob_workload, steps), 1, 1e12},
    {"noise", ANALYTIC, WK_NUMBER, offsetof(ob_workload, noise), 0, 0},
    {"batch", BOTH, WK_SIZE, offsetof(ob_workload, batch), 1, 1e8},
    {"instance-seed", ANALYTIC, WK_SEED, offsetof(ob_workload, popts.seed), 0, 4e9},
    {"epochs", NETWORK, WK_LONG, offsetof(ob_workload, epochs), 1, 1e6},
    {"tune-epochs", NETWORK, WK_LONG, offsetof(ob_workload, tune_epochs), 1, 1e6},
    {"subset", NETWORK, WK_SUBSET, offsetof(ob_workload, popts.samples), 1, 1e8},
    {"l1", NETWORK, WK_NUMBER, offsetof(ob_workload, l1), 0, 0},
    {"l2", NETWORK, WK_NUMBER, offsetof(ob_workload, l2), 0, 0},
    {"dropout", NETWORK, WK_DROPOUT, 0, 0, 0},
    {"optimizers", BOTH, WK_OPTIMIZERS, offsetof(ob_workload, optimizers), 0, 0},
    {"log-x", ANALYTIC, WK_FLAG, offsetof(ob_workload, log_x), 0, 0},
    {"sharpness-every", BOTH, WK_LONG, offsetof(ob_workload, sharpness_every), 1, 1e12},
    {"sharpness-seeds", BOTH, WK_LONG, offsetof(ob_workload, sharpness_seeds), 1, 1e6},
    {"sharpness-subset", NETWORK, WK_SIZE, offsetof(ob_workload, sharpness_subset), 1, 1e8},
    {"landscape", NETWORK, WK_FLAG, offsetof(ob_workload, landscape), 0, 0},
};
#define N_KEYS (sizeof keys / sizeof *keys)

/* the keys a workload of this scope takes, then the problem's own options */
static void accepted(int scope, const ob_problem_type *T, char *buf, size_t cap)
{
    const char *names[N_KEYS + OB_NAMES_MAX + 2];
    size_t n = 0;
    names[n++] = scope == NETWORK ? "network" : "problem";
    for (size_t i = 0; i < N_KEYS; i++)
        if (keys[i].scope & scope) names[n++] = keys[i].name;
    for (size_t i = 0; T && T->options[i].name && i < OB_NAMES_MAX; i++) names[n++] = T->options[i].name;
    names[n] = NULL;
    ob_names_join(buf, cap, names, ", ");
}

/* problem = P or network = N: the first key of a workload */
static ob_status kind_key(ob_suite_parser *p, ob_workload *w, const char *key, const char *v)
{
    char known[512];
    const char *names[OB_NAMES_MAX];
    if (w->problem || w->net)
        return ob_suite_fail(p, "[workload %s] %s: the workload is already a %s", w->name, key,
                             w->net ? "network" : "problem");
    if (!strcmp(key, "network")) {
        if (!ob_net_preset_find(v)) {
            OB_NAMES_OF(names, ob_net_presets);
            return ob_suite_fail(p, "network = '%s': unknown network; %s", v,
                                 ob_accepted(known, sizeof known, names));
        }
        return ob_suite_text(p, v, &w->net);
    }
    if (!ob_problem_find(v)) {
        OB_NAMES_OF(names, ob_problem_types);
        return ob_suite_fail(p, "problem = '%s': unknown problem; %s", v,
                             ob_accepted(known, sizeof known, names));
    }
    w->popts.seed = 1; /* the instance is the same for every run (instance-seed) */
    return ob_suite_text(p, v, &w->problem);
}

/* one of the problem's own options (its table: problems/problem.h) */
static ob_status problem_option(ob_suite_parser *p, ob_workload *w, const ob_problem_option *o,
                                const char *key, const char *v)
{
    char *f = (char *)&w->popts + o->field;
    long n;
    switch (o->kind) {
    case OB_POK_COUNT:
        if (ob_suite_whole(p, key, v, o->lo, o->hi, &n) != OB_OK) return OB_EINVAL;
        *(size_t *)(void *)f = (size_t)n;
        return OB_OK;
    case OB_POK_NUMBER: return ob_suite_number(p, key, v, o->lo, (double *)(void *)f);
    case OB_POK_FLAG: return ob_suite_flag(p, key, v, (int *)(void *)f);
    case OB_POK_TEXT: return ob_suite_path(p, v, (const char **)(void *)f);
    case OB_POK_OFF: { /* shift = 0 (or false): off */
        int on;
        if (ob_suite_flag(p, key, v, &on) != OB_OK) return OB_EINVAL;
        *(int *)(void *)f = !on;
        return OB_OK;
    }
    }
    return OB_EINVAL;
}

/* optimizers = NAME ...: the workload runs only these of the suite's, each named as in
 * [optimizer NAME] (its name, or a plugin's path as listed), once; *names (unless NULL):
 * their names, as the plan reads them (checked again at the end: a suite that includes
 * this workload may list other optimizers) */
static ob_status restrict_optimizers(ob_suite_parser *p, const ob_workload *w, const char *v,
                                     char **names)
{
    size_t n_opt = p->S->n_optimizers, used = 0, cap = n_opt * 42 + 1;
    char *buf = strdup(v), *save = NULL, *seen = calloc(n_opt + 1, 1), *out = malloc(cap);
    ob_status s = buf && seen && out ? OB_OK : ob_suite_fail(p, "out of memory");
    if (s == OB_OK) out[0] = '\0';
    for (char *t = s ? NULL : strtok_r(buf, " \t,", &save); t && s == OB_OK;
         t = strtok_r(NULL, " \t,", &save)) {
        long i = ob_suite_optimizer_index(p, t);
        if (i < 0) {
            const char *names[OB_NAMES_MAX];
            size_t k = 0;
            for (; k < n_opt && k + 1 < OB_NAMES_MAX; k++) names[k] = p->S->optimizers[k].T->name;
            names[k] = NULL;
            char known[512];
            s = ob_suite_fail(p, "[workload %s] optimizers: %s is not one of the suite's "
                              "optimizers; accepted: %s", w->name, t,
                              ob_names_join(known, sizeof known, names, " "));
        } else if (seen[i]++)
            s = ob_suite_fail(p, "[workload %s] optimizers: %s is listed twice", w->name, t);
        else
            used += (size_t)snprintf(out + used, cap - used, "%s%s", used ? " " : "",
                                     p->S->optimizers[i].T->name);
    }
    if (s == OB_OK && !used)
        s = ob_suite_fail(p, "[workload %s] optimizers is empty; accepted: names of the "
                          "suite's optimizers", w->name);
    free(buf);
    free(seen);
    if (s == OB_OK && names) *names = out;
    else free(out);
    return s;
}

ob_status ob_suite_workload_key(ob_suite_parser *p, ob_workload *w, const char *key,
                                const char *v)
{
    if (!strcmp(key, "problem") || !strcmp(key, "network")) return kind_key(p, w, key, v);
    if (!w->problem && !w->net)
        return ob_suite_fail(p, "[workload %s] %s: the first key of a workload is problem = P "
                             "or network = N", w->name, key);
    int scope = w->net ? NETWORK : ANALYTIC;
    const ob_problem_type *T = w->problem ? ob_problem_find(w->problem) : NULL;
    size_t k = 0;
    while (k < N_KEYS && !((keys[k].scope & scope) && !strcmp(keys[k].name, key))) k++;
    if (k == N_KEYS) {
        const ob_problem_option *o = T ? ob_problem_option_find(T, key) : NULL;
        if (o) return problem_option(p, w, o, key, v);
        char known[600];
        accepted(scope, T, known, sizeof known);
        return ob_suite_fail(p, "[workload %s] %s: %s; accepted: %s", w->name, key,
                             T ? "neither a workload key nor an option the problem reads"
                               : "not a key of a network workload", known);
    }
    char *f = (char *)w + keys[k].field;
    long n = 0;
    double d;
    switch (keys[k].kind) {
    case WK_LONG: return ob_suite_whole(p, key, v, keys[k].lo, keys[k].hi, (long *)(void *)f);
    case WK_SUBSET: { /* the first N training samples, or all of them (0) */
        if (!strcmp(v, "all")) return w->popts.samples = 0, OB_OK;
        char *end;
        n = strtol(v, &end, 10);
        if (end == v || *end || n < keys[k].lo || n > keys[k].hi)
            return ob_suite_fail(p, "subset = '%s': accepted: a whole number from %.0f to %.0f, "
                                 "or all", v, keys[k].lo, keys[k].hi);
        w->popts.samples = (size_t)n;
        return OB_OK;
    }
    case WK_SIZE:
    case WK_SEED:
        if (!strcmp(key, "batch")) p->w_info[p->cur].batch = ob_suite_here(p);
        if (ob_suite_whole(p, key, v, keys[k].lo, keys[k].hi, &n) != OB_OK) return OB_EINVAL;
        if (keys[k].kind == WK_SIZE) *(size_t *)(void *)f = (size_t)n;
        else *(unsigned long *)(void *)f = (unsigned long)n;
        return OB_OK;
    case WK_NUMBER: return ob_suite_number(p, key, v, keys[k].lo, (double *)(void *)f);
    case WK_DROPOUT: /* a rate for every hidden layer, or the preset's own rates */
        if (!strcmp(v, "preset")) return w->preset_dropout = 1, w->dropout = 0, OB_OK;
        if (ob_suite_number(p, key, v, 0, &d) != OB_OK) return OB_EINVAL;
        if (d >= 1) return ob_suite_fail(p, "dropout = '%s': accepted: a rate in [0, 1), or preset", v);
        w->dropout = d;
        w->preset_dropout = 0;
        return OB_OK;
    case WK_OPTIMIZERS: {
        char *names;
        if (restrict_optimizers(p, w, v, &names) != OB_OK) return OB_EINVAL;
        free((char *)w->optimizers);
        w->optimizers = names;
        p->w_info[p->cur].optimizers = ob_suite_here(p);
        return OB_OK;
    }
    case WK_FLAG: return ob_suite_flag(p, key, v, (int *)(void *)f);
    }
    return OB_EINVAL;
}

/* workload i's checks that need all its keys: at its header (p->line), or at the key */
ob_status ob_suite_workload_finish(ob_suite_parser *p, size_t i)
{
    const ob_workload *w = &p->S->workloads[i];
    const ob_suite_w_info *info = &p->w_info[i];
    if (!w->problem && !w->net)
        return ob_suite_fail(p, "[workload %s] has neither problem = P nor network = N", w->name);
    if (w->optimizers) {
        ob_suite_at header = ob_suite_here(p);
        ob_suite_goto(p, info->optimizers);
        if (restrict_optimizers(p, w, w->optimizers, NULL) != OB_OK) return OB_EINVAL;
        ob_suite_goto(p, header);
    }
    if (w->net && !w->epochs)
        return ob_suite_fail(p, "[workload %s] has no budget: accepted: epochs = N (and "
                             "tune-epochs, default epochs)", w->name);
    if (w->net) {
        if (!w->tune_epochs) ((ob_workload *)w)->tune_epochs = w->epochs;
        return OB_OK;
    }
    if (!w->steps)
        return ob_suite_fail(p, "[workload %s] has no budget: accepted: steps = N", w->name);
    if (w->batch && !ob_problem_find(w->problem)->fdf_batch)
        return ob_suite_goto(p, info->batch), ob_suite_fail(p, "[workload %s] batch: %s is not a finite sum (no "
                             "mini-batches); accepted: noise = SIGMA", w->name, w->problem);
    return OB_OK;
}
