/* compare_load.c - one results directory for `optbench compare` (compare.h): its suite,
 * version and targets, and per (workload, optimizer) the statistics across seeds, from
 * the run files alone (runs/runfile.h). */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/stats.h"
#include "compare/compare.h"
#include "report/provenance.h"
#include "runs/runfile.h"

/* the sub-directories of dir, sorted (scandir with alphasort) */
static int subdirs(const char *dir, struct dirent ***v)
{
    int n = scandir(dir, v, NULL, alphasort);
    int k = 0;
    for (int i = 0; i < n; i++) {
        char p[4400];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, (*v)[i]->d_name);
        if ((*v)[i]->d_name[0] != '.' && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) (*v)[k++] = (*v)[i];
        else free((*v)[i]);
    }
    return n < 0 ? -1 : k;
}

static void free_dirents(struct dirent **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

ob_status ob_cmp_dir_open(ob_cmp_dir *d, const char *path, int index, ob_error *err)
{
    memset(d, 0, sizeof *d);
    d->path = path;
    snprintf(d->label, sizeof d->label, "%c", 'A' + index);
    char p[4096];
    struct stat st;
    snprintf(p, sizeof p, "%s/runs", path);
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return ob_fail(err, OB_EIO, "'%s' is not a directory (give results directories written "
                       "by optbench bench)", path);
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
        return ob_fail(err, OB_EIO, "%s has no runs/ directory: not a results directory of "
                       "optbench bench", path);
    cJSON *j;
    ob_status s = ob_provenance_read(path, &j, err);
    if (s != OB_OK) return s;
    if (j) {
        d->have_json = 1;
        const cJSON *ob = cJSON_GetObjectItemCaseSensitive(j, "optbench");
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ob, "version"));
        const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ob, "commit"));
        snprintf(d->version, sizeof d->version, "%s (%s)", v ? v : "?", c ? c : "?");
        const cJSON *su = cJSON_GetObjectItemCaseSensitive(j, "suite");
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(su, "name"));
        if (name) snprintf(d->suite, sizeof d->suite, "%s", name);
        cJSON_Delete(j);
    }
    if (!d->suite[0]) { /* suite.txt: the bench's one-suite-per-directory mark */
        snprintf(p, sizeof p, "%s/suite.txt", path);
        FILE *f = fopen(p, "r");
        if (f && fgets(d->suite, sizeof d->suite, f)) d->suite[strcspn(d->suite, "\n")] = '\0';
        if (f) fclose(f);
    }
    return ob_targets_read(path, &d->tg, err);
}

/* the median of v (n values, sorted in place), and its quartiles */
static void quartiles(double *v, size_t n, double *q1, double *med, double *q3)
{
    ob_sort(v, n);
    *q1 = ob_quantile_sorted(v, n, 0.25);
    *med = ob_quantile_sorted(v, n, 0.5);
    *q3 = ob_quantile_sorted(v, n, 0.75);
}

/* The median curve across the seeds: x from the run with the most rows, y at row i the
 * median over the runs that have row i (a diverged run stops early). */
