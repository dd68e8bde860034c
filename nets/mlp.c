/* mlp.c - dense networks in float32 and float64 (see mlp.h); the layer, activation and
 * loss code is in mlp_kernels.h, compiled here once per precision. */
#include "nets/mlp.h"

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/names.h"

/* the GEMMs run as GEMM_BLOCKS fixed blocks when they have at least GEMM_SPLIT_MIN
 * multiply-adds (see gemm in mlp_kernels.h): two blocks suit this 2-core machine, measured
 * faster than OpenBLAS's own two threads (netA's five GEMMs: 0.235 s against 0.316 s per
 * epoch of 422 batches); a machine with more cores may want more */
#define GEMM_BLOCKS 2
#define GEMM_SPLIT_MIN (1 << 20)

#define real float
#define SFX_ _f32
#define GEMM cblas_sgemm
#define EXP expf
#define LOG logf
#define TANH tanhf
#define FABS fabsf
#include "nets/mlp_kernels.h"
#undef real
#undef SFX_
#undef GEMM
#undef EXP
#undef LOG
#undef TANH
#undef FABS

#define real double
#define SFX_ _f64
#define GEMM cblas_dgemm
#define EXP exp
#define LOG log
#define TANH tanh
#define FABS fabs
#include "nets/mlp_kernels.h"
#undef real
#undef SFX_
#undef GEMM
#undef EXP
#undef LOG
#undef TANH
#undef FABS

static const char *const act_names[] = {
    [OB_ACT_IDENTITY] = "identity", [OB_ACT_SIGMOID] = "sigmoid", [OB_ACT_TANH] = "tanh",
    [OB_ACT_HARDTANH] = "hardtanh", [OB_ACT_SOFTSIGN] = "softsign", [OB_ACT_RELU] = "relu",
    [OB_ACT_LEAKY_RELU] = "leaky-relu", NULL, /* NULL-terminated: the accepted names */
};
static const char *const loss_names[] = {
    [OB_LOSS_XENT] = "xent", [OB_LOSS_MSE] = "mse", [OB_LOSS_MARGIN] = "margin", NULL,
};
#define NELEM(a) (sizeof(a) / sizeof *(a) - 1) /* the names, without the NULL */

const char *ob_act_name(ob_act a) { return (size_t)a < NELEM(act_names) ? act_names[a] : "?"; }
const char *ob_loss_name(ob_loss l) { return (size_t)l < NELEM(loss_names) ? loss_names[l] : "?"; }

ob_status ob_act_parse(const char *s, ob_act *a, ob_error *err)
{
    for (size_t i = 0; i < NELEM(act_names); i++)
        if (strcmp(s, act_names[i]) == 0) return *a = (ob_act)i, OB_OK;
    char list[256];
    return ob_fail(err, OB_EINVAL, "--act: unknown activation '%s' (%s)", s,
                   ob_accepted(list, sizeof list, act_names));
}

ob_status ob_loss_parse(const char *s, ob_loss *l, ob_error *err)
{
    for (size_t i = 0; i < NELEM(loss_names); i++)
        if (strcmp(s, loss_names[i]) == 0) return *l = (ob_loss)i, OB_OK;
    char list[128];
    return ob_fail(err, OB_EINVAL, "--loss: unknown loss '%s' (%s)", s,
                   ob_accepted(list, sizeof list, loss_names));
}

ob_status ob_mlp_spec_check(const ob_mlp_spec *s, ob_error *err)
{
    if (s->n_layers < 1 || s->n_layers > OB_MLP_MAX_LAYERS)
        return ob_fail(err, OB_EINVAL, "a network has 1 to %d dense layers, got %zu",
                       OB_MLP_MAX_LAYERS, s->n_layers);
    for (size_t l = 0; l <= s->n_layers; l++)
        if (s->sizes[l] < 1 || s->sizes[l] > 1000000)
            return ob_fail(err, OB_EINVAL, "layer sizes must be in [1, 1000000], got %zu",
                           s->sizes[l]);
    if ((size_t)s->act >= NELEM(act_names) || (size_t)s->loss >= NELEM(loss_names))
        return ob_fail(err, OB_EINVAL, "unknown activation or loss");
    if (s->act == OB_ACT_LEAKY_RELU && !(s->leaky > 0 && s->leaky < 1))
        return ob_fail(err, OB_EINVAL, "the leaky ReLU slope must be in (0, 1), got %g", s->leaky);
    for (size_t l = 0; l < s->n_layers; l++) {
        if (!(s->dropout[l] >= 0 && s->dropout[l] < 1))
            return ob_fail(err, OB_EINVAL, "--dropout rates must be in [0, 1), got %g",
                           s->dropout[l]);
        if (s->dropout[l] > 0 && l + 1 == s->n_layers)
            return ob_fail(err, OB_EINVAL, "dropout acts on hidden layers; the output layer "
                           "has none");
    }
    if (!(s->l1 >= 0 && s->l1 < INFINITY) || !(s->l2 >= 0 && s->l2 < INFINITY))
        return ob_fail(err, OB_EINVAL, "--l1 and --l2 must be >= 0, got %g and %g", s->l1, s->l2);
    const size_t K = s->sizes[s->n_layers];
    if (s->loss == OB_LOSS_MARGIN && K != 1)
        return ob_fail(err, OB_EINVAL, "the max-margin loss scores with 1 output, got %zu", K);
    if (s->loss == OB_LOSS_XENT && K < 2)
        return ob_fail(err, OB_EINVAL, "softmax cross-entropy needs at least 2 outputs, got %zu",
                       K);
    return OB_OK;
}

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

