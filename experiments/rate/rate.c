/* rate.c - the SGD rate experiment of rate.h. */
#include "experiments/rate/rate.h"

#include <gsl/gsl_fit.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "common/csvout.h"
#include "runs/traj.h"

ob_status ob_rate_check(const ob_problem *p, ob_error *err)
{
    if (!(isfinite(p->L) && p->L > 0))
        return ob_fail(err, OB_EINVAL,
                       "the SGD theorem needs a globally L-smooth objective and %s is not (%s); "
                       "no bound is computed", p->type->name, p->L_source);
    if (p->f_star_kind == OB_FSTAR_UNKNOWN || !isfinite(p->f_star))
        return ob_fail(err, OB_EINVAL,
                       "the SGD bound needs f* or a lower bound for it, and %s has none",
                       p->type->name);
    return OB_OK;
}

/* The observer: sums ||grad f(theta_t)||^2 over t < N and tracks the largest per-sample
 * gradient variance along the way. */
typedef struct {
    const ob_problem *p;
    long N;
    double sum_sq;
    double vmax;
    int want_var;
} acc;

static int acc_row(void *ctx, const ob_row *r)
{
    acc *a = ctx;
    if (r->step >= a->N) return 0; /* theta_N is not in the theorem's average */
    a->sum_sq += r->grad_norm * r->grad_norm;
    if (a->want_var) {
        double v = a->p->type->grad_var(a->p, r->x);
        if (!(v <= a->vmax)) a->vmax = v; /* NaN propagates: the bound will say so */
    }
    return 0;
}

ob_status ob_rate_run(const ob_rate_config *c, ob_rate_row *rows, ob_rate_fit *fit,
                      ob_error *err)
{
    const ob_problem *p = c->prob;
    ob_status s = ob_rate_check(p, err);
    if (s != OB_OK) return s;
    if (c->seeds < 2) return ob_fail(err, OB_EINVAL, "--seeds must be >= 2 (a standard error needs two runs)");
    if (p->n_samples && !c->batch)
        return ob_fail(err, OB_EINVAL, "a finite sum needs --batch B for the stochastic gradient");
    if (!p->n_samples && !(c->noise > 0))
        return ob_fail(err, OB_EINVAL, "%s needs --noise SIGMA > 0 for the stochastic gradient",
                       p->type->name);
    if (c->batch && !p->type->grad_var)
        return ob_fail(err, OB_EINVAL, "%s cannot compute its per-sample gradient variance",
                       p->type->name);
    const ob_optimizer_type *sgd = ob_optimizer_find("sgd");
    double *avg = malloc((size_t)c->seeds * sizeof *avg);
    if (!avg) {
        s = ob_fail(err, OB_ENOMEM, "out of memory");
        goto done;
    }
    const double *x0 = c->x0 ? c->x0 : p->x0;
    fit->f0 = ob_problem_f(p, x0);
    for (size_t k = 0; k < c->n_count; k++) {
        const long N = c->n_list[k];
        ob_rate_row *row = &rows[k];
        memset(row, 0, sizeof *row);
        row->N = N;
        row->lr = 1.0 / (p->L * sqrt((double)N)); /* the theorem's constant step */
        acc a = {.p = p, .N = N, .want_var = c->batch > 0};
        int done_runs = 0;
        for (int r = 0; r < c->seeds; r++) {
            ob_run_config rc = {.prob = p, .opt = sgd, .steps = N, .x0 = x0,
                                .seed = c->seed0 + (unsigned long)r, .noise = c->noise,
                                .batch = c->batch, .iid_batches = 1};
            ob_hparams_default(sgd, &rc.h);
            rc.h.lr = row->lr;
            rc.sched = ob_schedule_default();
            ob_observer obs = {.row = acc_row, .ctx = &a, .every = 1, .every_step_full = 1};
            ob_run_result res;
            a.sum_sq = 0;
            s = ob_run(&rc, &obs, NULL, &res, err);
            if (s != OB_OK) goto done;
            if (res.status == OB_DIVERGED) {
                row->diverged++;
                continue;
            }
            avg[done_runs++] = a.sum_sq / (double)N;
        }
        double sigma2;
        if (c->batch) {
            double Ns = (double)p->n_samples, B = (double)c->batch;
            sigma2 = Ns > 1 ? a.vmax * (Ns - B) / (B * (Ns - 1)) : 0;
        } else {
            sigma2 = c->noise * c->noise;
        }
        ob_rate_finish_row(row, avg, done_runs, sigma2, p->L, fit->f0 - p->f_star);
    }
    ob_rate_fit_rows(rows, c->n_count, fit);
    s = OB_OK;
done:
    free(avg);
    return s;
}

