/* ranking.c - ranking_analytic.csv and ranking_net.csv: per (workload, optimizer) the
 * medians across seeds and the rank within the workload; ranking_targets.csv: per
 * (analytic workload, optimizer, target) the median steps to it and how many seeds
 * reached it (see tables.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/stats.h"
#include "tables/pairs.h"

/* The ranking within a workload: the pairs whose median run reached the tightest target
 * first, by median evaluations to it; then the rest by median final gap; ties by the
 * order of the pairs.  Networks: by median best validation accuracy, highest first. */
typedef struct {
    size_t idx;
    int reached;
    double key;
} rank_key;

/* (reached, key, idx) in lexicographic order, reached pairs first: three keys, which
 * gsl_sort (one double key) does not order, hence qsort */
static int cmp_rank(const void *a, const void *b)
{
    const rank_key *x = a, *y = b;
    if (x->reached != y->reached) return y->reached - x->reached;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* the median of the seeds' values v of pair P (tmp: room for P->seeds) */
static double median_of(const ob_pair_stats *P, const double *v, double *tmp)
{
    memcpy(tmp, v, (size_t)P->seeds * sizeof *tmp);
    return ob_median(tmp, (size_t)P->seeds);
}

static rank_key key_of(const ob_pair_stats *P, size_t i, double *tmp)
{
    if (P->net) return (rank_key){i, 1, -median_of(P, P->val, tmp)};
    double m = median_of(P, P->to[OB_TIGHTEST(P->nt)], tmp);
    double mg = median_of(P, P->final_gap, tmp);
    return (rank_key){i, isfinite(m), isfinite(m) ? m : mg};
}

/* rank[i] for every pair i, 1 the best within its workload; 0 when out of memory */
static int compute_ranks(const ob_tables *T, int *rank)
{
    size_t maxs = 1;
    for (size_t i = 0; i < T->npairs; i++)
        if ((size_t)T->pairs[i].seeds > maxs) maxs = (size_t)T->pairs[i].seeds;
    rank_key *keys = malloc((T->npairs ? T->npairs : 1) * sizeof *keys);
    double *tmp = malloc(maxs * sizeof *tmp);
    int ok = keys && tmp;
    for (size_t start = 0, end; ok && start < T->npairs; start = end) {
        for (end = start; end < T->npairs && strcmp(T->pairs[end].w, T->pairs[start].w) == 0; end++)
            keys[end - start] = key_of(&T->pairs[end], end, tmp);
        qsort(keys, end - start, sizeof *keys, cmp_rank);
        for (size_t k = 0; k < end - start; k++) rank[keys[k].idx] = (int)k + 1;
    }
    free(keys);
    free(tmp);
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

static void ranking_net_row(ob_csv *c, const ob_pair_stats *P, int rank, double *tmp)
{
    ranking_head(c, P);
    ob_csv_num_or_empty(c, median_of(P, P->val, tmp));
    ob_csv_num_or_empty(c, median_of(P, P->test, tmp));
    ob_csv_num_or_empty(c, median_of(P, P->esec, tmp));
    ob_csv_int(c, rank);
    ob_csv_end_row(c);
}

/* the pair's ranking_analytic.csv row and its ranking_targets.csv rows (one per target:
 * the median steps to it, empty when the median run did not reach it, and how many
 * seeds reached it) */
static void ranking_analytic_rows(ob_tables *T, const ob_pair_stats *P, int rank, double *tmp)
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
    ob_csv_int(c, rank);
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
    int *rank = calloc(T->npairs ? T->npairs : 1, sizeof *rank);
    if (!rank || !compute_ranks(T, rank)) {
        free(rank);
        return;
    }
    for (size_t i = 0; i < T->npairs; i++) {
        double *tmp = malloc((size_t)T->pairs[i].seeds * sizeof *tmp);
        if (!tmp) break;
        if (T->pairs[i].net) ranking_net_row(&T->ranking_net, &T->pairs[i], rank[i], tmp);
        else ranking_analytic_rows(T, &T->pairs[i], rank[i], tmp);
        free(tmp);
    }
    free(rank);
}
