/* mlp_hvp.h - Hessian-vector products of a network's training loss, in float64.
 *
 * H v of F(theta) = mean over a fixed set of samples of the loss (no dropout) + the
 * penalty, by central differences of full-batch gradients in float64:
 *     H v ~ (grad F(theta + e v) - grad F(theta - e v)) / (2 e),
 * whose error is O(e^2 ||v||^3 |F'''|) from truncation plus O(eps_mach |grad F| / e) from
 * rounding; e ||v|| = 1e-5 max(1, ||theta||) balances the two (relative error ~1e-8 on
 * smooth networks, tested against the exact Hessian in tests/test_hvp.c).  Where a ReLU
 * kink or an l1 term's sign change lies within e of theta the product sees its jump: it
 * is the Hessian of the piecewise-smooth loss only almost everywhere. */
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

/* hv = H v (n_params each), H the Hessian of F at m's parameters. */
ob_status ob_mlp_hvp(const ob_mlp_hvp_data *D, const double *v, double *hv, ob_error *err);

/* ob_mlp_hvp as an ob_hvp_fn (runs/sharpness.h): ctx is an ob_mlp_hvp_data. */
ob_status ob_mlp_hvp_cb(void *ctx, const double *v, double *hv, ob_error *err);

/* Copies src's parameters into dst (same spec; any precisions): a float64 twin of a
 * float32 network for ob_mlp_hvp. */
void ob_mlp_copy_params(ob_mlp *dst, const ob_mlp *src);

#endif
