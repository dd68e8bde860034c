/* compare.c - `optbench compare` (compare.h): the directories read, the common pairs
 * ranked per workload, the scores, the tables as CSV (ranking.csv, changes.csv,
 * scores.csv, unmatched.csv), the figures, then the document (compare_doc.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/outfile.h"
#include "common/csvout.h"
#include "common/path.h"
#include "plots/style.h"
#include "plots/gnuplot.h"
#include "compare/compare.h"

static int cmp_entry(const void *x, const void *y)
{
    const ob_cmp_entry *a = x, *b = y;
    const ob_cmp_pair *p = a->P, *q = b->P;
    double ka, kb;
    if (p->net) {
        ka = -p->med, kb = -q->med;
    } else {
        int ra = isfinite(p->time), rb = isfinite(q->time);
        if (ra != rb) return rb - ra;
        ka = ra ? p->time : p->med, kb = rb ? q->time : q->med;
    }
    if (ka != kb) return ka < kb ? -1 : 1;
    if (a->dir != b->dir) return a->dir < b->dir ? -1 : 1;
    return ob_style_cmp(p->o, q->o);
}

size_t ob_cmp_rank(const ob_cmp_view *v, const char *w, ob_cmp_entry *e)
{
    size_t n = 0;
    for (size_t k = 0; k < v->nd; k++)
        for (size_t o = 0; o < v->no; o++) {
            const ob_cmp_pair *P = ob_cmp_find(&v->d[k], w, v->opt[o]);
            if (P && ob_cmp_common(v->d, v->nd, w, v->opt[o])) e[n++] = (ob_cmp_entry){k, P, 0};
        }
    qsort(e, n, sizeof *e, cmp_entry);
    int rank = 0; /* a reference method (gsl-bfgs, gsl-cg) is tabled in its place, unranked */
    for (size_t i = 0; i < n; i++) {
        const ob_optimizer_type *T = ob_optimizer_find(e[i].P->o);
        e[i].rank = T && T->reference ? 0 : ++rank;
    }
    return n;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* v->w: the workloads of every directory, sorted, each once; v->opt: the optimizers of
 * the common pairs */
static ob_status collect(ob_cmp_view *v, ob_error *err)
{
    size_t cap = 0;
    for (size_t k = 0; k < v->nd; k++) cap += v->d[k].n;
    v->w = malloc((cap + 1) * sizeof *v->w);
    if (!v->w) return ob_fail(err, OB_ENOMEM, "out of memory");
    for (size_t k = 0; k < v->nd; k++)
        for (size_t i = 0; i < v->d[k].n; i++) {
            const ob_cmp_pair *P = &v->d[k].p[i];
            size_t j = 0;
            while (j < v->nw && strcmp(v->w[j], P->w)) j++;
            if (j == v->nw) v->w[v->nw++] = (char *)P->w;
            if (!ob_cmp_common(v->d, v->nd, P->w, P->o)) continue;
            for (j = 0; j < v->no && strcmp(v->opt[j], P->o); j++) {}
            if (j == v->no && v->no < 32) v->opt[v->no++] = P->o;
        }
    qsort(v->w, v->nw, sizeof *v->w, cmp_str);
    ob_style_sort(v->opt, v->no);
    return OB_OK;
}

