/* bench_internal.h - what bench.c and aggregate.c share. */
#ifndef OB_BENCH_INTERNAL_H
#define OB_BENCH_INTERNAL_H

#include <stddef.h>

#include "bench/bench.h"

double ob_bench_grid_lr(const ob_lr_grid *g, int k);
int ob_bench_grid_points(const ob_lr_grid *g);
void ob_bench_run_path(char *buf, size_t cap, const char *out, const char *w, const char *o,
                       const char *file);

#endif
