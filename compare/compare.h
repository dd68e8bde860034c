/* compare.h - `optbench compare`: results directories side by side (compare/compare*.c;
 * cli/cmd_compare.c calls ob_compare_run).
 *
 * Every number comes from the run files of each directory (runs/W/O/seed-S, read by
 * runs/runfile.h), never from the directory's tables, so directories written by other
 * versions of optbench compare as long as their run files read.  The (workload,
 * optimizer) pairs present in every directory are compared; the others are listed.
 *
 * Score (AlgoPerf, Dahl et al. 2023, "Benchmarking Neural Network Training Algorithms";
 * Kasimbeg et al. 2024), computed as AlgoPerf's scoring code computes it
 * (mlcommons/submissions_algorithms, scoring/performance_profile.py at commit 12c8e4ea;
 * compare_score.c): per optimizer and directory, the trapezoid area under its
 * performance profile rho(tau) at 100 points of tau in [1, OB_CMP_TAU_MAX], divided by
 * OB_CMP_TAU_MAX - 1, so in [0, 1].  rho(tau) is the fraction of the workloads where the
 * optimizer is a common pair on which its time is within tau times the best time of any
 * (directory, optimizer) there; a time above OB_CMP_TAU_MAX times the best, a missed
 * target and NaN count as +inf.  A seed plays the role of an AlgoPerf study: the time is
 * the median over seeds of each seed's time:
 *   analytic  the gradient evaluations to reach the tightest target all directories share
 *             (a run that misses it or diverges: +inf);
 *   networks  the epochs until the run's validation accuracy reaches the workload's
 *             target (+inf: never).  The target, as AlgoPerf sets its targets from the
 *             best of its target-setting runs: the highest median best validation
 *             accuracy a* of any compared (directory, optimizer), less OB_CMP_NET_SLACK of
 *             its error: a* - OB_CMP_NET_SLACK (1 - a*).
 * Epochs are a common unit: every rule sees each training sample once an epoch, whatever
 * its batch (gd: one step an epoch). */
#ifndef OB_COMPARE_H
#define OB_COMPARE_H

#include <stddef.h>

#include "bench/bench.h"
#include "common/ob.h"
#include "tables/inference.h"

#define OB_CMP_TAU_MAX 4.0
#define OB_CMP_TAU_POINTS 100 /* np.linspace(1, OB_CMP_TAU_MAX, 100) */
#define OB_CMP_MAX_DIRS 8
#define OB_CMP_NET_SLACK 0.1

/* one (workload, optimizer) pair of one directory, across its seeds */
typedef struct {
    char w[128], o[64];
    int net, seeds, diverged;
    double lr;
    double med, q1, q3;     /* analytic: the final gap f - f*; networks: the best
                               validation accuracy */
    double time;            /* the median over seeds of ts: +inf when the median seed
                               missed the target */
    double *ts;             /* (seeds) each seed's time: analytic, the gradient evaluations
                               to the shared target; networks, the epochs to acc_target
                               (ob_cmp_net_times); +inf: missed, or diverged */
    double *vs;             /* (seeds) each seed's final gap (+inf: diverged) or best
                               validation accuracy (0: diverged) */
    double **sx, **sy;      /* networks: (seeds) each seed's epochs and validation
                               accuracies, sn[k] of them */
    size_t *sn;
    double acc_target;      /* networks: the workload's target validation accuracy */
    double test;            /* networks: median test accuracy */
    double *cx, *cy;        /* (cn) the median curve: gap against step (analytic), best-so-
                               far validation accuracy against epoch (networks) */
    size_t cn;
} ob_cmp_pair;

#define OB_CMP_MAX_OPTS 32

/* one optimizer of a directory's suite, as its optbench.json records it */
typedef struct {
    char name[64];          /* as its runs/W/NAME directories */
    int n;                  /* its options: the hyperparameters and the tuned lists */
    char key[OB_CMP_MAX_OPTS][40], val[OB_CMP_MAX_OPTS][80];
    char diff[256];         /* the options whose values differ in another directory that
                               has the optimizer: "momentum=0.9" ("" when none do) */
    char label[320];        /* name, with diff when there is one: "momentum(momentum=0.9)" */
} ob_cmp_optdef;