ob_status ob_mlp_alloc(ob_mlp *m, const ob_mlp_spec *spec, ob_dtype dtype, size_t max_batch,
                       ob_error *err)
{
    memset(m, 0, sizeof *m);
    ob_status st = ob_mlp_spec_check(spec, err);
    if (st != OB_OK) return st;
    if (max_batch < 1) return ob_fail(err, OB_EINVAL, "the batch size must be >= 1");
    m->spec = *spec;
    m->dtype = dtype;
    m->max_batch = max_batch;
    const size_t L = spec->n_layers, es = dtype == OB_F32 ? sizeof(float) : sizeof(double);
    size_t n = 0;
    for (size_t l = 0; l < L; l++) {
        m->w_off[l] = n;
        n += spec->sizes[l] * spec->sizes[l + 1];
        m->b_off[l] = n;
        n += spec->sizes[l + 1];
    }
    m->n_params = n;
    /* activation buffers, each rounded up to 64 bytes; sizes are validated above, so
     * these products stay far below SIZE_MAX for any max_batch the harness allows */
    size_t total = 0, width = 1;
    size_t off_y[OB_MLP_MAX_LAYERS + 1], off_yd[OB_MLP_MAX_LAYERS + 1],
        off_m[OB_MLP_MAX_LAYERS + 1];
    for (size_t l = 0; l <= L; l++) {
        off_y[l] = total;
        total += round16(max_batch * spec->sizes[l]);
        off_yd[l] = off_m[l] = 0;
        if (l >= 1 && l < L && spec->dropout[l - 1] > 0) {
            off_yd[l] = total;
            total += round16(max_batch * spec->sizes[l]);
            off_m[l] = total;
            total += round16(max_batch * spec->sizes[l]);
        }
        if (l >= 1 && spec->sizes[l] > width) width = spec->sizes[l];
    }
    size_t off_d = total;
    total += 2 * round16(max_batch * width);
    if (posix_memalign(&m->mem, 64, total * es) != 0) {
        m->mem = NULL;
        return ob_fail(err, OB_ENOMEM, "out of memory for the network's activations (%zu MB)",
                       total * es >> 20);
    }
    if (posix_memalign(&m->pmem, 64, 2 * round16(n) * es) != 0) {
        m->pmem = NULL;
        ob_mlp_free(m);
        return ob_fail(err, OB_ENOMEM, "out of memory for %zu parameters", n);
    }
    memset(m->mem, 0, total * es);
    memset(m->pmem, 0, 2 * round16(n) * es);
    char *base = m->mem;
    for (size_t l = 0; l <= L; l++) {
        m->y[l] = base + off_y[l] * es;
        if (off_yd[l]) {
            m->yd[l] = base + off_yd[l] * es;
            m->mask[l] = base + off_m[l] * es;
        }
    }
    m->dbuf[0] = base + off_d * es;
    m->dbuf[1] = base + (off_d + round16(max_batch * width)) * es;
    m->params = m->pmem;
    m->grads = (char *)m->pmem + round16(n) * es;
    return OB_OK;
}

void ob_mlp_free(ob_mlp *m)
{
    free(m->mem);
    free(m->pmem);
    m->mem = m->pmem = m->params = m->grads = NULL;
}

double ob_mlp_param(const ob_mlp *m, size_t i)
{
    return m->dtype == OB_F32 ? (double)((const float *)m->params)[i]
                              : ((const double *)m->params)[i];
}

void ob_mlp_set_param(ob_mlp *m, size_t i, double v)
{
    if (m->dtype == OB_F32) ((float *)m->params)[i] = (float)v;
    else ((double *)m->params)[i] = v;
}

double ob_mlp_grad(const ob_mlp *m, size_t i)
{
    return m->dtype == OB_F32 ? (double)((const float *)m->grads)[i]
                              : ((const double *)m->grads)[i];
}

