/* job.c - one run of the benchmark: its settings from the workload and the run's plan
 * entry (the protocol of bench.c), written by runs/runwrite.h under out/runs/W/O/. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench_internal.h"
#include "runs/interp.h"
#include "bench/tuning.h"
#include "common/table.h"
#include "nets/presets.h"
#include "optimizers/schedule.h"
#include "problems/problem_opts.h"
#include "runs/runwrite.h"

/* A network run's cost against an analytic one: a sample-epoch (forward, backward and
 * its share of the evaluations) weighs about as much as 30 steps of one coordinate, so a
 * network run of the quick suite (3 epochs of 54000 samples) costs about a thousand of
 * its analytic runs (500 steps in 10 dimensions), as measured here. */
#define NET_SAMPLE_COST 30.0

/* the row 0 a network run shares with the runs of its workload, seed and batch size (the
 * same model, splits and buffers: nets/train.h's ob_train_row0) */
struct ob_bench_row0 {
    const ob_workload *w;
    int seed;
    size_t batch;
    ob_train_row0 r;
};

static ob_train_row0 *row0_of(ob_bench_cache *pc, const ob_workload *w, int seed, size_t batch)
{
    for (size_t i = 0; i < pc->n_row0; i++)
        if (pc->row0[i].w == w && pc->row0[i].seed == seed && pc->row0[i].batch == batch)
            return &pc->row0[i].r;
    struct ob_bench_row0 *v = realloc(pc->row0, (pc->n_row0 + 1) * sizeof *v);
    if (!v) return NULL; /* evaluated again: the same numbers */
    pc->row0 = v;
    v[pc->n_row0] = (struct ob_bench_row0){.w = w, .seed = seed, .batch = batch};
    return &v[pc->n_row0++].r;
}

/* a workload's problem, created once per process */
struct ob_bench_cached {
    const ob_workload *w;
    ob_problem p;
    int ok;
};

static ob_problem *get_problem(ob_bench_cache *pc, const ob_workload *w, ob_error *err)
{
    for (size_t i = 0; i < pc->n; i++)
        if (pc->items[i].w == w) return pc->items[i].ok ? &pc->items[i].p : NULL;
    struct ob_bench_cached *it = realloc(pc->items, (pc->n + 1) * sizeof *it);
    if (!it) return NULL;
    pc->items = it;
    struct ob_bench_cached *c = &pc->items[pc->n++];
    c->w = w;
    c->ok = ob_problem_create(&c->p, ob_problem_find(w->problem), &w->popts, err) == OB_OK;
    return c->ok ? &c->p : NULL;
}

void ob_bench_cache_free(ob_bench_cache *pc)
{
    for (size_t i = 0; i < pc->n; i++)
        if (pc->items[i].ok) ob_problem_free(&pc->items[i].p);
    free(pc->items);
    free(pc->row0);
    if (pc->have_data) ob_splits_free(&pc->data);
}

/* Fashion-MNIST with its validation samples held out by the fixed data seed 1 (the same
 * split for every run); subset n keeps the first n training samples */
static const ob_splits *get_data(ob_bench_cache *pc, size_t subset, ob_error *err)
{
    if (pc->have_data && pc->data_subset == subset) return &pc->data;
    if (pc->have_data) ob_splits_free(&pc->data);
    pc->have_data = 0;
    ob_dataset_opts o = ob_dataset_defaults();
    o.subset = subset;
    if (ob_dataset_load(ob_dataset_find("fashion-mnist"), &o, &pc->data, err) != OB_OK) return NULL;
    pc->have_data = 1;
    pc->data_subset = subset;
    return &pc->data;
}

/* The values a product grid tuned with lr, as the summary's hparams column records them
 * ("momentum=0.9;beta1=0.8"; a seed run's file name does not carry them); "" without. */
static const char *hparams_of(const ob_run_spec *r, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (r->tag && r->tag[0]) ob_tuning_tag_parse(r->tag, buf, cap);
    return buf;
}

/* the sharpness interval of run r: the workload's for a final run of a seed it names
 * (sharpness-seeds: 1 .. N), else 0 (none) */
