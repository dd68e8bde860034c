/* experiment.h - the one small interface of an experiment's room (experiments/NAME/): its
 * step of the benchmark, its figure recipes and its section of the report.  The benchmark
 * (cli/cmd_bench.c), `optbench plot DIR` and the report reach every experiment through
 * ob_experiments[] (experiments.c), so adding an experiment touches its room and one line
 * of that list.  Its own command (`optbench rate`, `stability`, `landscape`) is a file of
 * cli/ that calls into the room. */
#ifndef OB_EXPERIMENT_H
#define OB_EXPERIMENT_H

#include "bench/bench.h"
#include "plots/recipes.h"
#include "report/report.h"

/* When the benchmark runs an experiment's step. */
typedef enum {
    OB_EXP_BESIDE_RUNS,  /* beside the runs (it reads none of them): in a process of its own
                            when the bench has more than one job, else after the runs */
    OB_EXP_AFTER_TABLES  /* once the tables are written (it reads chosen.csv) */
} ob_exp_stage;

typedef struct {
    const char *name;
    ob_exp_stage stage;
    /* its step of the benchmark over the suite c (NULL: not part of the benchmark); done
     * parts are skipped, so a resumed bench redoes nothing */
    ob_status (*bench)(const ob_bench_config *c, ob_error *err);
    /* its figures in the one figure registry, NULL-terminated (NULL: none) */
    const ob_plot_recipe *const *recipes;
    /* its section of the report, after the tuning protocol (NULL: its figures stand in
     * the sections their recipes name) */
    ob_report_section_fn section;
} ob_experiment;

/* Every experiment, NULL-terminated, in report order. */
extern const ob_experiment *const ob_experiments[];

/* Runs the benchmark steps of every experiment of stage s over c, in list order. */
ob_status ob_experiments_bench(const ob_bench_config *c, ob_exp_stage s, ob_error *err);

/* `optbench plot DIR`'s job with every experiment's figures and sections: o's recipes and
 * sections are set to the core recipes and the experiments' (report/report.h). */
ob_status ob_experiments_render(const char *dir, ob_render_opts *o, ob_error *err);

/* The whole figure registry (the core recipes, then each experiment's) as lists for
 * ob_figures_plan and ob_plot_recipe_find: fills lists (cap >= 2 + the experiments) and
 * returns it. */
const ob_plot_recipe *const *const *ob_experiments_recipes(const ob_plot_recipe *const **lists,
                                                           size_t cap);

#endif
