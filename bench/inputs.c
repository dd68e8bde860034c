/* inputs.c - the inputs of the figures that are not runs: the surfaces of the suite's
 * 2-D problems (f on a grid over the plotting box, and the box, x* and f*), the learning
 * rate of every schedule, and every activation of the networks with its derivative. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench/bench_internal.h"
#include "common/csvout.h"
#include "nets/mlp.h"
#include "optimizers/schedule.h"
#include "problems/problem_opts.h"
#include "runs/netsharp.h"

static ob_status write_surface(const char *out, const ob_workload *w, ob_error *err)
{
    ob_problem p;
    ob_status s = ob_problem_create(&p, ob_problem_find(w->problem), &w->popts, err);
    if (s != OB_OK) return s;
    if (p.dim != 2 || !p.has_box) { /* only 2-D problems have a surface to draw */
        ob_problem_free(&p);
        return OB_OK;
    }
    char path[4096];
    ob_csv csv;
    /* gzip = true: surfaces/W.csv.gz (201 x 201 points, 1.7 MB as text); the other
     * form, left by an earlier bench, goes, so that readers find one */
    snprintf(path, sizeof path, "%s/surfaces/%s.csv%s", out, w->name, w->gzip ? "" : ".gz");
    remove(path);
    snprintf(path, sizeof path, "%s/surfaces/%s.csv%s", out, w->name, w->gzip ? ".gz" : "");
    const int G = 201; /* grid points a side */
    const double fstar = p.f_star_kind == OB_FSTAR_UNKNOWN ? 0 : p.f_star;
    if ((s = ob_csv_open(&csv, path, err)) == OB_OK) {
        ob_csv_text(&csv, "x");
        ob_csv_text(&csv, "y");
        ob_csv_text(&csv, "f");
        ob_csv_end_row(&csv);
        for (int i = 0; i < G; i++) {
            for (int j = 0; j < G; j++) {
                double x[2] = {p.box[0] + (p.box[1] - p.box[0]) * i / (G - 1),
                               p.box[2] + (p.box[3] - p.box[2]) * j / (G - 1)};
                ob_csv_num(&csv, x[0]);
                ob_csv_num(&csv, x[1]);
                ob_csv_num(&csv, ob_problem_f(&p, x)); /* f itself: the meta file has f* */
                ob_csv_end_row(&csv);
            }
            ob_csv_end_row(&csv); /* a blank line between scans: gnuplot's grid format */
        }
        s = ob_csv_commit(&csv, err);
    }
    snprintf(path, sizeof path, "%s/surfaces/%s.meta.csv", out, w->name);
    if (s == OB_OK && (s = ob_csv_open(&csv, path, err)) == OB_OK) {
        /* the problem and its options too: the figures create the instance again to
         * draw it over the box the paths cover (plots/paths.h) */
        const char *cols[] = {"xmin", "xmax", "ymin", "ymax", "xstar", "ystar", "fstar",
                              "problem", "problem_options"};
        for (int k = 0; k < 9; k++) ob_csv_text(&csv, cols[k]);
        ob_csv_end_row(&csv);
        for (int k = 0; k < 4; k++) ob_csv_num(&csv, p.box[k]);
        ob_csv_num(&csv, p.x_star ? p.x_star[0] : NAN);
        ob_csv_num(&csv, p.x_star ? p.x_star[1] : NAN);
        ob_csv_num(&csv, fstar);
        char po[1024];
        ob_csv_text(&csv, w->problem);
        ob_csv_text(&csv, ob_problem_opts_format(p.type, &w->popts, po, sizeof po));
        ob_csv_end_row(&csv);
        s = ob_csv_commit(&csv, err);
    }
    ob_problem_free(&p);
    return s;
}

/* sharpness/W.meta.csv: L,L_source, the problem's smoothness constant (empty where it has
 * none, and on networks), drawn as a line in the sharpness figure, and every,seeds,subset,
 * the workload's sharpness-every, -seeds and -subset (0: every seed; the default subset),
 * which the figure's title states, for a workload whose runs estimate their sharpness */
