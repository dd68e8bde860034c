/* ranking.c - ranking_analytic.csv and ranking_net.csv: per (workload, optimizer) the
 * medians across seeds, the ranking metric with its 95 % bootstrap interval, and the rank
 * group within the workload; ranking_targets.csv: per (analytic workload, optimizer,
 * target) the median steps to it and how many seeds reached it (see tables.h).
 *
 * The ranking within a workload (results/README.md, docs/benchmark.md): analytic pairs
 * whose median run reached the tightest target first, by median evaluations to it (a
 * seed that never reached it counts +inf); then the rest by median final gap; networks
 * by median best validation accuracy, highest first; ties by the order of the pairs.
 * Walking that order, a pair joins the group of the current group's leader unless a
 * two-sided Mann-Whitney test at OB_ALPHA tells their seeds apart on the metric the
 * ranking sorts by (between two pairs that did not reach the target, the final gap; else
 * the evaluations, +inf included): ranks 1, 2=, 2=, 4.  Reference methods (the registry's
 * .reference, the GSL minimizers) are tabled with their metric but not ranked. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/stats.h"
#include "optimizers/optimizer.h"
#include "tables/inference.h"
#include "tables/pairs.h"

/* What the ranking knows of one pair. */
typedef struct {
    int reference;          /* a reference method: tabled, not ranked */
    int reached;            /* analytic: the median run reached the tightest target */
    const char *metric;     /* "evals", "final_gap" or "best_val_acc" */
    ob_interval m;          /* the metric's median and 95 % bootstrap interval */
    ob_interval gap;        /* analytic: the final gap's */
    int rank, tied;         /* rank 0: not ranked (a reference) */
} pair_rank;

/* the values of v[0..n) that are numbers (a missing run is not a sample), into out */
static size_t numbers(const double *v, size_t n, double *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i])) out[m++] = v[i];
    return m;
}

/* the median of the seeds' values v of pair P with its bootstrap interval (tmp: room for
 * P->seeds) */
static ob_interval boot_of(const ob_pair_stats *P, const double *v, double *tmp)
{
    ob_interval ci;
    size_t n = numbers(v, (size_t)P->seeds, tmp);
    if (ob_boot_median(tmp, n, OB_CI_LEVEL, OB_BOOT_RESAMPLES, OB_BOOT_SEED, &ci) != 0)
        ci.est = ci.lo = ci.hi = NAN;
    return ci;
}

static pair_rank rank_of(const ob_pair_stats *P, double *tmp)
{
    const ob_optimizer_type *T = ob_optimizer_find(P->o); /* a pair's directory is its name */
    pair_rank r = {.reference = T && T->reference, .reached = 1};
    if (P->net) {
        r.metric = "best_val_acc";
        r.m = boot_of(P, P->val, tmp);
        r.gap.est = r.gap.lo = r.gap.hi = NAN;
        return r;
    }
    r.gap = boot_of(P, P->final_gap, tmp);
    r.m = boot_of(P, P->to[OB_TIGHTEST(P->nt)], tmp);
    r.reached = isfinite(r.m.est);
    r.metric = r.reached ? "evals" : "final_gap";
    if (!r.reached) r.m = r.gap;
    return r;
}

/* A pair's place in its workload's order: (reached, key, idx) in lexicographic order,
 * reached pairs first, key ascending (for networks minus the accuracy); three keys, which
 * gsl_sort (one double key) does not order, hence qsort. */
typedef struct {
    size_t idx;
    int reached;
    double key;
} rank_key;

