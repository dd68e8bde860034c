/* bench.c - planning and running the benchmark (see bench.h).
 *
 * Protocol.  For each (workload, optimizer) pair:
 *   1. tuning: one run (seed 0, the problem's own start point) per learning rate of the
 *      suite's log grid;
 *   2. choice: the learning rate with the lowest score (tuning.c, ob_tuning_score: the
 *      median gap f - f* over the last 10% of the logged rows; a diverged run scores
 *      +inf; ties go to the run that first reached the 1e-6 target, then to the smaller
 *      rate);
 *   3. final runs: seeds 1..S at the chosen rate, each from the start point moved by
 *      Gaussian noise (5% of the plotting box for 2-D problems, else 0.1 per
 *      coordinate), with its own stochastic oracle: no final run reuses the tuning run.
 * Every run writes its trajectory and summary atomically under out/runs/W/O/; a run whose
 * summary exists is done, so an interrupted benchmark resumes where it stopped.  Runs
 * are spread over --jobs processes; each run depends only on its own settings and seed,
 * so the files are the same for any number of jobs. */
#include "bench/bench.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <signal.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/csvout.h"
#include "bench/bench_internal.h"
#include "bench/tuning.h"
#include "runs/run.h"
#include "runs/trainlog.h"
#include "nets/mlp.h"
#include "nets/presets.h"
#include "runs/traj.h"
#include "optimizers/schedule.h"

/* ---- paths and the plan -------------------------------------------------------------- */

static int mkdirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
            *p = '/';
        }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

double ob_bench_grid_lr(const ob_lr_grid *g, int k)
{
    return pow(10.0, g->lo + (double)k / g->per_decade);
}

int ob_bench_grid_points(const ob_lr_grid *g) { return (g->hi - g->lo) * g->per_decade + 1; }

void ob_bench_run_path(char *buf, size_t cap, const char *out, const char *w, const char *o,
                       const char *file)
{
    snprintf(buf, cap, "%s/runs/%s/%s/%s", out, w, o, file);
}

static int word_in(const char *word, const char *list)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
    return 0;
}

/* an optimizer that cannot take the workload's stochastic oracle sits it out; networks
 * train with the first-order rules only (gd: full batch) */
static int applies(const ob_workload *w, const ob_optimizer_type *T)
{
    if (w->optimizers && !word_in(T->name, w->optimizers)) return 0;
    if (w->net) return !T->needs_objective;
    int stochastic = w->noise > 0 || w->batch > 0;
    return !(stochastic && (T->needs_objective || T->full_gradient));
}

static const ob_lr_grid *grid_of(const ob_suite *S, const ob_workload *w)
{
    return w->net ? &S->net_grid : &S->grid;
}

typedef struct {
    const ob_workload *w;
    const ob_optimizer_type *T;
    double lr;
    int seed;       /* 0: tuning */
    char file[64];  /* tune-LR.csv or seed-S.csv */
} run_spec;

static int pair_selected(const ob_bench_config *c, size_t index, const ob_workload *w,
                         const ob_optimizer_type *T)
{
    if (c->only) { /* "W/O" */
        size_t n = strlen(w->name);
        return strncmp(c->only, w->name, n) == 0 && c->only[n] == '/' &&
               strcmp(c->only + n + 1, T->name) == 0;
    }
    return c->shard_n <= 1 || (int)(index % (size_t)c->shard_n) == c->shard_i;
}

static int summary_exists(const char *out, const run_spec *r)
{
    char path[4096], file[80];
    snprintf(file, sizeof file, "%.*s.summary.csv", (int)(strlen(r->file) - 4), r->file);
    ob_bench_run_path(path, sizeof path, out, r->w->name, r->T->name, file);
    return access(path, F_OK) == 0;
}

/* removes the temporary files an interrupted run left in dir */
static void remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp.")) unlinkat(dirfd(d), e->d_name, 0);
    closedir(d);
}

/* ---- one run ------------------------------------------------------------------------- */

/* The problems of the workloads, created once per process. */
typedef struct {
    const ob_workload *w;
    ob_problem p;
    int ok;
} cached;

