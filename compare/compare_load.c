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

/* a value of optbench.json as an option's text: 0.9, true, tuned, [0 0.9 0.99] */
static void value_text(const cJSON *v, char *buf, size_t cap)
{
    if (cJSON_IsNumber(v)) snprintf(buf, cap, "%.10g", v->valuedouble);
    else if (cJSON_IsBool(v)) snprintf(buf, cap, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsString(v)) snprintf(buf, cap, "%s", v->valuestring);
    else if (cJSON_IsArray(v)) {
        size_t used = (size_t)snprintf(buf, cap, "[");
        const cJSON *e;
        cJSON_ArrayForEach(e, v) {
            char one[40];
            value_text(e, one, sizeof one);
            if (used < cap) used += (size_t)snprintf(buf + used, cap - used, "%s%s", used > 1 ? " " : "", one);
        }
        if (used < cap) snprintf(buf + used, cap - used, "]");
    } else snprintf(buf, cap, "?");
}

/* d->defs from optbench.json's suite.optimizers: each one's hyperparameters, and its
 * tuned lists as "tuned:KEY" */
static ob_status read_defs(ob_cmp_dir *d, const cJSON *opts, ob_error *err)
{
    int n = cJSON_GetArraySize(opts);
    if (n <= 0) return OB_OK;
    if (!(d->defs = calloc((size_t)n, sizeof *d->defs))) return ob_fail(err, OB_ENOMEM, "out of memory");
    const cJSON *o;
    cJSON_ArrayForEach(o, opts) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "name"));
        if (!name) continue;
        ob_cmp_optdef *D = &d->defs[d->ndefs++];
        snprintf(D->name, sizeof D->name, "%s", name);
        static const char *const groups[] = {"hyperparameters", "tuned_lists"};
        for (int g = 0; g < 2; g++) {
            const cJSON *h;
            cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(o, groups[g])) {
                if (D->n == OB_CMP_MAX_OPTS || !h->string) continue;
                snprintf(D->key[D->n], sizeof D->key[0], "%s%s", g ? "tuned:" : "", h->string);
                value_text(h, D->val[D->n], sizeof D->val[0]);
                D->n++;
            }
        }
        snprintf(D->label, sizeof D->label, "%s", D->name);
    }
    return OB_OK;
}

const ob_cmp_optdef *ob_cmp_def(const ob_cmp_dir *d, const char *o)
{
    for (size_t i = 0; i < d->ndefs; i++)
        if (!strcmp(d->defs[i].name, o)) return &d->defs[i];
    return NULL;
}

const char *ob_cmp_label(const ob_cmp_dir *d, const char *o)
{
    const ob_cmp_optdef *D = ob_cmp_def(d, o);
    return D ? D->label : o;
}

/* the value of key in D, or NULL */
static const char *def_value(const ob_cmp_optdef *D, const char *key)
{
    for (int i = 0; i < D->n; i++)
        if (!strcmp(D->key[i], key)) return D->val[i];
    return NULL;
}

void ob_cmp_labels(ob_cmp_dir *d, size_t nd)
{
    for (size_t k = 0; k < nd; k++)
        for (size_t i = 0; i < d[k].ndefs; i++) {
            ob_cmp_optdef *D = &d[k].defs[i];
            size_t used = 0;
            D->diff[0] = '\0';
            for (int h = 0; h < D->n; h++) {
                int differs = 0; /* a value another directory's definition does not share */
                for (size_t j = 0; j < nd && !differs; j++) {
                    const ob_cmp_optdef *E = j == k ? NULL : ob_cmp_def(&d[j], D->name);
                    const char *v = E ? def_value(E, D->key[h]) : NULL;
                    differs = E && (!v || strcmp(v, D->val[h]));
                }
                if (differs && used < sizeof D->diff)
                    used += (size_t)snprintf(D->diff + used, sizeof D->diff - used, "%s%s=%s",
                                             used ? "," : "", D->key[h], D->val[h]);
            }
            if (D->diff[0]) snprintf(D->label, sizeof D->label, "%.63s(%.250s)", D->name, D->diff);
            else snprintf(D->label, sizeof D->label, "%s", D->name);
        }
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
        s = read_defs(d, cJSON_GetObjectItemCaseSensitive(su, "optimizers"), err);
        cJSON_Delete(j);
        if (s != OB_OK) return s;
    }
    if (!d->suite[0]) { /* suite.txt: the bench's one-suite-per-directory mark */
        snprintf(p, sizeof p, "%s/suite.txt", path);
        FILE *f = fopen(p, "r");
        if (f && fgets(d->suite, sizeof d->suite, f)) d->suite[strcspn(d->suite, "\n")] = '\0';
        if (f) fclose(f);
    }
    s = ob_targets_read(path, &d->tg, err);
    if (s != OB_OK) ob_cmp_dir_free(d);
    return s;
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

