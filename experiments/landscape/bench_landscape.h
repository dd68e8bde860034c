/* bench_landscape.h - loss landscapes as a step of the benchmark (bench_landscape.c) and
 * their figure recipes (recipes.c): what its entry in experiments.c is made of. */
#ifndef OB_BENCH_LANDSCAPE_H
#define OB_BENCH_LANDSCAPE_H

#include "bench/bench.h"
#include "plots/recipes.h"

/* `optbench landscape` on every network workload with landscape = true, after the
 * tables: each optimizer at its chosen learning rate (chosen.csv), trained as the
 * workload's seed-1 run; out/landscape/W/ (results/README.md).  Done ones are skipped. */
ob_status ob_landscape_bench(const ob_bench_config *c, ob_error *err);

/* its figures (recipes.c), in the registry's report order */
extern const ob_plot_recipe *const ob_landscape_recipes[];

#endif
