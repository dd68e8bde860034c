/* run.h - one optimization run on an analytic problem: the loop, the stochastic
 * oracles, divergence detection and the trajectory log.  The update rules never decide
 * to stop; this loop does. */
#ifndef OB_RUN_H
#define OB_RUN_H

#include <stdio.h>

#include "optimizers/optimizer.h"
#include "optimizers/schedule.h"
#include "problems/problem.h"

/* A run diverges when f is NaN or infinite, or when f - f(x0) exceeds
 * OB_DIVERGE_FACTOR * (1 + |f(x0)|). */
#define OB_DIVERGE_FACTOR 1e10

typedef struct {
    const ob_problem *prob;
    const ob_optimizer_type *opt;
    ob_hparams h;
    ob_schedule sched;
    long steps;             /* number of updates */
    const double *x0;       /* start (dim); NULL: the problem's default */
    unsigned long seed;     /* the oracle's randomness (noise, batch order) */
    double noise;           /* sigma: additive N(0, sigma^2/n I) gradient noise, 0 = none */
    size_t batch;           /* finite sums: mini-batch size, 0 = full gradient */
    int iid_batches;        /* draw every batch independently (B distinct samples, uniform)
                               instead of epochs without replacement: the SGD theorem's
                               oracle, whose draws are independent of the past */
    const char *hparams;    /* the hyperparameters a product grid tuned with lr
                               ("momentum=0.9;beta1=0.8"): a last summary column; NULL or
                               "": no such column */
    const char *problem_options; /* the instance's options (problems/problem_opts.h) as a
                               last summary column, so a figure can create the instance
                               again; NULL: no such column */
    long sharpness_every;   /* > 0: estimate the sharpness at x_k for k = 0, K, 2K, ...
                               (the observer of runs/runsharp.h, which ob_run attaches;
                               those rows are always logged); 0: off */
    int sharpness_products; /* cap on Hessian-vector products per estimate, 0: default 20 */
} ob_run_config;

/* What a run reports about each logged row; x is the point (dim). */
typedef struct {
    long step;
    double loss, grad_norm;  /* full objective and full-gradient norm at x */
    long evals;              /* sample-gradient evaluations spent by the optimizer so far:
                                a full gradient of a finite sum of N terms costs N, a
                                mini-batch B, a gradient of any other problem 1; the GSL
                                minimizers' line searches count every gradient they take */
    double lr;               /* learning rate of the update that led here (row 0: step 1's) */
    double seconds;          /* optimization time so far (no logging, no evaluation) */
    const double *x;
    /* with sharpness_every, at the estimated rows (NaN elsewhere): the top eigenvalue of
     * the Hessian at x (of P^-1 H for the preconditioned rules, optimizers/threshold.h;
     * NaN at row 0, before their first step), its relative residual, and the rule's
     * stability threshold at the next update's learning rate (NaN when none is known) */
    double sharpness, sharpness_residual, threshold;
    int sharpness_products;  /* Hessian-vector products spent on the estimate */
} ob_row;

/* What a measuring observer sees at step k: the point, the rule (its state after k
 * updates) and the learning rate of the next update. */
typedef struct {
    long step;
    const double *x;
    const ob_optimizer *o;
    double next_lr;
} ob_probe;

/* An observer of the run: called for row 0, then for every row the log keeps.
 * Returning non-zero stops the run with OB_EIO. */
typedef struct {
    int (*row)(void *ctx, const ob_row *r);
    void *ctx;
    /* optional: a measurement at steps 0, measure_every, 2 measure_every, ... (those rows
     * are always logged), filling the row's measured fields before row() sees it; the
     * sharpness (runs/runsharp.h) is one.  Non-zero stops the run with OB_EIO. */
    int (*measure)(void *mctx, const ob_probe *p, ob_row *r);
    void *mctx;
    long measure_every;
    long every;              /* log every K-th step (row 0 and the last always) */
    int geometric;           /* instead of every: the geometric grid of ob_log_grid_next */
    const double *targets;   /* (n_targets) relative targets, decreasing: the first step
                                whose gap f - f* is at most t (f0 - f*) is always logged,
                                so that the first logged row below t is the first step
                                below it whatever the grid; f is then evaluated at every
                                step (outside the timed region) as a log of every step
                                would, which also checks every step for a divergence */
    int n_targets;
    int every_step_full;     /* evaluate the full gradient at every step even for
                                stochastic runs (for the SGD rate: every row is seen) */
} ob_observer;

typedef struct {
    ob_status status;        /* OB_OK, OB_DIVERGED or OB_STALLED */
    long steps_done;         /* updates applied (on divergence: up to and including it) */
    long diverged_step;      /* -1 unless diverged */
    double f0;               /* f(x0) */
    double last_finite_loss; /* the last finite full (or mini-batch) loss seen */
    double final_loss, final_grad_norm; /* at the last logged row */
    long evals;
    double seconds;          /* optimization time (gradient + update, no logging) */
    long rows;
} ob_run_result;

/* The geometric log grid: every step up to OB_LOG_GRID_DENSE, then the steps
 * round(OB_LOG_GRID_DENSE * 10^(j / OB_LOG_GRID_PER_DECADE)), j = 1, 2, ...: about 50 rows
 * per decade, enough to keep every curve's shape on a log axis (a run's last step is
 * logged anyway).  Returns the first grid step after k (k >= 0). */
#define OB_LOG_GRID_DENSE 100
#define OB_LOG_GRID_PER_DECADE 50
long ob_log_grid_next(long k);

/* Runs c and calls obs (may be NULL) for the rows; x_out (dim, may be NULL) receives the
 * final point.  A divergence or a stall is a result (res->status), not an error: the
 * return value is OB_OK then, and an error status only for bad settings, memory or I/O. */
ob_status ob_run(const ob_run_config *c, const ob_observer *obs, double *x_out,
                 ob_run_result *res, ob_error *err);

#endif
