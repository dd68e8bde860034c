/* bench_rate.h - the SGD-rate experiment as a step of the benchmark (bench_rate.c) and its
 * figure recipes (figure.c): what its entry in experiments.c is made of. */
#ifndef OB_BENCH_RATE_H
#define OB_BENCH_RATE_H

#include "bench/bench.h"
#include "plots/recipes.h"

/* The SGD-rate experiment on every workload the theorem applies to: out/rate/W.csv and
 * out/rate.csv (workload, status, and the reason where it does not apply). */
ob_status ob_rate_bench(const ob_bench_config *c, ob_error *err);

/* rate/W.png for every workload W of rate/ (the report's section shows it) */
extern const ob_plot_recipe *const ob_rate_recipes[];

#endif
