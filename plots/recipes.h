/* recipes.h - the benchmark's figures: one function per recipe, each reading the result
 * tables of results/README.md from a results directory and writing one PNG atomically
 * (through ob_gnuplot_png), and a registry of them that `optbench plot DIR` walks.
 *
 * Every recipe has the same signature: dir is the results directory, workload the
 * workload it draws (NULL for suite-wide figures), png the file to write.  OB_EIO when a
 * file is missing or gnuplot fails, OB_EDATA when a table lacks a column or the rows to
 * draw, with err naming the file. */
#ifndef OB_RECIPES_H
#define OB_RECIPES_H

#include <stddef.h>

#include "common/ob.h"

typedef ob_status (*ob_plot_fn)(const char *dir, const char *workload, const char *png,
                                ob_error *err);

/* 2-D surfaces (surfaces/W.csv, surfaces/W.meta.csv, runs/W/OPT/seed-0.csv). */
ob_status ob_plot_contour(const char *dir, const char *workload, const char *png, ob_error *err);
ob_status ob_plot_surface3d(const char *dir, const char *workload, const char *png, ob_error *err);
/* Traces the contour lines of workload W's surface into the contour cache
 * (plots/contours.h) that the contour, multiples and animation figures then share. */
ob_status ob_plot_contours(const char *dir, const char *workload, ob_error *err);
/* A panel per optimizer with every seed's path; an animated GIF of the paths. */
ob_status ob_plot_multiples(const char *dir, const char *workload, const char *png, ob_error *err);
ob_status ob_plot_animation(const char *dir, const char *workload, const char *gif, ob_error *err);
/* Analytic workloads (curves/W.csv): median and IQR band across seeds. */
ob_status ob_plot_gap_steps(const char *dir, const char *workload, const char *png, ob_error *err);
ob_status ob_plot_gap_evals(const char *dir, const char *workload, const char *png, ob_error *err);
ob_status ob_plot_gap_seconds(const char *dir, const char *workload, const char *png, ob_error *err);
ob_status ob_plot_gnorm_steps(const char *dir, const char *workload, const char *png, ob_error *err);
/* Learning-rate sensitivity (tuning.csv, chosen.csv). */
ob_status ob_plot_lr(const char *dir, const char *workload, const char *png, ob_error *err);
/* The expected best score of k random tuning trials (tuning_curve.csv). */
ob_status ob_plot_tuning_curve(const char *dir, const char *workload, const char *png,
                               ob_error *err);
/* Networks (netcurves/W.csv). */
ob_status ob_plot_net_loss(const char *dir, const char *workload, const char *png, ob_error *err);
ob_status ob_plot_net_acc(const char *dir, const char *workload, const char *png, ob_error *err);
/* Train against test (generalization.csv): per optimizer, the final training accuracy and
 * the test accuracy at the best validation epoch. */
ob_status ob_plot_generalization(const char *dir, const char *workload, const char *png,
                                 ob_error *err);
/* W against W-l1, W-l2, W-dropout (and any other netcurves/W-*.csv). */
ob_status ob_plot_regularization(const char *dir, const char *workload, const char *png,
                                 ob_error *err);
/* Sharpness against the stability thresholds (sharpness/W.csv, netsteps/W.csv,
 * sharpness/W.meta.csv's L): plots/fig_sharpness.c. */
ob_status ob_plot_sharpness(const char *dir, const char *workload, const char *png, ob_error *err);
/* The interactive curves of an analytic workload or a network for index.html, one
 * gzipped HTML fragment of gnuplot SVGs with mousing (plots/fig_interactive.c). */
ob_status ob_plot_interactive(const char *dir, const char *workload, const char *out,
                              ob_error *err);
/* Suite-wide (workload NULL). */
ob_status ob_plot_profiles(const char *dir, const char *workload, const char *png, ob_error *err);
ob_status ob_plot_ecdf(const char *dir, const char *workload, const char *png, ob_error *err);
ob_status ob_plot_schedules(const char *dir, const char *workload, const char *png, ob_error *err);
ob_status ob_plot_activations(const char *dir, const char *workload, const char *png,
                              ob_error *err);

/* The network variants of base W that the regularization figure compares, in the order
 * none, l1, l2, dropout, others (netcurves/W-*.csv); returns how many (<= cap), 0 when W
 * has no netcurves or no variant. */
