/* generalization.h - train against test on the network workloads: does an optimizer that
 * fits the training set best also do best on the test set?  The course's non-convex
 * lecture closes on the claim that adaptive methods "may converge fast and generalize
 * worse"; these numbers measure it.  Per final run (seed >= 1): the final training
 * accuracy and loss, the test accuracy at the epoch of the best validation accuracy (the
 * model one would keep), and the gap between the two accuracies. */
#ifndef OB_REPORT_GENERALIZATION_H
#define OB_REPORT_GENERALIZATION_H

#include <stddef.h>

#include "common/ob.h"
#include "common/table.h"

typedef struct {
    double final_epoch, final_train_loss, final_train_acc; /* at the last epoch */
    double best_epoch, best_val_acc, test_acc;             /* at the best validation epoch */
    double gap;                                            /* final_train_acc - test_acc */
} ob_gen_seed;

/* One training CSV (the table t, read from path): its epoch rows are those with a
 * validation accuracy (rows of the training loss between epochs have none).  The best
 * epoch is the first with the highest validation accuracy, row 0 included, as the run's
 * summary (runs/trainlog.c) counts it.  OB_EDATA naming path when a column is missing or
 * no row has a validation accuracy. */
ob_status ob_generalization_seed(const ob_table *t, const char *path, ob_gen_seed *g,
                                 ob_error *err);

/* out/generalization.csv (tidy, one row per final run of a network workload):
 * workload,optimizer,seed,final_epoch,final_train_loss,final_train_acc,best_epoch,
 * best_val_acc,test_acc,gap, from out/runs/W/O/seed-S.csv.  No file (and OB_OK) when the
 * directory has no network run. */
ob_status ob_generalization_write(const char *out, ob_error *err);

/* The measures summarized across seeds, in this order. */
enum { OB_GEN_TRAIN_ACC, OB_GEN_TRAIN_LOSS, OB_GEN_TEST_ACC, OB_GEN_GAP, OB_GEN_N };
extern const char *const ob_gen_columns[OB_GEN_N]; /* generalization.csv's names */

typedef struct {
    size_t seeds;
    double med[OB_GEN_N], q1[OB_GEN_N], q3[OB_GEN_N]; /* median and quartiles (stats.h) */
} ob_gen_summary;

/* The rows of g (generalization.csv) of workload w and optimizer o, summarized; returns
 * the number of seeds (0: none, the summary all NaN). */
size_t ob_generalization_summary(const ob_table *g, const char *w, const char *o,
                                 ob_gen_summary *s);

/* Generalization gaps are compared among optimizers that fit the training set about
 * equally well: a rule that barely trained (gd after 3 full-batch updates, 52 % training
 * accuracy) has a small gap because it learned little, not because it generalizes.  An
 * optimizer is trained to comparable accuracy on a workload when its median final
 * training accuracy is at most this far (a fraction: 0.05 = 5 percentage points) below
 * the best median on the workload.  5 points rather than 1 or 2: the seed-to-seed
 * spread (IQR) of the final training accuracy reaches 3 points on the quick suite's
 * networks for rules that trained well, and a margin inside that spread would make the
 * set a matter of seed luck. */
#define OB_GEN_COMPARABLE 0.05

/* Marks in comparable[k] (1 or 0) which of the n summaries s[k] are trained to comparable
 * accuracy (OB_GEN_COMPARABLE below the best median final training accuracy, or better);
 * a summary without a finite training accuracy is not.  Returns the index of the best
 * (n when none has a finite one: then no summary is comparable). */
size_t ob_generalization_comparable(const ob_gen_summary *s, size_t n, int *comparable);

#endif
