/* perf_step.c - `make perf`: the cost of one optimizer step on a flat float64 vector
 * (gradient evaluation excluded), against a reference kernel that makes one fused pass
 * over exactly the arrays the rule must touch.
 *
 *     perf_step OPTIMIZER [--amsgrad] [--n N] [--reps R] [--warmup W]
 *
 * The reference for a rule that reads k arrays and writes w of them does trivial
 * arithmetic over the same k + w array-passes (adam: reads x,g,m,v, writes x,m,v = 7),
 * split across OpenMP threads with schedule(static) like the optimizers' loops, and built
 * with the project's CFLAGS.  Optimizer and reference steps alternate, so drifts in the
 * machine's speed hit both; each figure is the median of R timed steps after W warm-up
 * steps.  The reference reuses the benchmark's x and g and allocates its other arrays
 * only after the optimizer has been measured, so the peak RSS printed beside the
 * optimizer's figure is what the optimizer run needs (x, g and the rule's state).
 *
 * Prints one machine-readable line:
 *     step opt=adam n=10000000 threads=2 reps=21 ms=12.9 min_ms=... passes=7 ref_ms=...
 *          ref_min_ms=... ratio=... gbps=... ref_gbps=... rss_kb=... ref_rss_kb=...
 * gbps counts passes x 8 bytes x n per step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <omp.h>
#include <sys/resource.h>

#include "optimizers/optimizer.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; /* kilobytes on Linux */
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int k)
{
    qsort(v, (size_t)k, sizeof *v, cmp_double);
    return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

/* ---- reference kernels: one fused pass, trivial arithmetic ---------------------------- */

/* 3 passes: reads x, g; writes x (gd, sgd) */
static void ref3(double *restrict x, const double *restrict g, size_t n)
{
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) x[i] = x[i] - 1e-3 * g[i];
}

/* 5 passes: reads x, g, a; writes x, a (momentum, nag, adagrad, rmsprop, lion) */
static void ref5(double *restrict x, const double *restrict g, double *restrict a, size_t n)
{
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) {
        double b = 0.5 * a[i] + g[i];
        a[i] = b;
        x[i] = x[i] - 1e-3 * b;
    }
}

/* 7 passes: reads x, g, a, b; writes x, a, b (adam, adamw, rprop, nadam, radam, adamax,
 * adadelta) */
static void ref7(double *restrict x, const double *restrict g, double *restrict a,
                 double *restrict b, size_t n)
{
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) {
        double p = 0.5 * a[i] + g[i], q = 0.25 * b[i] + g[i];
        a[i] = p;
        b[i] = q;
        x[i] = x[i] - 1e-3 * (p + q);
    }
}

/* 9 passes: reads x, g, a, b, c; writes x, a, b, c (adam --amsgrad, adamw --amsgrad) */
static void ref9(double *restrict x, const double *restrict g, double *restrict a,
                 double *restrict b, double *restrict c, size_t n)
{
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) {
        double p = 0.5 * a[i] + g[i], q = 0.25 * b[i] + g[i], r = 0.125 * c[i] + g[i];
        a[i] = p;
        b[i] = q;
        c[i] = r;
        x[i] = x[i] - 1e-3 * (p + q + r);
    }
}

/* Arrays each rule must touch per step, counted as array-passes (reads + writes). */
static int rule_passes(const char *name, int amsgrad)
{
    if (!strcmp(name, "gd") || !strcmp(name, "sgd")) return 3;
    if (!strcmp(name, "momentum") || !strcmp(name, "nag") || !strcmp(name, "adagrad") ||
        !strcmp(name, "rmsprop"))
        return 5;
    if (!strcmp(name, "adam") || !strcmp(name, "adamw")) return amsgrad ? 9 : 7;
    if (!strcmp(name, "rprop")) return 7;
    /* reads x, g, m, v (adamax: u; adadelta: r, a); writes x and both */
    if (!strcmp(name, "nadam") || !strcmp(name, "radam") || !strcmp(name, "adamax") ||
        !strcmp(name, "adadelta"))
        return 7;
    if (!strcmp(name, "lion")) return 5; /* reads x, g, m; writes x, m */
    return 0;
}

static double *alloc_init(size_t n, double v)
{
    double *a = malloc(n * sizeof *a);
    if (!a) return NULL;
#pragma omp parallel for schedule(static) /* first touch by the thread that uses it */
    for (size_t i = 0; i < n; i++) a[i] = v;
    return a;
}

