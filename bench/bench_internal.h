/* bench_internal.h - what bench.c and aggregate.c share. */
#ifndef OB_BENCH_INTERNAL_H
#define OB_BENCH_INTERNAL_H

#include <stddef.h>

#include "bench/bench.h"

double ob_bench_grid_lr(const ob_lr_grid *g, int k);
int ob_bench_grid_points(const ob_lr_grid *g);
void ob_bench_run_path(char *buf, size_t cap, const char *out, const char *w, const char *o,
                       const char *file);

/* The tuning criterion of a run (lower is better): the median gap f - f* over the last
 * 10% of its logged rows, +inf when it diverged; *hit gets the first logged step with
 * gap <= 1e-6 of the start gap (LONG_MAX when never), the tie-break. */
ob_status ob_bench_score(const char *traj_csv, const char *summary_csv, double *score,
                         long *hit, ob_error *err);

/* The learning rate tuning chose for W/O from its tune-*.csv runs (see bench.c). */
ob_status ob_bench_choose(const char *out, const char *w, const char *o, double *lr,
                          double *score, ob_error *err);

#endif
