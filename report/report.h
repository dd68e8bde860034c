/* report.h - the benchmark's report: DIR/report.md (linking the figure files) and a
 * self-contained DIR/index.html that shows the same (inline CSS and script; workload
 * sections folded; the figures as inlined thumbnails linking to figures/NAME.png), both
 * written atomically, from the result tables of results/README.md, the report's own
 * oracle.csv and generalization.csv, and the figures drawn by plots/recipes.h. */
#ifndef OB_REPORT_H
#define OB_REPORT_H

#include "common/ob.h"
#include "plots/recipes.h"
#include "report/doc.h"

/* An experiment's section of the report (experiments/NAME/section.c), written after the
 * tuning protocol from the files of dir and the figures drawn; nothing when dir holds
 * none of the experiment's files. */
typedef void (*ob_report_section_fn)(ob_doc *d, const char *dir, const ob_figure_list *figs);

/* The drawn figures of the recipes of section sec, for workload w (NULL: all of
 * them), in registry order, each with its caption. */
void ob_section_figures(ob_doc *d, const ob_figure_list *figs, ob_report_section sec,
                        const char *w);
/* The drawn figures of the given recipes (NULL-terminated), in registry order: an
 * experiment's section shows its OB_SECTION_OWN figures with it. */
void ob_section_figures_of(ob_doc *d, const ob_figure_list *figs,
                           const ob_plot_recipe *const *recipes);

/* Writes DIR/report.md and DIR/index.html.  figs lists every planned figure: the drawn
 * ones are shown with their captions, the others listed with the reason.
 * sections: the experiments' (NULL-terminated, or NULL).  seconds_plots is how long drawing took (shown when machine.csv has no seconds_plots). */
ob_status ob_report_write(const char *dir, const ob_result_list *w, const ob_figure_list *figs,
                          const ob_report_section_fn *sections, double seconds_plots,
                          ob_error *err);

typedef struct {
    int jobs;           /* gnuplots at a time; 0: one per core */
    int quiet;          /* no progress line on stdout */
    const char *format; /* the figures' format: "png" (NULL), "svg" or "pdf" */
    /* the figure registry: NULL-terminated lists of recipes, the core ones first
     * (ob_plot_recipes) then each experiment's (NULL: the core ones alone) */
    const ob_plot_recipe *const *const *recipes;
    /* the experiments' sections, NULL-terminated (NULL: none) */
    const ob_report_section_fn *sections;
    size_t figures;     /* out: figures planned */
    size_t not_drawn;   /* out: of which not drawn (each named in a warning on stderr) */
    double seconds;     /* out: time spent drawing */
} ob_render_opts;

/* What `optbench plot DIR` does, and what `optbench bench` calls at its end: writes
 * oracle.csv and generalization.csv from DIR/runs/ (report/sections.h,
 * report/generalization.h), finds the workloads, draws every figure the CSVs allow into DIR/figures/, warns on stderr naming
 * each figure it could not draw (and why), then writes the report.  OB_OK unless the
 * report could not be written: figures that could not be drawn are warnings. */
ob_status ob_render_results(const char *dir, ob_render_opts *o, ob_error *err);

#endif
