/* tuning.c - see tuning.h. */
#include "bench/tuning.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "common/stats.h"

double ob_tuning_score(const ob_run_data *r, double tightest, long *hit)
{
    if (r->has_score) { /* computed by the run itself from these rows (bench/job.c) */
        *hit = r->hit;
        return r->score;
    }
    if (r->net) { /* networks: the best validation accuracy, higher is better */
        *hit = LONG_MAX;
        return ob_run_diverged(r) || !isfinite(r->best_val_acc) ? INFINITY : -r->best_val_acc;
    }
    long h = ob_run_first_below(r, tightest);
    *hit = h < 0 ? LONG_MAX : (long)ob_run_at(r, (size_t)h, OB_RC_STEP);
    if (ob_run_diverged(r) || r->rows == 0) return INFINITY;
    size_t tail = r->rows / 10 > 0 ? r->rows / 10 : 1;
    double *g = malloc(tail * sizeof *g);
    if (!g) return INFINITY;
    for (size_t i = 0; i < tail; i++) g[i] = ob_run_gap_at(r, r->rows - tail + i);
    double s = ob_median(g, tail);
    free(g);
    return s;
}

static int before(const ob_tune_row *a, const ob_tune_row *b)
{
    return a->lr < b->lr || (a->lr == b->lr && a->point < b->point);
}

int ob_tuning_point_tag(const ob_suite_optimizer *o, size_t k, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (o->n_lists == 0) return 0;
    size_t used = (size_t)snprintf(buf, cap, "_p%zu", k);
    /* k = sum_i j_i * stride_i, the last list fastest */
    size_t stride = o->n_points;
    for (int i = 0; i < o->n_lists && used < cap; i++) {
        stride /= o->lists[i].n;
        size_t j = k / stride % o->lists[i].n;
        used += (size_t)snprintf(buf + used, cap - used, "_%s_%g", o->lists[i].op->name,
                                 o->lists[i].v[j]);
    }
    return used < cap ? 0 : -1;
}

int ob_tuning_tag_is_trial(const char *tag) { return tag[0] == '_' && tag[1] == 't'; }

long ob_tuning_tag_parse(const char *tag, char *hp, size_t cap)
{
    hp[0] = '\0';
    if (!tag[0]) return 0;
    char buf[OB_TUNE_TAG_MAX], *save = NULL, *end;
    snprintf(buf, sizeof buf, "%s", tag);
    char *t = strtok_r(buf, "_", &save);
    int trial = t && t[0] == 't';
    long k = t && (t[0] == 'p' || trial) ? strtol(t + 1, &end, 10) : -1;
    if (k < 0 || end == t + 1 || *end) return -1;
    size_t used = 0;
    int pairs = 0;
    for (char *name; (name = strtok_r(NULL, "_", &save)) != NULL; pairs++) {
        char *v = strtok_r(NULL, "_", &save);
        if (!v) return -1;
        strtod(v, &end);
        if (end == v || *end) return -1;
        used += (size_t)snprintf(hp + used, used < cap ? cap - used : 0, "%s%s=%s",
                                 pairs ? ";" : "", name, v);
    }
    return (pairs || trial) && used < cap ? k : -1; /* a trial may draw lr alone */
}

ob_status ob_tuning_load(const char *dir, double tightest, ob_tune_row **rows, size_t *n,
                         ob_error *err)
{
    char **stems = ob_run_stems(dir, "tune-", n);
    *rows = *n ? malloc(*n * sizeof **rows) : NULL;
    ob_status s = *n && !*rows ? ob_fail(err, OB_ENOMEM, "out of memory") : OB_OK;
    for (size_t i = 0; i < *n && s == OB_OK; i++) {
        ob_run_data r;
        if ((s = ob_run_data_load(dir, stems[i], &r, err)) == OB_OK) {
            ob_tune_row *t = &(*rows)[i];
            t->lr = r.lr;
            t->score = ob_tuning_score(&r, tightest, &t->hit);
            t->final_gap = r.net ? NAN : r.final_gap;
            t->net = r.net;
            snprintf(t->status, sizeof t->status, "%s", r.status);
            const char *u = strchr(stems[i], '_'); /* tune-LR[_x] then the tag */
            t->extended = u && u[1] == 'x' && (u[2] == '\0' || u[2] == '_');
            if (t->extended) u = u[2] ? u + 2 : NULL;
            snprintf(t->tag, sizeof t->tag, "%s", u ? u : "");
            t->point = ob_tuning_tag_parse(t->tag, t->hp, sizeof t->hp);
            t->trial = ob_tuning_tag_is_trial(t->tag) ? t->point : 0;
            if (t->point < 0 || strlen(u ? u : "") >= sizeof t->tag)
                s = ob_fail(err, OB_EIO, "%s/%s: not a tuning run's name (tune-LR[_x] or "
                            "tune-LR[_x]_pK_NAME_VALUE..., tune-LR_tK[_NAME_VALUE...])", dir, stems[i]);
        }
        ob_run_data_free(&r);
    }
    ob_run_stems_free(stems, *n);
    if (s == OB_OK) {
        /* by lr, then point: insertion sort (a grid has a few dozen points) */
        for (size_t i = 1; i < *n; i++)
            for (size_t j = i; j > 0 && before(&(*rows)[j], &(*rows)[j - 1]); j--) {
                ob_tune_row tmp = (*rows)[j];
                (*rows)[j] = (*rows)[j - 1];
                (*rows)[j - 1] = tmp;
            }
    } else {
        free(*rows);
        *rows = NULL;
    }
    return s;
}