void ob_rate_finish_row(ob_rate_row *row, const double *avg, int runs, double sigma2, double L,
                        double gap0)
{
    row->runs = runs;
    if (runs >= 2) {
        row->mean = gsl_stats_mean(avg, 1, (size_t)runs);
        row->sd = gsl_stats_sd_m(avg, 1, (size_t)runs, row->mean);
        row->stderr_ = row->sd / sqrt((double)runs);
        gsl_stats_minmax(&row->min, &row->max, avg, 1, (size_t)runs);
    } else {
        row->mean = row->sd = row->stderr_ = row->min = row->max = NAN;
    }
    row->sigma2 = sigma2;
    row->bound = (2 * L * gap0 + sigma2) / sqrt((double)row->N);
    row->ratio = row->bound / row->mean;
    if (row->mean + 2 * row->stderr_ <= row->bound) row->holds = "yes";
    else if (row->mean - 2 * row->stderr_ > row->bound) row->holds = "no";
    else row->holds = "unclear";
}

void ob_rate_fit_rows(const ob_rate_row *rows, size_t n, ob_rate_fit *fit)
{
    double logn[64], logm[64];
    size_t nfit = 0;
    fit->all_hold = 1;
    fit->min_ratio = INFINITY;
    fit->max_ratio = 0;
    for (size_t k = 0; k < n; k++) {
        const ob_rate_row *row = &rows[k];
        if (strcmp(row->holds, "yes") != 0) fit->all_hold = 0;
        if (row->ratio < fit->min_ratio) fit->min_ratio = row->ratio;
        if (row->ratio > fit->max_ratio) fit->max_ratio = row->ratio;
        if (row->mean > 0 && isfinite(row->mean) && nfit < 64) {
            logn[nfit] = log((double)row->N);
            logm[nfit] = log(row->mean);
            nfit++;
        }
    }
    fit->slope = fit->slope_se = NAN;
    if (nfit >= 2) {
        double c0, c1, cov00, cov01, cov11, sumsq;
        gsl_fit_linear(logn, 1, logm, 1, nfit, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
        fit->slope = c1;
        /* gsl_fit_linear estimates cov11 from the scatter about the line (n - 2 dof) */
        fit->slope_se = nfit > 2 ? sqrt(cov11) : NAN;
    }
}

static ob_status write_rows(const char *path, const ob_rate_row *rows, size_t n, ob_error *e)
{
    ob_csv w;
    ob_status s = ob_csv_open(&w, path, e);
    if (s != OB_OK) return s;
    static const char *const cols[] = {"N", "runs", "lr", "mean_avg_sq_grad", "stderr", "sd",
                                       "min", "max", "sigma2", "bound", "ratio", "holds",
                                       "diverged"};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) ob_csv_text(&w, cols[i]);
    ob_csv_end_row(&w);
    for (size_t k = 0; k < n; k++) {
        const ob_rate_row *r = &rows[k];
        ob_csv_int(&w, r->N);
        ob_csv_int(&w, r->runs);
        ob_csv_num(&w, r->lr);
        ob_csv_num(&w, r->mean);
        ob_csv_num(&w, r->stderr_);
        ob_csv_num(&w, r->sd);
        ob_csv_num(&w, r->min);
        ob_csv_num(&w, r->max);
        ob_csv_num(&w, r->sigma2);
        ob_csv_num(&w, r->bound);
        ob_csv_num(&w, r->ratio);
        ob_csv_text(&w, r->holds);
        ob_csv_int(&w, r->diverged);
        ob_csv_end_row(&w);
    }
    return ob_csv_commit(&w, e);
}

