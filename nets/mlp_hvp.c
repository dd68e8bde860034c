/* mlp_hvp.c - Hessian-vector products of a network's loss by central differences of
 * full-batch float64 gradients (see mlp_hvp.h for the error analysis). */
#include "nets/mlp_hvp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

ob_status ob_mlp_full_grad(const ob_mlp_hvp_data *D, double *F, ob_error *err)
{
    ob_mlp *m = D->m;
    if (m->dtype != OB_F64)
        return ob_fail(err, OB_EINVAL, "Hessian-vector products need a float64 network");
    if (D->n == 0) return ob_fail(err, OB_EINVAL, "Hessian-vector products need >= 1 sample");
    if (m->spec.loss == OB_LOSS_MARGIN && D->n > m->max_batch)
        return ob_fail(err, OB_EINVAL, "the margin loss's Hessian needs all %zu samples in one "
                       "batch (the network holds %zu)", D->n, m->max_batch);
    int32_t *lab = malloc(m->max_batch * sizeof *lab); /* (max_batch) a chunk's labels */
    if (!lab) return ob_fail(err, OB_ENOMEM, "out of memory");
    ob_mlp_zero_grad(m);
    double sum = 0;
    for (size_t i = 0; i < D->n; i += m->max_batch) {
        size_t B = D->n - i < m->max_batch ? D->n - i : m->max_batch;
        const size_t *rows = D->idx ? D->idx + i : NULL;
        for (size_t b = 0; b < B; b++) lab[b] = D->y[rows ? rows[b] : i + b];
        ob_mlp_gather(m, rows ? D->x : D->x + i * D->d, D->d, rows, B);
        ob_mlp_forward(m, B, NULL); /* evaluation mode: no dropout */
        sum += ob_mlp_loss(m, B, lab, 1, NULL, NULL) * (double)B;
        ob_mlp_backward_data(m, B, (double)B / (double)D->n); /* the chunk's share */
    }
    ob_mlp_penalty_backward(m);
    free(lab);
    if (F) *F = sum / (double)D->n + ob_mlp_penalty(m);
    return OB_OK;
}

ob_status ob_mlp_hvp(const ob_mlp_hvp_data *D, const double *v, double *hv, ob_error *err)
{
    ob_mlp *m = D->m;
    const size_t P = m->n_params;
    double *theta = m->params;
    double nv = sqrt(ob_sum_sq(v, P)), nt = sqrt(ob_sum_sq(theta, P));
    if (!(nv > 0)) {
        memset(hv, 0, P * sizeof *hv);
        return OB_OK;
    }
    double *t0 = malloc(P * sizeof *t0); /* (P) theta, restored exactly afterwards */
    if (!t0) return ob_fail(err, OB_ENOMEM, "out of memory for %zu parameters", P);
    memcpy(t0, theta, P * sizeof *t0);
    /* e ||v|| = 1e-5 max(1, ||theta||): truncation O(e^2) and rounding O(eps/e) balanced */
    const double e = 1e-5 * (nt > 1 ? nt : 1) / nv;
    for (size_t i = 0; i < P; i++) theta[i] = t0[i] + e * v[i];
    ob_status s = ob_mlp_full_grad(D, NULL, err);
    if (s == OB_OK) {
        memcpy(hv, m->grads, P * sizeof *hv);
        for (size_t i = 0; i < P; i++) theta[i] = t0[i] - e * v[i];
        s = ob_mlp_full_grad(D, NULL, err);
    }
    if (s == OB_OK) {
        const double *gm = m->grads;
        for (size_t i = 0; i < P; i++) hv[i] = (hv[i] - gm[i]) / (2 * e); /* central difference */
    }
    memcpy(theta, t0, P * sizeof *t0);
    free(t0);
    return s;
}

ob_status ob_mlp_hvp_cb(void *ctx, const double *v, double *hv, ob_error *err)
{
    return ob_mlp_hvp(ctx, v, hv, err);
}

void ob_mlp_copy_params(ob_mlp *dst, const ob_mlp *src)
{
    for (size_t i = 0; i < src->n_params; i++) ob_mlp_set_param(dst, i, ob_mlp_param(src, i));
}
