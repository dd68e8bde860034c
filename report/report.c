/* report.c - DIR/report.md and DIR/index.html (see report.h): the sections, in order,
 * written once as Markdown (doc.h) and rendered to HTML by libcmark-gfm (html.h); and
 * `optbench plot DIR`'s whole job, figures first, then the report. */
#include "tables/tables.h"
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/clock.h"
#include "common/interrupt.h"
#include "common/path.h"
#include "plots/style.h"
#include "tables/generalization.h"
#include "report/html.h"
#include "report/sections.h"

ob_status ob_report_write(const char *dir, const ob_result_list *w, const ob_figure_list *figs,
                          const ob_report_section_fn *sections, double seconds_plots,
                          ob_error *err)
{
    ob_report_tables t = {.dir = dir};
    t.have_machine = ob_read_table(dir, "machine.csv", &t.machine, NULL) == OB_OK;
    t.have_ranking = ob_read_table(dir, "ranking_analytic.csv", &t.ranking, NULL) == OB_OK ||
                     ob_read_table(dir, "ranking.csv", &t.ranking, NULL) == OB_OK; /* older */
    t.have_ranking_net = ob_read_table(dir, "ranking_net.csv", &t.ranking_net, NULL) == OB_OK;
    t.have_ranking_targets =
        ob_read_table(dir, "ranking_targets.csv", &t.ranking_targets, NULL) == OB_OK;
    t.have_chosen = ob_read_table(dir, "chosen.csv", &t.chosen, NULL) == OB_OK;
    t.have_tuning = ob_read_table(dir, "tuning.csv", &t.tuning, NULL) == OB_OK;
    t.have_metrics = ob_read_table(dir, "metrics_analytic.csv", &t.metrics, NULL) == OB_OK ||
                     ob_read_table(dir, "metrics.csv", &t.metrics, NULL) == OB_OK; /* older */
    t.have_metrics_net = ob_read_table(dir, "metrics_net.csv", &t.metrics_net, NULL) == OB_OK;
    t.have_oracle = ob_read_table(dir, "oracle.csv", &t.oracle, NULL) == OB_OK;
    t.have_gen = ob_read_table(dir, "generalization.csv", &t.gen, NULL) == OB_OK;
    t.have_skipped = ob_read_table(dir, "skipped.csv", &t.skipped, NULL) == OB_OK;
    if (ob_targets_read(dir, &t.tg, NULL) != OB_OK) t.tg = ob_default_targets;
    ob_doc d;
    char *md = NULL;
    ob_status s = ob_doc_open(&d, err);
    if (s == OB_OK) {
        /* the summary first, then a (folding) section per workload, then the protocol,
         * the experiments, the reference figures and the machine */
        ob_section_intro(&d, &t, w);
        ob_section_suite(&d, &t, figs);
        ob_section_workloads(&d, &t, w, figs, OB_KIND_ANALYTIC);
        ob_section_workloads(&d, &t, w, figs, OB_KIND_NETWORK);
        ob_section_tuning(&d, &t, w);
        for (const ob_report_section_fn *f = sections; f && *f; f++) (*f)(&d, dir, figs);
        ob_section_reference(&d, figs);
        ob_section_timing(&d, &t);
        ob_section_machine(&d, &t, seconds_plots);
        ob_section_not_drawn(&d, figs);
        s = ob_doc_finish(&d, &md, err);
    }
    if (t.have_machine) ob_table_free(&t.machine);
    if (t.have_ranking) ob_table_free(&t.ranking);
    if (t.have_ranking_net) ob_table_free(&t.ranking_net);
    if (t.have_ranking_targets) ob_table_free(&t.ranking_targets);
    if (t.have_chosen) ob_table_free(&t.chosen);
    if (t.have_tuning) ob_table_free(&t.tuning);
    if (t.have_metrics) ob_table_free(&t.metrics);
    if (t.have_metrics_net) ob_table_free(&t.metrics_net);
    if (t.have_oracle) ob_table_free(&t.oracle);
    if (t.have_gen) ob_table_free(&t.gen);
    if (t.have_skipped) ob_table_free(&t.skipped);
    char path[4096];
    if (s == OB_OK)
        s = ob_write_file_atomic(ob_pathf(path, sizeof path, "%s/report.md", dir), md, "", "", err);
    if (s == OB_OK) s = ob_report_html(md, dir, ob_pathf(path, sizeof path, "%s/index.html", dir), err);
    free(md);
    return s;
}

ob_status ob_render_results(const char *dir, ob_render_opts *o, ob_error *err)
{
    double t0 = ob_clock_now();
    ob_result_list w;
    ob_figure_list figs;
    /* the report's own tables, from the runs (a directory without runs/ keeps none) */
    ob_status s = ob_oracle_write(dir, err);
    if (s == OB_OK) s = ob_generalization_write(dir, err);
    if (s == OB_OK) s = ob_workloads_find(dir, &w, err);
    if (s != OB_OK) return s;
    if ((s = ob_figures_plan(dir, &w, o->recipes, &figs, err)) != OB_OK) {
        ob_workloads_free(&w);
        return s;
    }
    ob_figures_set_format(&figs, o->format);
    if (!o->quiet) {
        printf("drawing %zu figures from %s ...\n", figs.n, dir);
        fflush(stdout);
    }
    o->figures = figs.n;
    o->not_drawn = ob_figures_draw(dir, &figs, o->jobs);
    if (ob_interrupted()) { /* caught: the report stays as it was */
        ob_figures_free(&figs);
        ob_workloads_free(&w);
        return ob_fail(err, OB_INTERRUPTED, "interrupted; run the same command again");
    }
    for (size_t i = 0; i < figs.n; i++)
        if (figs.v[i].status != OB_OK)
            fprintf(stderr, "optbench plot: warning: figure %s/%s not drawn: %s\n", dir,
                    figs.v[i].png, figs.v[i].error);
    o->seconds = ob_clock_now() - t0;
    s = ob_report_write(dir, &w, &figs, o->sections, o->seconds, err);
    if (s == OB_OK && !o->quiet)
        printf("%zu of %zu figures drawn in %.1f s; report: %s/report.md and %s/index.html\n",
               o->figures - o->not_drawn, o->figures, o->seconds, dir, dir);
    ob_figures_free(&figs);
    ob_workloads_free(&w);
    return s;
}
