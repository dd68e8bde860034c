/* mlp_kernels.h - every layer, activation and loss of nets/mlp.c, written once.
 *
 * This is a template: nets/mlp.c includes it twice, once with `real` = float (suffix
 * _f32, sgemm, expf, ...) and once with `real` = double (_f64, dgemm, exp, ...).  That is
 * how one definition serves both precisions without a hand-maintained float copy (the
 * same idea as optimizers/elementwise.h, but as plain functions rather than one long
 * macro, so compiler messages and debuggers point at real lines).  It has no include
 * guard on purpose and is not meant to be included anywhere else.
 *
 * Layout (llm.c style): outputs first, gradients named d<name>, shapes in comments;
 * parameter gradients ACCUMULATE (+=), activation gradients are written. */

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define F(name) CAT(name, SFX_) /* F(gather) -> gather_f32 or gather_f64 */

/* y = f(y + b) on one row (n): the bias and the activation in one pass after the GEMM.
 * The switch sits outside the loops so that each loop vectorizes. */
static void F(bias_act)(real *restrict y, const real *restrict b, size_t n, ob_act act,
                        real a)
{
    switch (act) {
    case OB_ACT_IDENTITY:
        for (size_t j = 0; j < n; j++) y[j] = y[j] + b[j];
        break;
    case OB_ACT_SIGMOID: /* 1/(1+exp(-x)) */
        for (size_t j = 0; j < n; j++) y[j] = 1 / (1 + EXP(-(y[j] + b[j])));
        break;
    case OB_ACT_TANH:
        for (size_t j = 0; j < n; j++) y[j] = TANH(y[j] + b[j]);
        break;
    case OB_ACT_HARDTANH: /* max(-1, min(1, x)) */
        for (size_t j = 0; j < n; j++) {
            real v = y[j] + b[j];
            y[j] = v < -1 ? -1 : v > 1 ? 1 : v;
        }
        break;
    case OB_ACT_SOFTSIGN: /* x/(1+|x|) */
        for (size_t j = 0; j < n; j++) {
            real v = y[j] + b[j];
            y[j] = v / (1 + FABS(v));
        }
        break;
    case OB_ACT_RELU: /* max(0, x) */
        for (size_t j = 0; j < n; j++) {
            real v = y[j] + b[j];
            y[j] = v > 0 ? v : 0;
        }
        break;
    case OB_ACT_LEAKY_RELU: /* x if x > 0 else a*x */
        for (size_t j = 0; j < n; j++) {
            real v = y[j] + b[j];
            y[j] = v > 0 ? v : a * v;
        }
        break;
    }
}

/* d *= f'(x), with f' written through the output y = f(x) (n elements) */
static void F(act_backward)(real *restrict d, const real *restrict y, size_t n, ob_act act,
                            real a)
{
    switch (act) {
    case OB_ACT_IDENTITY:
        break;
    case OB_ACT_SIGMOID: /* f' = y(1-y) */
        for (size_t i = 0; i < n; i++) d[i] = d[i] * (y[i] * (1 - y[i]));
        break;
    case OB_ACT_TANH: /* f' = 1-y^2 */
        for (size_t i = 0; i < n; i++) d[i] = d[i] * (1 - y[i] * y[i]);
        break;
    case OB_ACT_HARDTANH: /* f' = 1 on (-1, 1), 0 where clipped */
        for (size_t i = 0; i < n; i++) d[i] = y[i] > -1 && y[i] < 1 ? d[i] : 0;
        break;
    case OB_ACT_SOFTSIGN: { /* f' = 1/(1+|x|)^2 = (1-|y|)^2 */
        for (size_t i = 0; i < n; i++) {
            real t = 1 - FABS(y[i]);
            d[i] = d[i] * (t * t);
        }
        break;
    }
    case OB_ACT_RELU: /* f' = 1 if x > 0 (y > 0) else 0 */
        for (size_t i = 0; i < n; i++) d[i] = y[i] > 0 ? d[i] : 0;
        break;
    case OB_ACT_LEAKY_RELU: /* f' = 1 if y > 0 else a (a > 0 keeps the sign of x in y) */
        for (size_t i = 0; i < n; i++) d[i] = y[i] > 0 ? d[i] : a * d[i];
        break;
    }
}

