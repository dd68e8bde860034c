/* bench_rate.c - the SGD-rate experiment (rate/rate.h) on every workload of a suite
 * the theorem applies to, as part of the benchmark: out/rate/W.csv (+ .summary.csv), and
 * out/rate.csv, one row per workload of the suite in suite order:
 *     workload,status,reason
 * status "measured" (its results are rate/W.csv and rate/W.summary.csv) or
 * "not_measured" (reason: why the theorem does not apply).  The report builds its
 * sentences from these files (report/rate_section.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/csvout.h"
#include "experiments/rate/bench_rate.h"
#include "experiments/rate/rate.h"
#include "experiments/rate/rate_net.h"


/* netA on 512 Fashion-MNIST samples, with L and sigma^2 estimated (rate_net.c) */
static ob_status net_rate(const ob_bench_config *c, const ob_workload *w, ob_error *err)
{
    static const long n_net[] = {10, 100, 1000};
    char path[8192], summary[8192];
    snprintf(path, sizeof path, "%s/rate/%s.csv", c->out, w->name);
    snprintf(summary, sizeof summary, "%s/rate/%s.summary.csv", c->out, w->name);
    ob_status s = OB_OK;
    if (access(summary, F_OK) != 0) {
        ob_splits sp;
        if ((s = ob_load_idx_dir(OB_FASHION_MNIST_DIR, OB_FASHION_MNIST_VAL, 1, &sp, err)) != OB_OK) return s;
        ob_rate_net_config rc = {.net = w->net, .subset = 512, .batch = 32, .n_list = n_net,
                                 .n_count = 3, .seeds = 3, .seed0 = 1};
        ob_rate_subject sub;
        ob_rate_row rows[3];
        ob_rate_fit fit;
        s = ob_rate_net_run(&rc, &sp, &sub, rows, &fit, err);
        if (s == OB_OK) s = ob_rate_write_subject(path, &sub, rows, 3, &fit, err);
        ob_splits_free(&sp);
    }
    return s;
}

/* rate.csv's row for workload w */
static void index_row(ob_csv *f, const char *w, const char *reason)
{
    ob_csv_text(f, w);
    ob_csv_text(f, reason ? "not_measured" : "measured");
    ob_csv_text(f, reason ? reason : "");
    ob_csv_end_row(f);
}

/* An analytic workload: rate/W.csv and rate/W.summary.csv unless they exist (resume);
 * *reason set (into pe) when the theorem does not apply to it. */
static ob_status analytic_rate(const ob_bench_config *c, const ob_workload *w, const char *dir,
                               ob_error *pe, const char **reason, ob_error *err)
{
    long rate_n[8];
    size_t n_count = 0;
    for (long N = 10; N <= c->suite->rate_max_n && n_count < 8; N *= 10) rate_n[n_count++] = N;
    ob_problem p;
    ob_status s = ob_problem_create(&p, ob_problem_find(w->problem), &w->popts, err);
    if (s != OB_OK) return s;
    *reason = NULL;
    if (ob_rate_check(&p, pe) != OB_OK) {
        *reason = pe->msg;
        ob_problem_free(&p);
        return OB_OK;
    }
    char path[8192], summary[8192];
    snprintf(path, sizeof path, "%s/%s.csv", dir, w->name);
    snprintf(summary, sizeof summary, "%s/%s.summary.csv", dir, w->name);
    if (access(summary, F_OK) != 0) { /* not done yet (resume) */
        ob_rate_config rc = {.prob = &p, .n_list = rate_n, .n_count = n_count,
                             .seeds = c->suite->rate_seeds, .seed0 = 1};
        if (p.n_samples) rc.batch = w->batch ? w->batch : 1;
        else rc.noise = w->noise > 0 ? w->noise : 1.0;
        ob_rate_row rows[8];
        ob_rate_fit fit;
        s = ob_rate_run(&rc, rows, &fit, err);
        if (s == OB_OK) s = ob_rate_write(path, &rc, rows, &fit, err);
    }
    ob_problem_free(&p);
    return s;
}

ob_status ob_rate_bench(const ob_bench_config *c, ob_error *err)
{
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/rate", c->out);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return ob_fail(err, OB_EIO, "cannot create %s: %s", dir, strerror(errno));
    ob_csv f;
    snprintf(path, sizeof path, "%s/rate.csv", c->out);
    ob_status s = ob_csv_open(&f, path, err);
    if (s != OB_OK) return s;
    static const char *const cols[] = {"workload", "status", "reason"};
    for (size_t k = 0; k < 3; k++) ob_csv_text(&f, cols[k]);
    ob_csv_end_row(&f);
    for (size_t i = 0; i < c->suite->n_workloads && s == OB_OK; i++) {
        const ob_workload *w = &c->suite->workloads[i];
        if (w->net) {
            if (strcmp(w->name, "netA") != 0) continue;
            if ((s = net_rate(c, w, err)) == OB_OK) index_row(&f, w->name, NULL);
            continue;
        }
        ob_error pe = {{0}};
        const char *reason = NULL;
        if ((s = analytic_rate(c, w, dir, &pe, &reason, err)) == OB_OK) index_row(&f, w->name, reason);
    }
    if (s == OB_OK) return ob_csv_commit(&f, err);
    ob_csv_abort(&f);
    return s;
}