static int usage(void)
{
    fprintf(stderr, "usage: perf_step OPTIMIZER [--amsgrad] [--n N] [--reps R] [--warmup W]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage();
    const char *name = argv[1];
    size_t n = 10000000;
    int reps = 21, warmup = 3, amsgrad = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--amsgrad")) amsgrad = 1;
        else if (!strcmp(argv[i], "--n") && i + 1 < argc) n = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) warmup = atoi(argv[++i]);
        else return usage();
    }
    if (n == 0 || reps < 1 || warmup < 0) return usage();
    int passes = rule_passes(name, amsgrad);
    const ob_optimizer_type *T = ob_optimizer_find(name);
    if (!T || !passes) {
        fprintf(stderr, "perf_step: no reference kernel for optimizer '%s'\n", name);
        return 2;
    }

    /* x = 1, g a fixed pattern of both signs in [-1, 1] without zeros */
    double *x = alloc_init(n, 1.0), *g = malloc(n * sizeof *g);
    if (!x || !g) {
        fprintf(stderr, "perf_step: out of memory\n");
        return 1;
    }
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) g[i] = ((double)((i * 2654435761u) % 2001u) - 1000.5) / 1000.5;

    ob_hparams h;
    ob_hparams_default(T, &h);
    h.amsgrad = amsgrad;
    ob_error err = {0};
    ob_optimizer *o = ob_optimizer_alloc(T, &h, n, OB_F64, &err);
    if (!o) {
        fprintf(stderr, "perf_step: cannot allocate %s\n", name);
        return 1;
    }

    /* the optimizer alone: warm-up (faults in its calloc'ed state), then timed steps */
    double *t_opt = malloc((size_t)reps * sizeof *t_opt), *t_ref = malloc((size_t)reps * sizeof *t_ref);
    for (int r = 0; r < warmup; r++) ob_optimizer_step(o, x, g, h.lr, NULL);
    double *t_solo = malloc((size_t)reps * sizeof *t_solo);
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        ob_optimizer_step(o, x, g, h.lr, NULL);
        t_solo[r] = now() - t0;
    }
    long rss_opt = maxrss_kb();

    /* the reference's own arrays, then optimizer and reference steps alternating */
    double *a = passes >= 5 ? alloc_init(n, 0.0) : NULL;
    double *b = passes >= 7 ? alloc_init(n, 0.0) : NULL;
    double *c = passes >= 9 ? alloc_init(n, 0.0) : NULL;
    if ((passes >= 5 && !a) || (passes >= 7 && !b) || (passes >= 9 && !c)) {
        fprintf(stderr, "perf_step: out of memory\n");
        return 1;
    }
    double *xr = x; /* the reference updates x too: its values stay near 1 */
    for (int r = 0; r < warmup + reps; r++) {
        double t0 = now();
        ob_optimizer_step(o, x, g, h.lr, NULL);
        double t1 = now();
        switch (passes) {
        case 3: ref3(xr, g, n); break;
        case 5: ref5(xr, g, a, n); break;
        case 7: ref7(xr, g, a, b, n); break;
        default: ref9(xr, g, a, b, c, n); break;
        }
        double t2 = now();
        if (r >= warmup) t_opt[r - warmup] = t1 - t0, t_ref[r - warmup] = t2 - t1;
    }
    long rss_ref = maxrss_kb();

    /* the optimizer's figure: median over both series (solo and interleaved) */
    double *all = malloc(2 * (size_t)reps * sizeof *all);
    memcpy(all, t_solo, (size_t)reps * sizeof *all);
    memcpy(all + reps, t_opt, (size_t)reps * sizeof *all);
    double ms = 1e3 * median(all, 2 * reps), min_ms = 1e3 * all[0];
    double ms_alt = 1e3 * median(t_opt, reps);
    double ref_ms = 1e3 * median(t_ref, reps), ref_min = 1e3 * t_ref[0];
    double bytes = (double)passes * 8.0 * (double)n;
    /* a checksum keeps the work observable */
    double chk = 0;
    for (size_t i = 0; i < n; i += 4099) chk += x[i];
    printf("step opt=%s%s n=%zu threads=%d reps=%d ms=%.3f min_ms=%.3f alt_ms=%.3f passes=%d "
           "ref_ms=%.3f ref_min_ms=%.3f ratio=%.3f gbps=%.1f ref_gbps=%.1f rss_kb=%ld "
           "ref_rss_kb=%ld chk=%.6g\n",
           name, amsgrad ? "-amsgrad" : "", n, omp_get_max_threads(), reps, ms, min_ms, ms_alt,
           passes, ref_ms, ref_min, ms_alt / ref_ms, bytes / (ms * 1e-3) / 1e9,
           bytes / (ref_ms * 1e-3) / 1e9, rss_opt, rss_ref, chk);
    ob_optimizer_free(o);
    free(x), free(g), free(a), free(b), free(c);
    free(t_opt), free(t_ref), free(t_solo), free(all);
    return 0;
}
