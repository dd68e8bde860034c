/* mlp_hvp.c - exact Hessian-vector products of a network's loss by the R-operator
 * (Pearlmutter 1994, "Fast exact multiplication by the Hessian", Neural Computation 6(1)),
 * in float64: R{.} = d/dr (.)(theta + r v) at r = 0, pushed through the forward pass and
 * the backward pass.  With layer l mapping y_l (B, C) to y_{l+1} = f(z), z = y_l W^T + b,
 * and (V_W, V_b) the part of v on layer l:
 *   forward   R{z} = R{y_l} W^T + y_l V_W^T + V_b,  R{y_{l+1}} = f'(z) R{z}  (R{y_0} = 0)
 *   loss      d = dL/dz_out, R{d} = (d^2 L/dz_out^2) R{z_out}:
 *             xent (mean over B): (p R{z} - p (p . R{z})) / B per row, p = softmax(z);
 *             mse: 2 R{z} / (B K); margin (piecewise linear): 0
 *   backward  (Hv)_W += R{d}^T y_l + d^T R{y_l},  (Hv)_b += sum_rows R{d},
 *             e = d W, R{e} = R{d} W + d V_W, then for the layer below
 *             d <- f'(z) e,  R{d} <- f'(z) R{e} + f''(z) R{z} e
 *   penalty   (l2/2) sum W^2: + l2 V_W; l1 sum |W|: 0 (almost everywhere)
 * f' and f'' are written through the output y = f(z), as the layers' own backward does;
 * ReLU-type and hardtanh units have f'' = 0 almost everywhere (the kink is not seen). */
#include "nets/mlp_hvp.h"

#include <gsl/gsl_cblas.h>
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

/* d *= f'(z) and, when rz is not NULL, rd = f'(z) rd + f''(z) rz e with e the old d;
 * f', f'' through y = f(z) (n elements) */
static void act_r(double *d, double *rd, const double *rz, const double *y, size_t n, ob_act a,
                  double leaky)
{
    for (size_t i = 0; i < n; i++) {
        double yi = y[i], f1 = 1, f2 = 0;
        switch (a) {
        case OB_ACT_IDENTITY: break;
        case OB_ACT_SIGMOID: f1 = yi * (1 - yi), f2 = f1 * (1 - 2 * yi); break;
        case OB_ACT_TANH: f1 = 1 - yi * yi, f2 = -2 * yi * f1; break;
        case OB_ACT_HARDTANH: f1 = yi > -1 && yi < 1; break;
        case OB_ACT_SOFTSIGN: { /* f' = (1-|y|)^2, f'' = -2 sign(y) (1-|y|)^3 */
            double t = 1 - fabs(yi);
            f1 = t * t, f2 = -2 * ((yi > 0) - (yi < 0)) * t * t * t;
            break;
        }
        case OB_ACT_RELU: f1 = yi > 0; break;
        case OB_ACT_LEAKY_RELU: f1 = yi > 0 ? 1 : leaky; break;
        }
        double e = d[i];
        d[i] = f1 * e;
        if (rd) rd[i] = f1 * rd[i] + f2 * rz[i] * e;
    }
}

/* C (M, N) = op(A) op(B) + beta C, row-major */
static void gemm(enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb, size_t M, size_t N, size_t K,
                 const double *A, const double *B, double beta, double *C)
{
    cblas_dgemm(CblasRowMajor, ta, tb, (int)M, (int)N, (int)K, 1.0, A,
                ta == CblasTrans ? (int)M : (int)K, B, tb == CblasTrans ? (int)K : (int)N, beta,
                C, (int)N);
}

/* the scratch of one chunk: R{z} per layer (its R{y} for the layer above), d, R{d}, e */
typedef struct {
    double *rz[OB_MLP_MAX_LAYERS + 1]; /* (B, sizes[l]) R{z_l}; rz[0] = R{y_0} = 0 */
    double *ry;                         /* (B, max width) R{y_l} of the layer being read */
    double *d, *rd, *e, *re;            /* (B, max width) */
    double *mem;
} rbuf;