typedef struct {
    cached *items;
    size_t n;
    ob_splits data;          /* Fashion-MNIST, loaded once per process */
    size_t data_subset;      /* the training samples kept (0: not loaded) */
    int have_data;
} problem_cache;

static ob_problem *get_problem(problem_cache *pc, const ob_workload *w, ob_error *err)
{
    for (size_t i = 0; i < pc->n; i++)
        if (pc->items[i].w == w) return pc->items[i].ok ? &pc->items[i].p : NULL;
    cached *it = realloc(pc->items, (pc->n + 1) * sizeof *it);
    if (!it) return NULL;
    pc->items = it;
    cached *c = &pc->items[pc->n++];
    c->w = w;
    c->ok = ob_problem_create(&c->p, ob_problem_find(w->problem), &w->popts, err) == OB_OK;
    return c->ok ? &c->p : NULL;
}

static void cache_free(problem_cache *pc)
{
    for (size_t i = 0; i < pc->n; i++)
        if (pc->items[i].ok) ob_problem_free(&pc->items[i].p);
    free(pc->items);
    if (pc->have_data) ob_splits_free(&pc->data);
}

/* Fashion-MNIST with its 6000 validation samples held out by the fixed data seed 1 (the
 * same split for every run); subset n keeps the first n training samples */
static const ob_splits *get_data(problem_cache *pc, size_t subset, ob_error *err)
{
    if (pc->have_data && pc->data_subset == subset) return &pc->data;
    if (pc->have_data) ob_splits_free(&pc->data);
    pc->have_data = 0;
    if (ob_load_idx_dir(OB_FASHION_MNIST_DIR, 6000, 1, &pc->data, err) != OB_OK) return NULL;
    if (subset && subset < pc->data.train.n) pc->data.train.n = subset;
    pc->have_data = 1;
    pc->data_subset = subset;
    return &pc->data;
}

