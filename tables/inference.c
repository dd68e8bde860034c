/* inference.c - see inference.h.  Bootstrap: Efron and Tibshirani, "An Introduction to
 * the Bootstrap" (1993), ch. 13 (the percentile interval).  Mann-Whitney: the exact null
 * distribution by the counting recursion of Mann and Whitney (1947), the normal
 * approximation with ties and continuity correction as R's wilcox.test (correct = TRUE).
 * Holm (1979), "A simple sequentially rejective multiple test procedure". */
#include "tables/inference.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/stats.h"

/* the median of one resample of the sorted sample s[0..n): n indices drawn uniformly
 * with replacement, counted (cnt, n entries), then the resample is rebuilt in order from
 * the counts, which is the sorted resample without sorting (buf, n entries) */
static double resample_median(gsl_rng *rng, const double *s, size_t n, size_t *cnt, double *buf)
{
    memset(cnt, 0, n * sizeof *cnt);
    for (size_t k = 0; k < n; k++) cnt[gsl_rng_uniform_int(rng, n)]++;
    size_t m = 0;
    for (size_t j = 0; j < n; j++)
        for (size_t c = 0; c < cnt[j]; c++) buf[m++] = s[j];
    return ob_quantile_sorted(buf, n, 0.5);
}

/* the percentile interval of the statistics t[0..m) (sorted here) */
static void percentile(double *t, size_t m, double level, ob_interval *out)
{
    ob_sort(t, m);
    out->lo = ob_quantile_sorted(t, m, (1 - level) / 2);
    out->hi = ob_quantile_sorted(t, m, (1 + level) / 2);
}

/* a sorted copy of v[0..n) with room for a resample behind it (2n doubles), and n counts */
static int sorted_copy(const double *v, size_t n, double **s, size_t **cnt)
{
    *s = malloc(2 * n * sizeof **s);
    *cnt = malloc(n * sizeof **cnt);
    if (!*s || !*cnt) {
        free(*s);
        free(*cnt);
        return -1;
    }
    memcpy(*s, v, n * sizeof **s);
    ob_sort(*s, n);
    return 0;
}

int ob_boot_median(const double *v, size_t n, double level, size_t B, unsigned long seed,
                   ob_interval *out)
{
    out->est = out->lo = out->hi = NAN;
    if (n == 0) return 0;
    double *s, *t = NULL;
    size_t *cnt;
    if (sorted_copy(v, n, &s, &cnt)) return -1;
    out->est = ob_quantile_sorted(s, n, 0.5);
    gsl_rng *rng = NULL;
    if (n == 1 || B == 0) {
        out->lo = out->hi = out->est;
    } else {
        t = malloc(B * sizeof *t);
        rng = t ? gsl_rng_alloc(gsl_rng_mt19937) : NULL;
        if (!rng) {
            free(t);
            free(s);
            free(cnt);
            return -1;
        }
        gsl_rng_set(rng, seed);
        for (size_t b = 0; b < B; b++) t[b] = resample_median(rng, s, n, cnt, s + n);
        percentile(t, B, level, out);
    }
    gsl_rng_free(rng);
    free(t);
    free(s);
    free(cnt);
    return 0;
}

int ob_boot_ratio(const double *a, size_t na, const double *b, size_t nb, double level,
                  size_t B, unsigned long seed, ob_interval *out)
{
    out->est = out->lo = out->hi = NAN;
    if (na == 0 || nb == 0) return 0;
    double *sa, *sb = NULL, *t = NULL;
    size_t *ca, *cb = NULL;
    gsl_rng *rng = NULL;
    int rc = -1;
    if (sorted_copy(a, na, &sa, &ca)) return -1;
    if (sorted_copy(b, nb, &sb, &cb)) goto done;
    /* IEEE division is the contract: inf/inf and 0/0 are NaN, x/0 = +inf for x > 0 */
    out->est = ob_quantile_sorted(sb, nb, 0.5) / ob_quantile_sorted(sa, na, 0.5);
    t = malloc((B ? B : 1) * sizeof *t);
    rng = t ? gsl_rng_alloc(gsl_rng_mt19937) : NULL;
    if (!rng) goto done;
    gsl_rng_set(rng, seed);
    size_t m = 0; /* the resamples whose ratio is a number */
    for (size_t k = 0; k < B; k++) {
        double ma = resample_median(rng, sa, na, ca, sa + na);
        double mb = resample_median(rng, sb, nb, cb, sb + nb);
        double r = mb / ma;
        if (!isnan(r)) t[m++] = r;
    }
    if (m > 0) percentile(t, m, level, out);
    rc = 0;
done:
    gsl_rng_free(rng);
    free(t);
    free(sa);
    free(ca);
    free(sb);
    free(cb);
    return rc;
}