static int rbuf_alloc(rbuf *r, const ob_mlp *m)
{
    const ob_mlp_spec *s = &m->spec;
    size_t B = m->max_batch, w = 0, tot = 0;
    for (size_t l = 0; l <= s->n_layers; l++) {
        if (s->sizes[l] > w) w = s->sizes[l];
        tot += B * s->sizes[l];
    }
    r->mem = calloc(tot + 5 * B * w, sizeof *r->mem);
    if (!r->mem) return -1;
    double *p = r->mem;
    for (size_t l = 0; l <= s->n_layers; l++) r->rz[l] = p, p += B * s->sizes[l];
    r->ry = p, p += B * w;
    r->d = p, p += B * w;
    r->rd = p, p += B * w;
    r->e = p, p += B * w;
    r->re = p;
    return 0;
}

/* R{y_l} (B, C) from R{z_l}: f'(z) R{z} for hidden layers, 0 for the input */
static const double *r_input(rbuf *r, const ob_mlp *m, size_t l, size_t B)
{
    const size_t n = B * m->spec.sizes[l];
    if (l == 0) return r->rz[0]; /* zeros */
    memcpy(r->ry, r->rz[l], n * sizeof *r->ry);
    act_r(r->ry, NULL, NULL, m->y[l], n, m->spec.act, m->spec.leaky);
    return r->ry;
}

/* the R-forward pass of a chunk after ob_mlp_forward: rz[1..L] */
static void r_forward(rbuf *r, const ob_mlp *m, const double *v, size_t B)
{
    const ob_mlp_spec *s = &m->spec;
    const double *W = m->params;
    for (size_t l = 0; l < s->n_layers; l++) {
        size_t C = s->sizes[l], OC = s->sizes[l + 1];
        double *rz = r->rz[l + 1];
        for (size_t i = 0; i < B; i++) memcpy(rz + i * OC, v + m->b_off[l], OC * sizeof *rz);
        gemm(CblasNoTrans, CblasTrans, B, OC, C, m->y[l], v + m->w_off[l], 1, rz); /* y V_W^T */
        if (l > 0)
            gemm(CblasNoTrans, CblasTrans, B, OC, C, r_input(r, m, l, B), W + m->w_off[l], 1, rz);
    }
}

/* R{d} at the output (B, K) from R{z_out}, d = dL/dz_out of the chunk's mean loss */
static void r_loss(rbuf *r, const ob_mlp *m, size_t B)
{
    const size_t K = m->spec.sizes[m->spec.n_layers];
    const double *z = m->y[m->spec.n_layers], *rz = r->rz[m->spec.n_layers];
    for (size_t i = 0; i < B; i++) {
        double *rd = r->rd + i * K;
        const double *zi = z + i * K, *rzi = rz + i * K;
        if (m->spec.loss == OB_LOSS_XENT) { /* (diag(p) - p p^T) R{z} / B */
            double mx = zi[0], s = 0, pr = 0;
            for (size_t k = 1; k < K; k++) mx = zi[k] > mx ? zi[k] : mx;
            for (size_t k = 0; k < K; k++) s += rd[k] = exp(zi[k] - mx);
            for (size_t k = 0; k < K; k++) rd[k] /= s, pr += rd[k] * rzi[k];
            for (size_t k = 0; k < K; k++) rd[k] = rd[k] * (rzi[k] - pr) / (double)B;
        } else if (m->spec.loss == OB_LOSS_MSE) { /* 2 R{z} / (B K) */
            for (size_t k = 0; k < K; k++) rd[k] = 2 * rzi[k] / ((double)B * (double)K);
        } else {
            for (size_t k = 0; k < K; k++) rd[k] = 0; /* piecewise linear in z */
        }
    }
}