static long sharpness_every(const ob_run_spec *r)
{
    const ob_workload *w = r->w;
    if (r->seed == 0 || (w->sharpness_seeds > 0 && r->seed > w->sharpness_seeds)) return 0;
    return w->sharpness_every;
}

/* the training configuration of network run r on data (hp: room for its hparams) */
static ob_status net_config(const ob_run_spec *r, const ob_splits *data, ob_train_config *c,
                            char *hp, size_t cap, ob_error *err)
{
    const ob_workload *w = r->w;
    const ob_net_preset *P = ob_net_preset_find(w->net);
    if (!P) return ob_fail(err, OB_EINVAL, "unknown network preset %s", w->net);
    *c = (ob_train_config){.dtype = OB_F32, .opt = r->T, .epochs = r->seed ? w->epochs : w->tune_epochs,
                           .batch = w->batch ? w->batch : OB_TRAIN_BATCH,
                           .seed = (unsigned long)r->seed};
    ob_net_preset_spec(P, data->train.d, data->train.classes, &c->spec);
    c->spec.l1 = w->l1;
    c->spec.l2 = w->l2;
    for (size_t l = 0; l + 1 < c->spec.n_layers; l++)
        c->spec.dropout[l] = w->preset_dropout && l < P->n_hidden ? P->preset_dropout[l] : w->dropout;
    c->h = *r->h; /* T's defaults with the suite's fixed values */
    c->h.lr = r->lr;
    c->sched = ob_schedule_default();
    c->hparams = hparams_of(r, hp, cap);
    /* the step log (~50 rows) of the final runs: the tables and figures read no tuning
     * run's, and the quick suite's 145 took 1.1 MB of disk */
    c->log_every = r->seed ? ob_train_log_every(c, data->train.n, 50) : 0;
    c->sharpness_every = sharpness_every(r); /* final runs only */
    c->sharpness_subset = w->sharpness_subset;
    return OB_OK;
}

static ob_status net_run(const char *path, const ob_run_spec *r, ob_bench_cache *pc,
                         ob_error *err)
{
    const ob_workload *w = r->w;
    const ob_splits *data = get_data(pc, w->popts.samples, err);
    if (!data) return OB_EIO;
    ob_train_config c;
    char hp[256];
    ob_status sc = net_config(r, data, &c, hp, sizeof hp, err);
    if (sc != OB_OK) return sc;
    /* a tuning run evaluates the validation split only: the choice reads the validation
     * accuracy, the test split is not looked at while tuning, and nothing reads a tuning
     * run's training loss (their columns stay empty; the evaluations of the quick suite's
     * training split of 10,000 samples were a fifth of a tuning run's work) */
    ob_splits tuning = *data;
    tuning.test.n = 0;
    c.no_train_eval = !r->seed;
    /* a full-gradient rule's buffers hold the whole split (nets/train.c): its own row 0 */
    c.row0 = row0_of(pc, w, r->seed, r->T->full_gradient ? 0 : c.batch);
    ob_train_result res;
    ob_bench_interp ip; /* seed 1: the interpolation theta_0 -> theta_T beside the run */
    ob_bench_interp_begin(&ip, path, &c, data);
    ob_status s = ob_train_files(path, NULL, w->name, &c, r->seed ? data : &tuning,
                                 r->seed == 1 ? &ip.obs : NULL, &res, err);
    ob_status si = ob_bench_interp_end(&ip, s == OB_OK ? err : NULL);
    return s != OB_OK ? s : si;
}

/* the start point of seed s: the problem's own for the tuning run, else moved */
static void start_point(const ob_problem *p, int seed, double *x)
{
    memcpy(x, p->x0, p->dim * sizeof *x);
    if (seed == 0) return;
    double sd = p->has_box && p->dim == 2 ? 0.05 * (p->box[1] - p->box[0]) : 0.1;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1000003UL * (unsigned long)seed);
    for (size_t i = 0; i < p->dim; i++) x[i] += gsl_ran_gaussian(r, sd);
    gsl_rng_free(r);
}

/* the directory's targets (targets.csv, written before the runs), read once per process */
static const ob_target_set *get_targets(ob_bench_cache *pc, const char *out, ob_error *err)
{
    if (!pc->have_tg && ob_targets_read(out, &pc->tg, err) != OB_OK) return NULL;
    pc->have_tg = 1;
    return &pc->tg;
}

