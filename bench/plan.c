/* plan.c - which runs the benchmark makes (see bench.h): the pairs, the tuning grid,
 * the seeds at the chosen rates, less the runs already done; and `bench --list`.
 *
 * Protocol.  For each (workload, optimizer) pair:
 *   1. tuning: one run (seed 0, the problem's own start point) per learning rate of the
 *      suite's log grid, times the values of any hyperparameter the suite lists for the
 *      optimizer (a product grid, tuning.h's tags);
 *   1b. edge extension: while the choice sits at an edge of the rates run and the rate
 *      beyond was not run, run that rate too (tuning.h, ob_tuning_edge: the same
 *      spacing, at most six rates past each edge, lr in [1e-8, 1e3]); once the rate is
 *      bracketed, the same for each list tuned with it (ob_tuning_axis_edge); each round
 *      is planned from the finished tuning runs alone, so any --jobs gives the same runs;
 *   1r. random tuning ([suite] tuning = random N, bench/tuning.h): instead of 1 and 1b,
 *      N trials, each drawing lr and the optimizer's ranges from a generator seeded by the
 *      suite and the pair's names; not extended;
 *   2. choice: the learning rate with the lowest score (tuning.c, ob_tuning_score: the
 *      median gap f - f* over the last 10% of the logged rows; a diverged run scores
 *      +inf; ties go to the run that first reached the 1e-6 target, then to the smaller
 *      rate, then to the earlier point of the lists);
 *      A pair none of whose tuning runs finished (a plugin that crashed, hung or failed
 *      at every rate: tuning.h's ob_bench_choose) has failed on the workload: its grid
 *      is not extended and its final runs are recorded `failed` without being run;
 *   3. final runs: seeds K..K+S-1 (K = 1, or bench --first-seed) at the chosen point
 *      (rate and listed values), each from the start point moved by Gaussian noise (5% of
 *      the plotting box for 2-D problems, else 0.1 per coordinate), with its own draws of
 *      the workload's oracle: no final run reuses the tuning run.
 * Every run writes its trajectory and summary atomically under out/runs/W/O/; a run whose
 * summary and trajectory read whole is done, so an interrupted benchmark resumes where it
 * stopped, and a run whose files were cut short afterwards is run again.  Runs
 * are spread over --jobs processes (execute.c); one run is job.c. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/bench_internal.h"
#include "bench/tuning.h"
#include "common/csvout.h"
#include "common/names.h"

int ob_bench_mkdirs(const char *path)
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

/* the pairs the bench runs: the workload's optimizers list, less the rules that sit it
 * out (bench.h's ob_suite_sits_out: the GSL minimizers on stochastic and network
 * workloads, listed in skipped.csv) */
static int applies(const ob_workload *w, const ob_optimizer_type *T)
{
    if (w->optimizers && !word_in(T->name, w->optimizers)) return 0;
    return ob_suite_sits_out(w, T) == NULL;
}

/* r's oracle: the workload's (bench.h's ob_suite_oracle) */
static void set_oracle(ob_run_spec *r, const ob_suite_optimizer *o)
{
    ob_suite_oracle(r->w, o->T, &r->noise, &r->batch);
}

/* a tuning point outside the rule's meaningful range: one step with a zero gradient takes
 * x to the origin or past it (optimizer.h's ob_optimizer_decay: decoupled decay with
 * lr*wd >= 1).  Not run, and listed in skipped.csv. */
static int decays_to_zero(const ob_optimizer_type *T, const ob_hparams *h, double lr)
{
    return ob_optimizer_decay(T, h, lr) <= 0;
}

static const ob_lr_grid *grid_of(const ob_suite *S, const ob_workload *w)
{
    return w->net ? &S->net_grid : &S->grid;
}

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

/* r is done: its summary and trajectory read whole (runs/runfile.h, ob_run_check); a run
 * whose files were cut short (a full disk, a copy that stopped) is run again */
static int run_done(const char *out, const ob_run_spec *r)
{
    char dir[4096], stem[80];
    snprintf(stem, sizeof stem, "%.*s", (int)(strlen(r->file) - 4), r->file); /* less .csv */
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", out, r->w->name, r->T->name);
    return ob_run_check(dir, stem, NULL) == OB_OK;
}

/* removes the temporary files an interrupted run left in dir, the summaries of the
 * runs cut short (ob_run_check) and a cut pack of summaries (runfile.h), so that every later look (the tuning choice, the
 * extension rounds, the tables) counts them missing until they are run again */
