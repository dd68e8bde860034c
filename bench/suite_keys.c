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
    double d;
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

/* ---- optimizers -------------------------------------------------------------------- */

/* The one place a suite's optimizer is resolved: a registry name, or a plugin's path
 * (containing '/' or ending in .so; relative paths from the suite file's directory),
 * loaded and registered through optimizers/plugin.h. */
static ob_status resolve_optimizer(ob_suite_parser *p, const char *name,
                                   const ob_optimizer_type **T)
{
    if (ob_plugin_is_path(name)) {
        const char *full = NULL;
        if (path(p, name, &full) != OB_OK) return OB_EINVAL;
        ob_error e = {{0}};
        ob_status s = ob_plugin_load(full, T, &e);
        free((char *)full);
        return s == OB_OK ? OB_OK : ob_suite_fail(p, "optimizers: %s", e.msg);
    }
    if ((*T = ob_optimizer_find(name)) != NULL) return OB_OK;
    const char *names[OB_NAMES_MAX];
    OB_NAMES_OF(names, ob_optimizer_types);
    char known[1024];
    return ob_suite_fail(p, "optimizers: unknown optimizer '%s'; accepted: %s, all, or a "
                         "plugin's path (FILE.so)", name,
                         ob_names_join(known, sizeof known, names, ", "));
}

static ob_status add_optimizer(ob_suite_parser *p, const char *name)
{
    const ob_optimizer_type *T;
    if (resolve_optimizer(p, name, &T) != OB_OK) return OB_EINVAL;
    for (size_t i = 0; i < p->S->n_optimizers; i++)
        if (p->o[i].T == T) return ob_suite_fail(p, "optimizers: %s is listed twice", name);
    size_t n = p->S->n_optimizers;
    ob_suite_optimizer *o = realloc(p->o, (n + 1) * sizeof *o);
    if (o) p->o = o;
    ob_suite_opt_info *info = realloc(p->o_info, (n + 1) * sizeof *info);
    if (info) p->o_info = info;
    if (!o || !info) return ob_suite_fail(p, "out of memory");
    p->S->optimizers = p->o;
    o[n] = (ob_suite_optimizer){.T = T};
    ob_hparams_default(T, &o[n].h);
    memset(&info[n], 0, sizeof info[n]);
    p->S->n_optimizers = n + 1;
    /* a plugin goes by its own name (its [optimizer NAME] section, its run directory) */
    return (o[n].name = strdup(T->name)) ? OB_OK : ob_suite_fail(p, "out of memory");
}

static void free_optimizer(ob_suite_optimizer *o)
{
    free((char *)o->name);
    for (int l = 0; l < o->n_lists; l++) free(o->lists[l].v);
}

/* optimizers = NAME ...: registry names, plugin paths, `all` (every registered rule).  In
 * a suite that includes another, the list replaces the included one's; an optimizer on
 * both keeps what the included [optimizer] section set. */
static ob_status suite_optimizers(ob_suite_parser *p, const char *v)
{
    if (p->S->n_optimizers && p->opt_depth == p->depth)
        return ob_suite_fail(p, "optimizers is given twice");
    ob_suite_optimizer *old = p->o;
    ob_suite_opt_info *old_info = p->o_info;
    size_t n_old = p->S->n_optimizers;
    p->o = NULL;
    p->o_info = NULL;
    p->S->optimizers = NULL;
    p->S->n_optimizers = 0;
    p->opt_depth = p->depth;
    char *buf = strdup(v), *save = NULL;
    ob_status s = buf ? OB_OK : ob_suite_fail(p, "out of memory");
    for (char *t = strtok_r(buf, " \t,", &save); t && s == OB_OK; t = strtok_r(NULL, " \t,", &save))
        if (!strcmp(t, "all")) {
            for (size_t i = 0; ob_optimizer_types[i] && s == OB_OK; i++)
                s = add_optimizer(p, ob_optimizer_types[i]->name);
        } else s = add_optimizer(p, t);
    free(buf);
    for (size_t j = 0; j < n_old; j++) { /* the included settings of the optimizers kept */
        size_t i = 0;
        while (i < p->S->n_optimizers && p->o[i].T != old[j].T) i++;
        if (s == OB_OK && i < p->S->n_optimizers) {
            free_optimizer(&p->o[i]);
            p->o[i] = old[j];
            p->o_info[i] = old_info[j];
        } else free_optimizer(&old[j]);
    }
    free(old);
    free(old_info);
    if (s != OB_OK) return OB_EINVAL;
    return p->S->n_optimizers ? OB_OK : ob_suite_fail(p, "optimizers is empty; accepted: "
                                                     "names of optimizers, plugin paths, all");
}

