/* tuning.h - the tuning criterion and the choice of the learning rate from a pair's
 * finished tuning runs (out/runs/W/O/tune-*.csv).  The choice reads the run files
 * because tuning runs may have been finished by other processes, by shards on other
 * machines, or by an earlier, interrupted bench: the files are the only state shared. */
#ifndef OB_TUNING_H
#define OB_TUNING_H

#include "common/ob.h"
#include "runs/runfile.h"

/* what the criterion is, in one sentence, for the report; OB_TUNING_RULE adds the
 * tie-breaks (machine.csv) */
#define OB_TUNING_CRITERION                                                                  \
    "the median gap f - f* over the last 10% of the logged rows (networks: the best "       \
    "validation accuracy)"
#define OB_TUNING_RULE                                                                       \
    "lowest " OB_TUNING_CRITERION "; a diverged run ranks last; ties go to the run that "    \
    "reached the tightest target first, then to the smaller rate"

/* The tuning criterion of a run (lower is better): the median gap f - f* over the last
 * 10% of its logged rows, +inf when it diverged; networks: minus the best validation
 * accuracy.  *hit gets the first logged step that reached the tightest target of
 * ob_targets (LONG_MAX when never), the tie-break. */
double ob_tuning_score(const ob_run_data *r, long *hit);

/* one tuning run, as the choice and tuning.csv see it */
typedef struct {
    double lr, score, final_gap;
    long hit;
    int net;
    char status[16];
} ob_tune_row;

/* Every tuning run of dir (out/runs/W/O), by increasing lr; *rows is malloc'ed. */
ob_status ob_tuning_load(const char *dir, ob_tune_row **rows, size_t *n, ob_error *err);

/* The index of the chosen run: the lowest score, then the earliest hit, then the
 * smaller rate. */
size_t ob_tuning_choose(const ob_tune_row *t, size_t n);

/* The learning rate tuning chose for W/O from its tune-*.csv runs. */
ob_status ob_bench_choose(const char *out, const char *w, const char *o, double *lr,
                          double *score, ob_error *err);

#endif