/* A tuning run's rows, kept in memory as runs/runfile.h's matrix (step, loss, grad_norm,
 * evals, lr, seconds) for the tuning criterion. */
typedef struct {
    double *v;
    size_t rows, cap;
} mem_log;

static int mem_row(void *ctx, const ob_row *r)
{
    mem_log *m = ctx;
    if (m->rows == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        double *v = realloc(m->v, cap * OB_RC_N * sizeof *v);
        if (!v) return 1;
        m->v = v, m->cap = cap;
    }
    double *row = m->v + m->rows++ * OB_RC_N; /* OB_RC_* order */
    row[OB_RC_STEP] = (double)r->step, row[OB_RC_LOSS] = r->loss;
    row[OB_RC_GNORM] = r->grad_norm, row[OB_RC_EVALS] = (double)r->evals;
    row[OB_RC_LR] = r->lr, row[OB_RC_SECONDS] = r->seconds;
    return 0;
}

/* An analytic tuning run keeps its summary only, with the tuning criterion and its
 * tie-break (tune_score, tune_hit_step) computed here by bench/tuning.h's
 * ob_tuning_score from the rows its trajectory used to hold (a row every steps/200, row 0
 * and the last), exactly as the choice computed them from that file: the choice and the
 * sensitivity figure need nothing else, and a quick suite's 2,500 tuning trajectories
 * were most of its results directory. */
static ob_status tuning_run(const char *out, const char *path, const ob_run_config *c,
                            const ob_run_spec *r, ob_bench_cache *pc, ob_error *err)
{
    const ob_target_set *tg = get_targets(pc, out, err);
    if (!tg) return OB_EINVAL;
    mem_log m = {0};
    ob_observer obs = {.row = mem_row, .ctx = &m, .every = (r->w->steps + 199) / 200};
    ob_run_result res;
    ob_status s = ob_run(c, &obs, NULL, &res, err);
    if (s == OB_EIO) s = ob_fail(err, OB_ENOMEM, "out of memory for a tuning run's rows");
    char *spath = s == OB_OK ? ob_summary_path(path) : NULL;
    if (s == OB_OK && !spath) s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK) {
        /* the run as the tables read it back: f* 0 when unknown (runs/runfile.c) */
        ob_run_data d = {.v = m.v, .rows = m.rows, .cols = OB_RC_N, .f0 = res.f0,
                         .f_star = isfinite(c->prob->f_star) ? c->prob->f_star : 0};
        for (int k = 0; k < OB_RC_N; k++) d.col[k] = k;
        snprintf(d.status, sizeof d.status, "%s", ob_status_name(res.status));
        long hit;
        double score = ob_tuning_score(&d, tg->v[tg->n - 1], &hit);
        static const char *const names[] = {"tune_score", "tune_hit_step"};
        double values[] = {score, hit == LONG_MAX ? NAN : (double)hit};
        s = ob_summary_write_more(spath, c, &res, names, values, 2, err);
    }
    free(spath);
    free(m.v);
    return s;
}

/* What a final run's trajectory keeps: the geometric grid with the first step below each
 * target (its steps, evaluations and seconds to the target are exact: the run tests every
 * step), and x only on 2-D problems (the contour paths) unless the workload says log-x. */
static ob_status log_spec(const char *out, const ob_run_spec *r, const ob_problem *p,
                          ob_bench_cache *pc, ob_log_spec *log, ob_error *err)
{
    *log = (ob_log_spec){.log_x = OB_LOG_X_OFF};
    const ob_target_set *tg = get_targets(pc, out, err);
    if (!tg) return OB_EINVAL;
    log->geometric = 1;
    log->targets = tg->v;
    log->n_targets = tg->n;
    if (p->dim == 2 || r->w->log_x) log->log_x = OB_LOG_X_ON;
    return OB_OK;
}

/* the configuration of analytic run r on p from x0, which receives its start point (hp:
 * room for its hparams) */