/* `momentum = 0 0.9`: a numeric option tuned jointly with lr over these values (the
 * product grid of bench.h's ob_suite_optimizer); h keeps the first value */
static ob_status hp_list(ob_suite_parser *p, ob_suite_optimizer *o, const ob_hp_option *op,
                         const char *v)
{
    const char *key = op->name;
    if (op->kind != OB_HPK_NUMBER)
        return ob_suite_fail(p, "%s = '%s': a list of values is accepted for numeric options "
                             "only; %s takes %s", key, v, key,
                             op->kind == OB_HPK_FLAG ? "true or false" : "two numbers, lo,hi");
    for (int i = 0; i < o->n_lists; i++)
        if (o->lists[i].op == op) return ob_suite_fail(p, "%s is listed twice", key);
    if (o->n_lists == OB_MAX_HP_LISTS)
        return ob_suite_fail(p, "%s: at most %d hyperparameters are tuned with lr", key,
                             OB_MAX_HP_LISTS);
    char *save = NULL, *end, *buf = strdup(v);
    ob_hp_list *L = &o->lists[o->n_lists];
    *L = (ob_hp_list){.op = op, .v = malloc((strlen(v) / 2 + 1) * sizeof *L->v), .line = p->line};
    if (!L->v || !buf) {
        free(L->v);
        free(buf);
        return ob_suite_fail(p, "out of memory");
    }
    p->o_info[o - p->o].list_file[o->n_lists] = p->file;
    o->n_lists++; /* freed with the suite, complete or not */
    for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        double d = strtod(t, &end);
        ob_status s = OB_OK;
        if (end == t || *end || !isfinite(d))
            s = ob_suite_fail(p, "%s = '%s': '%s' is not a number; accepted: a number, or "
                              "numbers separated by spaces (tuned with lr)", key, v, t);
        for (size_t j = 0; j < L->n; j++) {
            char a[32], b[32]; /* the run files name the values by %g: distinct there */
            snprintf(a, sizeof a, "%g", d);
            snprintf(b, sizeof b, "%g", L->v[j]);
            if (s == OB_OK && !strcmp(a, b))
                s = ob_suite_fail(p, "%s = '%s': %s is listed twice (values are told apart "
                                  "by 6 significant digits)", key, v, t);
        }
        if (s != OB_OK) {
            free(buf);
            return s;
        }
        L->v[L->n++] = d;
    }
    free(buf);
    if (L->n == 0)
        return ob_suite_fail(p, "%s is empty; accepted: a number, or numbers separated by "
                             "spaces (tuned with lr)", key);
    *ob_hp_number(&o->h, op->field) = L->v[0];
    return OB_OK;
}

/* [optimizer NAME] batch = B / noise = SIGMA: the optimizer's own stochastic oracle on
 * the deterministic analytic workloads (bench.h's ob_suite_oracle) */
static ob_status optimizer_oracle(ob_suite_parser *p, ob_suite_optimizer *o, const char *key,
                                  const char *v)
{
    if (o->T->full_gradient || o->T->needs_objective)
        return ob_suite_fail(p, "[optimizer %s] %s: %s takes the full gradient; accepted: "
                             "batch and noise on a stochastic rule (sgd, adam, ...)",
                             o->name, key, o->name);
    if (!strcmp(key, "noise")) return number(p, key, v, 0, &o->noise);
    long b;
    if (whole(p, key, v, 1, 1e8, &b) != OB_OK) return OB_EINVAL;
    o->batch = (size_t)b;
    return OB_OK;
}