static void remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp.")) unlinkat(dirfd(d), e->d_name, 0);
    closedir(d);
    ob_runs_pack_drop_cut(dir);
    size_t n;
    char **stems = ob_run_stems(dir, "", &n);
    for (size_t i = 0; i < n; i++)
        if (ob_run_check(dir, stems[i], NULL) != OB_OK) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s.summary.csv", dir, stems[i]);
            unlink(path);
        }
    ob_run_stems_free(stems, n);
}

int ob_bench_first_seed(const ob_bench_config *c)
{
    return c->first_seed > 0 ? c->first_seed : 1;
}

size_t ob_bench_plan_capacity(const ob_suite *S)
{
    size_t points = 1; /* the largest grid beyond lr */
    for (size_t i = 0; i < S->n_optimizers; i++)
        if (S->optimizers[i].n_points > points) points = S->optimizers[i].n_points;
    size_t most = (size_t)(S->seeds > S->net_seeds ? S->seeds : S->net_seeds);
    size_t g1 = (size_t)ob_bench_grid_points(&S->grid) * points,
           g2 = (size_t)ob_bench_grid_points(&S->net_grid) * points;
    most = most > g1 ? most : g1;
    most = most > g2 ? most : g2;
    /* an extension round: one rate at every point run (the lists' and at most 2 x 6 past
     * the ends of each list), or one list value at every rate run */
    size_t ext = points + 2 * OB_TUNE_EXTRA_MAX * OB_MAX_HP_LISTS,
           rates = (size_t)ob_bench_grid_points(&S->grid) + (size_t)ob_bench_grid_points(&S->net_grid) +
                   2 * OB_TUNE_EXTRA_MAX;
    most = most > ext ? most : ext;
    most = most > rates ? most : rates;
    most = most > (size_t)S->tuning_trials ? most : (size_t)S->tuning_trials;
    return S->n_workloads * S->n_optimizers * most;
}

/* point pt of o's grid beyond lr: its hyperparameters and tag (a suite built in code,
 * without points, has the one point h) */
static const ob_hparams *point_h(const ob_suite_optimizer *o, size_t pt)
{
    return o->points ? &o->points[pt] : &o->h;
}
static const char *point_tag(const ob_suite_optimizer *o, size_t pt)
{
    return o->tags ? o->tags[pt] : "";
}

/* The extension of axis `axis` of o's lists (ob_tuning_axis_edge): the chosen run's
 * values with that axis at the next value, at every rate run so far; for the first axis
 * that needs one.  Returns the new n. */
static size_t plan_axis_extension(const ob_bench_config *c, const ob_workload *w,
                                  const ob_suite_optimizer *o, const ob_tune_row *t, size_t nt,
                                  ob_run_spec *runs, size_t n)
{
    const ob_tune_row *chosen = &t[ob_tuning_choose(t, nt)];
    for (int a = 0; a < o->n_lists; a++) {
        double v;
        char tag[OB_TUNE_TAG_MAX];
        if (ob_tuning_axis_edge(o, a, t, nt, &v) != OB_EDGE_EXTEND ||
            ob_tuning_extended_tag(o, chosen, a, v, tag, sizeof tag) != 0)
            continue;
        size_t n0 = n;
        for (size_t i = 0; i < nt; i++) {
            if (i > 0 && t[i].lr == t[i - 1].lr) continue; /* rows by lr: each rate once */
            ob_run_spec *r = &runs[n];
            *r = (ob_run_spec){.w = w, .T = o->T, .lr = t[i].lr, .seed = 0};
            set_oracle(r, o);
            snprintf(r->own_tag, sizeof r->own_tag, "%s", tag);
            if (ob_tuning_tag_hparams(o, tag, &r->own_h) != 0) continue;
            if (decays_to_zero(o->T, &r->own_h, r->lr)) continue;
            r->h = &r->own_h, r->tag = r->own_tag;
            int len = snprintf(r->file, sizeof r->file, "tune-%.3g_x%s.csv", r->lr, r->tag);
            if (len < (int)sizeof r->file && !run_done(c->out, r)) n++;
        }
        if (n > n0) return n;
    }
    return n;
}

/* The extension of a pair's lr grid past an edge (bench/tuning.h, ob_tuning_edge),
 * decided from its finished tuning runs only: every point of the grid beyond lr at the
 * next rate, named tune-LR_x<tag>.csv.  Nothing when the choice is interior or at a
 * limit, or while a run of the suite's grid is missing (an earlier failure). */
