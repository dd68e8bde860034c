/* rate.h - SGD against its theoretical rate (the theorem of Mathematics of Data, lecture 8).
 *
 * If f is bounded below by f*, has an L-Lipschitz gradient, and the stochastic gradient
 * is unbiased with variance at most sigma^2, SGD with the constant step 1/(L sqrt(N))
 * satisfies
 *     E[(1/N) sum_{t<N} ||grad f(theta_t)||^2] <= (2 L (f(theta_0) - f*) + sigma^2)/sqrt(N).
 * For each N, R independent runs from the same start measure the left side (with true
 * gradients); the bound is computed with the problem's L and f*, and sigma^2:
 *   - additive noise (--noise SIGMA): sigma^2 exactly;
 *   - mini-batches of B of the N_s samples (drawn independently each step, B distinct
 *     samples): the batch-mean variance V(theta) (N_s - B)/(B (N_s - 1)) with V the
 *     per-sample gradient variance, maximised over every iterate theta_t (t < N) of
 *     every run at that N: the smallest sigma^2 for which the theorem's assumption holds
 *     along the trajectories actually run. */
#ifndef OB_RATE_H
#define OB_RATE_H

#include "runs/run.h"

typedef struct {
    const ob_problem *prob;
    const double *x0;       /* NULL: the problem's default start */
    const long *n_list;     /* the N values */
    size_t n_count;
    int seeds;              /* R runs per N, seeds seed0 .. seed0+R-1 */
    unsigned long seed0;
    double noise;           /* sigma of the additive-noise oracle (non-finite sums) */
    size_t batch;           /* mini-batch size (finite sums) */
} ob_rate_config;

typedef struct {
    long N;
    int runs, diverged;
    double lr;              /* 1/(L sqrt(N)) */
    double mean, sd, stderr_, min, max;  /* of the per-run (1/N) sum ||grad f||^2 */
    double sigma2, bound, ratio;         /* ratio = bound / mean */
    const char *holds;      /* "yes": mean + 2 stderr <= bound; "no": mean - 2 stderr >
                               bound; "unclear" otherwise */
} ob_rate_row;

typedef struct {
    double f0;
    double slope, slope_se; /* least-squares slope of log(mean) on log(N), its std. error */
    int all_hold;
    double min_ratio, max_ratio;
} ob_rate_fit;

/* Refuses (OB_EINVAL, message in err) a problem without a global L or without f* or a
 * lower bound for it: the theorem does not apply there, and no bound is printed. */
ob_status ob_rate_check(const ob_problem *p, ob_error *err);

/* rows has n_count entries. */
ob_status ob_rate_run(const ob_rate_config *c, ob_rate_row *rows, ob_rate_fit *fit,
                      ob_error *err);

/* The statistics of one N from the per-run averages (runs of them), and the bound
 * (2 L gap0 + sigma2)/sqrt(N) with gap0 = f(theta_0) - f*; row->N must be set. */
void ob_rate_finish_row(ob_rate_row *row, const double *avg, int runs, double sigma2, double L,
                        double gap0);
/* all_hold, the ratio range and the least-squares slope over the rows (fit->f0 untouched). */
void ob_rate_fit_rows(const ob_rate_row *rows, size_t n, ob_rate_fit *fit);

/* What a rate table is about, for its summary file. */
typedef struct {
    const char *name;
    size_t dim;
    double L;
    const char *L_source;
    double f_star;
    char oracle[96];
    const char *sigma2_source;
    int seeds;
    int estimate;          /* L and sigma^2 are estimates (networks) */
} ob_rate_subject;

ob_status ob_rate_write_subject(const char *path, const ob_rate_subject *sub,
                                const ob_rate_row *rows, size_t n, const ob_rate_fit *fit,
                                ob_error *err);

/* Writes the per-N table to path and the summary beside it (PATH.summary.csv), both
 * atomically; on failure neither is left. */
ob_status ob_rate_write(const char *path, const ob_rate_config *c, const ob_rate_row *rows,
                        const ob_rate_fit *fit, ob_error *err);

/* "1.996 to 2.002": the smallest and largest bound/mean ratios with as many significant
 * digits (3 to 6) as they need to differ; one number when they agree to 6 ("2"). */
void ob_rate_ratio_range(char *buf, size_t cap, double lo, double hi);
/* "-0.499 ± 0.007": the fitted slope and its standard error, with the decimals the error
 * needs to show a nonzero digit ("-0.4994 ± 0.0002"); "-0.5 (exact fit)" when the error
 * is 0 (every point on the line); the slope alone when there is no error estimate (two
 * values of N, NaN).  pm is the plus-minus sign to print ("±" or "+-"). */
void ob_rate_slope_text(char *buf, size_t cap, double slope, double se, const char *pm);

/* One sentence: whether the bound held, how loose it is, the measured slope. */
void ob_rate_verdict(char *buf, size_t cap, const ob_rate_config *c, const ob_rate_fit *fit);

/* ---- figure.c ---- */

/* The SGD rate figure (optbench rate's CSV): measured mean and its spread against N,
 * the theorem's bound (estimate: L and sigma^2 were estimated, a network, and the curve
 * is labelled the estimate, not the bound), and a reference slope of -1/2, on log-log
 * axes. */
ob_status ob_plot_rate(const char *csv, const char *png, const char *title, long n0,
                       double mean0, int estimate, ob_error *err);
/* The workloads of a results directory's rate experiment: the stems W of rate/W.csv (not
 * W.summary.csv), sorted; returns how many (<= cap). */
size_t ob_rate_workloads(const char *dir, char (*out)[160], size_t cap);

#endif