size_t ob_regularization_variants(const char *dir, const char *workload, char (*out)[128],
                                  size_t cap);

/* ---- the registry ---- */

typedef enum {
    OB_SCOPE_SUITE,    /* one figure for the whole suite: figures/NAME.png */
    OB_SCOPE_WORKLOAD  /* one per workload it applies to: figures/NAME-W.png */
} ob_plot_scope;

typedef enum { OB_KIND_ANALYTIC, OB_KIND_NETWORK } ob_workload_kind;

/* Where the report shows a recipe's figures. */
typedef enum {
    OB_SECTION_SUITE,     /* "The whole suite", after the table across workloads */
    OB_SECTION_WORKLOAD,  /* under each workload's heading, after its table */
    OB_SECTION_REFERENCE, /* "Learning-rate schedules and activation functions" */
    OB_SECTION_OWN,       /* its experiment's own section (experiments/experiment.h) */
    OB_SECTION_PAGE       /* index.html only, not listed in report.md: the interactive curve
                             figure (fig_interactive.c) standing for the curve figures */
} ob_report_section;

typedef struct {
    const char *name;    /* the figure name (the prefix, for per-workload recipes) */
    ob_plot_scope scope;
    ob_report_section section;
    const char *caption; /* for the report; %1$s-free: one "%s" stands for the workload */
    /* 1 when dir holds what the figure needs (the files exist; the rows may still be
     * missing, which drawing reports) */
    int (*applies)(const char *dir, const char *workload);
    ob_plot_fn draw;
    /* Per-workload recipes only, both optional.  instances: the workloads it is drawn
     * for (names into out, at most cap; returns how many) instead of the results'
     * workloads; file: where the figure goes, relative to the results directory, with
     * one %s for the workload, instead of figures/NAME-%s.png. */
    size_t (*instances)(const char *dir, char (*out)[160], size_t cap);
    const char *file;
} ob_plot_recipe;

/* The core recipes, NULL-terminated, in report order; each experiment has its own list
 * (experiments/NAME/, experiments/experiment.h), and the registry is the core list
 * followed by the experiments' lists: `lists` below, NULL-terminated (NULL: the core
 * list alone). */
extern const ob_plot_recipe *const ob_plot_recipes[];
const ob_plot_recipe *ob_plot_recipe_find(const ob_plot_recipe *const *const *lists,
                                          const char *name);

typedef struct {
    char name[160];
    ob_workload_kind kind;
} ob_result_workload;

typedef struct {
    ob_result_workload *v;
    size_t n, cap;
} ob_result_list;

/* The workloads of a results directory, in the order of chosen.csv (then tuning.csv,
 * then the files of curves/, netcurves/ and surfaces/, sorted by name).
 * kind comes from the tables' kind column ("network" or anything else: analytic) or
 * from where the files are. */
ob_status ob_workloads_find(const char *dir, ob_result_list *out, ob_error *err);
void ob_workloads_free(ob_result_list *l);

typedef struct {
    const ob_plot_recipe *recipe;
    char workload[160];  /* "" for suite-wide figures */
    char name[200];      /* NAME or NAME-W */
    char png[400];       /* the file, relative to the results directory: figures/NAME.png */
    ob_status status;    /* OB_OK once drawn */
    char error[512];     /* why it was not drawn */
} ob_figure;

typedef struct {
    ob_figure *v;
    size_t n, cap;
} ob_figure_list;

/* Every figure the files in dir allow, in report order (not drawn yet: status OB_EIO,
 * error "not drawn"). */
ob_status ob_figures_plan(const char *dir, const ob_result_list *w,
                          const ob_plot_recipe *const *const *lists, ob_figure_list *out,
                          ob_error *err);
/* Draws them into dir/figures/ (created), jobs gnuplots at a time (0: one per core).
 * Each figure's status and error say how it went; returns the number not drawn. */
size_t ob_figures_draw(const char *dir, ob_figure_list *figs, int jobs);
void ob_figures_free(ob_figure_list *l);
/* Every planned figure drawn as format ("png", "svg" or "pdf"; NULL: png): the files'
 * extension changes (animations stay GIFs), and the terminal follows it. */
void ob_figures_set_format(ob_figure_list *l, const char *format);
/* The figure named name, or NULL. */
const ob_figure *ob_figure_find(const ob_figure_list *l, const char *name);

#endif
