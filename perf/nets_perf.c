/* nets_perf.c - where an epoch of network training goes (`make perf-nets`).
 *
 * usage: nets_perf NET float32|float64 EPOCHS [BATCH]
 *
 * Loads Fashion-MNIST (54000 training samples after the 6000 of validation), then runs
 * EPOCHS epochs of the same loop as ob_train (shuffle, gather, forward, loss, zero_grad,
 * backward, Adam at lr 1e-3) with a clock around each phase, and, separately, the GEMMs
 * of one epoch alone (the same calls with the same fixed two-block split, nothing else),
 * and the GEMM floor at the measured single-core GEMM rate.  Prints one line per net:
 *   net precision median_epoch_s gemm_only_s floor_s  gather forward loss zero backward update
 * (phase columns: seconds per epoch, medians over the epochs). */
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/stats.h"
#include "nets/dataset.h"
#include "nets/presets.h"
#include "nets/train.h"

int openblas_get_num_threads(void);
void openblas_set_num_threads(int n);

/* median over the epochs (common/stats.h; sorts v) */
static double median(double *v, int n) { return ob_median(v, (size_t)n); }

/* the split of mlp_kernels.h's gemm: two fixed blocks of rows (split_n 0) or columns */
static void gemm2(int f32, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb, size_t M, size_t N,
                  size_t K, const void *A, size_t lda, const void *B, size_t ldb, double beta,
                  void *C, size_t ldc, int split_n)
{
    const size_t D = split_n ? N : M, es = f32 ? 4 : 8;
    const int nblk = (double)M * (double)N * (double)K >= (1 << 20) && D >= 32 ? 2 : 1;
#pragma omp parallel for schedule(static) if (nblk > 1)
    for (int k = 0; k < nblk; k++) {
        size_t lo = k == 0 ? 0 : (D * (size_t)k / (size_t)nblk) & ~(size_t)15;
        size_t hi = k + 1 == nblk ? D : (D * (size_t)(k + 1) / (size_t)nblk) & ~(size_t)15;
        const char *a = A, *b = B;
        char *c = C;
        size_t m = M, n = N;
        if (split_n) {
            b += (tb == CblasTrans ? lo * ldb : lo) * es;
            c += lo * es;
            n = hi - lo;
        } else {
            a += (ta == CblasTrans ? lo : lo * lda) * es;
            c += lo * ldc * es;
            m = hi - lo;
        }
        if (f32)
            cblas_sgemm(CblasRowMajor, ta, tb, (int)m, (int)n, (int)K, 1, (const float *)a,
                        (int)lda, (const float *)b, (int)ldb, (float)beta, (float *)c, (int)ldc);
        else
            cblas_dgemm(CblasRowMajor, ta, tb, (int)m, (int)n, (int)K, 1, (const double *)a,
                        (int)lda, (const double *)b, (int)ldb, beta, (double *)c, (int)ldc);
    }
}

/* the GEMMs of one epoch of m on n samples in batches of B, alone; returns seconds and
 * adds the flops to *flops */
static double gemm_epoch(const ob_mlp *m, size_t n, size_t B, double *flops)
{
    const ob_mlp_spec *s = &m->spec;
    const int f32 = m->dtype == OB_F32;
    double t0 = ob_clock_now();
    *flops = 0;
    for (size_t lo = 0; lo < n; lo += B) {
        size_t nb = n - lo < B ? n - lo : B;
        for (size_t l = 0; l < s->n_layers; l++) { /* forward */
            size_t C = s->sizes[l], OC = s->sizes[l + 1];
            gemm2(f32, CblasNoTrans, CblasTrans, nb, OC, C, m->y[l], C,
                  (char *)m->params + m->w_off[l] * (f32 ? 4 : 8), C, 0, m->y[l + 1], OC, 0);
            *flops += 2.0 * (double)(nb * OC * C);
        }
        for (size_t l = s->n_layers; l-- > 0;) { /* backward: dW, and dinp above layer 0 */
            size_t C = s->sizes[l], OC = s->sizes[l + 1];
            gemm2(f32, CblasTrans, CblasNoTrans, OC, C, nb, m->dbuf[0], OC, m->y[l], C, 1,
                  (char *)m->grads + m->w_off[l] * (f32 ? 4 : 8), C, 1);
            *flops += 2.0 * (double)(nb * OC * C);
            if (l > 0) {
                gemm2(f32, CblasNoTrans, CblasNoTrans, nb, C, OC, m->dbuf[0], OC,
                      (char *)m->params + m->w_off[l] * (f32 ? 4 : 8), C, 0, m->dbuf[1], C, 0);
                *flops += 2.0 * (double)(nb * OC * C);
            }
        }
    }
    return ob_clock_now() - t0;
}