typedef struct {
    const char *path;
    char label[4];          /* "A", "B", ... */
    char suite[64];         /* suite.txt's name, or "" */
    char version[128];      /* optbench.json's "version (commit)", or "" */
    int have_json;
    ob_cmp_optdef *defs;    /* the suite's optimizers (optbench.json; none without it) */
    size_t ndefs;
    ob_target_set tg;
    ob_cmp_pair *p;         /* by workload, then optimizer (sorted names) */
    size_t n;
} ob_cmp_dir;

/* The readable directory path: its suite, version and targets (not its runs).  A
 * directory without runs/ is OB_EIO, an optbench.json of a newer format OB_EINVAL, a
 * malformed one OB_EDATA, each one line naming the path. */
ob_status ob_cmp_dir_open(ob_cmp_dir *d, const char *path, int index, ob_error *err);
/* Its pairs, with times to target (the relative target, a value of its targets). */
ob_status ob_cmp_dir_load(ob_cmp_dir *d, double target, ob_error *err);
void ob_cmp_dir_free(ob_cmp_dir *d);
/* the pair (w, o) of d, or NULL */
const ob_cmp_pair *ob_cmp_find(const ob_cmp_dir *d, const char *w, const char *o);

/* The labels of every directory's optimizers: each carries the options that differ
 * between the directories that have it (ob_cmp_optdef.diff, .label). */
void ob_cmp_labels(ob_cmp_dir *d, size_t nd);
/* The label of optimizer o in d: its name with the options that differ, or o itself. */
const char *ob_cmp_label(const ob_cmp_dir *d, const char *o);
/* Its definition in d, or NULL (no optbench.json, or not in its suite). */
const ob_cmp_optdef *ob_cmp_def(const ob_cmp_dir *d, const char *o);

/* The tightest target every directory has (by value; its name in name), or -1 when they
 * share none. */
int ob_cmp_common_target(const ob_cmp_dir *d, size_t nd, double *target, char *name,
                         size_t cap);

/* The network pairs' targets and times (above), from every directory's pairs. */
void ob_cmp_net_times(ob_cmp_dir *d, size_t nd);

/* AlgoPerf's score of ns submissions over nw workloads from their times t[s * nw + w]
 * (+inf or NaN: the target missed), into score[0..ns) (compare_score.c).  All NaN when
 * nw == 0 or out of memory.  sets_best (NULL: all) says which submissions set a
 * workload's best time; the others (the reference methods) are measured against it: a
 * competitor scores as if they were absent. */
void ob_cmp_algoperf(const double *t, size_t ns, size_t nw, const int *sets_best, double *score);

/* Scores: score[o * nd + k] for optimizer names[o] in directory k, over the workloads
 * where (w, names[o]) is a common pair: the network ones (counted in nw_net[o]) and, when
 * analytic (the directories share a target), the analytic ones (nw_analytic[o]); NaN
 * when there are none. */
void ob_cmp_scores(const ob_cmp_dir *d, size_t nd, const char *const *names, size_t no,
                   int analytic, double *score, int *nw_analytic, int *nw_net);

/* Whether (w, o) is in every directory. */
int ob_cmp_common(const ob_cmp_dir *d, size_t nd, const char *w, const char *o);

/* The labels of the directories of d[0..nd) that lack the pair (w, o), joined by sep
 * ("B" or "B, C"), into buf (cap bytes); returns buf. */
char *ob_cmp_missing_in(const ob_cmp_dir *d, size_t nd, const char *w, const char *o,
                        const char *sep, char *buf, size_t cap);

/* ---- what compare.c computes and compare_doc.c writes: for compare/ alone ----------- */

/* The metric of a change: what the ranking sorts by.  Analytic: each seed's gradient
 * evaluations to the shared target (+inf: missed), or, when neither median run reaches
 * it, the final gap; networks: the best validation accuracy (0: diverged). */
