/* experiments.c - the list of experiments (experiment.h): one line each. */
#include "experiments/experiment.h"

extern const ob_experiment ob_exp_landscape, ob_exp_stability, ob_exp_rate;

const ob_experiment *const ob_experiments[] = {&ob_exp_landscape, &ob_exp_stability, &ob_exp_rate,
                                               NULL};

#define OB_MAX_EXPERIMENTS 16

ob_status ob_experiments_bench(const ob_bench_config *c, ob_exp_stage s, ob_error *err)
{
    for (const ob_experiment *const *x = ob_experiments; *x; x++) {
        if ((*x)->stage != s || !(*x)->bench) continue;
        ob_status st = (*x)->bench(c, err);
        if (st != OB_OK) return st;
    }
    return OB_OK;
}

const ob_plot_recipe *const *const *ob_experiments_recipes(const ob_plot_recipe *const **lists,
                                                           size_t cap)
{
    size_t n = 0;
    lists[n++] = ob_plot_recipes;
    for (const ob_experiment *const *x = ob_experiments; *x && n + 1 < cap; x++)
        if ((*x)->recipes) lists[n++] = (*x)->recipes;
    lists[n] = NULL;
    return lists;
}

ob_status ob_experiments_render(const char *dir, ob_render_opts *o, ob_error *err)
{
    const ob_plot_recipe *const *lists[OB_MAX_EXPERIMENTS + 2];
    ob_report_section_fn sections[OB_MAX_EXPERIMENTS + 1];
    size_t n = 0;
    for (const ob_experiment *const *x = ob_experiments; *x && n < OB_MAX_EXPERIMENTS; x++)
        if ((*x)->section) sections[n++] = (*x)->section;
    sections[n] = NULL;
    o->recipes = ob_experiments_recipes(lists, OB_MAX_EXPERIMENTS + 2);
    o->sections = sections;
    ob_status s = ob_render_results(dir, o, err);
    o->recipes = NULL, o->sections = NULL; /* they were this frame's */
    return s;
}
