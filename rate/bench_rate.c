/* bench_rate.c - the SGD-rate experiment (rate/rate.h) on every workload of a suite
 * the theorem applies to, as part of the benchmark: out/rate/W.csv (+ .summary.csv) and
 * out/rate.md, one sentence per workload (and the reason where it does not apply). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/table.h"
#include "bench/bench.h"
#include "rate/rate.h"
#include "rate/rate_net.h"


/* the sentence of a finished experiment, from its summary file */
static void verdict_from_file(const char *summary, char *buf, size_t cap)
{
    ob_table t;
    if (ob_table_read(summary, &t, NULL) != OB_OK) {
        snprintf(buf, cap, "(no result: its summary file is unreadable)");
        return;
    }
    int all = strcmp(ob_table_str(&t, 0, ob_table_col(&t, "all_hold")), "yes") == 0;
    int est = strcmp(ob_table_str(&t, 0, ob_table_col(&t, "estimate")), "yes") == 0;
    snprintf(buf, cap,
             "(%sn = %s, L = %.4g, %s, %s runs per N): the bound %s; it is %.3g to %.3g times the "
             "measured mean; the measured slope of log(mean) against log(N) is %.3f +- %.3f "
             "(the theorem's rate: -0.5).",
             est ? "ESTIMATE, L and sigma^2 estimated on a network that is not globally "
                   "L-smooth; " : "",
             ob_table_str(&t, 0, ob_table_col(&t, "dim")), ob_table_num(&t, 0, ob_table_col(&t, "L")),
             ob_table_str(&t, 0, ob_table_col(&t, "oracle")),
             ob_table_str(&t, 0, ob_table_col(&t, "seeds")),
             all ? "held at every N" : "did NOT hold at every N",
             ob_table_num(&t, 0, ob_table_col(&t, "min_ratio")),
             ob_table_num(&t, 0, ob_table_col(&t, "max_ratio")),
             ob_table_num(&t, 0, ob_table_col(&t, "slope")),
             ob_table_num(&t, 0, ob_table_col(&t, "slope_stderr")));
    ob_table_free(&t);
}

/* netA on 512 Fashion-MNIST samples, with L and sigma^2 estimated (rate_net.c) */
static ob_status net_rate(const ob_bench_config *c, const ob_workload *w, FILE *md, ob_error *err)
{
    static const long n_net[] = {10, 100, 1000};
    char path[8192], summary[8192], v[1024];
    snprintf(path, sizeof path, "%s/rate/%s.csv", c->out, w->name);
    snprintf(summary, sizeof summary, "%s/rate/%s.summary.csv", c->out, w->name);
    ob_status s = OB_OK;
    if (access(summary, F_OK) != 0) {
        ob_splits sp;
        if ((s = ob_load_idx_dir(OB_FASHION_MNIST_DIR, 6000, 1, &sp, err)) != OB_OK) return s;
        ob_rate_net_config rc = {.net = w->net, .subset = 512, .batch = 32, .n_list = n_net,
                                 .n_count = 3, .seeds = 3, .seed0 = 1};
        ob_rate_subject sub;
        ob_rate_row rows[3];
        ob_rate_fit fit;
        s = ob_rate_net_run(&rc, &sp, &sub, rows, &fit, err);
        if (s == OB_OK) s = ob_rate_write_subject(path, &sub, rows, 3, &fit, err);
        ob_splits_free(&sp);
    }
    if (s == OB_OK) {
        verdict_from_file(summary, v, sizeof v);
        fprintf(md, "- **%s** %s\n", w->name, v);
    }
    return s;
}

ob_status ob_bench_rate(const ob_bench_config *c, ob_error *err)
{
    char dir[4096], path[8192], md[4200];
    snprintf(dir, sizeof dir, "%s/rate", c->out);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return ob_fail(err, OB_EIO, "cannot create %s: %s", dir, strerror(errno));
    snprintf(md, sizeof md, "%s/rate.md.tmp", c->out);
    FILE *f = fopen(md, "w");
    if (!f) return ob_fail(err, OB_EIO, "cannot write %s: %s", md, strerror(errno));
    long rate_n[8];
    size_t n_count = 0;
    for (long N = 10; N <= c->suite->rate_max_n && n_count < 8; N *= 10) rate_n[n_count++] = N;
    fprintf(f, "SGD with the constant step 1/(L sqrt(N)) for N = 10 to %ld (a decade apart), %d "
               "runs each, against the bound (2L(f(x0) - f*) + sigma^2)/sqrt(N) of the theorem "
               "for L-smooth functions (seed 003). Figures: rate/WORKLOAD.png.\n\n",
            c->suite->rate_max_n, c->suite->rate_seeds);
    ob_status s = OB_OK;
    for (size_t i = 0; i < c->suite->n_workloads && s == OB_OK; i++) {
        const ob_workload *w = &c->suite->workloads[i];
        if (w->net) {
            if (strcmp(w->name, "netA") == 0) s = net_rate(c, w, f, err);
            continue;
        }
        ob_problem p;
        ob_error pe = {{0}};
        if ((s = ob_problem_create(&p, ob_problem_find(w->problem), &w->popts, err)) != OB_OK) break;
        if (ob_rate_check(&p, &pe) != OB_OK) {
            fprintf(f, "- **%s**: not measured: %s.\n", w->name, pe.msg);
            ob_problem_free(&p);
            continue;
        }
        snprintf(path, sizeof path, "%s/%s.csv", dir, w->name);
        char summary[8192];
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
        if (s == OB_OK) {
            char v[1024];
            verdict_from_file(summary, v, sizeof v);
            fprintf(f, "- **%s** %s\n", w->name, v);
        }
        ob_problem_free(&p);
    }
    int bad = fclose(f) != 0;
    char final[4200];
    snprintf(final, sizeof final, "%s/rate.md", c->out);
    if (s == OB_OK && (bad || rename(md, final) != 0))
        s = ob_fail(err, OB_EIO, "cannot write %s", final);
    if (s != OB_OK) unlink(md);
    return s;
}
