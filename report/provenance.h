/* provenance.h - DIR/optbench.json: where a results directory came from.  Written by
 * `optbench bench` with cJSON (docs/contracts.md, "optbench.json"): the format version,
 * optbench's version and commit, the command line, the whole suite (its INI text and
 * every workload, optimizer with every hyperparameter, grid, seed count, budget and
 * target), the machine and threads, the start and end times, and the files with what
 * each holds.  `plot`, `compare` and the report read it back. */
#ifndef OB_PROVENANCE_H
#define OB_PROVENANCE_H

#include <time.h>

#include "bench/bench.h"
#include "common/ob.h"

/* The layout version of optbench.json.  A reader accepts any format <= its own (a newer
 * optbench keeps the keys of older formats) and refuses a newer one. */
#define OB_PROVENANCE_FORMAT 1

/* What one bench invocation adds to its suite. */
typedef struct {
    int argc;
    char *const *argv;        /* the command line, argv[0] = "optbench" */
    const ob_bench_config *config;
    time_t started, finished;
} ob_provenance_run;

/* Writes dir/machine.csv (atomically): key,value rows, the machine of optbench.json's
 * "machine" object, the date, the suite and its seeds, the tuning rule, the jobs, and the
 * seconds the runs and the tables took. */
ob_status ob_machine_csv_write(const char *dir, const ob_bench_config *c, double t_runs,
                               double t_tables, ob_error *err);

/* Writes dir/optbench.json (atomically). */
ob_status ob_provenance_write(const char *dir, const ob_provenance_run *run, ob_error *err);

/* Reads dir/optbench.json into *json (a cJSON tree; cJSON_Delete it).  OB_OK with *json
 * NULL when the directory has none (written before optbench.json existed); OB_EDATA
 * naming the file when it is not JSON or lacks its format; OB_EINVAL with both versions
 * when its format is newer than OB_PROVENANCE_FORMAT. */
struct cJSON;
ob_status ob_provenance_read(const char *dir, struct cJSON **json, ob_error *err);

/* One line for a command that reads dir: NULL when dir has optbench.json of a format
 * this optbench reads; a note ("no optbench.json: older results ...") when it has
 * none, written into note; *bad set (and err filled) when it must be refused. */
const char *ob_provenance_check(const char *dir, char *note, size_t cap, int *bad,
                                ob_error *err);

#endif