static size_t plan_extension(const ob_bench_config *c, const ob_workload *w,
                             const ob_suite_optimizer *o, ob_run_spec *runs, size_t n,
                             ob_status *st, ob_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", c->out, w->name, o->T->name);
    ob_target_set tg;
    ob_tune_row *t = NULL;
    size_t nt = 0, np = o->n_points ? o->n_points : 1;
    const ob_lr_grid *g = grid_of(c->suite, w);
    if ((*st = ob_targets_read(c->out, &tg, err)) != OB_OK) return n;
    if ((*st = ob_tuning_load(dir, tg.v[tg.n - 1], &t, &nt, err)) != OB_OK) return n;
    int k;
    size_t original = 0, finished = 0;
    for (size_t i = 0; i < nt; i++) {
        original += !t[i].extended;
        finished += ob_tuning_finished(&t[i]);
    }
    /* none finished (a plugin that crashes or hangs at every rate): the pair failed, and
     * more rates would only fail again */
    size_t expected = 0; /* the suite grid's points, less those skipped (decays_to_zero) */
    for (int k = 0; k < ob_bench_grid_points(g); k++)
        for (size_t pt = 0; pt < np; pt++)
            expected += !decays_to_zero(o->T, point_h(o, pt), ob_bench_grid_lr(g, k));
    if (original < expected || finished == 0) {
        free(t);
        return n;
    }
    if (ob_tuning_edge(g, t, nt, &k) == OB_EDGE_EXTEND) {
        /* every point run so far: the suite's lists', and those past their ends */
        for (size_t i = 0; i < nt; i++) {
            size_t j = 0;
            while (j < i && strcmp(t[j].tag, t[i].tag)) j++;
            if (j < i) continue; /* a point met before */
            ob_run_spec *r = &runs[n];
            *r = (ob_run_spec){.w = w, .T = o->T, .lr = ob_bench_grid_lr(g, k), .seed = 0};
            set_oracle(r, o);
            size_t pt = 0;
            while (pt < np && strcmp(point_tag(o, pt), t[i].tag)) pt++;
            if (pt < np) {
                r->h = point_h(o, pt), r->tag = point_tag(o, pt);
            } else {
                snprintf(r->own_tag, sizeof r->own_tag, "%s", t[i].tag);
                if (ob_tuning_tag_hparams(o, t[i].tag, &r->own_h) != 0) continue;
                r->h = &r->own_h, r->tag = r->own_tag;
            }
            if (decays_to_zero(o->T, r->h, r->lr)) continue;
            int len = snprintf(r->file, sizeof r->file, "tune-%.3g_x%s.csv", r->lr, r->tag);
            if (len < (int)sizeof r->file && !run_done(c->out, r)) n++;
        }
    } else { /* the rate is bracketed: the lists' axes, the first that needs it */
        n = plan_axis_extension(c, w, o, t, nt, runs, n);
    }
    free(t);
    return n;
}

/* Random tuning (bench/tuning.h): the pair's trials 1..N not yet run, each its own point
 * (the drawn values in own_h, its tag in own_tag). */
static size_t plan_trials(const ob_bench_config *c, const ob_workload *w,
                          const ob_suite_optimizer *o, ob_run_spec *runs, size_t n, ob_status *st,
                          ob_error *err)
{
    size_t N = (size_t)c->suite->tuning_trials;
    ob_tune_trial *t = malloc(N * sizeof *t);
    if (!t) return *st = ob_fail(err, OB_ENOMEM, "out of memory"), n;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", c->out, w->name, o->T->name);
    remove_stale(dir);
    if ((*st = ob_tuning_trials(c->suite, w, o, t, N, err)) == OB_OK)
        for (size_t k = 0; k < N; k++) {
            ob_run_spec *r = &runs[n];
            *r = (ob_run_spec){.w = w, .T = o->T, .lr = t[k].lr, .seed = 0, .own_h = t[k].h};
            snprintf(r->own_tag, sizeof r->own_tag, "%s", t[k].tag);
            r->h = &r->own_h, r->tag = r->own_tag;
            set_oracle(r, o);
            snprintf(r->file, sizeof r->file, "tune-%.3g%s.csv", r->lr, r->tag);
            if (!decays_to_zero(o->T, r->h, r->lr) && !run_done(c->out, r)) n++;
        }
    free(t);
    return n;
}