static ob_status median_curve(ob_cmp_pair *P, ob_run_data *r, size_t n, ob_error *err)
{
    size_t rows = 0, best = 0;
    for (size_t k = 0; k < n; k++) {
        size_t m = r[k].net ? r[k].curve.rows : r[k].rows;
        if (m > rows) rows = m, best = k;
    }
    P->cx = malloc((rows + 1) * sizeof *P->cx);
    P->cy = malloc((rows + 1) * sizeof *P->cy);
    double *tmp = malloc((n + 1) * sizeof *tmp);
    if (!P->cx || !P->cy || !tmp) {
        free(tmp);
        return ob_fail(err, OB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < rows; i++) {
        size_t m = 0;
        for (size_t k = 0; k < n; k++) {
            if (r[k].net) {
                int vc = ob_table_col(&r[k].curve, "val_acc");
                /* the best validation accuracy so far: what tuning and ranking use */
                double best_so_far = -INFINITY;
                for (size_t e = 0; e <= i && e < r[k].curve.rows; e++) {
                    double a = ob_table_num(&r[k].curve, e, vc);
                    if (a > best_so_far) best_so_far = a;
                }
                if (i < r[k].curve.rows && isfinite(best_so_far)) tmp[m++] = best_so_far;
            } else if (i < r[k].rows) {
                tmp[m++] = ob_run_gap_at(&r[k], i);
            }
        }
        P->cx[i] = r[best].net ? ob_table_num(&r[best].curve, i, ob_table_col(&r[best].curve, "epoch"))
                               : ob_run_at(&r[best], i, OB_RC_STEP);
        P->cy[i] = m ? ob_median(tmp, m) : NAN;
    }
    P->cn = rows;
    free(tmp);
    return OB_OK;
}

/* the statistics of the seeds r[0..n) of one pair */
static ob_status pair_stats(ob_cmp_pair *P, ob_run_data *r, size_t n, double target,
                            ob_error *err)
{
    double *v = malloc(n * sizeof *v), *t = malloc(n * sizeof *t), *a = malloc(n * sizeof *a);
    if (!v || !t || !a) {
        free(v), free(t), free(a);
        return ob_fail(err, OB_ENOMEM, "out of memory");
    }
    P->net = r[0].net;
    P->acc_target = NAN; /* ob_cmp_net_times */
    P->seeds = (int)n;
    P->lr = r[0].lr;
    for (size_t k = 0; k < n; k++) {
        int div = ob_run_diverged(&r[k]);
        P->diverged += div;
        if (P->net) {
            v[k] = div ? -INFINITY : r[k].best_val_acc;
            a[k] = r[k].test_acc;
        } else {
            v[k] = div ? INFINITY : r[k].final_gap;
            long h = div ? -1 : ob_run_first_below(&r[k], target);
            t[k] = h < 0 ? INFINITY : ob_run_at(&r[k], (size_t)h, OB_RC_EVALS);
        }
    }
    quartiles(v, n, &P->q1, &P->med, &P->q3);
    P->time = P->net ? NAN : ob_median(t, n);
    P->test = P->net ? ob_median(a, n) : NAN;
    free(v), free(t), free(a);
    return median_curve(P, r, n, err);
}

/* the pair runs/w/o of d: appended to d->p when it has seed runs */
static ob_status load_pair(ob_cmp_dir *d, const char *w, const char *o, double target,
                           ob_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", d->path, w, o);
    size_t n;
    char **stems = ob_run_stems(dir, "seed-", &n);
    if (n == 0) return OB_OK;
    ob_run_data *r = calloc(n, sizeof *r);
    ob_cmp_pair *np = realloc(d->p, (d->n + 1) * sizeof *np);
    ob_status s = r && np ? OB_OK : ob_fail(err, OB_ENOMEM, "out of memory");
    if (np) d->p = np;
    size_t loaded = 0;
    for (; s == OB_OK && loaded < n; loaded++)
        if ((s = ob_run_data_load(dir, stems[loaded], &r[loaded], err)) != OB_OK) break;
    if (s == OB_OK) {
        ob_cmp_pair *P = &d->p[d->n];
        memset(P, 0, sizeof *P);
        snprintf(P->w, sizeof P->w, "%.127s", w);
        snprintf(P->o, sizeof P->o, "%.63s", o);
        d->n++; /* freed with the others, complete or not */
        s = pair_stats(P, r, n, target, err);
    }
    for (size_t k = 0; k < loaded && r; k++) ob_run_data_free(&r[k]);
    free(r);
    ob_run_stems_free(stems, n);
    return s;
}

ob_status ob_cmp_dir_load(ob_cmp_dir *d, double target, ob_error *err)
{
    char runs[4096];
    snprintf(runs, sizeof runs, "%s/runs", d->path);
    struct dirent **ws;
    int nw = subdirs(runs, &ws);
    if (nw < 0) return ob_fail(err, OB_EIO, "%s: cannot be read", runs);
    ob_status s = OB_OK;
    for (int i = 0; i < nw && s == OB_OK; i++) {
        char wdir[4400];
        snprintf(wdir, sizeof wdir, "%s/%s", runs, ws[i]->d_name);
        struct dirent **os;
        int no = subdirs(wdir, &os);
        for (int k = 0; k < no && s == OB_OK; k++)
            s = load_pair(d, ws[i]->d_name, os[k]->d_name, target, err);
        if (no >= 0) free_dirents(os, no);
    }
    free_dirents(ws, nw);
    return s;
}

void ob_cmp_dir_free(ob_cmp_dir *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->p[i].cx);
        free(d->p[i].cy);
    }
    free(d->p);
    d->p = NULL;
    d->n = 0;
}

const ob_cmp_pair *ob_cmp_find(const ob_cmp_dir *d, const char *w, const char *o)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->p[i].w, w) && !strcmp(d->p[i].o, o)) return &d->p[i];
    return NULL;
}

int ob_cmp_common(const ob_cmp_dir *d, size_t nd, const char *w, const char *o)
{
    for (size_t k = 0; k < nd; k++)
        if (!ob_cmp_find(&d[k], w, o)) return 0;
    return 1;
}