/* single-core GEMM rate on netA's first-layer forward shape, GFLOP/s */
static double gemm_rate(int f32)
{
    const size_t M = 128, N = 300, K = 784, es = f32 ? 4 : 8;
    char *a = calloc(M * K, es), *b = calloc(N * K, es), *c = calloc(M * N, es);
    int reps = 200;
    double t0 = ob_clock_now();
    for (int r = 0; r < reps; r++) {
        if (f32)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)M, (int)N, (int)K, 1,
                        (float *)a, (int)K, (float *)b, (int)K, 0, (float *)c, (int)N);
        else
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)M, (int)N, (int)K, 1,
                        (double *)a, (int)K, (double *)b, (int)K, 0, (double *)c, (int)N);
    }
    double t = ob_clock_now() - t0;
    free(a);
    free(b);
    free(c);
    return 2.0 * (double)(M * N * K) * reps / t * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: nets_perf NET float32|float64 EPOCHS [BATCH]\n");
        return 2;
    }
    const ob_net_preset *P = ob_net_preset_find(argv[1]);
    const int f32 = strcmp(argv[2], "float64") != 0;
    const int epochs = atoi(argv[3]);
    const size_t B = argc > 4 ? (size_t)atol(argv[4]) : 128;
    if (!P || epochs < 1 || epochs > 100 || B < 1) {
        fprintf(stderr, "nets_perf: bad arguments\n");
        return 2;
    }
    ob_error e;
    ob_splits sp;
    if (ob_load_idx_dir(OB_FASHION_MNIST_DIR, OB_FASHION_MNIST_VAL, 1, &sp, &e) != OB_OK) {
        fprintf(stderr, "nets_perf: %s\n", e.msg);
        return 1;
    }
    openblas_set_num_threads(1);
    ob_mlp_spec s;
    ob_net_preset_spec(P, sp.train.d, sp.train.classes, &s);
    ob_mlp m;
    if (ob_mlp_alloc(&m, &s, f32 ? OB_F32 : OB_F64, B, &e) != OB_OK) {
        fprintf(stderr, "nets_perf: %s\n", e.msg);
        return 1;
    }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    ob_mlp_init(&m, r);
    ob_hparams h;
    const ob_optimizer_type *T = ob_optimizer_find("adam");
    ob_hparams_default(T, &h);
    h.lr = 1e-3;
    ob_optimizer *o = ob_optimizer_alloc(T, &h, m.n_params, m.dtype, &e);
    const size_t n = sp.train.n, d = sp.train.d;
    size_t *idx = malloc(n * sizeof *idx);
    int32_t *yb = malloc(B * sizeof *yb);
    for (size_t i = 0; i < n; i++) idx[i] = i;
    enum { GATHER, FORWARD, LOSS, ZERO, BACKWARD, UPDATE, NPH };
    double ph[NPH][100] = {{0}}, ep[100];
    for (int k = 0; k < epochs; k++) {
        double t[NPH] = {0}, t0 = ob_clock_now(), t1;
        gsl_ran_shuffle(r, idx, n, sizeof *idx);
        t[GATHER] += ob_clock_now() - t0;
        for (size_t lo = 0; lo < n; lo += B) {
            size_t nb = n - lo < B ? n - lo : B;
            t1 = ob_clock_now();
            for (size_t i = 0; i < nb; i++) yb[i] = sp.train.y[idx[lo + i]];
            ob_mlp_gather(&m, sp.train.x, d, idx + lo, nb);
            double t2 = ob_clock_now();
            ob_mlp_forward(&m, nb, NULL);
            double t3 = ob_clock_now();
            ob_mlp_loss(&m, nb, yb, 1, NULL, NULL);
            double t4 = ob_clock_now();
            ob_mlp_zero_grad(&m);
            double t5 = ob_clock_now();
            ob_mlp_backward(&m, nb);
            double t6 = ob_clock_now();
            ob_optimizer_step(o, m.params, m.grads, h.lr, NULL);
            double t7 = ob_clock_now();
            t[GATHER] += t2 - t1;
            t[FORWARD] += t3 - t2;
            t[LOSS] += t4 - t3;
            t[ZERO] += t5 - t4;
            t[BACKWARD] += t6 - t5;
            t[UPDATE] += t7 - t6;
        }
        ep[k] = ob_clock_now() - t0;
        for (int p = 0; p < NPH; p++) ph[p][k] = t[p];
    }
    double flops, g[100];
    for (int k = 0; k < epochs; k++) g[k] = gemm_epoch(&m, n, B, &flops);
    double rate = gemm_rate(f32);
    printf("%-8s %-8s epoch %.3f s  gemm-only %.3f s  floor(2 cores) %.3f s  (%.1f GFLOP, "
           "%.0f GFLOP/s/core)  gather %.3f forward %.3f loss %.3f zero %.3f backward %.3f "
           "update %.3f\n",
           P->name, f32 ? "float32" : "float64", median(ep, epochs), median(g, epochs),
           flops * 1e-9 / rate / 2, flops * 1e-9, rate, median(ph[GATHER], epochs),
           median(ph[FORWARD], epochs), median(ph[LOSS], epochs), median(ph[ZERO], epochs),
           median(ph[BACKWARD], epochs), median(ph[UPDATE], epochs));
    ob_optimizer_free(o);
    ob_mlp_free(&m);
    gsl_rng_free(r);
    free(idx);
    free(yb);
    ob_splits_free(&sp);
    return 0;
}
