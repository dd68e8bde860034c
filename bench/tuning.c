/* tuning.c - see tuning.h. */
#include "bench/tuning.h"

#include "bench/bench.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/stats.h"

double ob_tuning_score(const ob_run_data *r, long *hit)
{
    if (r->net) { /* networks: the best validation accuracy, higher is better */
        *hit = LONG_MAX;
        return ob_run_diverged(r) || !isfinite(r->best_val_acc) ? INFINITY : -r->best_val_acc;
    }
    long h = ob_run_first_below(r, ob_targets[OB_N_TARGETS - 1]); /* the tightest target */
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

ob_status ob_tuning_load(const char *dir, ob_tune_row **rows, size_t *n, ob_error *err)
{
    char **stems = ob_run_stems(dir, "tune-", n);
    *rows = *n ? malloc(*n * sizeof **rows) : NULL;
    ob_status s = *n && !*rows ? ob_fail(err, OB_ENOMEM, "out of memory") : OB_OK;
    for (size_t i = 0; i < *n && s == OB_OK; i++) {
        ob_run_data r;
        if ((s = ob_run_data_load(dir, stems[i], &r, err)) == OB_OK) {
            ob_tune_row *t = &(*rows)[i];
            t->lr = r.lr;
            t->score = ob_tuning_score(&r, &t->hit);
            t->final_gap = r.net ? NAN : r.final_gap;
            t->net = r.net;
            snprintf(t->status, sizeof t->status, "%s", r.status);
        }
        ob_run_data_free(&r);
    }
    ob_run_stems_free(stems, *n);
    if (s == OB_OK) {
        /* by lr: insertion sort (a grid has a few dozen points) */
        for (size_t i = 1; i < *n; i++)
            for (size_t j = i; j > 0 && (*rows)[j].lr < (*rows)[j - 1].lr; j--) {
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
            best = i; /* equal score and hit: the smaller rate, met first, stays */
    return best;
}

ob_status ob_bench_choose(const char *out, const char *w, const char *o, double *lr,
                          double *score, ob_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", out, w, o);
    ob_tune_row *t;
    size_t n;
    ob_status s = ob_tuning_load(dir, &t, &n, err);
    if (s != OB_OK) return s;
    if (n == 0) return ob_fail(err, OB_EIO, "no tuning runs in %s", dir);
    size_t b = ob_tuning_choose(t, n);
    *lr = t[b].lr;
    if (score) *score = t[b].score;
    free(t);
    return OB_OK;
}