/* the pending runs of one pair appended at runs + n; returns the new n */
static size_t plan_pair(const ob_bench_config *c, int tuning, const ob_workload *w,
                        const ob_suite_optimizer *o, ob_run_spec *runs, size_t n, ob_status *st,
                        ob_error *err)
{
    const ob_suite *S = c->suite;
    const ob_optimizer_type *T = o->T;
    size_t np = o->n_points ? o->n_points : 1;
    if (tuning == 2) /* random trials are not a grid: nothing to extend */
        return S->tuning_trials ? n : plan_extension(c, w, o, runs, n, st, err);
    if (tuning == 1 && S->tuning_trials) return plan_trials(c, w, o, runs, n, st, err);
    if (tuning == 1) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/runs/%s/%s", c->out, w->name, T->name);
        remove_stale(dir);
        const ob_lr_grid *g = grid_of(S, w);
        for (int k = 0; k < ob_bench_grid_points(g); k++)
            for (size_t pt = 0; pt < np; pt++) { /* the product grid, lr slowest */
                ob_run_spec *r = &runs[n];
                *r = (ob_run_spec){.w = w, .T = T, .h = point_h(o, pt), .tag = point_tag(o, pt),
                                   .lr = ob_bench_grid_lr(g, k), .seed = 0};
                set_oracle(r, o);
                snprintf(r->file, sizeof r->file, "tune-%.3g%s.csv", r->lr, r->tag);
                if (!decays_to_zero(T, r->h, r->lr) && !run_done(c->out, r)) n++;
            }
        return n;
    }
    double lr;
    char tag[OB_TUNE_TAG_MAX];
    int none = 0; /* no tuning run finished: the pair failed on w, its seeds are recorded so */
    *st = ob_bench_choose(c->out, w->name, T->name, &lr, NULL, tag, sizeof tag, &none, err);
    if (*st == OB_OK && none && !isfinite(lr)) lr = ob_bench_grid_lr(grid_of(S, w), 0);
    /* the chosen point's hyperparameters: the point of o whose tag the chosen run has */
    size_t pt = 0;
    while (*st == OB_OK && pt < np && strcmp(point_tag(o, pt), tag)) pt++;
    char hp[256];
    int past_lists = *st == OB_OK && pt == np && tag[0] &&
                     (ob_tuning_tag_parse(tag, hp, sizeof hp) == (long)np || /* tuning.h */
                      (S->tuning_trials && ob_tuning_tag_is_trial(tag))); /* a random trial */
    ob_hparams own;
    if (past_lists && ob_tuning_tag_hparams(o, tag, &own) != 0) past_lists = 0;
    if (*st == OB_OK && pt == np && !past_lists && none) pt = 0;
    if (*st == OB_OK && pt == np && !past_lists)
        *st = ob_fail(err, OB_EINVAL, "%s/runs/%s/%s: the chosen tuning run (tune-%.3g%s) is "
                      "not a point of the suite's grid (was the suite changed? use a new --out)",
                      c->out, w->name, T->name, lr, tag);
    int timing = tuning == 3; /* the chosen point once, done or not (timing.c) */
    int seeds = timing ? (none ? 0 : 1) : w->net ? S->net_seeds : S->seeds,
        first = ob_bench_first_seed(c);
    for (int seed = first; seed < first + seeds && *st == OB_OK; seed++) {
        ob_run_spec *r = &runs[n];
        *r = (ob_run_spec){.w = w, .T = T, .lr = lr, .seed = seed};
        if (past_lists) {
            r->own_h = own;
            snprintf(r->own_tag, sizeof r->own_tag, "%s", tag);
            r->h = &r->own_h, r->tag = r->own_tag;
        } else {
            r->h = point_h(o, pt), r->tag = point_tag(o, pt);
        }
        set_oracle(r, o);
        snprintf(r->file, sizeof r->file, "seed-%d.csv", seed);
        r->fail = none ? "failed" : NULL;
        if (timing || !run_done(c->out, r)) n++;
    }
    return n;
}

/* network runs first: the longest first keeps the workers busy to the end */
size_t ob_bench_plan(const ob_bench_config *c, int tuning, ob_run_spec *runs, ob_status *st,
                     ob_error *err)
{
    const ob_suite *S = c->suite;
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t wi = 0; wi < S->n_workloads && *st == OB_OK; wi++)
            for (size_t oi = 0; oi < S->n_optimizers && *st == OB_OK; oi++) {
                const ob_workload *w = &S->workloads[wi];
                const ob_optimizer_type *T = S->optimizers[oi].T;
                if ((pass == 0) != (w->net != NULL)) continue;
                if (!applies(w, T) || !pair_selected(c, wi * S->n_optimizers + oi, w, T)) continue;
                n = plan_pair(c, tuning, w, &S->optimizers[oi], runs, n, st, err);
            }
    return n;
}