ob_status ob_rate_write_subject(const char *path, const ob_rate_subject *sub,
                                const ob_rate_row *rows, size_t n, const ob_rate_fit *f,
                                ob_error *e)
{
    char *spath = ob_summary_path(path);
    if (!spath) return ob_fail(e, OB_ENOMEM, "out of memory");
    ob_status s = write_rows(path, rows, n, e);
    ob_csv w;
    if (s == OB_OK && (s = ob_csv_open(&w, spath, e)) == OB_OK) {
        static const char *const cols[] = {"problem", "dim", "L", "L_source", "f0", "f_star",
                                           "oracle", "sigma2_source", "seeds", "slope",
                                           "slope_stderr", "all_hold", "min_ratio",
                                           "max_ratio", "estimate"};
        for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) ob_csv_text(&w, cols[i]);
        ob_csv_end_row(&w);
        ob_csv_text(&w, sub->name);
        ob_csv_int(&w, (long)sub->dim);
        ob_csv_num(&w, sub->L);
        ob_csv_text(&w, sub->L_source);
        ob_csv_num(&w, f->f0);
        ob_csv_num(&w, sub->f_star);
        ob_csv_text(&w, sub->oracle);
        ob_csv_text(&w, sub->sigma2_source);
        ob_csv_int(&w, sub->seeds);
        ob_csv_num(&w, f->slope);
        ob_csv_num(&w, f->slope_se);
        ob_csv_text(&w, f->all_hold ? "yes" : "no");
        ob_csv_num(&w, f->min_ratio);
        ob_csv_num(&w, f->max_ratio);
        ob_csv_text(&w, sub->estimate ? "yes" : "no");
        ob_csv_end_row(&w);
        s = ob_csv_commit(&w, e);
    }
    if (s != OB_OK) remove(path); /* the pair is written together or not at all */
    free(spath);
    return s;
}

ob_status ob_rate_write(const char *path, const ob_rate_config *c, const ob_rate_row *rows,
                        const ob_rate_fit *fit, ob_error *err)
{
    const ob_problem *p = c->prob;
    ob_rate_subject sub = {.name = p->type->name, .dim = p->dim, .L = p->L,
                           .L_source = p->L_source, .f_star = p->f_star, .seeds = c->seeds,
                           .sigma2_source = c->batch ? "per-sample gradient variance "
                                                       "(N-B)/(B(N-1)), max over iterates"
                                                     : "exact: additive Gaussian noise"};
    if (c->batch) snprintf(sub.oracle, sizeof sub.oracle, "batch %zu of %zu", c->batch, p->n_samples);
    else snprintf(sub.oracle, sizeof sub.oracle, "noise sigma %g", c->noise);
    return ob_rate_write_subject(path, &sub, rows, c->n_count, fit, err);
}

void ob_rate_ratio_range(char *buf, size_t cap, double lo, double hi)
{
    char a[32], b[32];
    for (int digits = 3; digits <= 6; digits++) {
        snprintf(a, sizeof a, "%.*g", digits, lo);
        snprintf(b, sizeof b, "%.*g", digits, hi);
        if (strcmp(a, b)) {
            snprintf(buf, cap, "%s to %s", a, b);
            return;
        }
    }
    snprintf(buf, cap, "%s", a);
}

void ob_rate_slope_text(char *buf, size_t cap, double slope, double se, const char *pm)
{
    if (!isfinite(se)) { /* two values of N: a line through two points has no error */
        snprintf(buf, cap, "%.3f", slope);
        return;
    }
    if (se == 0) {
        snprintf(buf, cap, "%.3f (exact fit)", slope);
        return;
    }
    /* one significant digit of the error at least: 0.0002 needs 4 decimals */
    int dec = (int)-floor(log10(se));
    dec = dec < 3 ? 3 : dec > 15 ? 15 : dec;
    snprintf(buf, cap, "%.*f %s %.*f", dec, slope, pm, dec, se);
}

void ob_rate_verdict(char *buf, size_t cap, const ob_rate_config *c, const ob_rate_fit *fit)
{
    const ob_problem *p = c->prob;
    char ratio[64], slope[96];
    ob_rate_ratio_range(ratio, sizeof ratio, fit->min_ratio, fit->max_ratio);
    ob_rate_slope_text(slope, sizeof slope, fit->slope, fit->slope_se, "+-");
    snprintf(buf, cap,
             "%s (n = %zu, L = %.4g, %s, %d runs per N): the bound %s; it is %s times the "
             "measured mean; the measured slope of log(mean) against log(N) is %s (the "
             "theorem's rate: -0.5).",
             p->type->name, p->dim, p->L, c->batch ? "mini-batch" : "additive noise", c->seeds,
             fit->all_hold ? "held at every N" : "did NOT hold at every N", ratio, slope);
}
