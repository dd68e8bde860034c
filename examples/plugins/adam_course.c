/* adam_course.c - an optbench optimizer plugin: Adam written straight from the course's
 * formula (the optimization slides, Kingma & Ba 2015, Algorithm 1), step t from 1:
 *     m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2
 *     m_hat = m/(1-b1^t);   v_hat = v/(1-b2^t);   x -= lr * m_hat/(sqrt(v_hat) + eps)
 * `optbench check --optimizer adam_course.so --against adam` compares it with the
 * built-in (torch.optim.Adam's arrangement of the same formula). */
#include <math.h>
#include <stdlib.h>
#include <optbench.h>

typedef struct {
    double b1, b2, eps;
    double *m, *v; /* (n) the first and second moments, zero at the start */
} adam_state;

static ob_status ac_alloc(void *state, size_t n, const ob_hparams *h)
{
    adam_state *s = state;
    *s = (adam_state){h->beta1, h->beta2, h->eps, calloc(n, sizeof(double)),
                      calloc(n, sizeof(double))};
    return s->m && s->v ? OB_OK : OB_ENOMEM;
}

static void ac_free(void *state)
{
    adam_state *s = state;
    free(s->m);
    free(s->v);
}

static ob_status ac_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                         double lr, long t, const ob_objective *obj)
{
    (void)obj;
    adam_state *s = state;
    double bc1 = 1 - pow(s->b1, (double)t), bc2 = 1 - pow(s->b2, (double)t); /* once a step */
    for (size_t i = 0; i < n; i++) {
        double gi = dt == OB_F64 ? ((const double *)g)[i] : ((const float *)g)[i];
        s->m[i] = s->b1 * s->m[i] + (1 - s->b1) * gi;          /* m = b1*m + (1-b1)*g */
        s->v[i] = s->b2 * s->v[i] + (1 - s->b2) * gi * gi;     /* v = b2*v + (1-b2)*g^2 */
        double m_hat = s->m[i] / bc1;                          /* m_hat = m/(1-b1^t) */
        double v_hat = s->v[i] / bc2;                          /* v_hat = v/(1-b2^t) */
        double d = lr * m_hat / (sqrt(v_hat) + s->eps);        /* lr*m_hat/(sqrt(v_hat)+eps) */
        if (dt == OB_F64) ((double *)x)[i] -= d;
        else ((float *)x)[i] = (float)(((float *)x)[i] - d);
    }
    return OB_OK;
}

static const ob_hp_option ac_options[] = {
    OB_HP_LR(1e-3, "learning rate"),
    OB_HP_NUMBER("beta1", beta1, 0.9, "[0, 1)", "m = b1*m + (1-b1)*g"),
    OB_HP_NUMBER("beta2", beta2, 0.999, "[0, 1)", "v = b2*v + (1-b2)*g^2"),
    OB_HP_NUMBER("eps", eps, 1e-8, ">= 0", "x -= lr*m_hat/(sqrt(v_hat) + eps)"),
    OB_HP_END,
};

const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;
const ob_optimizer_type optbench_optimizer = {
    .name = "adam-course",
    .summary = "Adam from the course formula: x -= lr*m_hat/(sqrt(v_hat)+eps)",
    .options = ac_options,
    .state_size = sizeof(adam_state),
    .alloc = ac_alloc,
    .step = ac_step,
    .free = ac_free,
};