typedef enum { OB_CMP_EVALS, OB_CMP_GAP, OB_CMP_ACC } ob_cmp_metric;

/* One change: the common pair (w, o) of directory dir (>= 1) against A's, tested. */
typedef struct {
    const char *w, *o;
    size_t dir;
    ob_cmp_metric metric;
    double med_a, med_b;    /* the medians over seeds of the metric */
    ob_interval ratio;      /* med_b / med_a, its 95 % percentile bootstrap interval
                               (tables/inference.h: OB_BOOT_RESAMPLES, OB_BOOT_SEED) */
    double p;               /* two-sided Mann-Whitney p of A's seeds against B's */
    double p_holm;          /* Holm-adjusted over every change of the comparison */
    int flagged;            /* p_holm < OB_ALPHA */
} ob_cmp_change;

/* The test of the seeds a[0..na) against b[0..nb) (NaNs left out): medians, ratio with
 * its interval, p (p_holm and flagged are the caller's, over all changes).  Returns 0,
 * or -1 when out of memory. */
int ob_cmp_test(const double *a, size_t na, const double *b, size_t nb, ob_cmp_change *c);

/* Holm over the changes c[0..n): their p_holm and flagged. */
void ob_cmp_holm(ob_cmp_change *c, size_t n);

/* The smallest two-sided Mann-Whitney p-value na against nb seeds can give without ties
 * (the samples apart: 2 / C(na + nb, na)); Holm over m tests flags nothing unless it is
 * below OB_ALPHA / m. */
double ob_cmp_min_p(size_t na, size_t nb);

/* What compare.c computes and compare_doc.c writes out. */
typedef struct {
    ob_cmp_dir *d;
    size_t nd;
    char **w;                      /* every workload of any directory, sorted */
    size_t nw;
    int have_target;               /* the directories share a target */
    double target;
    char target_name[24];
    const char *opt[32];           /* the optimizers of the common pairs, canonical order */
    size_t no;
    double score[32 * OB_CMP_MAX_DIRS]; /* ob_cmp_scores */
    int score_wa[32], score_wn[32]; /* the analytic and network workloads of each score */
    int *drawn;                    /* (nw) the workload's figure was drawn */
    ob_cmp_change *ch;             /* every common pair of every later directory against A,
                                      by workload, optimizer, directory */
    size_t nch;
} ob_cmp_view;

/* one (directory, optimizer) of a workload's ranking */
typedef struct {
    size_t dir;
    const ob_cmp_pair *P;
    int rank;
} ob_cmp_entry;

/* The common pairs of workload w from every directory, best first (analytic: median
 * evaluations to the shared target, those that reach it first, then the median final
 * gap; networks: the median best validation accuracy, highest first; ties by directory,
 * then optimizer); e has room for nd * no entries.  Returns how many. */
size_t ob_cmp_rank(const ob_cmp_view *v, const char *w, ob_cmp_entry *e);

/* v->ch, v->nch: every change, tested and Holm-corrected (compare_stats.c). */
ob_status ob_cmp_changes(ob_cmp_view *v, ob_error *err);

/* The changes of workload w in v->ch: *first and how many. */
size_t ob_cmp_changes_of(const ob_cmp_view *v, const char *w, size_t *first);

/* compare_fig.c: out/figures/compare-W.png */
ob_status ob_cmp_figure(const ob_cmp_dir *d, size_t nd, const char *w, const char *png,
                        ob_error *err);

/* compare_doc.c: out/compare.md and out/index.html */
ob_status ob_cmp_write_doc(const ob_cmp_view *v, const char *out, ob_error *err);

/* The whole command: reads the directories, writes out/compare.md, out/index.html,
 * out/ranking.csv, out/changes.csv, out/scores.csv, out/unmatched.csv and
 * out/figures/compare-W.png.  *notes gets how many figures could not be drawn. */
ob_status ob_compare_run(const char *const *dirs, size_t nd, const char *out, int quiet,
                         ob_error *err);

#endif