size_t ob_tuning_choose(const ob_tune_row *t, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (t[i].score < t[best].score || (t[i].score == t[best].score && t[i].hit < t[best].hit))
            best = i; /* equal score and hit: the smaller rate, then the earlier point, met
                         first (rows by lr, then point), stays */
    return best;
}

/* 1 when another row than t[b] has the same finite score and hit as t[b] but a different
 * value on the axis (the lr for axis < 0, else the list's option): the criterion is flat
 * there and the choice is the tie-break's, not a measurement, so an edge it sits on is not
 * extended (a flat eps would otherwise walk to its limit).  All rows diverged (score
 * infinite) is not a tie: the grid extends down. */
static int flat_tie(const ob_tune_row *t, size_t n, size_t b, const char *axis);

int ob_tuning_grid_index(const ob_lr_grid *g, double lr)
{
    return (int)lround((log10(lr) - g->lo) * g->per_decade);
}

ob_edge_state ob_tuning_edge(const ob_lr_grid *g, const ob_tune_row *t, size_t n, int *k_next)
{
    if (n == 0) return OB_EDGE_INTERIOR;
    size_t b = ob_tuning_choose(t, n);
    if (flat_tie(t, n, b, NULL)) return OB_EDGE_INTERIOR;
    int kb = ob_tuning_grid_index(g, t[b].lr);
    int lo = ob_tuning_grid_index(g, t[0].lr), hi = ob_tuning_grid_index(g, t[n - 1].lr);
    int last = (g->hi - g->lo) * g->per_decade; /* the suite grid's last index */
    /* rows are by increasing lr: t[0] and t[n-1] are the edges run so far; the upper edge
     * first (a one-rate grid extends up, then down if the choice stays at the bottom) */
    if (kb == hi) *k_next = hi + 1;
    else if (kb == lo) *k_next = lo - 1;
    else return OB_EDGE_INTERIOR;
    double lr = pow(10.0, g->lo + (double)*k_next / g->per_decade);
    int past = *k_next > last + OB_TUNE_EXTRA_MAX || *k_next < -OB_TUNE_EXTRA_MAX ||
               lr > OB_TUNE_LR_MAX * (1 + 1e-9) || lr < OB_TUNE_LR_MIN * (1 - 1e-9);
    return past ? OB_EDGE_LIMIT : OB_EDGE_EXTEND;
}

/* the value of option name in hp ("momentum=0.9;beta1=0.8"), NaN when absent */
static double hp_value(const char *hp, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = hp; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL)
        if (!strncmp(p, name, n) && p[n] == '=') return strtod(p + n + 1, NULL);
    return NAN;
}