void ob_mlp_init(ob_mlp *m, gsl_rng *r)
{
    const ob_mlp_spec *s = &m->spec;
    ob_init how = s->init;
    if (how == OB_INIT_AUTO)
        how = s->n_layers > 1 && (s->act == OB_ACT_RELU || s->act == OB_ACT_LEAKY_RELU)
                  ? OB_INIT_HE : OB_INIT_XAVIER;
    for (size_t l = 0; l < s->n_layers; l++) {
        const size_t in = s->sizes[l], out = s->sizes[l + 1];
        /* Glorot & Bengio 2010 (the crash-course notes' Xavier): U(-a, a), a = sqrt(6/(in+out));
         * He et al. 2015: N(0, 2/in) */
        const double a = sqrt(6.0 / (double)(in + out)), sd = sqrt(2.0 / (double)in);
        for (size_t i = 0; i < in * out; i++)
            ob_mlp_set_param(m, m->w_off[l] + i,
                             how == OB_INIT_HE ? gsl_ran_gaussian(r, sd)
                                               : a * (2 * gsl_rng_uniform(r) - 1));
        for (size_t i = 0; i < out; i++) ob_mlp_set_param(m, m->b_off[l] + i, 0);
    }
}

void ob_mlp_gather(ob_mlp *m, const float *x, size_t d, const size_t *idx, size_t B)
{
    if (m->dtype == OB_F32) gather_f32(m->y[0], x, d, idx, B);
    else gather_f64(m->y[0], x, d, idx, B);
}

void ob_mlp_forward(ob_mlp *m, size_t B, gsl_rng *drop_rng)
{
    if (m->dtype == OB_F32) mlp_forward_f32(m, B, drop_rng);
    else mlp_forward_f64(m, B, drop_rng);
}

double ob_mlp_loss(ob_mlp *m, size_t B, const int32_t *y, int want_grad, double *correct,
                   double *pairs)
{
    double P = 0;
    double sum = m->dtype == OB_F32 ? mlp_loss_f32(m, B, y, want_grad, correct, &P)
                                    : mlp_loss_f64(m, B, y, want_grad, correct, &P);
    if (pairs) *pairs += P;
    switch (m->spec.loss) {
    case OB_LOSS_XENT: return sum / (double)B;
    case OB_LOSS_MSE: return sum / ((double)B * (double)m->spec.sizes[m->spec.n_layers]);
    case OB_LOSS_MARGIN: return P > 0 ? sum / P : 0;
    }
    return NAN;
}

double ob_margin_eval(const double *s, const int32_t *y, size_t n, double *correct,
                      double *pairs)
{
    double P = 0, sum = margin_f64(NULL, s, y, n, correct, &P);
    if (pairs) *pairs += P;
    return P > 0 ? sum / P : 0;
}

double ob_mlp_output(const ob_mlp *m, size_t b, size_t k)
{
    const size_t K = m->spec.sizes[m->spec.n_layers], L = m->spec.n_layers;
    return m->dtype == OB_F32 ? (double)((const float *)m->y[L])[b * K + k]
                              : ((const double *)m->y[L])[b * K + k];
}

void ob_mlp_zero_grad(ob_mlp *m)
{
    memset(m->grads, 0, m->n_params * (m->dtype == OB_F32 ? sizeof(float) : sizeof(double)));
}

void ob_mlp_backward_data(ob_mlp *m, size_t B, double scale)
{
    if (m->dtype == OB_F32) mlp_backward_f32(m, B, scale);
    else mlp_backward_f64(m, B, scale);
}

void ob_mlp_penalty_backward(ob_mlp *m)
{
    if (m->dtype == OB_F32) mlp_penalty_backward_f32(m);
    else mlp_penalty_backward_f64(m);
}

void ob_mlp_backward(ob_mlp *m, size_t B)
{
    ob_mlp_backward_data(m, B, 1);
    ob_mlp_penalty_backward(m);
}

double ob_mlp_penalty(const ob_mlp *m)
{
    const ob_mlp_spec *s = &m->spec;
    double p = 0;
    if (s->l1 == 0 && s->l2 == 0) return 0;
    for (size_t l = 0; l < s->n_layers; l++) {
        size_t n = s->sizes[l] * s->sizes[l + 1];
        p += m->dtype == OB_F32
                 ? reg_penalty_f32((const float *)m->params + m->w_off[l], n, s->l1, s->l2)
                 : reg_penalty_f64((const double *)m->params + m->w_off[l], n, s->l1, s->l2);
    }
    return p;
}

void ob_act_eval(ob_act a, double leaky, const double *x, double *y, double *dy, size_t n)
{
    /* through the layers' own kernels (bias 0, upstream gradient 1), so a figure of the
     * activations shows exactly what the networks compute */
    double *zero = calloc(n ? n : 1, sizeof *zero);
    if (!zero) return;
    for (size_t i = 0; i < n; i++) y[i] = x[i], dy[i] = 1;
    bias_act_f64(y, zero, n, a, leaky);
    act_backward_f64(dy, y, n, a, leaky);
    free(zero);
}