/* C (M, N) = op(A) op(B) + beta C (row-major, leading dimensions lda, ldb, ldc) through
 * sgemm/dgemm with OpenBLAS on one thread, in GEMM_BLOCKS fixed blocks of rows (split_n
 * 0) or columns (1) of C that OpenMP threads share.  Why not OpenBLAS's own threads: its
 * results depend on its thread count (0.3.21 here: 1 and 2 threads differ in the last
 * bits of some elements), and its threads compete with OpenMP's spinning ones.  The
 * blocks depend on the sizes only, so every thread count gives the same bits.  Block
 * edges fall on multiples of 16 rows or columns. */
static void F(gemm)(enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb, size_t M, size_t N, size_t K,
                    const real *A, size_t lda, const real *B, size_t ldb, real beta, real *C,
                    size_t ldc, int split_n)
{
    const size_t D = split_n ? N : M;
    const int nblk = (double)M * (double)N * (double)K >= GEMM_SPLIT_MIN && D >= 32
                         ? GEMM_BLOCKS : 1;
#pragma omp parallel for schedule(static) if (nblk > 1)
    for (int k = 0; k < nblk; k++) {
        size_t lo = k == 0 ? 0 : (D * (size_t)k / (size_t)nblk) & ~(size_t)15;
        size_t hi = k + 1 == nblk ? D : (D * (size_t)(k + 1) / (size_t)nblk) & ~(size_t)15;
        if (hi <= lo) continue;
        if (split_n)
            GEMM(CblasRowMajor, ta, tb, (int)M, (int)(hi - lo), (int)K, 1, A, (int)lda,
                 tb == CblasTrans ? B + lo * ldb : B + lo, (int)ldb, beta, C + lo, (int)ldc);
        else
            GEMM(CblasRowMajor, ta, tb, (int)(hi - lo), (int)N, (int)K, 1,
                 ta == CblasTrans ? A + lo : A + lo * lda, (int)lda, B, (int)ldb, beta,
                 C + lo * ldc, (int)ldc);
    }
}

/* out (B, OC) = f(inp (B, C) W^T + b),  W (OC, C), b (OC) */
static void F(dense_forward)(real *out, const real *inp, const real *w, const real *b,
                             size_t B, size_t C, size_t OC, ob_act act, real a)
{
    F(gemm)(CblasNoTrans, CblasTrans, B, OC, C, inp, C, w, C, 0, out, OC, 0);
    for (size_t i = 0; i < B; i++) F(bias_act)(out + i * OC, b, OC, act, a);
}

/* Given dout (B, OC) = dL/d(inp W^T + b):
 *   dW (OC, C) += dout^T inp     db (OC) += sum_b dout[b]     dinp (B, C) = dout W
 * dinp NULL: not computed (the input layer's, which nothing reads). */
static void F(dense_backward)(real *dinp, real *dw, real *restrict db,
                              const real *restrict dout, const real *inp, const real *w,
                              size_t B, size_t C, size_t OC)
{
    F(gemm)(CblasTrans, CblasNoTrans, OC, C, B, dout, OC, inp, C, 1, dw, C, 1);
    for (size_t i = 0; i < B; i++) /* rows in order: the same sum for any thread count */
        for (size_t o = 0; o < OC; o++) db[o] += dout[i * OC + o];
    if (dinp) F(gemm)(CblasNoTrans, CblasNoTrans, B, C, OC, dout, OC, w, C, 0, dinp, C, 0);
}

/* Inverted dropout (n elements): mask = 1/(1-p) with probability 1-p, else 0;
 * yd = y * mask.  Backward: dy = dyd * mask. */
static void F(dropout_forward)(real *restrict yd, real *restrict mask, const real *restrict y,
                               size_t n, double p, gsl_rng *r)
{
    const real scale = (real)(1 / (1 - p));
    for (size_t i = 0; i < n; i++) {
        mask[i] = gsl_rng_uniform(r) >= p ? scale : 0;
        yd[i] = y[i] * mask[i];
    }
}

static void F(mul_inplace)(real *restrict d, const real *restrict mask, size_t n)
{
    for (size_t i = 0; i < n; i++) d[i] = d[i] * mask[i];
}

/* Index of the largest of z (K); the first one on ties. */
static size_t F(argmax)(const real *z, size_t K)
{
    size_t best = 0;
    for (size_t k = 1; k < K; k++)
        if (z[k] > z[best]) best = k;
    return best;
}

