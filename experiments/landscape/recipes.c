/* recipes.c - the loss-landscape experiment's figures in the one figure registry
 * (experiments/experiment.h): the benchmark's cheap landscape of every network workload
 * (the interpolation of each seed-1 run, runs/interp.h) and the studies of `landscape =
 * true` workloads (bench_landscape.c), drawn by fig_landscape.c. */
#include <stdio.h>

#include "common/path.h"
#include "experiments/experiment.h"
#include "experiments/landscape/bench_landscape.h"
#include "experiments/landscape/fig_landscape.h"

#define RECIPE(var, nm, scope_, section_, cap, app, fn, ...)                                    \
    static const ob_plot_recipe var = {.name = nm, .scope = scope_, .section = section_,       \
                                       .caption = cap, .applies = app, .draw = fn, __VA_ARGS__}

static int has_rel(const char *dir, const char *fmt, const char *w)
{
    char rel[1024], path[4096];
    snprintf(rel, sizeof rel, fmt, w ? w : "");
    return ob_file_exists(ob_pathf(path, sizeof path, "%s/%s", dir, rel));
}

static int has_landscape(const char *dir, const char *w)
{
    return has_rel(dir, "landscape/%s/summary.csv", w);
}
static int has_landscape_path(const char *dir, const char *w)
{
    return has_landscape(dir, w) && has_rel(dir, "landscape/%s/path.csv", w);
}
RECIPE(r_net_interp, "net-interp", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: the loss (log scale) and accuracy along the straight line θ(a) = (1 − a) θ₀ + a θ_T "
       "from the common initialization θ₀ to each optimizer's final weights θ_T of its seed-1 "
       "run (Goodfellow et al., 2015), on the first 250 training samples (solid) and 250 test "
       "samples (dashed). A curve that falls all the way from a = 0 to a = 1 shows no barrier "
       "between the start and the solution along this line, as Goodfellow et al. found for many "
       "networks; a bump between them is a barrier. Past a = 1 the line goes on beyond θ_T, so "
       "where a curve is lowest tells whether θ_T sits at the bottom of the valley along this "
       "line (lowest at a = 1), went past it (lowest before 1) or stopped short of it (still "
       "falling beyond 1). A seed-1 run without the file (diverged before its last epoch, or "
       "made by an older optbench) is named in the title instead.",
       ob_net_interp_applies, ob_plot_net_interp);
RECIPE(r_landscape_interp, "landscape-interp", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: the loss (log scale) and accuracy along the straight line (1 − a) θ₀ + a θ_T from "
       "the common initialization to each optimizer's final weights (Goodfellow et al., 2015), "
       "on 1000 training samples (solid) and 1000 test samples (dashed); θ_T is the seed-1 run "
       "at the chosen learning rate (suite key `landscape = true`).",
       has_landscape, ob_plot_landscape_interp_w, .instances = ob_landscape_workloads,
       .file = "landscape/%s/interp.png");
RECIPE(r_landscape_pca, "landscape-pca", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: the loss (log₁₀, shaded, with contour lines) around each optimizer's θ_T on the "
       "plane of the top two principal directions of its checkpoints' offsets θ_t − θ_T, with "
       "the path projected on it (circle: θ₀, star: θ_T; Li et al., 2018, Section 7). The axis "
       "labels give each direction's share of the squared offsets.",
       has_landscape_path, ob_plot_landscape_pca_w, .instances = ob_landscape_workloads,
       .file = "landscape/%s/pca.png");
RECIPE(r_landscape_random, "landscape-random", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: the loss around each optimizer's θ_T along two filter-normalized random directions "
       "(Li et al., 2018, Section 4): each neuron's incoming weights move in proportion to "
       "their norm, so sharper and flatter minima can be compared across optimizers.",
       has_landscape, ob_plot_landscape_random_w, .instances = ob_landscape_workloads,
       .file = "landscape/%s/random.png");

const ob_plot_recipe *const ob_landscape_recipes[] = {&r_net_interp, &r_landscape_interp,
                                                      &r_landscape_pca, &r_landscape_random, NULL};

const ob_experiment ob_exp_landscape = {.name = "landscape", .stage = OB_EXP_AFTER_TABLES,
                                        .bench = ob_landscape_bench,
                                        .recipes = ob_landscape_recipes};