static int flat_tie(const ob_tune_row *t, size_t n, size_t b, const char *axis)
{
    if (!isfinite(t[b].score)) return 0;
    double vb = axis ? hp_value(t[b].hp, axis) : t[b].lr;
    for (size_t i = 0; i < n; i++) {
        double v = axis ? hp_value(t[i].hp, axis) : t[i].lr;
        if (i != b && t[i].score == t[b].score && t[i].hit == t[b].hit && v != vb) return 1;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* geometric spacing: every value positive, the ratios of the sorted values equal, and
 * at least 10 for two values (1e-8 1e-6), 2 for more (0.1 0.2 0.4); 0.1 0.2 is linear */
static int geometric(const double *v, size_t n)
{
    double s[64];
    if (n < 2 || n > 64) return 0;
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    if (!(s[0] > 0) || s[1] / s[0] < (n == 2 ? 10 : 2)) return 0;
    for (size_t i = 2; i < n; i++)
        if (fabs(s[i] / s[i - 1] - s[1] / s[0]) > 1e-9 * (s[1] / s[0])) return 0;
    return 1;
}

ob_edge_state ob_tuning_axis_edge(const ob_suite_optimizer *o, int axis, const ob_tune_row *t,
                                  size_t n, double *next)
{
    const ob_hp_list *L = &o->lists[axis];
    if (n == 0 || L->n < 2) return OB_EDGE_INTERIOR;
    double *v = malloc(n * sizeof *v);
    if (!v) return OB_EDGE_INTERIOR;
    size_t m = 0; /* the values run, sorted */
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[m] = hp_value(t[i].hp, L->op->name))) m++;
    if (m == 0) {
        free(v);
        return OB_EDGE_INTERIOR;
    }
    qsort(v, m, sizeof *v, cmp_double);
    size_t b = ob_tuning_choose(t, n);
    double c = hp_value(t[b].hp, L->op->name);
    double lo = v[0], hi = v[m - 1], lo2 = lo, hi2 = hi;
    for (size_t i = 0; i < m; i++) { /* the second smallest and largest distinct values */
        if (v[i] > lo && lo2 == lo) lo2 = v[i];
        if (v[m - 1 - i] < hi && hi2 == hi) hi2 = v[m - 1 - i];
    }
    free(v);
    double lmin = L->v[0], lmax = L->v[0];
    for (size_t i = 1; i < L->n; i++) {
        lmin = L->v[i] < lmin ? L->v[i] : lmin;
        lmax = L->v[i] > lmax ? L->v[i] : lmax;
    }
    int geo = geometric(L->v, L->n), up = c == hi;
    if (isnan(c) || (c != hi && c != lo) || lo == hi || flat_tie(t, n, b, L->op->name))
        return OB_EDGE_INTERIOR;
    double x = up ? (geo ? hi * (hi / hi2) : hi + (hi - hi2))
                  : (geo ? lo / (lo2 / lo) : lo - (lo2 - lo));
    /* the values past the list's edge so far (the spacing is regular, so count steps) */
    double past = up ? (geo ? log(x / lmax) / log(hi / hi2) : (x - lmax) / (hi - hi2))
                     : (geo ? log(lmin / x) / log(lo2 / lo) : (lmin - x) / (lo2 - lo));
    char buf[32];
    snprintf(buf, sizeof buf, "%g", x); /* the value as the run's file name gives it */
    *next = strtod(buf, NULL);
    ob_hparams h = o->h;
    *ob_hp_number(&h, L->op->field) = *next;
    ob_error e;
    if (!isfinite(*next) || past > OB_TUNE_EXTRA_MAX + 0.5 || *next == (up ? hi : lo) ||
        ob_hparams_check(o->T, &h, &e) != OB_OK)
        return OB_EDGE_LIMIT;
    return OB_EDGE_EXTEND;
}

int ob_tuning_extended_tag(const ob_suite_optimizer *o, const ob_tune_row *chosen, int axis,
                           double v, char *buf, size_t cap)
{
    size_t used = (size_t)snprintf(buf, cap, "_p%zu", o->n_points);
    for (int i = 0; i < o->n_lists && used < cap; i++) {
        double x = i == axis ? v : hp_value(chosen->hp, o->lists[i].op->name);
        used += (size_t)snprintf(buf + used, cap - used, "_%s_%g", o->lists[i].op->name, x);
    }
    return used < cap && used <= 40 ? 0 : -1; /* as the suite's own tags (suite_keys.c) */
}

int ob_tuning_tag_hparams(const ob_suite_optimizer *o, const char *tag, ob_hparams *h)
{
    char hp[256];
    *h = o->h;
    if (ob_tuning_tag_parse(tag, hp, sizeof hp) < 0) return -1;
    for (char *save = NULL, *kv = strtok_r(hp, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq) return -1;
        *eq = '\0';
        const ob_hp_option *op = ob_hp_option_find(o->T, kv);
        if (!op || op->kind != OB_HPK_NUMBER) return -1;
        *ob_hp_number(h, op->field) = strtod(eq + 1, NULL);
    }
    return 0;
}

int ob_tuning_finished(const ob_tune_row *t)
{
    return strcmp(t->status, "crashed") && strcmp(t->status, "timeout") &&
           strcmp(t->status, "failed");
}

ob_status ob_bench_choose(const char *out, const char *w, const char *o, double *lr,
                          double *score, char *tag, size_t cap, int *none, ob_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", out, w, o);
    ob_tune_row *t;
    size_t n;
    ob_target_set tg; /* the suite's targets, as the bench wrote them beside the runs */
    ob_status s = ob_targets_read(out, &tg, err);
    if (s != OB_OK) return s;
    s = ob_tuning_load(dir, tg.v[tg.n - 1], &t, &n, err);
    if (s != OB_OK) return s;
    size_t done = 0;
    for (size_t i = 0; i < n; i++) done += ob_tuning_finished(&t[i]);
    if (none) *none = done == 0;
    if (n == 0 && !none) return ob_fail(err, OB_EIO, "no tuning runs in %s", dir);
    size_t b = n ? ob_tuning_choose(t, n) : 0;
    *lr = n ? t[b].lr : NAN;
    if (score) *score = n ? t[b].score : INFINITY;
    if (tag) snprintf(tag, cap, "%s", n ? t[b].tag : "");
    free(t);
    return OB_OK;
}