/* the R-backward pass of a chunk: hv += scale * (the chunk's mean loss) H v */
static void r_backward(rbuf *r, const ob_mlp *m, const double *v, size_t B, double scale,
                       double *hv)
{
    const ob_mlp_spec *s = &m->spec;
    const double *W = m->params;
    size_t K = s->sizes[s->n_layers];
    memcpy(r->d, m->dbuf[0], B * K * sizeof *r->d); /* ob_mlp_loss's dL/dz_out */
    for (size_t i = 0; i < B * K; i++) r->d[i] *= scale, r->rd[i] *= scale;
    for (size_t l = s->n_layers; l-- > 0;) {
        size_t C = s->sizes[l], OC = s->sizes[l + 1];
        /* (Hv)_W += R{d}^T y_l + d^T R{y_l};  (Hv)_b += sum_rows R{d} */
        gemm(CblasTrans, CblasNoTrans, OC, C, B, r->rd, m->y[l], 1, hv + m->w_off[l]);
        if (l > 0) gemm(CblasTrans, CblasNoTrans, OC, C, B, r->d, r_input(r, m, l, B), 1,
                        hv + m->w_off[l]);
        for (size_t i = 0; i < B; i++)
            for (size_t o = 0; o < OC; o++) hv[m->b_off[l] + o] += r->rd[i * OC + o];
        if (l == 0) break;
        /* e = d W, R{e} = R{d} W + d V_W; then through f of layer l-1 */
        gemm(CblasNoTrans, CblasNoTrans, B, C, OC, r->d, W + m->w_off[l], 0, r->e);
        gemm(CblasNoTrans, CblasNoTrans, B, C, OC, r->rd, W + m->w_off[l], 0, r->re);
        gemm(CblasNoTrans, CblasNoTrans, B, C, OC, r->d, v + m->w_off[l], 1, r->re);
        act_r(r->e, r->re, r->rz[l], m->y[l], B * C, s->act, s->leaky);
        double *t = r->d;
        r->d = r->e, r->e = t;
        t = r->rd, r->rd = r->re, r->re = t;
    }
}

ob_status ob_mlp_hvp(const ob_mlp_hvp_data *D, const double *v, double *hv, ob_error *err)
{
    ob_mlp *m = D->m;
    const ob_mlp_spec *s = &m->spec;
    if (m->dtype != OB_F64)
        return ob_fail(err, OB_EINVAL, "Hessian-vector products need a float64 network");
    if (D->n == 0) return ob_fail(err, OB_EINVAL, "Hessian-vector products need >= 1 sample");
    if (s->loss == OB_LOSS_MARGIN && D->n > m->max_batch)
        return ob_fail(err, OB_EINVAL, "the margin loss's Hessian needs all %zu samples in one "
                       "batch (the network holds %zu)", D->n, m->max_batch);
    rbuf r;
    int32_t *lab = malloc(m->max_batch * sizeof *lab); /* (max_batch) a chunk's labels */
    if (!lab || rbuf_alloc(&r, m)) {
        free(lab);
        return ob_fail(err, OB_ENOMEM, "out of memory for a Hessian-vector product");
    }
    memset(hv, 0, m->n_params * sizeof *hv);
    for (size_t i = 0; i < D->n; i += m->max_batch) {
        size_t B = D->n - i < m->max_batch ? D->n - i : m->max_batch;
        const size_t *rows = D->idx ? D->idx + i : NULL;
        for (size_t b = 0; b < B; b++) lab[b] = D->y[rows ? rows[b] : i + b];
        ob_mlp_gather(m, rows ? D->x : D->x + i * D->d, D->d, rows, B);
        ob_mlp_forward(m, B, NULL); /* evaluation mode: no dropout */
        ob_mlp_loss(m, B, lab, 1, NULL, NULL); /* d = dL/dz_out into dbuf[0] */
        r_forward(&r, m, v, B);
        r_loss(&r, m, B);
        r_backward(&r, m, v, B, (double)B / (double)D->n, hv); /* the chunk's share */
    }
    if (s->l2 > 0) /* (l2/2) sum W^2: + l2 V_W on the weights (not the biases) */
        for (size_t l = 0; l < s->n_layers; l++)
            for (size_t j = 0; j < s->sizes[l] * s->sizes[l + 1]; j++)
                hv[m->w_off[l] + j] += s->l2 * v[m->w_off[l] + j];
    free(lab);
    free(r.mem);
    return OB_OK;
}

ob_status ob_mlp_hvp_cb(void *ctx, const double *v, double *hv, ob_error *err)
{
    return ob_mlp_hvp(ctx, v, hv, err);
}

void ob_mlp_copy_params(ob_mlp *dst, const ob_mlp *src)
{
    for (size_t i = 0; i < src->n_params; i++) ob_mlp_set_param(dst, i, ob_mlp_param(src, i));
}
