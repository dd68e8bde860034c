/* pairs.h - the result tables of results/README.md, internal to tables/: the
 * statistics of one (workload, optimizer) pair across its seeds, and the writers that
 * turn them into tuning.csv, chosen.csv, metrics_analytic.csv, metrics_net.csv and
 * reached.csv (tables.c), curves/ and netcurves/
 * (curves.c), ranking_analytic.csv, ranking_net.csv and ranking_targets.csv (ranking.c),
 * profiles.csv and ecdf.csv (profiles.c).
 * ob_tables_aggregate (aggregate.c, declared in bench/bench.h) drives them. */
#ifndef OB_TABLES_PAIRS_H
#define OB_TABLES_PAIRS_H

#include <stddef.h>

#include "bench/bench.h"
#include "common/csvout.h"
#include "runs/runfile.h"

/* One (workload, optimizer) pair at its chosen learning rate, one entry per seed. */
typedef struct {
    char w[128], o[64];
    double lr;
    int seeds, ndiv;
    int nt;                      /* the directory's targets (ob_tables.tg.n): to[0 .. nt) */
    double *final_gap;           /* (seeds) */
    double *to[OB_N_TARGETS];    /* (seeds) evals to each target, inf when not reached */
    double *steps_to[OB_N_TARGETS];
    double spp;                  /* median seconds per step */
    int net;                     /* a network pair: the three below instead */
    double *val, *test, *esec;   /* (seeds) best validation accuracy, test accuracy there,
                                    median epoch seconds */
} ob_pair_stats;

/* The tightest target (tg.v[nt - 1], 1e-6 by default): the ranking's first key. */
#define OB_TIGHTEST(nt) ((nt) - 1)

typedef struct {
    ob_csv tuning, chosen;
    ob_csv ranking;              /* ranking_analytic.csv: a row per analytic pair */
    ob_csv ranking_net;          /* ranking_net.csv: a row per network pair */
    ob_csv ranking_targets;      /* ranking_targets.csv: a row per (analytic pair, target) */
    ob_csv metrics;              /* metrics_analytic.csv: a row per final analytic run */
    ob_csv metrics_net;          /* metrics_net.csv: a row per final network run */
    ob_csv reached;              /* reached.csv: a row per (final analytic run, target) */
    ob_target_set tg;            /* the directory's targets (targets.csv) */
    ob_pair_stats *pairs;        /* in workload order, then optimizer order */
    size_t npairs, cap;
    int curve_rows, net_rows;    /* the current workload wrote curves / netcurves */
    ob_csv *netsteps, *sharpness; /* the current workload's netsteps/ and sharpness/ tables */
    int step_rows, sharp_rows;   /* ... and it wrote rows into them */
    int hparams;                 /* tuning.csv and chosen.csv have an hparams column (some
                                    optimizer tuned more than lr: bench/tuning.h's tags) */
    int trials;                  /* tuning.csv has a trial column (random tuning: tuning =
                                    random N, bench/tuning.h), and tuning_curve.csv is
                                    written */
} ob_tables;

/* a number, or an empty field when it is not finite (not reached, diverged) */
void ob_csv_num_or_empty(ob_csv *c, double v);
/* a header row of n names */
void ob_csv_header(ob_csv *c, const char *const *cols, size_t n);
const char *ob_kind_name(int net);

/* Adds the pair out/runs/w/o: its tuning and chosen rows, its metrics rows (one per
 * seed, and one per seed and target in reached.csv), its curves (into curves or netcurves), and its statistics to T->pairs. */
ob_status ob_tables_add_pair(ob_tables *T, const char *out, const char *w, const char *o,
                             ob_csv *curves, ob_csv *netcurves, ob_error *err);
void ob_tables_free(ob_tables *T);

/* curves/W.csv rows for optimizer o: quantiles across seeds at every logged step */
void ob_write_curves(ob_csv *c, const char *o, ob_run_data *runs, size_t n);
/* netcurves/W.csv rows for optimizer o: per epoch, medians (and quartiles) across seeds */
void ob_write_net_curves(ob_csv *c, const char *o, ob_run_data *runs, size_t n);

/* netsteps/W.csv rows for optimizer o from its runs' step logs (network runs): per
 * logged step, the epoch and the median and quartiles of mean_loss across seeds;
 * returns 1 when it wrote rows (0: a run without a step log) */
int ob_write_net_steps(ob_csv *c, const char *o, ob_run_data *runs, size_t n);
/* sharpness/W.csv rows for optimizer o at the steps where a run estimated its sharpness
 * (network step logs, analytic trajectories): epoch, loss, sharpness median and
 * quartiles, threshold median across seeds; returns 1 when it wrote rows */
int ob_write_sharpness(ob_csv *c, const char *o, ob_run_data *runs, size_t n);

/* the rows of ranking_analytic.csv, ranking_net.csv and ranking_targets.csv, from
 * T->pairs */
void ob_write_ranking(ob_tables *T);

/* out/profiles.csv and out/ecdf.csv, from T->pairs */
ob_status ob_write_profiles(const char *out, const ob_tables *T, ob_error *err);

#endif
