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
 * accuracy.  *hit gets the first logged step that reached the tightest target (the
 * fraction tightest of the start gap; LONG_MAX when never), the tie-break. */
double ob_tuning_score(const ob_run_data *r, double tightest, long *hit);

#include "bench/bench.h"

/* The tuning grid beyond lr (bench.h's ob_suite_optimizer lists) in the run files' names:
 * point k of a pair with lists runs as tune-LR_pK_NAME_V...csv, e.g.
 * tune-0.01_p1_momentum_0.9.csv (option names have no '_', %g values neither); a pair
 * without lists keeps tune-LR.csv.  The name alone gives the choice the point's values
 * and its place in the product (ties go to the earlier point). */
/* point k's tag ("" without lists, else "_pK_NAME_V..."); OB_ENOMEM-free, fails
 * (returns -1) only when it does not fit in cap */
int ob_tuning_point_tag(const ob_suite_optimizer *o, size_t k, char *buf, size_t cap);

/* a tag's point index and its values as "momentum=0.9;beta1=0.8" (tuning.csv's hparams
 * column); -1 when tag is not one ("" gives 0 and "") */
long ob_tuning_tag_parse(const char *tag, char *hp, size_t cap);

/* one tuning run, as the choice and tuning.csv see it */
typedef struct {
    double lr, score, final_gap;
    long hit;
    int net;
    char status[16];
    long point;                   /* its place in the grid beyond lr (0 without lists) */
    char tag[OB_TUNE_TAG_MAX];    /* its file name's tag ("" without lists) */
    char hp[96];                  /* its values, "momentum=0.9;beta1=0.8" ("" without) */
} ob_tune_row;

/* Every tuning run of dir (out/runs/W/O), by increasing lr, then point; *rows is
 * malloc'ed. */
ob_status ob_tuning_load(const char *dir, double tightest, ob_tune_row **rows, size_t *n,
                         ob_error *err);

/* The index of the chosen run: the lowest score, then the earliest hit, then the
 * smaller rate, then the earlier point of the grid beyond lr. */
size_t ob_tuning_choose(const ob_tune_row *t, size_t n);

/* The point tuning chose for W/O from its tune-*.csv runs: its learning rate and (tag,
 * may be NULL) its tag, "" without lists. */
ob_status ob_bench_choose(const char *out, const char *w, const char *o, double *lr,
                          double *score, char *tag, size_t cap, ob_error *err);

/* Whether any tuning run under out/runs has a tag: tuning.csv and chosen.csv then get an
 * hparams column (a suite without lists keeps its tables as they were). */
int ob_tuning_has_tags(const char *out);

#endif