char *ob_cmp_missing_in(const ob_cmp_dir *d, size_t nd, const char *w, const char *o,
                        const char *sep, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < nd && used < cap; j++)
        if (!ob_cmp_find(&d[j], w, o))
            used += (size_t)snprintf(buf + used, cap - used, "%s%s", used ? sep : "", d[j].label);
    return buf;
}

int ob_cmp_common_target(const ob_cmp_dir *d, size_t nd, double *target, char *name,
                         size_t cap)
{
    /* d[0]'s targets from the tightest: the first that every other directory has */
    for (int t = d[0].tg.n - 1; t >= 0; t--) {
        size_t k = 1;
        for (; k < nd; k++) {
            int found = 0;
            for (int u = 0; u < d[k].tg.n; u++) found |= d[k].tg.v[u] == d[0].tg.v[t];
            if (!found) break;
        }
        if (k == nd) {
            *target = d[0].tg.v[t];
            snprintf(name, cap, "%s", d[0].tg.name[t]);
            return t;
        }
    }
    return -1;
}

void ob_cmp_net_times(ob_cmp_dir *d, size_t nd)
{
    for (size_t k0 = 0; k0 < nd; k0++)
        for (size_t i0 = 0; i0 < d[k0].n; i0++) {
            const ob_cmp_pair *W = &d[k0].p[i0];
            if (!W->net || !isnan(W->acc_target)) continue; /* its workload is done */
            double best = -INFINITY; /* a*: over the common pairs of the workload */
            for (size_t k = 0; k < nd; k++)
                for (size_t j = 0; j < d[k].n; j++) {
                    const ob_cmp_pair *P = &d[k].p[j];
                    if (!strcmp(P->w, W->w) && isfinite(P->med) && P->med > best &&
                        ob_cmp_common(d, nd, P->w, P->o))
                        best = P->med;
                }
            double target = isfinite(best) ? best - OB_CMP_NET_SLACK * (1 - best) : INFINITY;
            char w[128];
            snprintf(w, sizeof w, "%s", W->w);
            for (size_t k = 0; k < nd; k++)
                for (size_t j = 0; j < d[k].n; j++) {
                    ob_cmp_pair *P = &d[k].p[j];
                    if (strcmp(P->w, w)) continue;
                    P->acc_target = target;
                    P->time = INFINITY; /* the median curve is the best so far: it only rises */
                    for (size_t e = 0; e < P->cn; e++)
                        if (P->cy[e] >= target) {
                            P->time = P->cx[e];
                            break;
                        }
                }
        }
}

void ob_cmp_scores(const ob_cmp_dir *d, size_t nd, const char *const *names, size_t no,
                   int analytic, double *score, int *nw_analytic, int *nw_net)
{
    for (size_t o = 0; o < no; o++) {
        double area[OB_CMP_MAX_DIRS] = {0};
        nw_analytic[o] = nw_net[o] = 0;
        for (size_t i = 0; i < d[0].n; i++) {
            const ob_cmp_pair *P = &d[0].p[i];
            if (strcmp(P->o, names[o]) || (!P->net && !analytic) ||
                !ob_cmp_common(d, nd, P->w, P->o))
                continue;
            /* the best time on workload w over every (directory, optimizer) compared */
            double best = INFINITY;
            for (size_t k = 0; k < nd; k++)
                for (size_t j = 0; j < d[k].n; j++)
                    if (!strcmp(d[k].p[j].w, P->w) && ob_cmp_common(d, nd, P->w, d[k].p[j].o) &&
                        d[k].p[j].time < best)
                        best = d[k].p[j].time;
            if (P->net) nw_net[o]++;
            else nw_analytic[o]++;
            for (size_t k = 0; k < nd; k++) {
                double t = ob_cmp_find(&d[k], P->w, P->o)->time;
                /* >= 1, or inf/NaN; a best time of 0 (a network at its target before
                 * training): ratio 1 for the times of 0, +inf for the others */
                double r = best > 0 ? t / best : t <= 0 ? 1 : INFINITY;
                /* the integral of [r <= tau] over tau in [1, tau_max] */
                if (r <= OB_CMP_TAU_MAX) area[k] += OB_CMP_TAU_MAX - (r > 1 ? r : 1);
            }
        }
        int n = nw_analytic[o] + nw_net[o];
        for (size_t k = 0; k < nd; k++)
            score[o * nd + k] = n ? area[k] / ((OB_CMP_TAU_MAX - 1) * n) : NAN;
    }
}
