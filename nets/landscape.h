/* landscape.h - the loss landscape of a trained network around its training path
 * (`optbench landscape`).
 *
 *   checkpoints  the flat parameter vector theta_t along one run of the one training loop
 *                (nets/train.h), every K updates or at every epoch's end, always theta_0
 *                and the final theta_T
 *   1-D          the linear interpolation theta(a) = (1 - a) theta_0 + a theta_T
 *                (Goodfellow, Vinyals and Saxe, ICLR 2015, "Qualitatively characterizing
 *                neural network optimization problems")
 *   2-D          slices theta_T + x d1 + y d2 (Li, Xu, Taylor, Studer and Goldstein,
 *                NeurIPS 2018, "Visualizing the Loss Landscape of Neural Nets"): along the
 *                top two principal directions of the checkpoints' offsets theta_t - theta_T
 *                (their Section 7), on which the path is projected, and along two
 *                filter-normalized random directions (their Section 4).
 *
 * Vectors are double (P = the network's parameter count); a float32 network's parameters
 * convert to double exactly, and back exactly when nothing was added to them.  Losses are
 * ob_evaluate's: the mean data loss without dropout or penalty, forward passes only. */
#ifndef OB_LANDSCAPE_H
#define OB_LANDSCAPE_H

#include "nets/train.h"

/* The checkpoints of one run, in order of steps. */
typedef struct {
    size_t n, cap, P;
    double *theta;  /* (cap, P) row k: the parameters after step[k] updates */
    long *step;     /* (cap) */
} ob_ckpts;

void ob_ckpts_free(ob_ckpts *c);

/* Trains c on data with ob_train (so theta_0 is `optbench train`'s for the same seed) and
 * keeps theta_0, theta after every `every` updates (every = 0: after every epoch) and the
 * final theta.  echo (may be NULL) gets the rows and the progress.  Returns as ob_train;
 * on failure *out is empty. */
ob_status ob_landscape_train(const ob_train_config *c, const ob_splits *data, long every,
                             const ob_train_observer *echo, ob_ckpts *out, ob_train_result *res,
                             ob_error *err);

/* theta (P) <- m's parameters, as doubles. */
void ob_landscape_get(const ob_mlp *m, double *theta);
/* m's parameters <- a u + b v + c w (w may be NULL: a u + b v), rounded to m's precision.
 * With a = 1, b = c = 0 (or a = 0, b = 1) the result is u (v) exactly. */
void ob_landscape_set(ob_mlp *m, double a, const double *u, double b, const double *v, double c,
                      const double *w);

/* loss[k], acc[k] on ds at theta(alpha_k) = (1 - alpha_k) theta0 + alpha_k theta1, k < n
 * (Goodfellow et al. 2015, Section 2).  m's parameters are left at the last point. */
void ob_landscape_interp(ob_mlp *m, const ob_dataset *ds, const double *theta0,
                         const double *theta1, const double *alpha, size_t n, double *loss,
                         double *acc);

/* loss[j nx + i], acc[j nx + i] on ds at theta + xs[i] d1 + ys[j] d2 (Li et al. 2018,
 * eq. 2): one row of the grid per y.  progress (may be NULL) is called after each point. */
void ob_landscape_grid(ob_mlp *m, const ob_dataset *ds, const double *theta, const double *d1,
                       const double *d2, const double *xs, size_t nx, const double *ys,
                       size_t ny, double *loss, double *acc, void (*progress)(void *), void *ctx);

/* Filter normalization (Li et al. 2018, Section 4, eq. 3): d_{i,j} <- d_{i,j} ||theta_{i,j}||
 * / ||d_{i,j}|| for every filter j of every layer i; a dense layer's filter is the row of
 * W (out, in) that makes one neuron ("an FC layer is equivalent to a Conv layer with a 1x1
 * output feature map").  Bias entries are set to 0, as the authors' code does for every
 * one-dimensional parameter (net_plotter.py, ignore='biasbn'): the slice moves the weights
 * only.  A filter whose d block is all zero stays zero. */
void ob_landscape_filter_normalize(const ob_mlp *m, const double *theta, double *d);