/* a key of [optimizer NAME]: one of the rule's own options, fixed for every run, or a
 * list of values tuned with lr */
static ob_status optimizer_key(ob_suite_parser *p, const char *key, const char *v)
{
    ob_suite_optimizer *o = &p->o[p->cur];
    const ob_optimizer_type *T = o->T;
    if (!strcmp(key, "batch") || !strcmp(key, "noise")) return optimizer_oracle(p, o, key, v);
    const ob_hp_option *op = strcmp(key, "lr") ? ob_hp_option_find(T, key) : NULL;
    if (!op) {
        char known[512] = "";
        for (size_t i = 0, k = 0; T->options[i].name && k < sizeof known; i++)
            if (strcmp(T->options[i].name, "lr"))
                k += (size_t)snprintf(known + k, sizeof known - k, "%s%s", k ? ", " : "",
                                      T->options[i].name);
        return ob_suite_fail(p, "[optimizer %s] %s: %s; accepted: %s", o->name, key,
                             strcmp(key, "lr") ? "the optimizer does not read it"
                                               : "lr is tuned on the suite's grid (lr-from, lr-to)",
                             known[0] ? known : "none (it has no options but lr)");
    }
    ob_suite_opt_info *info = &p->o_info[p->cur];
    info->set |= 1ULL << (op - T->options);
    info->key_at[op - T->options] = ob_suite_here(p);
    info->key_seq[op - T->options] = p->n_keys;
    for (int l = 0; l < p->lists_before; l++) /* an included list: this value replaces it */
        if (o->lists[l].op == op) {
            free(o->lists[l].v);
            for (int k = l; k + 1 < o->n_lists; k++) {
                o->lists[k] = o->lists[k + 1];
                info->list_file[k] = info->list_file[k + 1];
            }
            o->n_lists--;
            p->lists_before--;
            break;
        }
    if (!*v || strpbrk(v, " \t")) return hp_list(p, o, op, v);
    if (op->kind == OB_HPK_FLAG) return flag(p, key, v, ob_hp_flag(&o->h, op->field));
    if (op->kind == OB_HPK_NUMBER) return number(p, key, v, -INFINITY, ob_hp_number(&o->h, op->field));
    double lo, hi;
    int used = 0;
    if (sscanf(v, "%lf , %lf%n", &lo, &hi, &used) != 2 || v[used] || !isfinite(lo) || !isfinite(hi))
        return ob_suite_fail(p, "%s = '%s': accepted: two numbers, lo,hi", key, v);
    *ob_hp_number(&o->h, op->field) = lo;
    *ob_hp_number(&o->h, op->field2) = hi;
    return OB_OK;
}

/* ---- [suite] ----------------------------------------------------------------------- */