static ob_status write_ranking(const ob_cmp_view *v, const char *out, ob_error *err)
{
    static const char *const head[] = {"workload", "kind", "rank", "dir", "directory",
                                       "optimizer", "lr", "seeds", "diverged", "metric",
                                       "median", "q1", "q3", "evals_to_target", "test_acc",
                                       "epochs_to_target", "target_val_acc"};
    char path[4096];
    ob_csv c;
    ob_status s = ob_csv_open(&c, ob_pathf(path, sizeof path, "%s/ranking.csv", out), err);
    if (s != OB_OK) return s;
    for (size_t i = 0; i < 17; i++) ob_csv_text(&c, head[i]);
    ob_csv_end_row(&c);
    ob_cmp_entry *e = malloc((v->nd * v->no + 1) * sizeof *e);
    if (!e) {
        ob_csv_abort(&c);
        return ob_fail(err, OB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < v->nw; i++) {
        size_t n = ob_cmp_rank(v, v->w[i], e);
        for (size_t r = 0; r < n; r++) {
            const ob_cmp_pair *P = e[r].P;
            ob_csv_text(&c, P->w);
            ob_csv_text(&c, P->net ? "network" : "analytic");
            if (e[r].rank) ob_csv_int(&c, e[r].rank);
            else ob_csv_text(&c, ""); /* a reference method: not ranked */
            ob_csv_text(&c, v->d[e[r].dir].label);
            ob_csv_text(&c, v->d[e[r].dir].path);
            ob_csv_text(&c, ob_cmp_label(&v->d[e[r].dir], P->o));
            ob_csv_num(&c, P->lr);
            ob_csv_int(&c, P->seeds);
            ob_csv_int(&c, P->diverged);
            ob_csv_text(&c, P->net ? "best_val_acc" : "final_gap");
            ob_csv_num(&c, P->med);
            ob_csv_num(&c, P->q1);
            ob_csv_num(&c, P->q3);
            if (P->net || !isfinite(P->time)) ob_csv_text(&c, "");
            else ob_csv_num(&c, P->time);
            if (P->net) ob_csv_num(&c, P->test);
            else ob_csv_text(&c, "");
            if (P->net && isfinite(P->time)) ob_csv_num(&c, P->time);
            else ob_csv_text(&c, "");
            if (P->net && isfinite(P->acc_target)) ob_csv_num(&c, P->acc_target);
            else ob_csv_text(&c, "");
            ob_csv_end_row(&c);
        }
    }
    free(e);
    return ob_csv_commit(&c, err);
}

/* the metric's name in changes.csv: evals_to_1e-6, final_gap, best_val_acc */
static const char *metric_name(const ob_cmp_view *v, ob_cmp_metric m, char *buf, size_t cap)
{
    if (m == OB_CMP_EVALS) snprintf(buf, cap, "evals_to_%s", v->target_name);
    else snprintf(buf, cap, "%s", m == OB_CMP_GAP ? "final_gap" : "best_val_acc");
    return buf;
}

/* changes.csv: each common pair of each later directory against A, tested */
static ob_status write_changes(const ob_cmp_view *v, const char *out, ob_error *err)
{
    static const char *const head[] = {"workload", "optimizer", "optimizer_A", "dir", "metric",
                                       "median_A", "median", "ratio", "ci_lo", "ci_hi", "p",
                                       "p_holm", "flagged"};
    char path[4096];
    ob_csv c;
    ob_status s = ob_csv_open(&c, ob_pathf(path, sizeof path, "%s/changes.csv", out), err);
    if (s != OB_OK) return s;
    for (size_t i = 0; i < sizeof head / sizeof *head; i++) ob_csv_text(&c, head[i]);
    ob_csv_end_row(&c);
    for (size_t i = 0; i < v->nch; i++) {
        const ob_cmp_change *C = &v->ch[i];
        char m[64];
        ob_csv_text(&c, C->w);
        ob_csv_text(&c, ob_cmp_label(&v->d[C->dir], C->o));
        ob_csv_text(&c, ob_cmp_label(&v->d[0], C->o));
        ob_csv_text(&c, v->d[C->dir].label);
        ob_csv_text(&c, metric_name(v, C->metric, m, sizeof m));
        ob_csv_num(&c, C->med_a);
        ob_csv_num(&c, C->med_b);
        ob_csv_num(&c, C->ratio.est);
        ob_csv_num(&c, C->ratio.lo);
        ob_csv_num(&c, C->ratio.hi);
        ob_csv_num(&c, C->p);
        ob_csv_num(&c, C->p_holm);
        ob_csv_text(&c, C->flagged ? "yes" : "no");
        ob_csv_end_row(&c);
    }
    return ob_csv_commit(&c, err);
}

static ob_status write_scores(const ob_cmp_view *v, const char *out, ob_error *err)
{
    char path[4096];
    ob_csv c;
    ob_status s = ob_csv_open(&c, ob_pathf(path, sizeof path, "%s/scores.csv", out), err);
    if (s != OB_OK) return s;
    static const char *const head[] = {"optimizer", "dir", "directory", "workloads",
                                       "analytic_workloads", "network_workloads", "target",
                                       "score"};
    for (size_t i = 0; i < 8; i++) ob_csv_text(&c, head[i]);
    ob_csv_end_row(&c);
    for (size_t o = 0; o < v->no; o++)
        for (size_t k = 0; k < v->nd; k++) {
            if (!v->score_wa[o] && !v->score_wn[o]) continue; /* no workload: no score */
            ob_csv_text(&c, ob_cmp_label(&v->d[k], v->opt[o]));
            ob_csv_text(&c, v->d[k].label);
            ob_csv_text(&c, v->d[k].path);
            ob_csv_int(&c, v->score_wa[o] + v->score_wn[o]);
            ob_csv_int(&c, v->score_wa[o]);
            ob_csv_int(&c, v->score_wn[o]);
            ob_csv_text(&c, v->score_wa[o] ? v->target_name : ""); /* the analytic target */
            ob_csv_num(&c, v->score[o * v->nd + k]);
            ob_csv_end_row(&c);
        }
    return ob_csv_commit(&c, err);
}

/* unmatched.csv: the pairs some directory has and another lacks */
static ob_status write_unmatched(const ob_cmp_view *v, const char *out, ob_error *err)
{
    char path[4096];
    ob_csv c;
    ob_status s = ob_csv_open(&c, ob_pathf(path, sizeof path, "%s/unmatched.csv", out), err);
    if (s != OB_OK) return s;
    static const char *const head[] = {"dir", "directory", "workload", "optimizer", "missing_in"};
    for (size_t i = 0; i < 5; i++) ob_csv_text(&c, head[i]);
    ob_csv_end_row(&c);
    for (size_t k = 0; k < v->nd; k++)
        for (size_t i = 0; i < v->d[k].n; i++) {
            const ob_cmp_pair *P = &v->d[k].p[i];
            if (ob_cmp_common(v->d, v->nd, P->w, P->o)) continue;
            char miss[64];
            ob_cmp_missing_in(v->d, v->nd, P->w, P->o, "", miss, sizeof miss);
            ob_csv_text(&c, v->d[k].label);
            ob_csv_text(&c, v->d[k].path);
            ob_csv_text(&c, P->w);
            ob_csv_text(&c, ob_cmp_label(&v->d[k], P->o));
            ob_csv_text(&c, miss);
            ob_csv_end_row(&c);
        }
    return ob_csv_commit(&c, err);
}

/* the figures of the workloads with a common pair (warnings on stderr for the others
 * are the command's: here drawn[] says which exist) */
static void draw_figures(ob_cmp_view *v, const char *out)
{
    char dir[4096], png[4400];
    ob_pathf(dir, sizeof dir, "%s/figures", out);
    ob_error me = {{0}};
    int gp = ob_gnuplot_available() && ob_mkdirs(dir, &me) == OB_OK;
    for (size_t i = 0; i < v->nw; i++) {
        ob_error e = {{0}};
        ob_pathf(png, sizeof png, "%s/compare-%s.png", dir, v->w[i]);
        size_t o = 0;
        while (o < v->no && !ob_cmp_common(v->d, v->nd, v->w[i], v->opt[o])) o++;
        v->drawn[i] = gp && o < v->no && ob_cmp_figure(v->d, v->nd, v->w[i], png, &e) == OB_OK;
    }
}

ob_status ob_compare_run(const char *const *dirs, size_t nd, const char *out, int quiet,
                         ob_error *err)
{
    if (nd < 2 || nd > OB_CMP_MAX_DIRS)
        return ob_fail(err, OB_EINVAL, "compare takes 2 to %d directories, got %zu",
                       OB_CMP_MAX_DIRS, nd);
    ob_cmp_dir d[OB_CMP_MAX_DIRS];
    ob_cmp_view v = {.d = d, .nd = nd};
    size_t opened = 0;
    ob_status s = OB_OK;
    for (; opened < nd && s == OB_OK; opened++)
        if ((s = ob_cmp_dir_open(&d[opened], dirs[opened], (int)opened, err)) != OB_OK) break;
    if (s == OB_OK) {
        ob_cmp_labels(d, nd);
        v.have_target = ob_cmp_common_target(d, nd, &v.target, v.target_name,
                                             sizeof v.target_name) >= 0;
        /* times only; the analytic workloads get no score */
        if (!v.have_target) { /* A's tightest, relative: it applies to B's runs as well */
            v.target = d[0].tg.v[d[0].tg.n - 1];
            snprintf(v.target_name, sizeof v.target_name, "%s", d[0].tg.name[d[0].tg.n - 1]);
        }
    }
    for (size_t k = 0; k < nd && s == OB_OK; k++) s = ob_cmp_dir_load(&d[k], v.target, err);
    if (s == OB_OK) s = collect(&v, err);
    if (s == OB_OK) ob_cmp_net_times(d, nd);
    if (s == OB_OK && !(v.drawn = calloc(v.nw + 1, sizeof *v.drawn)))
        s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK) s = ob_mkdirs(out, err);
    if (s == OB_OK) {
        ob_cmp_scores(d, nd, v.opt, v.no, v.have_target, v.score, v.score_wa, v.score_wn);
        s = write_ranking(&v, out, err);
    }
    if (s == OB_OK) s = ob_cmp_changes(&v, err);
    if (s == OB_OK) s = write_changes(&v, out, err);
    if (s == OB_OK) s = write_scores(&v, out, err);
    if (s == OB_OK) s = write_unmatched(&v, out, err);
    if (s == OB_OK) draw_figures(&v, out);
    if (s == OB_OK) s = ob_cmp_write_doc(&v, out, err);
    if (s == OB_OK && !quiet)
        printf("compared %zu directories: %zu workloads, %zu optimizers in common pairs; "
               "report: %s/compare.md, %s/index.html\n", nd, v.nw, v.no, out, out);
    for (size_t k = 0; k < opened && k < nd; k++) ob_cmp_dir_free(&d[k]);
    free(v.w);
    free(v.drawn);
    free(v.ch);
    return s;
}