static ob_status do_net_run(const char *path, const run_spec *r, problem_cache *pc,
                            ob_error *err)
{
    const ob_workload *w = r->w;
    const ob_splits *data = get_data(pc, w->popts.samples, err);
    if (!data) return OB_EIO;
    const ob_net_preset *P = ob_net_preset_find(w->net);
    if (!P) return ob_fail(err, OB_EINVAL, "unknown network preset %s", w->net);
    ob_train_config c = {.dtype = OB_F32, .opt = r->T, .epochs = r->seed ? w->epochs : w->tune_epochs,
                         .batch = w->batch ? w->batch : 128, .seed = (unsigned long)r->seed};
    ob_net_preset_spec(P, data->train.d, data->train.classes, &c.spec);
    c.spec.l1 = w->l1;
    c.spec.l2 = w->l2;
    for (size_t l = 0; l + 1 < c.spec.n_layers; l++)
        c.spec.dropout[l] = w->seed_dropout && l < P->n_hidden ? P->seed_dropout[l] : w->dropout;
    ob_hparams_default(r->T, &c.h);
    c.h.lr = r->lr;
    c.sched = ob_schedule_default(r->lr);
    ob_trainlog log;
    ob_status s = ob_trainlog_open(&log, path, err);
    if (s != OB_OK) return s;
    ob_train_observer obs = {.row = ob_trainlog_row, .ctx = &log};
    ob_train_result res;
    s = ob_train(&c, data, &obs, &res, err);
    if (s == OB_OK) s = ob_csv_commit(&log.csv, err);
    else ob_csv_abort(&log.csv);
    char *spath = s == OB_OK ? ob_summary_path(path) : NULL;
    if (s == OB_OK) s = spath ? ob_train_summary_write(spath, w->name, &c, &res, &log, err) : OB_ENOMEM;
    free(spath);
    return s;
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

static ob_status do_run(const char *out, const run_spec *r, problem_cache *pc, ob_error *err)
{
    char dir[4096], path[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", out, r->w->name, r->T->name);
    if (mkdirs(dir) != 0) return ob_fail(err, OB_EIO, "cannot create %s: %s", dir, strerror(errno));
    ob_bench_run_path(path, sizeof path, out, r->w->name, r->T->name, r->file);
    if (r->w->net) return do_net_run(path, r, pc, err);
    ob_problem *p = get_problem(pc, r->w, err);
    if (!p) return OB_EINVAL;
    double *x0 = malloc(p->dim * sizeof *x0);
    if (!x0) return ob_fail(err, OB_ENOMEM, "out of memory");
    start_point(p, r->seed, x0);
    ob_run_config c = {.prob = p, .opt = r->T, .steps = r->w->steps, .x0 = x0,
                       .seed = (unsigned long)r->seed, .noise = r->w->noise, .batch = r->w->batch};
    ob_hparams_default(r->T, &c.h);
    c.h.lr = r->lr;
    c.sched = ob_schedule_default(r->lr);
    /* tuning needs the tail; final runs keep every step up to 5000 (2-D trajectories) */
    long every = r->seed == 0 ? (r->w->steps + 199) / 200 : (r->w->steps + 4999) / 5000;
    ob_traj traj;
    ob_status s = ob_traj_open(&traj, path, p->dim, 0, err);
    if (s == OB_OK) {
        ob_observer obs = {.row = ob_traj_row, .ctx = &traj, .every = every > 0 ? every : 1};
        ob_run_result res;
        s = ob_run(&c, &obs, NULL, &res, err);
        if (s == OB_OK) s = ob_csv_commit(&traj.csv, err);
        else ob_csv_abort(&traj.csv);
        char *spath = s == OB_OK ? ob_summary_path(path) : NULL;
        if (s == OB_OK) s = spath ? ob_summary_write(spath, &c, &res, err) : OB_ENOMEM;
        free(spath);
    }
    free(x0);
    return s;
}

/* ---- the parallel executor ------------------------------------------------------------ */

/* Set by SIGINT / SIGTERM while the runs execute: every process finishes the run it is
 * writing and starts no other, so an interrupted benchmark leaves only complete run
 * files (and the next one resumes).  A signal flag is the one kind of file-scope mutable
 * state a handler needs. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress(const char *phase, size_t done, size_t total, double t0)
{
    double el = now() - t0, left = done ? el * (double)(total - done) / (double)done : 0;
    int width = 30, fill = total ? (int)(width * done / total) : width;
    fprintf(stderr, "\r%-7s [%.*s%*s] %zu/%zu runs, %02d:%02d elapsed, ~%02d:%02d left ", phase,
            fill, "##############################", width - fill, "", done, total,
            (int)el / 60, (int)el % 60, (int)left / 60, (int)left % 60);
    if (done == total) fputc('\n', stderr);
}

static ob_status execute(const char *out, const char *phase, const run_spec *runs, size_t n,
                         int jobs, int show, ob_error *err)
{
    if (n == 0) return OB_OK;
    double t0 = now();
    if (jobs > (int)n) jobs = (int)n;
    if (jobs <= 1) {
        problem_cache pc = {0};
        ob_status s = OB_OK;
        size_t i;
        for (i = 0; i < n && s == OB_OK && !interrupted; i++) {
            s = do_run(out, &runs[i], &pc, err);
            if (show) progress(phase, i + 1, n, t0);
        }
        cache_free(&pc);
        if (s == OB_OK && interrupted)
            s = ob_fail(err, OB_INTERRUPTED, "interrupted after %zu of %zu %s runs; run the same "
                        "command again to resume", i, n, phase);
        return s;
    }
    /* a work queue: the parent writes run indices into one pipe, the workers read them
     * (reads of a few bytes from a pipe are atomic), and each writes one byte per
     * finished run into another; the parent counts those for the progress bar */
    int work[2], done_fd[2];
    if (pipe(work) != 0 || pipe(done_fd) != 0) return ob_fail(err, OB_EIO, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t *pids = calloc((size_t)jobs, sizeof *pids);
    if (!pids) return ob_fail(err, OB_ENOMEM, "out of memory");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = cores > jobs ? (int)(cores / jobs) : 1;
    for (int k = 0; k < jobs; k++) {
        pids[k] = fork();
        if (pids[k] == 0) {
            close(work[1]);
            close(done_fd[0]);
            omp_set_num_threads(threads); /* jobs x threads = cores; results do not depend on it */
            problem_cache pc = {0};
            ob_error e = {{0}};
            int bad = 0;
            uint32_t i;
            while (!interrupted && read(work[0], &i, sizeof i) == (ssize_t)sizeof i) {
                char ok = do_run(out, &runs[i], &pc, &e) == OB_OK ? '.' : 'E';
                if (ok == 'E' && !bad) {
                    fprintf(stderr, "\noptbench bench: %s\n", e.msg);
                    bad = 1;
                }
                if (write(done_fd[1], &ok, 1) != 1) break;
            }
            cache_free(&pc);
            _exit(bad);
        }
        if (pids[k] < 0) {
            pids[k] = 0;
            jobs = k;
            break;
        }
    }
    close(work[0]);
    close(done_fd[1]);
    size_t done = 0, sent = 0;
    int failed = jobs == 0;
    /* feed the queue without blocking while the workers report back */
    fcntl(work[1], F_SETFL, O_NONBLOCK);
    while (done < n) {
        if (interrupted && work[1] >= 0) { /* no new runs: the workers finish theirs */
            close(work[1]);
            work[1] = -1;
            sent = n;
        }
        while (sent < n) {
            uint32_t i = (uint32_t)sent;
            if (write(work[1], &i, sizeof i) != (ssize_t)sizeof i) break;
            sent++;
        }
        if (sent == n && work[1] >= 0) {
            close(work[1]); /* end of the queue */
            work[1] = -1;
        }
        char ch;
        ssize_t got = read(done_fd[0], &ch, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got != 1) break;
        done++;
        failed |= ch == 'E';
        if (show) progress(phase, done, n, t0);
    }
    if (work[1] >= 0) close(work[1]);
    close(done_fd[0]);
    for (int k = 0; k < jobs; k++) {
        int st;
        if (pids[k] > 0 && (waitpid(pids[k], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)))
            failed = 1;
    }
    free(pids);
    if (interrupted)
        return ob_fail(err, OB_INTERRUPTED, "interrupted after %zu of %zu %s runs; run the same "
                       "command again to resume", done, n, phase);
    if (failed || done < n)
        return ob_fail(err, OB_EIO, "%zu of %zu %s runs did not complete (see above)",
                       n - done + (size_t)(failed && done == n), n, phase);
    return OB_OK;
}

/* ---- the benchmark -------------------------------------------------------------------- */

/* appends the pending runs of one phase, network runs first (the longest first keeps
 * the workers busy to the end) */
static size_t plan(const ob_bench_config *c, int tuning, run_spec *runs, ob_error *err,
                   ob_status *st)
{
    const ob_suite *S = c->suite;
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t wi = 0; wi < S->n_workloads && *st == OB_OK; wi++)
            for (size_t oi = 0; oi < S->n_optimizers && *st == OB_OK; oi++) {
                const ob_workload *w = &S->workloads[wi];
                const ob_optimizer_type *T = ob_optimizer_find(S->optimizers[oi]);
                if ((pass == 0) != (w->net != NULL)) continue;
                if (!applies(w, T) || !pair_selected(c, wi * S->n_optimizers + oi, w, T)) continue;
                if (tuning) {
                    char dir[4096];
                    snprintf(dir, sizeof dir, "%s/runs/%s/%s", c->out, w->name, T->name);
                    remove_stale(dir);
                    const ob_lr_grid *g = grid_of(S, w);
                    for (int k = 0; k < ob_bench_grid_points(g); k++) {
                        run_spec *r = &runs[n];
                        *r = (run_spec){.w = w, .T = T, .lr = ob_bench_grid_lr(g, k), .seed = 0};
                        snprintf(r->file, sizeof r->file, "tune-%.3g.csv", r->lr);
                        if (!summary_exists(c->out, r)) n++;
                    }
                } else {
                    double lr;
                    *st = ob_bench_choose(c->out, w->name, T->name, &lr, NULL, err);
                    int seeds = w->net ? S->net_seeds : S->seeds;
                    for (int seed = 1; seed <= seeds && *st == OB_OK; seed++) {
                        run_spec *r = &runs[n];
                        *r = (run_spec){.w = w, .T = T, .lr = lr, .seed = seed};
                        snprintf(r->file, sizeof r->file, "seed-%d.csv", seed);
                        if (!summary_exists(c->out, r)) n++;
                    }
                }
            }
    return n;
}

ob_status ob_bench_run(const ob_bench_config *c, ob_error *err)
{
    const ob_suite *S = c->suite;
    int most = S->seeds > S->net_seeds ? S->seeds : S->net_seeds;
    int g1 = ob_bench_grid_points(&S->grid), g2 = ob_bench_grid_points(&S->net_grid);
    most = most > g1 ? most : g1;
    most = most > g2 ? most : g2;
    run_spec *runs = malloc(S->n_workloads * S->n_optimizers * (size_t)most * sizeof *runs);
    if (!runs) return ob_fail(err, OB_ENOMEM, "out of memory");
    /* no SA_RESTART: a worker blocked reading the queue wakes up and stops */
    struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    ob_status s = OB_OK;
    size_t n = plan(c, 1, runs, err, &s);
    if (s == OB_OK) s = execute(c->out, "tuning", runs, n, c->jobs, c->progress, err);
    if (s == OB_OK) n = plan(c, 0, runs, err, &s);
    if (s == OB_OK) s = execute(c->out, "seeds", runs, n, c->jobs, c->progress, err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    free(runs);
    return s;
}

void ob_bench_list(const ob_bench_config *c, const char *argv0)
{
    const ob_suite *S = c->suite;
    for (size_t wi = 0; wi < S->n_workloads; wi++)
        for (size_t oi = 0; oi < S->n_optimizers; oi++) {
            const ob_workload *w = &S->workloads[wi];
            const ob_optimizer_type *T = ob_optimizer_find(S->optimizers[oi]);
            if (applies(w, T) && pair_selected(c, wi * S->n_optimizers + oi, w, T))
                printf("%s bench --suite %s --out %s --jobs 1 --only %s/%s\n", argv0, S->name,
                       c->out, w->name, T->name);
        }
}

/* ---- inputs of the figures ------------------------------------------------------------ */

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
    snprintf(path, sizeof path, "%s/surfaces/%s.csv", out, w->name);
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
        const char *cols[] = {"xmin", "xmax", "ymin", "ymax", "xstar", "ystar", "fstar"};
        for (int k = 0; k < 7; k++) ob_csv_text(&csv, cols[k]);
        ob_csv_end_row(&csv);
        for (int k = 0; k < 4; k++) ob_csv_num(&csv, p.box[k]);
        ob_csv_num(&csv, p.x_star ? p.x_star[0] : NAN);
        ob_csv_num(&csv, p.x_star ? p.x_star[1] : NAN);
        ob_csv_num(&csv, fstar);
        ob_csv_end_row(&csv);
        s = ob_csv_commit(&csv, err);
    }
    ob_problem_free(&p);
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
        ob_schedule sc = ob_schedule_default(0.1);
        sc.type = *T;
        sc.L = 10;
        sc.N = 1000;
        for (long t = 0; t <= 1000; t += 5) {
            ob_csv_text(&csv, (*T)->name);
            ob_csv_int(&csv, t);
            ob_csv_num(&csv, ob_schedule_lr(&sc, t));
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
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/surfaces", c->out);
    if (mkdirs(dir) != 0) return ob_fail(err, OB_EIO, "cannot create %s: %s", dir, strerror(errno));
    ob_status s = write_schedules(c->out, err);
    if (s == OB_OK) s = write_activations(c->out, err);
    for (size_t i = 0; i < c->suite->n_workloads && s == OB_OK; i++)
        if (!c->suite->workloads[i].net) s = write_surface(c->out, &c->suite->workloads[i], err);
    return s;
}
