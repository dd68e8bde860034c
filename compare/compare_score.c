/* compare_score.c - compare's score (compare.h), computed as AlgoPerf's scoring code
 * computes it: mlcommons/submissions_algorithms, scoring/performance_profile.py
 * (compute_performance_profiles, compute_leaderboard_score) and the call in
 * scoring/score_submissions.py (min_tau 1, max_tau 4, num_points 100, linear, normalize),
 * read at commit 12c8e4ea93dc41a1ff6abc3debba9accd8ac1e3a.  The rules, in their order:
 *   1. per study, the time to the target (+inf when missed); per workload the median
 *      over studies (np.median).  Here a seed is a study: ob_cmp_pair.time;
 *   2. best[w] = the smallest time on w over every submission (NaN skipped); a
 *      reference method (gsl-bfgs, gsl-cg: the optimizer type's reference fact) is not a
 *      submission: it is measured against best[w] but never sets it;
 *   3. a time above 4 * best[w] becomes +inf (exactly 4 times stays);
 *   4. r = time / best[w] (NaN, 0/0 and inf/inf stay NaN and never count);
 *   5. rho(tau) = #{w : r_w <= tau} / W at the 100 points of np.linspace(1, 4, 100);
 *   6. score = np.trapezoid(rho, tau) / (4 - 1). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"

/* np.linspace(lo, hi, n)[i]: lo + i * step, step = (hi - lo) / (n - 1), the last point
 * hi itself */
static double linspace_at(double lo, double hi, int n, int i)
{
    return i == n - 1 ? hi : i * ((hi - lo) / (n - 1)) + lo;
}

void ob_cmp_algoperf(const double *t, size_t ns, size_t nw, const int *sets_best, double *score)
{
    double *r = malloc((ns * nw + 1) * sizeof *r);
    for (size_t s = 0; s < ns; s++) score[s] = nw && r ? 0 : NAN;
    if (!r || !nw) {
        free(r);
        return;
    }
    for (size_t w = 0; w < nw; w++) {
        double best = NAN; /* pandas' min: NaN skipped, NaN when all are */
        for (size_t s = 0; s < ns; s++)
            if ((!sets_best || sets_best[s]) && !isnan(t[s * nw + w]) &&
                (isnan(best) || t[s * nw + w] < best))
                best = t[s * nw + w];
        for (size_t s = 0; s < ns; s++) {
            double x = t[s * nw + w];
            r[s * nw + w] = x > OB_CMP_TAU_MAX * best ? INFINITY : x / best;
        }
    }
    for (size_t s = 0; s < ns; s++) {
        double area = 0, prev_tau = 0, prev_rho = 0;
        for (int i = 0; i < OB_CMP_TAU_POINTS; i++) {
            double tau = linspace_at(1, OB_CMP_TAU_MAX, OB_CMP_TAU_POINTS, i);
            size_t hit = 0;
            for (size_t w = 0; w < nw; w++) hit += r[s * nw + w] <= tau;
            double rho = (double)hit / (double)nw;
            if (i) area += (tau - prev_tau) * (rho + prev_rho) / 2.0; /* np.trapezoid */
            prev_tau = tau, prev_rho = rho;
        }
        score[s] = area / (OB_CMP_TAU_MAX - 1);
    }
    free(r);
}

/* whether (w, o) is a pair of every directory with a time (analytic ones: only with a
 * shared target) */
static int scored(const ob_cmp_dir *d, size_t nd, const ob_cmp_pair *P, int analytic)
{
    return (P->net || analytic) && ob_cmp_common(d, nd, P->w, P->o);
}

void ob_cmp_scores(const ob_cmp_dir *d, size_t nd, const char *const *names, size_t no,
                   int analytic, double *score, int *nw_analytic, int *nw_net)
{
    /* the submissions: every (directory, optimizer) of the common pairs, names[o] in
     * directory k at row o * nd + k; the workloads: those of d[0]'s pairs, in order */
    size_t ns = no * nd, nw = 0;
    const char **w = malloc((d[0].n + 1) * sizeof *w);
    double *t = malloc((ns * (d[0].n + 1) + 1) * sizeof *t), *sub = malloc((ns * (d[0].n + 1) + 1) * sizeof *sub),
           *sc = malloc((ns + 1) * sizeof *sc);
    int *comp = malloc((ns + 1) * sizeof *comp); /* a competitor's rows set the best */
    for (size_t i = 0; i < ns; i++) score[i] = NAN;
    for (size_t o = 0; o < no; o++) nw_analytic[o] = nw_net[o] = 0;
    if (!w || !t || !sub || !sc || !comp) goto done;
    for (size_t o = 0; o < no; o++) {
        const ob_optimizer_type *T = ob_optimizer_find(names[o]);
        for (size_t k = 0; k < nd; k++) comp[o * nd + k] = !(T && T->reference);
    }
    for (size_t i = 0; i < d[0].n; i++) {
        size_t j = 0;
        while (j < nw && strcmp(w[j], d[0].p[i].w)) j++;
        if (j == nw && scored(d, nd, &d[0].p[i], analytic)) w[nw++] = d[0].p[i].w;
    }
    for (size_t o = 0; o < no; o++)
        for (size_t k = 0; k < nd; k++)
            for (size_t j = 0; j < nw; j++) {
                const ob_cmp_pair *P = ob_cmp_find(&d[k], w[j], names[o]);
                t[(o * nd + k) * nw + j] = P && scored(d, nd, P, analytic) ? P->time : NAN;
            }
    /* each optimizer over the workloads where it is a common pair, against every
     * submission there: AlgoPerf's table restricted to those columns */
    for (size_t o = 0; o < no; o++) {
        size_t m = 0;
        for (size_t j = 0; j < nw; j++) {
            const ob_cmp_pair *P = ob_cmp_find(&d[0], w[j], names[o]);
            if (!P || !scored(d, nd, P, analytic)) continue;
            if (P->net) nw_net[o]++;
            else nw_analytic[o]++;
            for (size_t s = 0; s < ns; s++) sub[s * nw + m] = t[s * nw + j];
            m++;
        }
        if (!m) continue;
        /* the sub-table is ns x m with row stride nw: compact it */
        for (size_t s = 0; s < ns; s++) memmove(&sub[s * m], &sub[s * nw], m * sizeof *sub);
        ob_cmp_algoperf(sub, ns, m, comp, sc);
        for (size_t k = 0; k < nd; k++) score[o * nd + k] = sc[o * nd + k];
    }
done:
    free(w), free(t), free(sub), free(sc), free(comp);
}