/* Two directions (P each) with independent N(0, 1) entries from the gsl_rng mt19937 seeded
 * with seed (d1 first), each filter-normalized to theta. */
void ob_landscape_random_dirs(const ob_mlp *m, const double *theta, unsigned long seed,
                              double *d1, double *d2);

/* The top two principal directions of the trajectory (Li et al. 2018, Section 7): the
 * first two left singular vectors of M = [theta_0 - theta_T, ..., theta_{n-2} - theta_T]
 * (P, n-1), from GSL's one-sided SVD (gsl_linalg_SV_decomp_mod, for P >> n), signed so that
 * theta_0 projects on the positive side.  explained[k] = s_k^2 / sum_j s_j^2, the share of
 * the squared offsets each direction explains.  d1, d2 are orthonormal.  Needs n >= 3
 * checkpoints (OB_EINVAL otherwise) and P >= n - 1. */
ob_status ob_landscape_pca(const ob_ckpts *ck, double *d1, double *d2, double explained[2],
                           ob_error *err);

/* x[k] = <theta_k - theta_T, d1>, y[k] = <theta_k - theta_T, d2> for every checkpoint k:
 * the path's coordinates on the plane of orthonormal d1, d2 through theta_T (the last is
 * exactly (0, 0)). */
void ob_landscape_project(const ob_ckpts *ck, const double *d1, const double *d2, double *x,
                          double *y);

/* n points from lo to hi, lo + (hi - lo) k / (n - 1); values within 1e-12 (hi - lo) of 0
 * or 1 are set to exactly 0 or 1, so theta_0, theta_T and the centre are hit exactly. */
void ob_landscape_linspace(double lo, double hi, size_t n, double *out);

/* ---- one optimizer's whole study (nets/landscape_study.c) ----------------------------- */

typedef struct {
    ob_train_config train;           /* the run: network, optimizer, budget, seed */
    long every;                      /* checkpoint interval in updates (0: each epoch) */
    const ob_dataset *eval_train;    /* fixed evaluation subsets: the 2-D slices and the path */
    const ob_dataset *eval_test;     /* use eval_train; the interpolation uses both */
    const double *alpha;             /* (n_alpha) the interpolation's points */
    size_t n_alpha;
    size_t grid;                     /* points per axis of both planes (>= 2) */
    double range;                    /* the random plane: [-range, range]^2 */
    double margin;                   /* the PCA plane: the path's box widened by this share */
    unsigned long dir_seed;          /* the random directions' */
    const ob_train_observer *echo;   /* training rows and progress (may be NULL) */
    void (*point)(void *ctx);        /* after each evaluated grid point (may be NULL) */
    void *ctx;
} ob_landscape_config;

typedef struct {
    ob_train_result train;
    size_t n_ckpt;
    long *step;                      /* (n_ckpt) the checkpoints' updates */
    double *path_x, *path_y;         /* (n_ckpt) on the PCA plane; the last (0, 0) */
    double *path_loss, *path_acc;    /* (n_ckpt) at the checkpoints themselves, eval_train */
    double *interp[4];               /* (n_alpha) train loss, train acc, test loss, test acc */
    double explained[2];             /* the PCA directions' shares of the squared offsets */
    double *pca_x, *pca_y;           /* (grid) the PCA plane's axes */
    double *pca_loss, *pca_acc;      /* (grid^2) row j: y = pca_y[j] */
    double *rnd_x;                   /* (grid) both axes of the random plane */
    double *rnd_loss, *rnd_acc;      /* (grid^2) */
    double seconds_eval;             /* interpolation, directions and slices */
    int have_pca;                    /* 0: no PCA plane (pca_why says why) */
    char pca_why[512];
} ob_landscape_result;

/* Trains c->train, keeping checkpoints, then evaluates the interpolation, the PCA plane
 * with the projected path and the random plane.  A run that diverged (res->train.status)
 * has its training rows and nothing else (every array NULL).  OB_OK, or a failure of the
 * training or of memory. */
ob_status ob_landscape_study(const ob_landscape_config *c, const ob_splits *data,
                             ob_landscape_result *res, ob_error *err);
void ob_landscape_result_free(ob_landscape_result *r);

#endif