/* a directory's entries (not starting with '.') through f until it returns nonzero; what
 * is the marker a tuning run's name must hold ("_p", "_t") */
static int any_entry(const char *dir, const char *what,
                     int (*f)(const char *dir, const char *name, const char *what))
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int hit = 0;
    for (struct dirent *e; !hit && (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.') hit = f(dir, e->d_name, what);
    closedir(d);
    return hit;
}

/* a tuning run whose name holds what ("_p": a product grid's point, "_t": a random
 * trial), in its own summary or packed */
static int tagged_pair(const char *dir, const char *name, const char *what)
{
    char sub[4700];
    snprintf(sub, sizeof sub, "%s/%s", dir, name);
    size_t n;
    char **stems = ob_run_stems(sub, "tune-", &n);
    int hit = 0;
    for (size_t i = 0; i < n && !hit; i++) hit = strstr(stems[i], what) != NULL;
    ob_run_stems_free(stems, n);
    return hit;
}

static int tagged_workload(const char *dir, const char *name, const char *what)
{
    char sub[4400];
    snprintf(sub, sizeof sub, "%s/%s", dir, name);
    return any_entry(sub, what, tagged_pair);
}

int ob_tuning_has_tags(const char *out)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs", out);
    return any_entry(dir, "_p", tagged_workload) || any_entry(dir, "_t", tagged_workload);
}

int ob_tuning_has_trials(const char *out)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs", out);
    return any_entry(dir, "_t", tagged_workload);
}

/* ---- random tuning ------------------------------------------------------------------- */

/* FNV-1a of the text, then of more (64 bits): the trials' stream of a (workload,
 * optimizer) pair, a function of their names alone */
static uint64_t fnv1a(uint64_t h, const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) h = (h ^ *c) * 0x100000001b3ULL;
    return (h ^ 0xff) * 0x100000001b3ULL; /* the end of the text: "ab"+"c" is not "a"+"bc" */
}

/* v rounded to the 6 significant digits a run's name keeps (%g) */
static double as_named(double v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%g", v);
    return strtod(buf, NULL);
}

size_t ob_tuning_trial_tag_max(const ob_suite_optimizer *o, int n)
{
    size_t len = (size_t)snprintf(NULL, 0, "_t%d", n);
    for (int r = 0; r < o->n_ranges; r++) len += 2 + strlen(o->ranges[r].op->name) + 12;
    return len;
}

ob_status ob_tuning_trials(const ob_suite *S, const ob_workload *w, const ob_suite_optimizer *o,
                           ob_tune_trial *t, size_t n, ob_error *err)
{
    const ob_lr_grid *g = w->net ? &S->net_grid : &S->grid;
    uint64_t h = fnv1a(fnv1a(0xcbf29ce484222325ULL ^ S->tuning_seed, w->name), o->name);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) return ob_fail(err, OB_ENOMEM, "out of memory");
    gsl_rng_set(rng, (unsigned long)(h ^ (h >> 32)) & 0xffffffffUL);
    ob_status s = OB_OK;
    for (size_t k = 0; k < n && s == OB_OK; k++) {
        /* lr = 10^(lo + u (hi - lo)), u uniform on [0, 1) */
        t[k].lr = pow(10.0, g->lo + gsl_rng_uniform(rng) * (g->hi - g->lo));
        t[k].h = o->h;
        int used = snprintf(t[k].tag, sizeof t[k].tag, "_t%zu", k + 1);
        for (int r = 0; r < o->n_ranges; r++) {
            const ob_hp_range *R = &o->ranges[r];
            double u = gsl_rng_uniform(rng);
            double v = R->log ? R->lo * pow(R->hi / R->lo, u) : R->lo + u * (R->hi - R->lo);
            /* u < 1, but pow may round v past hi; then the 6 digits the name keeps (a
             * range's end with more digits than that may be left by 5e-7 of itself) */
            v = as_named(v < R->lo ? R->lo : v > R->hi ? R->hi : v);
            *ob_hp_number(&t[k].h, R->op->field) = v;
            if (used >= 0 && (size_t)used < sizeof t[k].tag)
                used += snprintf(t[k].tag + used, sizeof t[k].tag - (size_t)used, "_%s_%g",
                                 R->op->name, v);
        }
        if (used < 0 || used > OB_TRIAL_TAG_MAX)
            s = ob_fail(err, OB_EINVAL, "[optimizer %s]: trial %zu's run name is too long (%s)",
                        o->name, k + 1, t[k].tag);
    }
    gsl_rng_free(rng);
    return s;
}