/* Softmax + cross-entropy of logits z (B, K) against labels y (B), with the stable
 * log-sum-exp: loss_b = m + log(sum_k exp(z_bk - m)) - z_b,y, m = max_k z_bk.
 * Returns sum_b loss_b.  dz (B, K) non-NULL: dz = (softmax(z) - onehot(y)) / B, the
 * gradient of the mean. */
static double F(xent)(real *dz, const real *z, const int32_t *y, size_t B, size_t K,
                      double *correct)
{
    double sum = 0, ok = 0;
    for (size_t i = 0; i < B; i++) {
        const real *row = z + i * K;
        size_t am = F(argmax)(row, K);
        real m = row[am], s = 0;
        if (dz) {
            real *d = dz + i * K;
            for (size_t k = 0; k < K; k++) s += d[k] = EXP(row[k] - m);
            const real inv = 1 / s, invB = (real)(1.0 / (double)B);
            for (size_t k = 0; k < K; k++) d[k] = (d[k] * inv - (k == (size_t)y[i])) * invB;
        } else {
            for (size_t k = 0; k < K; k++) s += EXP(row[k] - m);
        }
        sum += (double)(LOG(s) - (row[y[i]] - m)); /* log(sum exp(z - m)) - (z_y - m) */
        ok += am == (size_t)y[i];
    }
    if (correct) *correct += ok;
    return sum;
}

/* Squared error of z (B, K) against t = onehot(y) (K > 1) or t = y (K = 1).  Returns
 * sum (z - t)^2; dz non-NULL: dz = 2 (z - t) / (B K), the gradient of the mean. */
static double F(mse)(real *dz, const real *z, const int32_t *y, size_t B, size_t K,
                     double *correct)
{
    double sum = 0, ok = 0;
    const real scale = (real)(2.0 / ((double)B * (double)K));
    for (size_t i = 0; i < B; i++) {
        for (size_t k = 0; k < K; k++) {
            real t = K > 1 ? (real)(k == (size_t)y[i]) : (real)y[i];
            real diff = z[i * K + k] - t;
            sum += (double)(diff * diff);
            if (dz) dz[i * K + k] = scale * diff;
        }
        ok += K > 1 ? F(argmax)(z + i * K, K) == (size_t)y[i] : (z[i] > (real)0.5) == (y[i] != 0);
    }
    if (correct) *correct += ok;
    return sum;
}

/* The crash-course notes' max-margin loss on scores s (n): over every pair of a true window i
 * (y = 1) and a corrupt one j (y = 0), J_ij = max(0, 1 + s_j - s_i).  Returns
 * sum J_ij, sets *pairs to their number P; ds non-NULL: ds = dJ/ds of the mean sum/P
 * (ds_i -= 1/P, ds_j += 1/P for each pair with J_ij > 0).  *correct += pairs with
 * s_i > s_j.  O(n_true * n_corrupt): meant for mini-batches and the small window sets. */
static double F(margin)(real *ds, const real *s, const int32_t *y, size_t n, double *correct,
                        double *pairs)
{
    double n1 = 0, n0 = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i]) n1++;
        else n0++;
    }
    const double P = n1 * n0;
    const real inv = P > 0 ? (real)(1 / P) : 0;
    if (ds)
        for (size_t i = 0; i < n; i++) ds[i] = 0;
    double sum = 0, ok = 0;
    for (size_t i = 0; i < n; i++) {
        if (!y[i]) continue;
        for (size_t j = 0; j < n; j++) {
            if (y[j]) continue;
            real h = 1 + s[j] - s[i];
            ok += s[i] > s[j];
            if (h > 0) {
                sum += (double)h;
                if (ds) {
                    ds[i] -= inv;
                    ds[j] += inv;
                }
            }
        }
    }
    if (correct) *correct += ok;
    if (pairs) *pairs += P;
    return sum;
}

/* The penalty's gradient on one weight matrix (n): dW += l1 sign(W) + l2 W */
static void F(reg_backward)(real *restrict dw, const real *restrict w, size_t n, real l1,
                            real l2)
{
    for (size_t i = 0; i < n; i++) {
        real sg = (real)((w[i] > 0) - (w[i] < 0));
        dw[i] += l1 * sg + l2 * w[i];
    }
}