/* Once the runs are done: each selected pair's summaries packed into one file (runfile.h,
 * ob_runs_pack), pairs of other shards left alone (they may still be running). */
ob_status ob_bench_pack(const ob_bench_config *c, ob_error *err)
{
    const ob_suite *S = c->suite;
    ob_status s = OB_OK;
    for (size_t wi = 0; wi < S->n_workloads && s == OB_OK; wi++)
        for (size_t oi = 0; oi < S->n_optimizers && s == OB_OK; oi++) {
            const ob_workload *w = &S->workloads[wi];
            const ob_optimizer_type *T = S->optimizers[oi].T;
            if (!applies(w, T) || !pair_selected(c, wi * S->n_optimizers + oi, w, T)) continue;
            char dir[4096];
            snprintf(dir, sizeof dir, "%s/runs/%s/%s", c->out, w->name, T->name);
            s = ob_runs_pack(dir, err);
        }
    return s;
}

/* The rate past an edge that o's finished tuning runs on w ask for (ob_tuning_edge) when
 * it lies outside the suite's grid and the chosen point's decay alone takes x to the
 * origin there: the edge extension stops at it (plan_extension never runs it).  Its
 * lr, or NaN (no tuning runs yet, an interior choice, a rate that would run). */
static double extension_skipped(const ob_bench_config *c, const ob_workload *w,
                                const ob_suite_optimizer *o, double *factor)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", c->out, w->name, o->T->name);
    const ob_lr_grid *g = grid_of(c->suite, w);
    ob_target_set tg;
    ob_tune_row *t = NULL;
    size_t nt = 0, np = o->n_points ? o->n_points : 1;
    int k;
    double lr = NAN;
    if (ob_targets_read(c->out, &tg, NULL) == OB_OK &&
        ob_tuning_load(dir, tg.v[tg.n - 1], &t, &nt, NULL) == OB_OK && nt > 0 &&
        ob_tuning_edge(g, t, nt, &k) == OB_EDGE_EXTEND &&
        (k < 0 || k >= ob_bench_grid_points(g))) { /* the grid's own points: listed already */
        const ob_tune_row *b = &t[ob_tuning_choose(t, nt)];
        ob_hparams own;
        const ob_hparams *h = NULL;
        for (size_t pt = 0; pt < np && !h; pt++)
            if (!strcmp(point_tag(o, pt), b->tag)) h = point_h(o, pt);
        if (!h && ob_tuning_tag_hparams(o, b->tag, &own) == 0) h = &own;
        *factor = h ? ob_optimizer_decay(o->T, h, ob_bench_grid_lr(g, k)) : 1;
        if (*factor <= 0) lr = ob_bench_grid_lr(g, k);
    }
    free(t);
    return lr;
}

/* out/skipped.csv (results/README.md): what the bench does not run, with the reason:
 * the rules that sit a workload out (bench.h's ob_suite_sits_out; lr empty), the tuning
 * grid's points where decay alone takes x to the origin (decays_to_zero), and, once the
 * tuning runs are done, a rate past an edge that the extension did not run for that
 * reason (extension_skipped) */