typedef enum {
    SK_NAME, SK_INT, SK_LONG, SK_POW10, SK_OPTIMIZERS, SK_TARGETS, SK_FLAG, SK_INCLUDE
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
    case SK_OPTIMIZERS: return suite_optimizers(p, v);
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

/* the real path of a plugin's path as the text under way lists it (NULL: no such file) */
static char *plugin_real(ob_suite_parser *p, const char *name)
{
    if (name[0] != '/' && p->dir) {
        size_t n = strlen(p->dir) + strlen(name) + 2;
        char *full = malloc(n);
        if (!full) return NULL;
        snprintf(full, n, "%s/%s", p->dir, name);
        char *real = realpath(full, NULL);
        free(full);
        return real;
    }
    return realpath(name, NULL);
}

long ob_suite_optimizer_index(ob_suite_parser *p, const char *name)
{
    for (size_t i = 0; i < p->S->n_optimizers; i++)
        if (!strcmp(p->o[i].name, name) || !strcmp(p->o[i].T->name, name)) return (long)i;
    if (!ob_plugin_is_path(name)) return -1;
    /* a plugin by its path: the same file as a listed plugin's, wherever each path
     * starts (the listing text's directory, this text's) */
    char *real = plugin_real(p, name);
    long found = -1;
    for (size_t i = 0; real && found < 0 && i < p->S->n_optimizers; i++) {
        const char *listed = ob_plugin_path(p->o[i].T);
        char *r = listed ? realpath(listed, NULL) : NULL;
        if (r && !strcmp(r, real)) found = (long)i;
        free(r);
    }
    free(real);
    return found;
}

static ob_status open_optimizer(ob_suite_parser *p, const char *name)
{
    long i = ob_suite_optimizer_index(p, name);
    if (i < 0) {
        char known[1024] = "";
        for (size_t k = 0, n = 0; k < p->S->n_optimizers && n < sizeof known; k++)
            n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", k ? ", " : "",
                                  p->o[k].name);
        return ob_suite_fail(p, "[optimizer %s]: %s is not in [suite]'s optimizers; list it "
                             "there first; accepted: %s (a name, or a plugin's path as "
                             "listed)", name, name, known[0] ? known : "none listed");
    }
    ob_suite_at *at = &p->o_info[i].at;
    if (at->line && at->depth == p->depth)
        return ob_suite_fail(p, "[optimizer %s] is defined twice (first on line %ld)", name,
                             at->line);
    *at = ob_suite_here(p); /* first here, or an included section's keys changed here */
    p->cur = (size_t)i;
    p->lists_before = p->o[i].n_lists;
    return OB_OK;
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
        ob_status st = p->sec == OB_SEC_WORKLOAD ? open_workload(p, name) : open_optimizer(p, name);
        free(name);
        return st;
    }
    return ob_suite_fail(p, "unknown section [%s]; accepted: [suite], [workload NAME], "
                         "[optimizer NAME]", header);
}