static int cmp_rank(const void *a, const void *b)
{
    const rank_key *x = a, *y = b;
    if (x->reached != y->reached) return y->reached - x->reached;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static rank_key key_of(const ob_pair_stats *P, const pair_rank *r, size_t i)
{
    double k = P->net ? -r->m.est : r->m.est;
    return (rank_key){i, r->reached, isnan(k) ? INFINITY : k};
}

/* the Mann-Whitney p-value between the pairs at positions leader and i of a workload's
 * order, on the metric the ranking sorts by */
typedef struct {
    const ob_tables *T;
    const pair_rank *pr;
    const rank_key *keys;
    double *a, *b; /* room for the seeds of any pair */
} groups_ctx;

static double pair_p(void *ctx, size_t leader, size_t i)
{
    groups_ctx *g = ctx;
    size_t u = g->keys[leader].idx, v = g->keys[i].idx;
    const ob_pair_stats *P = &g->T->pairs[u], *Q = &g->T->pairs[v];
    const double *x, *y;
    if (P->net) x = P->val, y = Q->val;
    else if (!g->pr[u].reached && !g->pr[v].reached) x = P->final_gap, y = Q->final_gap;
    else x = P->to[OB_TIGHTEST(P->nt)], y = Q->to[OB_TIGHTEST(Q->nt)];
    size_t na = numbers(x, (size_t)P->seeds, g->a), nb = numbers(y, (size_t)Q->seeds, g->b);
    return ob_mann_whitney_p(g->a, na, g->b, nb);
}

/* pr[i] for every pair i: its metric, and its rank group within its workload among the
 * pairs that are not references; 0 when out of memory */
static int compute_ranks(const ob_tables *T, pair_rank *pr)
{
    size_t maxs = 1;
    for (size_t i = 0; i < T->npairs; i++)
        if ((size_t)T->pairs[i].seeds > maxs) maxs = (size_t)T->pairs[i].seeds;
    size_t np = T->npairs ? T->npairs : 1;
    rank_key *keys = malloc(np * sizeof *keys);
    int *rank = malloc(np * sizeof *rank), *tied = malloc(np * sizeof *tied);
    double *a = malloc(maxs * sizeof *a), *b = malloc(maxs * sizeof *b);
    int ok = keys && rank && tied && a && b;
    for (size_t i = 0; ok && i < T->npairs; i++) pr[i] = rank_of(&T->pairs[i], a);
    for (size_t start = 0, end; ok && start < T->npairs; start = end) {
        size_t n = 0; /* the workload's competitors */
        for (end = start; end < T->npairs && strcmp(T->pairs[end].w, T->pairs[start].w) == 0; end++)
            if (!pr[end].reference) keys[n++] = key_of(&T->pairs[end], &pr[end], end);
        qsort(keys, n, sizeof *keys, cmp_rank);
        groups_ctx g = {T, pr, keys, a, b};
        ob_rank_groups(n, pair_p, &g, OB_ALPHA, rank, tied);
        for (size_t k = 0; k < n; k++) {
            pr[keys[k].idx].rank = rank[k];
            pr[keys[k].idx].tied = tied[k];
        }
    }
    free(keys);
    free(rank);
    free(tied);
    free(a);
    free(b);
    return ok;
}

/* the columns of tables.h's ranking_* tables that both kinds share */
static void ranking_head(ob_csv *c, const ob_pair_stats *P)
{
    ob_csv_text(c, P->w);
    ob_csv_text(c, P->o);
    ob_csv_num(c, P->lr);
    ob_csv_int(c, P->seeds);
    ob_csv_int(c, P->ndiv);
}

/* rank (empty for a reference), then the columns both kinds add after it: metric, median,
 * ci_lo, ci_hi (empty when not finite: a bound on a seed that never reached the target,
 * or diverged), tied, role */
static void ranking_tail(ob_csv *c, const pair_rank *r)
{
    if (r->reference) ob_csv_text(c, "");
    else ob_csv_int(c, r->rank);
    ob_csv_text(c, r->metric);
    ob_csv_num_or_empty(c, r->m.est);
    ob_csv_num_or_empty(c, r->m.lo);
    ob_csv_num_or_empty(c, r->m.hi);
    if (r->reference) ob_csv_text(c, "");
    else ob_csv_int(c, r->tied);
    ob_csv_text(c, r->reference ? "reference" : "competitor");
}

/* the median of the seeds' values v of pair P (tmp: room for P->seeds) */
static double median_of(const ob_pair_stats *P, const double *v, double *tmp)
{
    memcpy(tmp, v, (size_t)P->seeds * sizeof *tmp);
    return ob_median(tmp, (size_t)P->seeds);
}

static void ranking_net_row(ob_csv *c, const ob_pair_stats *P, const pair_rank *r, double *tmp)
{
    ranking_head(c, P);
    ob_csv_num_or_empty(c, median_of(P, P->val, tmp));
    ob_csv_num_or_empty(c, median_of(P, P->test, tmp));
    ob_csv_num_or_empty(c, median_of(P, P->esec, tmp));
    ranking_tail(c, r);
    ob_csv_end_row(c);
}

/* the pair's ranking_analytic.csv row and its ranking_targets.csv rows (one per target:
 * the median steps to it, empty when the median run did not reach it, and how many
 * seeds reached it) */
static void ranking_analytic_rows(ob_tables *T, const ob_pair_stats *P, const pair_rank *r,
                                  double *tmp)
{
    size_t n = (size_t)P->seeds;
    ob_csv *c = &T->ranking;
    ranking_head(c, P);
    memcpy(tmp, P->final_gap, n * sizeof *tmp);
    ob_sort(tmp, n);
    ob_csv_num_or_empty(c, ob_quantile_sorted(tmp, n, 0.5));
    ob_csv_num_or_empty(c, ob_quantile_sorted(tmp, n, 0.25));
    ob_csv_num_or_empty(c, ob_quantile_sorted(tmp, n, 0.75));
    ob_csv_num(c, P->spp);
    ranking_tail(c, r);
    ob_csv_num_or_empty(c, r->gap.lo);
    ob_csv_num_or_empty(c, r->gap.hi);
    ob_csv_end_row(c);
    for (int k = 0; k < P->nt; k++) {
        int reached = 0;
        for (size_t j = 0; j < n; j++) reached += isfinite(P->steps_to[k][j]);
        ob_csv_text(&T->ranking_targets, P->w);
        ob_csv_text(&T->ranking_targets, P->o);
        ob_csv_text(&T->ranking_targets, T->tg.name[k]);
        ob_csv_num_or_empty(&T->ranking_targets, median_of(P, P->steps_to[k], tmp));
        ob_csv_int(&T->ranking_targets, reached);
        ob_csv_end_row(&T->ranking_targets);
    }
}

void ob_write_ranking(ob_tables *T)
{
    pair_rank *pr = calloc(T->npairs ? T->npairs : 1, sizeof *pr);
    if (!pr || !compute_ranks(T, pr)) {
        free(pr);
        return;
    }
    for (size_t i = 0; i < T->npairs; i++) {
        double *tmp = malloc((size_t)T->pairs[i].seeds * sizeof *tmp);
        if (!tmp) break;
        if (T->pairs[i].net) ranking_net_row(&T->ranking_net, &T->pairs[i], &pr[i], tmp);
        else ranking_analytic_rows(T, &T->pairs[i], &pr[i], tmp);
        free(tmp);
    }
    free(pr);
}