/* The exact two-sided p-value of U = u for samples of m and n without ties: f[j][w] is
 * the number of orderings of i values of a and j of b with w pairs (a, b) where a > b;
 * the largest value is an a (beating all j values of b: f[i-1][j][w-j]) or a b
 * (f[i][j-1][w]).  Counts are exact in doubles: the largest, C(40, 20) ~ 1.4e11 for
 * m = n = 20, is far below 2^53.  p = 2 min(P(U <= u), P(U >= u)), capped at 1. */
static double exact_p(size_t m, size_t n, double u)
{
    size_t W = m * n + 1;
    double *f = calloc((n + 1) * W, sizeof *f); /* (n+1, W): f[j*W + w], for the current i */
    if (!f) return NAN;
    for (size_t j = 0; j <= n; j++) f[j * W] = 1; /* i = 0: only w = 0 */
    for (size_t i = 1; i <= m; i++)
        for (size_t j = 0; j <= n; j++)
            /* f[j-1] already holds row i (j ascends); w descends, so f[j][w-j] still
             * holds row i-1 */
            for (size_t w = W; w-- > 0;) {
                double last_a = w >= j ? f[j * W + w - j] : 0;
                double last_b = j > 0 ? f[(j - 1) * W + w] : 0;
                f[j * W + w] = last_a + last_b;
            }
    const double *d = f + n * W;
    double total = 0, le = 0, ge = 0;
    for (size_t w = 0; w < W; w++) {
        total += d[w];
        if ((double)w <= u) le += d[w];
        if ((double)w >= u) ge += d[w];
    }
    free(f);
    double p = 2 * fmin(le, ge) / total;
    return p < 1 ? p : 1;
}

double ob_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
    if (na == 0 || nb == 0) return 1;
    size_t N = na + nb;
    double *v = malloc(N * sizeof *v);
    size_t *idx = malloc(N * sizeof *idx);
    if (!v || !idx) {
        free(v);
        free(idx);
        return NAN;
    }
    memcpy(v, a, na * sizeof *v);
    memcpy(v + na, b, nb * sizeof *v);
    gsl_sort_index(idx, v, 1, N);
    /* mid-ranks: a run of t equal values (two +inf are equal) at ranks r+1 .. r+t gets
     * r + (t+1)/2 each; ra is the rank sum of a, tie the sum of t^3 - t */
    double ra = 0, tie = 0;
    for (size_t r = 0; r < N;) {
        size_t e = r + 1;
        while (e < N && v[idx[e]] == v[idx[r]]) e++;
        double t = (double)(e - r), mid = (double)r + (t + 1) / 2;
        for (size_t k = r; k < e; k++)
            if (idx[k] < na) ra += mid;
        tie += t * t * t - t;
        r = e;
    }
    free(v);
    free(idx);
    double m = (double)na, n = (double)nb;
    double u = ra - m * (m + 1) / 2; /* pairs (a, b) with a > b, ties counting 1/2 */
    if (tie == 0 && na * nb <= 400) return exact_p(na, nb, u);
    /* normal approximation: mean mn/2, variance mn/12 ((N+1) - sum(t^3-t) / (N(N-1))) */
    double Nd = (double)N;
    double sd = sqrt(m * n / 12 * ((Nd + 1) - tie / (Nd * (Nd - 1))));
    if (!(sd > 0)) return 1; /* every value equal: nothing tells the samples apart */
    double z = u - m * n / 2;
    z -= z > 0 ? 0.5 : z < 0 ? -0.5 : 0; /* continuity correction toward the mean */
    double p = 2 * gsl_cdf_ugaussian_Q(fabs(z) / sd);
    return p < 1 ? p : 1;
}

void ob_holm(const double *p, size_t n, double *adj)
{
    double *q = calloc(n ? n : 1, sizeof *q);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx), *pos = malloc((n ? n : 1) * sizeof *pos);
    if (!q || !idx || !pos) { /* no memory: the conservative answer, every p-value 1 */
        for (size_t i = 0; i < n; i++) adj[i] = isnan(p[i]) ? NAN : 1;
        free(q);
        free(idx);
        free(pos);
        return;
    }
    size_t m = 0; /* the p-values that are numbers, and where each came from */
    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i])) {
            q[m] = p[i];
            pos[m++] = i;
        }
    for (size_t i = 0; i < n; i++) adj[i] = NAN; /* p may be adj: q holds the copy */
    gsl_sort_index(idx, q, 1, m);
    double run = 0; /* the running max makes the adjusted values monotone in p */
    for (size_t k = 0; k < m; k++) {
        double s = (double)(m - k) * q[idx[k]];
        if (s > run) run = s;
        adj[pos[idx[k]]] = run < 1 ? run : 1;
    }
    free(q);
    free(idx);
    free(pos);
}

void ob_rank_groups(size_t n, ob_pvalue_fn p, void *ctx, double alpha, int *rank, int *tied)
{
    size_t leader = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !(p(ctx, leader, i) >= alpha)) leader = i;
        rank[i] = (int)leader + 1;
        tied[i] = 0;
        if (i > leader) tied[i] = tied[leader] = 1;
    }
}
