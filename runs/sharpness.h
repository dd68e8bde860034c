/* sharpness.h - the top eigenvalue of a Hessian (the "sharpness" of Cohen et al., ICLR
 * 2021, arXiv 2103.00065) from Hessian-vector products, by the Lanczos method with full
 * reorthogonalization, warm-started from the previous estimate's Ritz vector.
 *
 * The operator is A = H, or with a diagonal preconditioner P > 0 the symmetric
 * A = P^-1/2 H P^-1/2, which has the eigenvalues of P^-1 H (the "preconditioned
 * sharpness" of Cohen et al. 2022, arXiv 2207.14484).  The Hessian comes as a callback,
 * so the same estimator serves the analytic problems (exact products, problem.h) and the
 * networks (ob_mlp_hvp, nets/mlp.h). */
#ifndef OB_SHARPNESS_H
#define OB_SHARPNESS_H

#include <stddef.h>

#include "common/ob.h"

#define OB_SHARP_PRODUCTS 20 /* default cap on Hessian-vector products per estimate */
#define OB_SHARP_TOL 1e-8    /* default: stop when ||A y - theta y|| <= tol |theta| */

/* hv = H v (n each); returns OB_OK or an error with a message in err. */
typedef ob_status (*ob_hvp_fn)(void *ctx, const double *v, double *hv, ob_error *err);

typedef struct {
    size_t n;
    int max_products;   /* cap per estimate, 1 .. */
    double tol;         /* relative residual at which an estimate stops early */
    unsigned long seed; /* the first start vector (Gaussian); later ones: the last Ritz vector */
    int warm;           /* 1 once an estimate has left its Ritz vector in v */
    double *v;          /* (n) the start vector of the next estimate */
    double *Q;          /* (max_products + 1, n) the Lanczos basis, row by row */
    double *w, *u;      /* (n) scratch */
    double *T;          /* (max_products^2) tridiagonal as a dense matrix for GSL */
    double *evec;       /* (max_products^2) its eigenvectors */
} ob_sharpness;

/* One estimate. */
typedef struct {
    double lambda;   /* the largest Ritz value: the top eigenvalue's estimate */
    double residual; /* ||A y - lambda y|| / |lambda| for the unit Ritz vector y (the
                        Lanczos bound beta_k |s_k|, exact with full reorthogonalization) */
    int products;    /* Hessian-vector products spent */
} ob_sharp_est;

/* max_products <= 0: OB_SHARP_PRODUCTS; tol <= 0: OB_SHARP_TOL.  The eigenvalue's error
 * is about (residual lambda)^2 / gap, so tol 1e-3 already gives it to ~1e-6 relative: on
 * netA (2048 samples) a cold estimate then takes 11 products instead of 18 (1e-8). */
ob_status ob_sharpness_alloc(ob_sharpness *s, size_t n, int max_products, double tol,
                             unsigned long seed, ob_error *err);
void ob_sharpness_free(ob_sharpness *s);

/* The top eigenvalue of H (precond NULL) or of P^-1 H, computed as that of
 * P^-1/2 H P^-1/2 (precond = the diagonal of P, n values > 0).  Warm-starts from the
 * previous estimate's vector. */
ob_status ob_sharpness_estimate(ob_sharpness *s, ob_hvp_fn hvp, void *ctx,
                                const double *precond, ob_sharp_est *e, ob_error *err);

#endif