static void run_config(const ob_run_spec *r, ob_problem *p, double *x0, ob_run_config *c,
                       char *hp, size_t cap)
{
    start_point(p, r->seed, x0);
    *c = (ob_run_config){.prob = p, .opt = r->T, .steps = r->w->steps, .x0 = x0,
                         .seed = (unsigned long)r->seed, .noise = r->noise, .batch = r->batch};
    c->h = *r->h; /* T's defaults with the suite's fixed values */
    c->h.lr = r->lr;
    c->sched = ob_schedule_default();
    c->hparams = hparams_of(r, hp, cap);
    c->sharpness_every = sharpness_every(r); /* final runs only */
}

ob_status ob_bench_do_run(const char *out, const ob_run_spec *r, ob_bench_cache *pc,
                          ob_error *err)
{
    char dir[4096], path[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", out, r->w->name, r->T->name);
    if (ob_bench_mkdirs(dir) != 0)
        return ob_fail(err, OB_EIO, "cannot create %s: %s", dir, strerror(errno));
    ob_bench_run_path(path, sizeof path, out, r->w->name, r->T->name, r->file);
    if (r->w->net) return net_run(path, r, pc, err);
    if (r->seed != 0 && r->w->gzip && strlen(path) + 4 < sizeof path)
        strcat(path, ".gz"); /* seed-S.csv.gz; its summary stays seed-S.summary.csv */
    ob_problem *p = get_problem(pc, r->w, err);
    if (!p) return OB_EINVAL;
    double *x0 = malloc(p->dim * sizeof *x0);
    if (!x0) return ob_fail(err, OB_ENOMEM, "out of memory");
    ob_run_config c;
    char hp[256];
    run_config(r, p, x0, &c, hp, sizeof hp);
    ob_run_result res;
    /* a 2-D final run names its instance in its summary, as `optbench run` does, so that
     * `optbench plot` of that one CSV draws the workload's surface, not the default one */
    char po[1024];
    if (r->seed != 0 && p->dim == 2)
        c.problem_options = ob_problem_opts_format(p->type, &r->w->popts, po, sizeof po);
    ob_log_spec log;
    ob_status s = r->seed == 0 ? tuning_run(out, path, &c, r, pc, err)
                               : log_spec(out, r, p, pc, &log, err);
    if (s == OB_OK && r->seed != 0) s = ob_run_files(path, NULL, &c, &log, &res, err);
    free(x0);
    return s;
}

/* A run that did not finish because its optimizer (a plugin) crashed or hung: a trajectory of one
 * row without a loss and a summary whose status says so, so that the run counts as done (the
 * bench resumes past it), the tables treat it like a diverged run, and the report counts
 * it.  status: "crashed" or "timeout". */
ob_status ob_bench_record_failed(const char *out, const ob_run_spec *r, const char *status,
                                 ob_bench_cache *pc, ob_error *err)
{
    static const char *const traj[] = {"step", "loss", "grad_norm", "evals", "lr", "seconds"};
    static const char *const cols[] = {"problem", "optimizer", "kind", "lr", "seed", "steps",
                                       "status", "steps_done", "diverged_step", "f0",
                                       "final_loss", "final_gap", "final_grad_norm",
                                       "seconds_per_step"};
    char path[4096], summary[4200];
    ob_bench_run_path(path, sizeof path, out, r->w->name, r->T->name, r->file);
    ob_csv w;
    ob_status s = ob_csv_open(&w, path, err);
    if (s != OB_OK) return s;
    for (int k = 0; k < 6; k++) ob_csv_text(&w, traj[k]);
    ob_csv_end_row(&w);
    /* row 0: the start point, all that is known of the run (networks: no loss) */
    double f0 = NAN, gn2 = NAN;
    ob_problem *p = r->w->net ? NULL : get_problem(pc, r->w, err);
    double *x0 = p ? malloc(2 * p->dim * sizeof *x0) : NULL;
    if (x0) {
        start_point(p, r->seed, x0);
        f0 = p->type->fdf(p, x0, x0 + p->dim, &gn2);
        free(x0);
    }
    ob_csv_int(&w, 0);
    ob_csv_num(&w, f0);
    ob_csv_num(&w, sqrt(gn2));
    ob_csv_int(&w, 0);
    ob_csv_num(&w, r->lr);
    ob_csv_num(&w, 0);
    ob_csv_end_row(&w);
    if ((s = ob_csv_commit(&w, err)) != OB_OK) return s;
    size_t len = strlen(path);
    snprintf(summary, sizeof summary, "%.*s.summary.csv", (int)(len > 4 ? len - 4 : len), path);
    if ((s = ob_csv_open(&w, summary, err)) != OB_OK) return s;
    char hp[256];
    int tagged = *hparams_of(r, hp, sizeof hp);
    for (int k = 0; k < 14; k++) ob_csv_text(&w, cols[k]);
    if (tagged) ob_csv_text(&w, "hparams"); /* as the run summaries' (runs/traj.c) */
    ob_csv_end_row(&w);
    ob_csv_text(&w, r->w->net ? r->w->net : r->w->problem);
    ob_csv_text(&w, r->T->name);
    ob_csv_text(&w, r->w->net ? "network" : "analytic");
    ob_csv_num(&w, r->lr);
    ob_csv_int(&w, r->seed);
    ob_csv_int(&w, r->w->net ? 0 : r->w->steps);
    ob_csv_text(&w, status);
    ob_csv_int(&w, 0);
    ob_csv_int(&w, -1);
    ob_csv_num(&w, f0);
    for (int k = 0; k < 4; k++) ob_csv_num(&w, NAN);
    if (tagged) ob_csv_text(&w, hp);
    ob_csv_end_row(&w);
    return ob_csv_commit(&w, err);
}

/* analytic: steps x dimension (2 when the workload leaves it to the problem); networks:
 * epochs x training samples x NET_SAMPLE_COST */
double ob_bench_run_cost(const ob_run_spec *r)
{
    const ob_workload *w = r->w;
    if (w->net) {
        double samples = w->popts.samples ? (double)w->popts.samples : OB_FASHION_MNIST_TRAIN;
        return (double)(r->seed ? w->epochs : w->tune_epochs) * samples * NET_SAMPLE_COST;
    }
    return (double)w->steps * (double)(w->popts.dim ? w->popts.dim : 2);
}

/* an observer that keeps nothing (the timed runs) */
static int no_row(void *ctx, const ob_row *r)
{
    (void)ctx, (void)r;
    return 0;
}

/* The timed run: the run's loop alone, no file, no logging; a network trains OB_TIME_STEPS
 * mini-batches drawn iid (no evaluation), as the time per update is what is compared. */
ob_status ob_bench_time_run(const ob_run_spec *r, ob_bench_cache *pc, double *seconds,
                            long *steps, ob_error *err)
{
    char hp[256];
    ob_status s;
    if (r->w->net) {
        const ob_splits *data = get_data(pc, r->w->popts.samples, err);
        if (!data) return OB_EIO;
        ob_train_config c;
        if ((s = net_config(r, data, &c, hp, sizeof hp, err)) != OB_OK) return s;
        c.batching = OB_BATCHES_IID;
        /* OB_TIME_STEPS mini-batches; a full-gradient rule (gd), whose update is a pass over
         * the training split, the updates that see as many samples, at least 2 */
        c.steps = OB_TIME_STEPS;
        if (r->T->full_gradient && data->train.n > 0) {
            long passes = (long)(OB_TIME_STEPS * c.batch / data->train.n);
            c.steps = passes > 1 ? passes : 1;
        }
        c.log_every = 0;
        c.sharpness_every = 0;
        c.no_eval = 1;
        ob_train_result res;
        s = ob_train(&c, data, NULL, &res, err);
        *seconds = res.seconds, *steps = res.steps;
        return s;
    }
    ob_problem *p = get_problem(pc, r->w, err);
    if (!p) return OB_EINVAL;
    double *x0 = malloc(p->dim * sizeof *x0);
    if (!x0) return ob_fail(err, OB_ENOMEM, "out of memory");
    ob_run_config c;
    run_config(r, p, x0, &c, hp, sizeof hp);
    c.sharpness_every = 0;
    ob_run_result res;
    /* rows at the start and the end only: the full loss of a logged row is outside the
     * timed region, but a mini-batch run would still compute it at every step */
    ob_observer quiet = {.row = no_row, .every = c.steps > 0 ? c.steps : 1};
    s = ob_run(&c, &quiet, NULL, &res, err);
    free(x0);
    *seconds = res.seconds, *steps = res.steps_done;
    return s;
}