/* l1 sum|W| + (l2/2) sum W^2 over one weight matrix, in double */
static double F(reg_penalty)(const real *w, size_t n, double l1, double l2)
{
    double a = 0, q = 0;
    for (size_t i = 0; i < n; i++) {
        a += fabs((double)w[i]);
        q += (double)w[i] * (double)w[i];
    }
    return l1 * a + 0.5 * l2 * q;
}

/* dst (B, d) = rows idx of x (n, d), converted to real */
static void F(gather)(real *restrict dst, const float *restrict x, size_t d, const size_t *idx,
                      size_t B)
{
    for (size_t i = 0; i < B; i++) {
        const float *src = x + (idx ? idx[i] : i) * d;
        real *o = dst + i * d;
        for (size_t j = 0; j < d; j++) o[j] = (real)src[j];
    }
}

/* ---- the network -------------------------------------------------------------------- */

/* what layer l read in the last forward pass: the dropped-out output of layer l-1 in
 * training, its plain output otherwise */
static real *F(layer_input)(const ob_mlp *m, size_t l)
{
    return (real *)(m->dropout_on && m->yd[l] ? m->yd[l] : m->y[l]);
}

static void F(mlp_forward)(ob_mlp *m, size_t B, gsl_rng *r)
{
    const ob_mlp_spec *s = &m->spec;
    const real *p = m->params;
    m->dropout_on = r != NULL;
    for (size_t l = 0; l < s->n_layers; l++) {
        const int last = l + 1 == s->n_layers;
        F(dense_forward)(m->y[l + 1], F(layer_input)(m, l), p + m->w_off[l], p + m->b_off[l],
                         B, s->sizes[l], s->sizes[l + 1], last ? OB_ACT_IDENTITY : s->act,
                         (real)s->leaky);
        if (r && m->yd[l + 1])
            F(dropout_forward)(m->yd[l + 1], m->mask[l + 1], m->y[l + 1], B * s->sizes[l + 1],
                               s->dropout[l], r);
    }
}

/* the gradient of the loss w.r.t. the logits is in dbuf[0] (B, K); it is multiplied by
 * scale first (a chunk's share of a larger batch), then back-propagated */
static void F(mlp_backward)(ob_mlp *m, size_t B, double scale)
{
    const ob_mlp_spec *s = &m->spec;
    const real *p = m->params;
    real *g = m->grads;
    real *cur = m->dbuf[0], *other = m->dbuf[1];
    if (scale != 1)
        for (size_t i = 0; i < B * s->sizes[s->n_layers]; i++) cur[i] *= (real)scale;
    for (size_t l = s->n_layers; l-- > 0;) {
        F(dense_backward)(l > 0 ? other : NULL, g + m->w_off[l], g + m->b_off[l], cur,
                          F(layer_input)(m, l), p + m->w_off[l], B, s->sizes[l],
                          s->sizes[l + 1]);
        if (l == 0) break;
        /* other = dL/d(input of layer l) -> dL/d(pre-activation of layer l-1) */
        const size_t n = B * s->sizes[l];
        if (m->dropout_on && m->mask[l]) F(mul_inplace)(other, m->mask[l], n);
        F(act_backward)(other, m->y[l], n, s->act, (real)s->leaky);
        real *t = cur;
        cur = other;
        other = t;
    }
}

static void F(mlp_penalty_backward)(ob_mlp *m)
{
    const ob_mlp_spec *s = &m->spec;
    if (s->l1 > 0 || s->l2 > 0)
        for (size_t l = 0; l < s->n_layers; l++)
            F(reg_backward)((real *)m->grads + m->w_off[l], (const real *)m->params + m->w_off[l],
                            s->sizes[l] * s->sizes[l + 1], (real)s->l1, (real)s->l2);
}

/* returns the summed loss; the mean is taken by the caller */
static double F(mlp_loss)(ob_mlp *m, size_t B, const int32_t *y, int want_grad, double *correct,
                          double *pairs)
{
    const size_t K = m->spec.sizes[m->spec.n_layers];
    const real *z = m->y[m->spec.n_layers];
    real *dz = want_grad ? m->dbuf[0] : NULL;
    switch (m->spec.loss) {
    case OB_LOSS_XENT: return F(xent)(dz, z, y, B, K, correct);
    case OB_LOSS_MSE: return F(mse)(dz, z, y, B, K, correct);
    case OB_LOSS_MARGIN: return F(margin)(dz, z, y, B, correct, pairs);
    }
    return NAN;
}

#undef F
#undef CAT
#undef CAT2
