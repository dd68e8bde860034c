/* suite_optimizer.c - the [suite] optimizers list and the [optimizer NAME] sections of a
 * suite file (suite_keys.h): a rule of the registry or a plugin's path, the rule's own
 * options fixed for every run or a list of values tuned with lr (the gradient oracle
 * is the workload's: bench.h's ob_suite_oracle); and, once the file is read, each optimizer's options checked and its tuning
 * grid's points made.  The [suite] and [workload] keys are suite_keys.c's and
 * suite_workload.c's. */
#define _XOPEN_SOURCE 700 /* strdup, realpath */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/suite_keys.h"
#include "bench/tuning.h"
#include "common/names.h"
#include "optimizers/plugin.h"

/* ---- optimizers -------------------------------------------------------------------- */

/* The one place a suite's optimizer is resolved: a registry name, or a plugin's path
 * (containing '/' or ending in .so; relative paths from the suite file's directory),
 * loaded and registered through optimizers/plugin.h. */
static ob_status resolve_optimizer(ob_suite_parser *p, const char *name,
                                   const ob_optimizer_type **T)
{
    if (ob_plugin_is_path(name)) {
        const char *full = NULL;
        if (ob_suite_path(p, name, &full) != OB_OK) return OB_EINVAL;
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
ob_status ob_suite_optimizers(ob_suite_parser *p, const char *v)
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

/* `beta1 = 0.8 .. 0.99` (uniform) or `eps = 1e-10 .. 1e-6 log` (log-uniform): a numeric
 * option random tuning draws (tuning = random N, checked once the file is read); h keeps
 * lo */
static ob_status hp_range(ob_suite_parser *p, ob_suite_optimizer *o, const ob_hp_option *op,
                          const char *v)
{
    const char *key = op->name;
    if (op->kind != OB_HPK_NUMBER)
        return ob_suite_fail(p, "%s = '%s': a range is accepted for numeric options only; %s "
                             "takes %s", key, v, key,
                             op->kind == OB_HPK_FLAG ? "true or false" : "two numbers, lo,hi");
    if (o->n_ranges == OB_MAX_HP_LISTS)
        return ob_suite_fail(p, "%s: at most %d hyperparameters are drawn with lr", key,
                             OB_MAX_HP_LISTS);
    /* LO, "..", HI, then "log" or nothing; spaces anywhere between */
    const char *dots = strstr(v, "..");
    char left[64], *end;
    size_t ln = (size_t)(dots - v);
    snprintf(left, sizeof left, "%.*s", (int)(ln < sizeof left ? ln : sizeof left - 1), v);
    double lo = strtod(left, &end), hi = NAN;
    int got = end != left && !end[strspn(end, " \t")] && ln < sizeof left;
    const char *r = dots + 2, *how = "";
    if (got) {
        hi = strtod(r, &end);
        got = end != r;
        how = end + strspn(end, " \t");
        size_t wl = strcspn(how, " \t");
        if (*how && !(wl == 3 && !strncmp(how, "log", 3) && !how[3 + strspn(how + 3, " \t")]))
            got = 0;
    }
    if (!got || !isfinite(lo) || !isfinite(hi) || !(lo < hi) || (*how && !(lo > 0)))
        return ob_suite_fail(p, "%s = '%s': accepted: a range LO .. HI (LO < HI, drawn "
                             "uniformly) or LO .. HI log (0 < LO < HI, drawn log-uniformly)",
                             key, v);
    o->ranges[o->n_ranges] = (ob_hp_range){.op = op, .lo = lo, .hi = hi, .log = *how != 0,
                                           .line = p->line};
    p->o_info[o - p->o].range_file[o->n_ranges] = p->file;
    o->n_ranges++;
    *ob_hp_number(&o->h, op->field) = lo;
    return OB_OK;
}

/* an option set again (a value, a list or a range) is no longer drawn */
static void drop_range(ob_suite_optimizer *o, ob_suite_opt_info *info, const ob_hp_option *op)
{
    for (int r = 0; r < o->n_ranges; r++)
        if (o->ranges[r].op == op) {
            for (int k = r; k + 1 < o->n_ranges; k++) {
                o->ranges[k] = o->ranges[k + 1];
                info->range_file[k] = info->range_file[k + 1];
            }
            o->n_ranges--;
            return;
        }
}

/* a key of [optimizer NAME]: one of the rule's own options, fixed for every run, or a
 * list of values tuned with lr */
ob_status ob_suite_optimizer_key(ob_suite_parser *p, const char *key, const char *v)
{
    ob_suite_optimizer *o = &p->o[p->cur];
    const ob_optimizer_type *T = o->T;
    if (!strcmp(key, "batch") || !strcmp(key, "noise")) /* one oracle per workload */
        return ob_suite_fail(p, "[optimizer %s] %s: the gradient oracle is a workload's key, the "
                             "same for every optimizer on it; accepted: %s = ... in a [workload "
                             "NAME] section", o->name, key, key);
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
    drop_range(o, info, op);
    if (strstr(v, "..")) return hp_range(p, o, op, v);
    if (!*v || strpbrk(v, " \t")) return hp_list(p, o, op, v);
    if (op->kind == OB_HPK_FLAG) return ob_suite_flag(p, key, v, ob_hp_flag(&o->h, op->field));
    if (op->kind == OB_HPK_NUMBER) return ob_suite_number(p, key, v, -INFINITY, ob_hp_number(&o->h, op->field));
    double lo, hi;
    int used = 0;
    if (sscanf(v, "%lf , %lf%n", &lo, &hi, &used) != 2 || v[used] || !isfinite(lo) || !isfinite(hi))
        return ob_suite_fail(p, "%s = '%s': accepted: two numbers, lo,hi", key, v);
    *ob_hp_number(&o->h, op->field) = lo;
    *ob_hp_number(&o->h, op->field2) = hi;
    return OB_OK;
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

ob_status ob_suite_open_optimizer(ob_suite_parser *p, const char *name)
{
    long i = ob_suite_optimizer_index(p, name);
    if (i < 0) {
        const char *names[OB_NAMES_MAX];
        size_t k = 0;
        for (; k < p->S->n_optimizers && k + 1 < OB_NAMES_MAX; k++) names[k] = p->o[k].name;
        names[k] = NULL;
        char known[1024];
        ob_names_join(known, sizeof known, names, ", ");
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

ob_status ob_suite_finish_optimizer(ob_suite_parser *p, size_t i)
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
    for (int r = 0; r < o->n_ranges; r++) { /* both ends of a range pass the rule's check */
        const ob_hp_range *R = &o->ranges[r];
        for (int end = 0; end < 2; end++) {
            ob_hparams h = o->h;
            *ob_hp_number(&h, R->op->field) = end ? R->hi : R->lo;
            if (ob_hparams_check(o->T, &h, &e) != OB_OK) {
                p->file = p->o_info[i].range_file[r];
                p->line = R->line;
                return ob_suite_fail(p, "[optimizer %s] %s = %g .. %g: at %g: %s", o->name,
                                     R->op->name, R->lo, R->hi, end ? R->hi : R->lo, e.msg);
            }
        }
    }
    return make_points(p, o, i);
}

ob_status ob_suite_check_tuning(ob_suite_parser *p)
{
    const ob_suite *S = p->S;
    for (size_t i = 0; i < S->n_optimizers; i++) {
        const ob_suite_optimizer *o = &p->o[i];
        if (S->tuning_trials > 0 && o->n_lists > 0) {
            p->file = p->o_info[i].list_file[0];
            p->line = o->lists[0].line;
            return ob_suite_fail(p, "[optimizer %s] %s: a list of values is a grid, and [suite] "
                                 "tuning = random %d draws; accepted: a range LO .. HI (or "
                                 "LO .. HI log), or tuning = grid", o->name,
                                 o->lists[0].op->name, S->tuning_trials);
        }
        if (S->tuning_trials > 0 && ob_tuning_trial_tag_max(o, S->tuning_trials) > OB_TRIAL_TAG_MAX) {
            int last = o->n_ranges - 1; /* (a range's name makes the run's name too long) */
            p->file = p->o_info[i].range_file[last];
            p->line = o->ranges[last].line;
            return ob_suite_fail(p, "[optimizer %s]: the ranges make run names too long; "
                                 "accepted: fewer ranges, or options with shorter names",
                                 o->name);
        }
        if (S->tuning_trials == 0 && o->n_ranges > 0) {
            p->file = p->o_info[i].range_file[0];
            p->line = o->ranges[0].line;
            return ob_suite_fail(p, "[optimizer %s] %s: a range is drawn by random tuning; "
                                 "accepted: [suite] tuning = random N with it, or a value or a "
                                 "list of values", o->name, o->ranges[0].op->name);
        }
    }
    return OB_OK;
}
