/* tuning_curve.c - the expected best score against the number of random tuning trials
 * (tuning_curve.csv, tables.h), from tuning.csv's random trials ([suite] tuning = random N,
 * bench/tuning.h).  Sivaprasad et al. 2020 ("Optimizer benchmarking needs to account for
 * hyperparameter tuning", ICML) compare optimizers by this curve: an optimizer that is
 * good after few trials is easy to tune, one that needs many is not, whatever its best. */
#include "tables/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sf_gamma.h>

#include "common/csvout.h"
#include "common/path.h"
#include "common/stats.h"
#include "common/table.h"

double ob_expected_best(const double *s, size_t n, size_t k)
{
    if (k < 1 || k > n) return NAN;
    /* E_k = sum_i s_(i) C(n-i, k-1) / C(n, k), i = 1..n: the smallest of k scores drawn
     * without replacement is s_(i) with that probability (the other k - 1 come from the
     * n - i above it); only the terms with n - i >= k - 1 weigh */
    double e = 0, lc = gsl_sf_lnchoose((unsigned)n, (unsigned)k);
    for (size_t i = 1; i + k - 1 <= n; i++) {
        double p = exp(gsl_sf_lnchoose((unsigned)(n - i), (unsigned)(k - 1)) - lc);
        if (p > 0) e += p * s[i - 1]; /* (an infinite s_(i) that weighs makes e infinite) */
    }
    return e;
}

ob_status ob_tuning_curve_write(const char *out, int trials, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/tuning_curve.csv", out);
    if (!trials) { /* no random trials: no curve (nor one left by an earlier bench) */
        remove(path);
        return OB_OK;
    }
    ob_table t;
    ob_status s = ob_read_table(out, "tuning.csv", &t, err);
    if (s != OB_OK) return s;
    int wc = ob_table_col(&t, "workload"), kc = ob_table_col(&t, "kind"),
        oc = ob_table_col(&t, "optimizer"), sc = ob_table_col(&t, "score"),
        gc = ob_table_col(&t, "grid");
    double *v = malloc((t.rows + 1) * sizeof *v);
    int *done = calloc(t.rows + 1, sizeof *done);
    ob_csv c;
    int open = 0;
    if (!v || !done) s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK) open = (s = ob_csv_open(&c, path, err)) == OB_OK;
    if (s == OB_OK) {
        static const char *const cols[] = {"workload", "kind", "optimizer", "trials", "k",
                                           "expected_best"};
        for (size_t i = 0; i < 6; i++) ob_csv_text(&c, cols[i]);
        ob_csv_end_row(&c);
    }
    /* each (workload, optimizer) with random trials, in tuning.csv's order */
    for (size_t r = 0; s == OB_OK && r < t.rows; r++) {
        if (done[r] || strcmp(ob_table_str(&t, r, gc), "random")) continue;
        const char *w = ob_table_str(&t, r, wc), *o = ob_table_str(&t, r, oc);
        int net = !strcmp(ob_table_str(&t, r, kc), "network");
        size_t n = 0;
        for (size_t q = r; q < t.rows; q++)
            if (!strcmp(ob_table_str(&t, q, wc), w) && !strcmp(ob_table_str(&t, q, oc), o) &&
                !strcmp(ob_table_str(&t, q, gc), "random")) {
                double x = ob_table_num(&t, q, sc);
                v[n++] = isnan(x) ? INFINITY : x; /* a score that is not a number ranks last */
                done[q] = 1;
            }
        ob_sort(v, n);
        for (size_t k = 1; k <= n; k++) {
            double e = ob_expected_best(v, n, k);
            ob_csv_text(&c, w);
            ob_csv_text(&c, net ? "network" : "analytic");
            ob_csv_text(&c, o);
            ob_csv_int(&c, (long)n);
            ob_csv_int(&c, (long)k);
            /* networks: the score is minus the best validation accuracy, so the expected
             * best accuracy is minus the expected best score; empty when infinite (some
             * k trials all diverged with a probability above 0) */
            if (isfinite(e)) ob_csv_num(&c, net ? -e : e);
            else ob_csv_text(&c, "");
            ob_csv_end_row(&c);
        }
    }
    if (s == OB_OK) s = ob_csv_commit(&c, err);
    else if (open) ob_csv_abort(&c);
    free(v);
    free(done);
    ob_table_free(&t);
    return s;
}
