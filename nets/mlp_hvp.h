/* mlp_hvp.h - Hessian-vector products of a network's training loss, in float64.
 *
 * H v of F(theta) = mean over a fixed set of samples of the loss (no dropout) + the
 * penalty, exactly, by the R-operator (Pearlmutter 1994, "Fast exact multiplication by
 * the Hessian"): one forward and one backward pass with their R-versions, about the cost
 * of two gradients.  Exact up to rounding wherever F is twice differentiable; ReLU-type
 * and hardtanh kinks, the margin loss's hinge and the l1 term contribute their
 * almost-everywhere second derivative, 0.  tests/test_hvp.c checks every activation and
 * loss against Hessians built from second differences of the loss alone (agreement to
 * ~1e-7, the differences' own error). */
#ifndef OB_MLP_HVP_H
#define OB_MLP_HVP_H

#include <stddef.h>
#include <stdint.h>

#include "common/ob.h"
#include "nets/mlp.h"

/* The loss F: m's float64 parameters at the point, and the samples. */
typedef struct {
    ob_mlp *m;          /* float64 (dtype OB_F64); its params are the point theta (left
                           bit-identical), its grads and activations are scratch */
    const float *x;     /* (N, d) the data set's features */
    size_t d;
    const int32_t *y;   /* (N) its labels */
    const size_t *idx;  /* (n) the rows of the set, or NULL: rows 0..n */
    size_t n;           /* samples in the set, >= 1 */
} ob_mlp_hvp_data;

/* F at m's parameters; m->grads <- grad F.  OB_EINVAL for a float32 network or for the
 * margin loss over more rows than m's batch (its mean over pairs does not split). */
ob_status ob_mlp_full_grad(const ob_mlp_hvp_data *D, double *F, ob_error *err);

/* hv = H v (n_params each), H the Hessian of F at m's parameters.  About two gradients'
 * time (netA, 2048 samples: 0.21 s against 0.11 s for ob_mlp_full_grad on one core).
 * Bit-reproducible with OpenBLAS on one thread (openblas_set_num_threads(1), as mlp.h
 * says), which ob_train arranges. */
ob_status ob_mlp_hvp(const ob_mlp_hvp_data *D, const double *v, double *hv, ob_error *err);

/* ob_mlp_hvp as an ob_hvp_fn (runs/sharpness.h): ctx is an ob_mlp_hvp_data. */
ob_status ob_mlp_hvp_cb(void *ctx, const double *v, double *hv, ob_error *err);

/* Copies src's parameters into dst (same spec; any precisions): a float64 twin of a
 * float32 network for ob_mlp_hvp. */
void ob_mlp_copy_params(ob_mlp *dst, const ob_mlp *src);

#endif
