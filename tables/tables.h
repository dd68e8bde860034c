/* tables.h - the tables stage: everything computed from the run files of a results
 * directory (out/runs/W/O/), read by the report, the figures and compare alike.  The
 * tables are results/README.md's; each is written atomically and only from the run files,
 * so shards merged into one directory give the same tables as one run. */
#ifndef OB_TABLES_H
#define OB_TABLES_H

#include "common/ob.h"

/* Reads out/runs/ and writes the tables (tuning, chosen, metrics, reached, ranking,
 * curves, netcurves, netsteps, sharpness, profiles, ecdf): aggregate.c. */
ob_status ob_tables_aggregate(const char *out, ob_error *err);

/* out/oracle.csv (workload, kind, optimizer, noise, batch: what each pair's runs
 * received, from their summaries): oracle.c. */
ob_status ob_oracle_write(const char *out, ob_error *err);

/* The expected smallest of k of the n scores s (sorted, increasing) drawn without
 * replacement: sum_i s_(i) C(n-i, k-1)/C(n, k) (Sivaprasad et al. 2020); NaN unless
 * 1 <= k <= n; infinite when an infinite score has a nonzero weight. */
double ob_expected_best(const double *s, size_t n, size_t k);
/* out/tuning_curve.csv (workload,kind,optimizer,trials,k,expected_best): per pair with
 * random trials (tuning.csv's rows with grid = random), the expected best score of k of
 * its trials for k = 1..N (networks: the expected best validation accuracy, higher is
 * better; empty when infinite).  trials 0: no random trials, and an old file goes. */
ob_status ob_tuning_curve_write(const char *out, int trials, ob_error *err);

/* Calls fn for every pair out/runs/W/O (dir: that directory), workloads and optimizers in
 * name order, until fn fails. */
typedef ob_status (*ob_pair_fn)(void *ctx, const char *w, const char *o, const char *dir,
                                ob_error *err);
ob_status ob_tables_each_pair(const char *out, ob_pair_fn fn, void *ctx, ob_error *err);

#endif