ob_status ob_bench_write_skipped(const ob_bench_config *c, ob_error *err)
{
    static const char *const cols[] = {"workload", "optimizer", "lr", "reason"};
    const ob_suite *S = c->suite;
    char path[4096];
    snprintf(path, sizeof path, "%s/skipped.csv", c->out);
    ob_csv csv;
    ob_status s = ob_csv_open(&csv, path, err);
    if (s != OB_OK) return s;
    for (int k = 0; k < 4; k++) ob_csv_text(&csv, cols[k]);
    ob_csv_end_row(&csv);
    for (size_t wi = 0; wi < S->n_workloads; wi++)
        for (size_t oi = 0; oi < S->n_optimizers; oi++) {
            const ob_workload *w = &S->workloads[wi];
            const ob_suite_optimizer *o = &S->optimizers[oi];
            if (w->optimizers && !word_in(o->T->name, w->optimizers)) continue;
            const char *why = ob_suite_sits_out(w, o->T);
            if (why) {
                ob_csv_text(&csv, w->name);
                ob_csv_text(&csv, o->T->name);
                ob_csv_text(&csv, "");
                ob_csv_text(&csv, why);
                ob_csv_end_row(&csv);
                continue;
            }
            const ob_lr_grid *g = grid_of(S, w);
            size_t np = o->n_points ? o->n_points : 1, N = (size_t)S->tuning_trials;
            /* random tuning: its trials instead of the grid (plan_trials) */
            ob_tune_trial *tr = N ? malloc(N * sizeof *tr) : NULL;
            if (N && (!tr || ob_tuning_trials(S, w, o, tr, N, err) != OB_OK)) {
                free(tr);
                ob_csv_abort(&csv);
                return tr ? OB_EINVAL : ob_fail(err, OB_ENOMEM, "out of memory");
            }
            for (int k = 0; k < (N ? 1 : ob_bench_grid_points(g)); k++)
                for (size_t pt = 0; pt < (N ? N : np); pt++) {
                    double lr = N ? tr[pt].lr : ob_bench_grid_lr(g, k),
                           f = ob_optimizer_decay(o->T, N ? &tr[pt].h : point_h(o, pt), lr);
                    if (f > 0) continue;
                    char why2[160], hp[256] = "";
                    const char *tag = N ? tr[pt].tag : point_tag(o, pt);
                    if (tag[0]) ob_tuning_tag_parse(tag, hp, sizeof hp);
                    snprintf(why2, sizeof why2, "decay alone multiplies x by %.3g <= 0 a step "
                             "(lr*wd >= 1)%s%s", f, hp[0] ? " at " : "", hp);
                    ob_csv_text(&csv, w->name);
                    ob_csv_text(&csv, o->T->name);
                    ob_csv_num(&csv, lr);
                    ob_csv_text(&csv, why2);
                    ob_csv_end_row(&csv);
                }
            free(tr);
            if (N) continue; /* random trials: no edge extension */
            double f = 1, lr = extension_skipped(c, w, o, &f);
            if (isnan(lr)) continue;
            char why3[160];
            snprintf(why3, sizeof why3, "decay alone multiplies x by %.3g <= 0 a step (lr*wd >= "
                     "1): the edge extension stopped here", f);
            ob_csv_text(&csv, w->name);
            ob_csv_text(&csv, o->T->name);
            ob_csv_num(&csv, lr);
            ob_csv_text(&csv, why3);
            ob_csv_end_row(&csv);
        }
    return ob_csv_commit(&csv, err);
}

ob_status ob_bench_check_only(const ob_bench_config *c, ob_error *err)
{
    const ob_suite *S = c->suite;
    if (!c->only) return OB_OK;
    for (size_t wi = 0; wi < S->n_workloads; wi++)
        for (size_t oi = 0; oi < S->n_optimizers; oi++)
            if (applies(&S->workloads[wi], S->optimizers[oi].T) &&
                pair_selected(c, 0, &S->workloads[wi], S->optimizers[oi].T))
                return OB_OK;
    const char *wn[256], *on[256];
    char ws[1024], os[1024];
    size_t nw = 0, no = 0;
    for (; nw < S->n_workloads && nw + 1 < 256; nw++) wn[nw] = S->workloads[nw].name;
    for (; no < S->n_optimizers && no + 1 < 256; no++) on[no] = S->optimizers[no].T->name;
    wn[nw] = on[no] = NULL;
    return ob_fail(err, OB_EINVAL, "--only %s: the %s suite has no such pair (workloads: %s; "
                   "optimizers: %s; --list prints every pair)", c->only, S->name,
                   ob_names_join(ws, sizeof ws, wn, ", "), ob_names_join(os, sizeof os, on, ", "));
}

/* Commands that run from any directory: this binary's absolute path (argv0 when
 * /proc/self/exe cannot be read) and an absolute results directory. */
void ob_bench_list(const ob_bench_config *c, const char *argv0)
{
    char exe[PATH_MAX], cwd[PATH_MAX] = "";
    const char *bin = realpath("/proc/self/exe", exe) ? exe : argv0;
    int relative = c->out[0] != '/' && getcwd(cwd, sizeof cwd) != NULL;
    const ob_suite *S = c->suite;
    for (size_t wi = 0; wi < S->n_workloads; wi++)
        for (size_t oi = 0; oi < S->n_optimizers; oi++) {
            const ob_workload *w = &S->workloads[wi];
            const ob_optimizer_type *T = S->optimizers[oi].T;
            if (applies(w, T) && pair_selected(c, wi * S->n_optimizers + oi, w, T))
                printf("%s bench --suite %s --out %s%s%s --jobs 1 --only %s/%s\n", bin, S->source,
                       relative ? cwd : "", relative ? "/" : "", c->out, w->name, T->name);
        }
}