static ob_status write_sharpness_meta(const char *out, const ob_workload *w, ob_error *err)
{
    if (w->sharpness_every <= 0) return OB_OK;
    ob_problem p = {0};
    ob_status s = w->net ? OB_OK : ob_problem_create(&p, ob_problem_find(w->problem), &w->popts, err);
    if (s != OB_OK) return s;
    char path[4096];
    ob_csv csv;
    snprintf(path, sizeof path, "%s/sharpness/%s.meta.csv", out, w->name);
    if ((s = ob_csv_open(&csv, path, err)) == OB_OK) {
        static const char *const cols[] = {"L", "L_source", "every", "seeds", "subset"};
        for (int k = 0; k < 5; k++) ob_csv_text(&csv, cols[k]);
        ob_csv_end_row(&csv);
        int has_L = !w->net && isfinite(p.L);
        if (has_L) ob_csv_num(&csv, p.L);
        else ob_csv_text(&csv, "");
        ob_csv_text(&csv, has_L ? p.L_source : "");
        ob_csv_int(&csv, w->sharpness_every);
        ob_csv_int(&csv, w->sharpness_seeds);
        ob_csv_int(&csv, w->net ? (long)(w->sharpness_subset ? w->sharpness_subset : OB_SHARPNESS_SUBSET) : 0);
        ob_csv_end_row(&csv);
        s = ob_csv_commit(&csv, err);
    }
    if (!w->net) ob_problem_free(&p);
    return s;
}

static ob_status write_schedules(const char *out, ob_error *err)
{
    char path[4096];
    ob_csv csv;
    snprintf(path, sizeof path, "%s/schedules.csv", out);
    ob_status s = ob_csv_open(&csv, path, err);
    if (s != OB_OK) return s;
    ob_csv_text(&csv, "schedule");
    ob_csv_text(&csv, "t");
    ob_csv_text(&csv, "lr");
    ob_csv_end_row(&csv);
    for (const ob_schedule_type *const *T = ob_schedule_types; *T; T++) {
        /* lr0 0.1, the defaults of each (step: x0.5 every 100; exp: k 0.01; tau 100),
         * theory with L = 10 over N = 1000 steps */
        ob_schedule sc = ob_schedule_default();
        sc.type = *T;
        sc.L = 10;
        sc.N = 1000;
        for (long t = 0; t <= 1000; t += 5) {
            ob_csv_text(&csv, (*T)->name);
            ob_csv_int(&csv, t);
            ob_csv_num(&csv, ob_schedule_lr(&sc, 0.1, t));
            ob_csv_end_row(&csv);
        }
    }
    return ob_csv_commit(&csv, err);
}

/* activations.csv: every activation of the networks and its derivative on [-4, 4] */
static ob_status write_activations(const char *out, ob_error *err)
{
    char path[4096];
    ob_csv csv;
    snprintf(path, sizeof path, "%s/activations.csv", out);
    ob_status s = ob_csv_open(&csv, path, err);
    if (s != OB_OK) return s;
    static const char *const cols[] = {"activation", "z", "f", "df"};
    for (int k = 0; k < 4; k++) ob_csv_text(&csv, cols[k]);
    ob_csv_end_row(&csv);
    enum { NZ = 321 };
    double z[NZ], y[NZ], dy[NZ];
    for (int i = 0; i < NZ; i++) z[i] = -4 + 8.0 * i / (NZ - 1);
    for (int a = OB_ACT_SIGMOID; a <= OB_ACT_LEAKY_RELU; a++) {
        ob_act_eval((ob_act)a, 0.1, z, y, dy, NZ); /* leaky slope 0.1 to be visible */
        for (int i = 0; i < NZ; i++) {
            ob_csv_text(&csv, ob_act_name((ob_act)a));
            ob_csv_num(&csv, z[i]);
            ob_csv_num(&csv, y[i]);
            ob_csv_num(&csv, dy[i]);
            ob_csv_end_row(&csv);
        }
    }
    return ob_csv_commit(&csv, err);
}

ob_status ob_bench_write_inputs(const ob_bench_config *c, ob_error *err)
{
    /* one BLAS thread, whoever calls: OpenBLAS splits a product (the lsq Gram matrix's
     * dsyrk) differently on two threads, and f* would change in its last bits */
    ob_blas_threads(1);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/surfaces", c->out);
    if (ob_bench_mkdirs(dir) != 0) return ob_fail(err, OB_EIO, "cannot create %s: %s", dir, strerror(errno));
    ob_status s = write_schedules(c->out, err);
    if (s == OB_OK) s = ob_targets_write(c->out, &c->suite->targets, err); /* for the tables */
    if (s == OB_OK) s = ob_bench_write_skipped(c, err);
    if (s == OB_OK) s = write_activations(c->out, err);
    for (size_t i = 0; i < c->suite->n_workloads && s == OB_OK; i++)
        if (!c->suite->workloads[i].net) s = write_surface(c->out, &c->suite->workloads[i], err);
    for (size_t i = 0; i < c->suite->n_workloads && s == OB_OK; i++)
        s = write_sharpness_meta(c->out, &c->suite->workloads[i], err);
    return s;
}