/* seed k's epochs and validation accuracies (networks), into P->sx[k], P->sy[k] */
static ob_status seed_curve(ob_cmp_pair *P, size_t k, const ob_run_data *r)
{
    size_t m = r->curve.rows;
    int ec = ob_table_col(&r->curve, "epoch"), vc = ob_table_col(&r->curve, "val_acc");
    P->sx[k] = malloc((m + 1) * sizeof **P->sx);
    P->sy[k] = malloc((m + 1) * sizeof **P->sy);
    if (!P->sx[k] || !P->sy[k]) return OB_ENOMEM;
    for (size_t e = 0; e < m; e++) {
        P->sx[k][e] = ob_table_num(&r->curve, e, ec);
        P->sy[k][e] = ob_table_num(&r->curve, e, vc);
    }
    P->sn[k] = m;
    return OB_OK;
}

/* the statistics of the seeds r[0..n) of one pair */
static ob_status pair_stats(ob_cmp_pair *P, ob_run_data *r, size_t n, double target,
                            ob_error *err)
{
    double *v = malloc(n * sizeof *v), *t = malloc(n * sizeof *t), *a = malloc(n * sizeof *a);
    P->ts = malloc(n * sizeof *P->ts);
    P->vs = malloc(n * sizeof *P->vs);
    if (r[0].net) {
        P->sx = calloc(n, sizeof *P->sx);
        P->sy = calloc(n, sizeof *P->sy);
        P->sn = calloc(n, sizeof *P->sn);
    }
    if (!v || !t || !a || !P->ts || !P->vs || (r[0].net && (!P->sx || !P->sy || !P->sn))) {
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
            P->vs[k] = div ? 0 : r[k].best_val_acc;
            a[k] = r[k].test_acc;
            P->ts[k] = INFINITY; /* ob_cmp_net_times */
            if (seed_curve(P, k, &r[k]) != OB_OK) {
                free(v), free(t), free(a);
                return ob_fail(err, OB_ENOMEM, "out of memory");
            }
        } else {
            v[k] = P->vs[k] = div ? INFINITY : r[k].final_gap;
            long h = div ? -1 : ob_run_first_below(&r[k], target);
            t[k] = P->ts[k] = h < 0 ? INFINITY : ob_run_at(&r[k], (size_t)h, OB_RC_EVALS);
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
        ob_cmp_pair *P = &d->p[i];
        free(P->cx), free(P->cy), free(P->ts), free(P->vs);
        for (size_t k = 0; P->sx && k < (size_t)P->seeds; k++) free(P->sx[k]), free(P->sy[k]);
        free(P->sx), free(P->sy), free(P->sn);
    }
    free(d->p);
    d->p = NULL;
    d->n = 0;
    free(d->defs);
    d->defs = NULL;
    d->ndefs = 0;
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
                    /* each seed: the first epoch whose validation accuracy reaches the
                     * target (a diverged run's accuracies are NaN: never) */
                    double *t = malloc((size_t)P->seeds * sizeof *t);
                    for (size_t k = 0; k < (size_t)P->seeds; k++) {
                        P->ts[k] = INFINITY;
                        for (size_t e = 0; e < P->sn[k]; e++)
                            if (P->sy[k][e] >= target) {
                                P->ts[k] = P->sx[k][e];
                                break;
                            }
                        if (t) t[k] = P->ts[k];
                    }
                    P->time = t ? ob_median(t, (size_t)P->seeds) : NAN;
                    free(t);
                }
        }
}
