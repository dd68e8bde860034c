/* sections.h - the sections of the report, internal to report/: each writes its part of
 * the Markdown document (doc.h) from the result tables and the figures. */
#ifndef OB_REPORT_SECTIONS_H
#define OB_REPORT_SECTIONS_H

#include "bench/bench.h"
#include "common/table.h"
#include "plots/recipes.h"
#include "report/doc.h"
#include "report/report.h"

/* The tables of the results directory the sections read (each may be missing), and its
 * targets (targets.csv; the defaults when it has none). */
typedef struct {
    ob_table machine, ranking, chosen, tuning, metrics;
    int have_machine, have_ranking, have_chosen, have_tuning, have_metrics;
    ob_table metrics_net;        /* metrics.csv: metrics_analytic.csv (or an older
                                    directory's metrics.csv); metrics_net: metrics_net.csv */
    int have_metrics_net;
    ob_table ranking_net, ranking_targets; /* ranking: ranking_analytic.csv (or an older
                                    directory's ranking.csv, both kinds and the targets as
                                    wide columns); ranking_net.csv, ranking_targets.csv */
    int have_ranking_net, have_ranking_targets;
    ob_table oracle, gen; /* oracle.csv, generalization.csv (written by the report) */
    int have_oracle, have_gen;
    ob_table skipped;            /* skipped.csv (written by the bench) */
    int have_skipped;
    ob_target_set tg;
    const char *dir;             /* the results directory (optbench.json: machine.c) */
} ob_report_tables;

/* machine.csv's value for key, or NULL. */
const char *ob_machine_get(const ob_report_tables *t, const char *key);

/* timing.c: the times per update of the timing pass (timing.csv); nothing without it */
void ob_section_timing(ob_doc *d, const ob_report_tables *t);
/* machine.c: the machine, versions and timing */
void ob_section_machine(ob_doc *d, const ob_report_tables *t, double seconds_plots);
/* sections.c */
void ob_section_intro(ob_doc *d, const ob_report_tables *t, const ob_result_list *w);
void ob_section_tuning(ob_doc *d, const ob_report_tables *t, const ob_result_list *w);
void ob_section_suite(ob_doc *d, const ob_report_tables *t, const ob_figure_list *figs);
void ob_section_reference(ob_doc *d, const ob_figure_list *figs);
void ob_section_not_drawn(ob_doc *d, const ob_figure_list *figs);
/* workloads.c: one table per workload of the kind, then its figures */
/* whether row i of a ranking table is a reference method's (its role column; an older
 * table without one: the registry's .reference), tabled but not ranked */
int ob_ranking_is_reference(const ob_table *R, size_t i);
/* row i's rank as the tables print it: "3", "2=" in a tied group, "ref", "—" */
const char *ob_fmt_rank(ob_cell c, const ob_table *R, size_t i);
void ob_section_workloads(ob_doc *d, const ob_report_tables *t, const ob_result_list *w,
                          const ob_figure_list *figs, ob_workload_kind kind);
/* failed_runs.c: a paragraph on the runs of workload w (NULL: every workload) whose
 * optimizer (a plugin) crashed or timed out, counted from the status columns of
 * tuning.csv, metrics_analytic.csv and metrics_net.csv; nothing when there were none. */
void ob_section_failed_runs(ob_doc *d, const ob_report_tables *t, const char *w);
/* tuning_edges.c: the pairs whose chosen rate stayed at an edge of the rates tuned
 * (the edge extension stopped at a limit); nothing when there are none */
void ob_section_tuning_limits(ob_doc *d, const ob_report_tables *t);
/* tuning_search.c: the tuning runs per optimizer and workload (tuning.csv), the extension's
 * share, and whether the budget was equal; nothing without tuning.csv */
void ob_section_tuning_budget(ob_doc *d, const ob_report_tables *t, const ob_result_list *w);
/* tuning_search.c: 1 when tuning.csv's runs are random trials (tuning = random N: its trial
 * column has numbers) */
int ob_tuning_is_random(const ob_report_tables *t);
/* tuning_search.c: random tuning (tuning.csv's trial column): a list item saying so, and 1;
 * 0 (nothing written) for a grid */
int ob_section_tuning_random(ob_doc *d, const ob_report_tables *t);
/* tuning_search.c: the expected best of k random trials (tuning_curve.csv), E_1 and E_N per
 * workload and optimizer; nothing without the file */
void ob_section_tuning_curve(ob_doc *d, const ob_report_tables *t, const ob_result_list *w);
/* oracle.c: the sentence stating what each optimizer received on workload w
 * (oracle.csv, tables/tables.h) */
void ob_section_oracle(ob_doc *d, const ob_report_tables *t, const char *w);
/* oracle.c: the tuning section's line on what the bench did not run (skipped.csv:
 * decay that takes x to the origin, rules that sit a stochastic workload out) */
void ob_section_skipped(ob_doc *d, const ob_report_tables *t);
/* generalization.c's table for network workload w: per optimizer, the final training
 * accuracy and loss, the test accuracy at the best validation epoch and the gap, median
 * [IQR] over seeds; nothing without generalization.csv rows for w. */
void ob_section_generalization(ob_doc *d, const ob_report_tables *t, const char *w);

#endif
