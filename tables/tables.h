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

/* Calls fn for every pair out/runs/W/O (dir: that directory), workloads and optimizers in
 * name order, until fn fails. */
typedef ob_status (*ob_pair_fn)(void *ctx, const char *w, const char *o, const char *dir,
                                ob_error *err);
ob_status ob_tables_each_pair(const char *out, ob_pair_fn fn, void *ctx, ob_error *err);

#endif
