/* compare_stats.c - the changes of `optbench compare` (compare.h): per common pair of
 * each later directory against A, the ratio of the medians over seeds of the metric the
 * ranking uses with its bootstrap interval, the two-sided Mann-Whitney p-value, and
 * Holm's correction over every test of the comparison (tables/inference.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sf_gamma.h>

#include "common/stats.h"
#include "compare/compare.h"

/* v[0..n) without its NaNs into out; returns how many */
static size_t values(const double *v, size_t n, double *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i])) out[m++] = v[i];
    return m;
}

int ob_cmp_test(const double *a, size_t na, const double *b, size_t nb, ob_cmp_change *c)
{
    double *x = calloc(na + nb + 1, sizeof *x), *y = x ? x + na : NULL;
    if (!x) return -1;
    na = values(a, na, x);
    nb = values(b, nb, y);
    c->p = ob_mann_whitney_p(x, na, y, nb);
    int rc = ob_boot_ratio(x, na, y, nb, OB_CI_LEVEL, OB_BOOT_RESAMPLES, OB_BOOT_SEED, &c->ratio);
    c->med_a = na ? ob_median(x, na) : NAN; /* sorts: after the tests */
    c->med_b = nb ? ob_median(y, nb) : NAN;
    c->p_holm = c->p;
    c->flagged = 0;
    free(x);
    return rc || isnan(c->p) ? -1 : 0;
}

void ob_cmp_holm(ob_cmp_change *c, size_t n)
{
    double *p = calloc(n + 1, sizeof *p);
    if (!p) { /* no correction is no answer: nothing is flagged */
        for (size_t i = 0; i < n; i++) c[i].p_holm = NAN, c[i].flagged = 0;
        return;
    }
    for (size_t i = 0; i < n; i++) p[i] = c[i].p;
    ob_holm(p, n, p);
    for (size_t i = 0; i < n; i++) {
        c[i].p_holm = p[i];
        c[i].flagged = p[i] < OB_ALPHA;
    }
    free(p);
}

/* the change of the pair b (directory k) against a: its metric's samples tested */
static ob_status change(const ob_cmp_pair *a, const ob_cmp_pair *b, size_t k, ob_cmp_change *c,
                        ob_error *err)
{
    memset(c, 0, sizeof *c);
    c->w = a->w, c->o = a->o, c->dir = k;
    /* analytic: evaluations to the target unless neither median run reaches it */
    c->metric = a->net ? OB_CMP_ACC : isfinite(a->time) || isfinite(b->time) ? OB_CMP_EVALS
                                                                              : OB_CMP_GAP;
    const double *sa = c->metric == OB_CMP_EVALS ? a->ts : a->vs,
                 *sb = c->metric == OB_CMP_EVALS ? b->ts : b->vs;
    if (ob_cmp_test(sa, (size_t)a->seeds, sb, (size_t)b->seeds, c) != 0)
        return ob_fail(err, OB_ENOMEM, "out of memory");
    return OB_OK;
}

ob_status ob_cmp_changes(ob_cmp_view *v, ob_error *err)
{
    v->nch = 0;
    v->ch = malloc((v->nw * v->no * v->nd + 1) * sizeof *v->ch);
    if (!v->ch) return ob_fail(err, OB_ENOMEM, "out of memory");
    for (size_t i = 0; i < v->nw; i++)
        for (size_t o = 0; o < v->no; o++) {
            if (!ob_cmp_common(v->d, v->nd, v->w[i], v->opt[o])) continue;
            const ob_cmp_pair *a = ob_cmp_find(&v->d[0], v->w[i], v->opt[o]);
            for (size_t k = 1; k < v->nd; k++) {
                ob_status s = change(a, ob_cmp_find(&v->d[k], v->w[i], v->opt[o]), k,
                                     &v->ch[v->nch], err);
                if (s != OB_OK) return s;
                v->nch++;
            }
        }
    ob_cmp_holm(v->ch, v->nch);
    return OB_OK;
}

size_t ob_cmp_changes_of(const ob_cmp_view *v, const char *w, size_t *first)
{
    size_t i = 0, n = 0;
    while (i < v->nch && strcmp(v->ch[i].w, w)) i++;
    *first = i;
    while (i + n < v->nch && !strcmp(v->ch[i + n].w, w)) n++;
    return n;
}

double ob_cmp_min_p(size_t na, size_t nb)
{
    /* U = 0 or U = na nb: 2 of the C(na + nb, na) equally likely arrangements */
    if (!na || !nb) return 1;
    return fmin(1, 2 * exp(-gsl_sf_lnchoose((unsigned)(na + nb), (unsigned)na)));
}
