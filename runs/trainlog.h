/* trainlog.h - the training CSV of docs/contracts.md (one row per epoch, row 0 before training) and a
 * network run's one-row summary, written atomically. */
#ifndef OB_TRAINLOG_H
#define OB_TRAINLOG_H

#include "common/csvout.h"
#include "nets/train.h"

typedef struct {
    ob_csv csv;
    double best_val_acc;       /* the best validation accuracy over the epochs (row 0 too) */
    double test_at_best;       /* test accuracy at that epoch (early stopping's report) */
    long best_epoch;
} ob_trainlog;

/* Opens path and writes the header epoch,step,seconds,lr,train_loss,train_acc,val_loss,
 * val_acc,test_loss,test_acc. */
ob_status ob_trainlog_open(ob_trainlog *t, const char *path, ob_error *err);

/* An ob_train_observer row callback (ctx: ob_trainlog). */
ob_status ob_trainlog_row(void *ctx, const ob_train_row *r, ob_error *err);

/* The step log beside the training CSV, FILE.steps.csv (docs/contracts.md): a row every
 * K updates, step,epoch,seconds,lr,batch_loss,mean_loss, and with sharpness also
 * sharpness,threshold,sharpness_residual,hvps (empty where no estimate was made). */
typedef struct {
    ob_csv csv;
    int sharpness;             /* the sharpness columns are written */
} ob_steplog;

/* FILE.steps.csv for FILE.csv (a path without .csv gets .steps.csv appended), malloc'd;
 * NULL when out of memory. */
char *ob_steplog_path(const char *csv_path);
/* Opens path and writes the header. */
ob_status ob_steplog_open(ob_steplog *s, const char *path, int sharpness, ob_error *err);
/* An ob_train_observer step callback (ctx: ob_steplog). */
ob_status ob_steplog_row(void *ctx, const ob_train_step *r, ob_error *err);

/* The summary of a training run: workload,optimizer,kind(network),lr,seed,epochs,status,
 * epochs_done,steps,best_val_acc,best_epoch,test_acc,final_test_acc,final_train_loss,
 * final_val_loss,seconds,epoch_seconds,params. */
ob_status ob_train_summary_write(const char *path, const char *workload,
                                 const ob_train_config *c, const ob_train_result *res,
                                 const ob_trainlog *log, ob_error *err);

#endif