ob_status ob_suite_key(ob_suite_parser *p, const char *key, const char *value)
{
    p->n_keys++;
    switch (p->sec) {
    case OB_SEC_SUITE: return suite_key(p, key, value);
    case OB_SEC_WORKLOAD: return ob_suite_workload_key(p, &p->w[p->cur], key, value);
    case OB_SEC_OPTIMIZER: return optimizer_key(p, key, value);
    case OB_SEC_NONE: break;
    }
    return ob_suite_fail(p, "%s comes before any section; accepted sections: [suite], "
                         "[workload NAME], [optimizer NAME]", key);
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

/* the product grid beyond lr: points[k] is h with the lists' values of point k (the
 * first list slowest), each checked like h, and its tag for the run files' names */
static ob_status make_points(ob_suite_parser *p, ob_suite_optimizer *o, size_t i)
{
    size_t n = 1;
    for (int l = 0; l < o->n_lists; l++) {
        n *= o->lists[l].n;
        if (n > OB_SUITE_MAX_POINTS) { /* (each is tuned at every lr, on every workload) */
            p->file = p->o_info[i].list_file[l];
            p->line = o->lists[l].line;
            return ob_suite_fail(p, "[optimizer %s] %s: the lists make more than %d points "
                                 "to tune; accepted: at most %d (the product of the lists' "
                                 "lengths)", o->name, o->lists[l].op->name,
                                 OB_SUITE_MAX_POINTS, OB_SUITE_MAX_POINTS);
        }
    }
    o->points = malloc(n * sizeof *o->points);
    o->tags = malloc(n * sizeof *o->tags);
    if (!o->points || !o->tags) return ob_suite_fail(p, "out of memory");
    o->n_points = n;
    ob_suite_goto(p, p->o_info[i].at);
    for (size_t k = 0; k < n; k++) {
        ob_hparams *h = &o->points[k];
        *h = o->h;
        for (size_t l = (size_t)o->n_lists, stride = 1; l-- > 0; stride *= o->lists[l].n)
            *ob_hp_number(h, o->lists[l].op->field) = o->lists[l].v[k / stride % o->lists[l].n];
        /* tune-LR<tag>.csv must fit the run's file name (bench_internal.h's 64) */
        if (ob_tuning_point_tag(o, k, o->tags[k], sizeof o->tags[k]) != 0 ||
            strlen(o->tags[k]) > 40)
            return ob_suite_fail(p, "[optimizer %s]: the lists make run names too long; "
                                 "accepted: fewer or shorter lists", o->name);
        ob_error e = {{0}};
        if (ob_hparams_check(o->T, h, &e) != OB_OK) {
            char hp[256];
            ob_tuning_tag_parse(o->tags[k], hp, sizeof hp);
            int at = 0; /* the first list's line: the point mixes them all */
            for (int l = 0; l < o->n_lists; l++)
                if (strstr(e.msg, o->lists[l].op->name)) at = l;
            p->file = p->o_info[i].list_file[at];
            p->line = o->lists[at].line;
            return ob_suite_fail(p, "[optimizer %s] at %s: %s", o->name, hp, e.msg);
        }
    }
    return OB_OK;
}

/* what an [optimizer] section leaves to its flags: --amsgrad-like flags imply a value of
 * another option unless the section sets it (ob_hp_option.implies) */
typedef struct {
    const ob_suite_optimizer *o;
    unsigned long long set;        /* bit k: the section set option k of o->T */
} section_set;

/* ob_hparams_imply's question: did the section set option op? */
static int section_sets(const void *ctx, const ob_hp_option *op)
{
    const section_set *s = ctx;
    return (s->set >> (op - s->o->T->options)) & 1;
}

/* the option of o whose key made h fail its check (-1: none can be told): the one, read
 * last, whose default value instead passes; else the one, read last, the message names */
static int culprit(const ob_suite_optimizer *o, const ob_suite_opt_info *info,
                   const char *msg)
{
    const ob_optimizer_type *T = o->T;
    ob_hparams d;
    ob_hparams_default(T, &d);
    int best = -1;
    for (int pass = 0; pass < 2 && best < 0; pass++)
        for (int k = 0; k < 64 && T->options[k].name; k++) {
            const ob_hp_option *op = &T->options[k];
            if (!((info->set >> k) & 1) || (best >= 0 && info->key_seq[k] < info->key_seq[best]))
                continue;
            if (pass == 0) {
                ob_hparams h = o->h;
                size_t size = op->kind == OB_HPK_FLAG ? sizeof(int) : sizeof(double);
                memcpy((char *)&h + op->field, (char *)&d + op->field, size);
                if (op->kind == OB_HPK_PAIR)
                    memcpy((char *)&h + op->field2, (char *)&d + op->field2, size);
                ob_error e = {{0}};
                if (ob_hparams_check(T, &h, &e) == OB_OK) best = k;
            } else if (strstr(msg, op->name))
                best = k;
        }
    return best;
}

static ob_status finish_optimizer(ob_suite_parser *p, size_t i)
{
    ob_suite_optimizer *o = &p->o[i];
    section_set ss = {o, p->o_info[i].set};
    ob_hparams_imply(o->T, &o->h, section_sets, &ss);
    ob_error e = {{0}};
    if (ob_hparams_check(o->T, &o->h, &e) != OB_OK) {
        int k = culprit(o, &p->o_info[i], e.msg); /* a key's error names the key's line */
        ob_suite_goto(p, k >= 0 ? p->o_info[i].key_at[k] : p->o_info[i].at);
        return ob_suite_fail(p, "[optimizer %s]%s%s: %s", o->name, k >= 0 ? " " : "",
                             k >= 0 ? o->T->options[k].name : "", e.msg);
    }
    return make_points(p, o, i);
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
        if (finish_optimizer(p, i) != OB_OK) return OB_EINVAL;
    for (size_t i = 0; i < S->n_workloads; i++) {
        ob_suite_goto(p, p->w_info[i].at);
        ((ob_workload *)&S->workloads[i])->gzip = S->gzip; /* the runs' files follow the suite */
        if (ob_suite_workload_finish(p, i) != OB_OK) return OB_EINVAL;
    }
    return OB_OK;
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
