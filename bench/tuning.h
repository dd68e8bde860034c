/* tuning.h - the tuning criterion and the choice of the learning rate from a pair's
 * finished tuning runs (out/runs/W/O/tune-*.csv).  The choice reads the run files
 * because tuning runs may have been finished by other processes, by shards on other
 * machines, or by an earlier, interrupted bench: the files are the only state shared. */
#ifndef OB_TUNING_H
#define OB_TUNING_H

#include "common/ob.h"
#include "runs/runfile.h"

/* what the criterion is, in one sentence, for the report; OB_TUNING_RULE adds the
 * tie-breaks (machine.csv) */
#define OB_TUNING_CRITERION                                                                  \
    "the median gap f - f* over the last 10% of the logged rows (networks: the best "       \
    "validation accuracy)"
#define OB_TUNING_RULE                                                                       \
    "lowest " OB_TUNING_CRITERION "; a diverged run ranks last; ties go to the run that "    \
    "reached the tightest target first, then to the smaller rate"

/* The tuning criterion of a run (lower is better): the median gap f - f* over the last
 * 10% of its logged rows, +inf when it diverged; networks: minus the best validation
 * accuracy.  *hit gets the first logged step that reached the tightest target (the
 * fraction tightest of the start gap; LONG_MAX when never), the tie-break. */
double ob_tuning_score(const ob_run_data *r, double tightest, long *hit);

#include "bench/bench.h"

/* The tuning grid beyond lr (bench.h's ob_suite_optimizer lists) in the run files' names:
 * point k of a pair with lists runs as tune-LR_pK_NAME_V...csv, e.g.
 * tune-0.01_p1_momentum_0.9.csv (option names have no '_', %g values neither); a pair
 * without lists keeps tune-LR.csv.  The name alone gives the choice the point's values
 * and its place in the product (ties go to the earlier point). */
/* point k's tag ("" without lists, else "_pK_NAME_V..."); OB_ENOMEM-free, fails
 * (returns -1) only when it does not fit in cap */
int ob_tuning_point_tag(const ob_suite_optimizer *o, size_t k, char *buf, size_t cap);

/* a tag's point index (a random trial's tag, "_tK...": its trial number K) and its values
 * as "momentum=0.9;beta1=0.8" (tuning.csv's hparams column); -1 when tag is not one (""
 * gives 0 and "") */
long ob_tuning_tag_parse(const char *tag, char *hp, size_t cap);
/* 1 when tag is a random trial's ("_tK" or "_tK_NAME_V...") */
int ob_tuning_tag_is_trial(const char *tag);

/* one tuning run, as the choice and tuning.csv see it */
typedef struct {
    double lr, score, final_gap;
    long hit;
    int net;
    char status[16];
    long point;                   /* its place in the grid beyond lr (0 without lists) */
    int extended;                 /* its lr lies past the suite's grid (tune-LR_x...) */
    long trial;                   /* random tuning: its trial number 1..N (0: a grid run) */
    char tag[OB_TUNE_TAG_MAX];    /* its file name's tag ("" without lists) */
    char hp[96];                  /* its values, "momentum=0.9;beta1=0.8" ("" without) */
} ob_tune_row;

/* Every tuning run of dir (out/runs/W/O), by increasing lr, then point; *rows is
 * malloc'ed. */
ob_status ob_tuning_load(const char *dir, double tightest, ob_tune_row **rows, size_t *n,
                         ob_error *err);

/* The index of the chosen run: the lowest score, then the earliest hit, then the
 * smaller rate, then the earlier point of the grid beyond lr. */
size_t ob_tuning_choose(const ob_tune_row *t, size_t n);

/* 1 when tuning run t gave a result (ok, diverged, stalled), 0 when its optimizer's
 * process crashed, ran past the time limit or failed (a plugin's, bench/execute.c) */
int ob_tuning_finished(const ob_tune_row *t);

/* The point tuning chose for W/O from its tune-*.csv runs: its learning rate and (tag,
 * may be NULL) its tag, "" without lists.  *none (may be NULL) is 1 when no tuning run
 * of the pair finished (each crashed, timed out or failed: a plugin's, bench/execute.c;
 * or there is none, then *lr is NaN): the pair failed on W, and the bench records its
 * final runs as failed instead of running them.  Without none, no tuning run at all is
 * an error. */
ob_status ob_bench_choose(const char *out, const char *w, const char *o, double *lr,
                          double *score, char *tag, size_t cap, int *none, ob_error *err);

/* Edge extension.  When tuning chooses a learning rate at an edge of the rates run so
 * far, the grid is extended past that edge with the same spacing (10^(1/per_decade)),
 * one rate at a time (every point run so far at it), until the choice is
 * interior, the rate beyond it diverged (then the choice is interior too), or a limit:
 * OB_TUNE_EXTRA_MAX rates past each edge of the suite's grid, and lr within
 * [OB_TUNE_LR_MIN, OB_TUNE_LR_MAX].  Then each list tuned with lr gets the same rule
 * (ob_tuning_axis_edge).  An extended run's file carries "_x" after its rate
 * (tune-1e+03_x.csv, tune-1e+03_x_p1_momentum_0.9.csv): the tables tell the two kinds
 * apart from the files alone (tuning.csv's grid column).  DeepOBS (Schneider et al.
 * 2019) and Schmidt et al. 2021 ("Descending through a crowded valley") both warn that
 * a rate chosen at the grid's edge is an artefact of the grid. */
#define OB_TUNE_EXTRA_MAX 6
#define OB_TUNE_LR_MIN 1e-8
#define OB_TUNE_LR_MAX 1e3

typedef enum {
    OB_EDGE_INTERIOR, /* the choice has a run rate on both sides (or there are no runs) */
    OB_EDGE_EXTEND,   /* run *k_next next */
    OB_EDGE_LIMIT,    /* the choice is at an edge, and the rate beyond is past a limit */
} ob_edge_state;

/* The index k of lr on g's scale: lr = 10^(lo + k/per_decade), k < 0 or past the last
 * point for extended rates. */
int ob_tuning_grid_index(const ob_lr_grid *g, double lr);

/* What the edge rule says for a pair's finished tuning runs t (n > 0, as ob_tuning_load
 * gives them) on its suite grid g; *k_next gets the index to run when OB_EDGE_EXTEND and
 * the index beyond the limit when OB_EDGE_LIMIT. */
ob_edge_state ob_tuning_edge(const ob_lr_grid *g, const ob_tune_row *t, size_t n, int *k_next);

/* The same rule for axis i of o's grid beyond lr (a list tuned with lr): when the chosen
 * run's value is the smallest or largest of the values run, *next gets the value past it
 * at the same spacing (geometric when every listed value is positive and the list's
 * consecutive ratios are equal, at least 10 for a two-value list and 2 for a longer one
 * (eps 1e-8 1e-6: 1e-4), else the difference of the two outermost values run (momentum
 * 0.8 0.9: 1.0)); OB_EDGE_LIMIT
 * when that is the (OB_TUNE_EXTRA_MAX + 1)-th value past the list's edge, or a value the
 * rule refuses (ob_hparams_check: momentum 1.0), or when it is not a number.  The
 * extended runs hold the other lists at the chosen run's values, at every rate run, and
 * are point n_points of the grid: tune-LR_x_pN_NAME_V....csv. */
ob_edge_state ob_tuning_axis_edge(const ob_suite_optimizer *o, int axis, const ob_tune_row *t,
                                  size_t n, double *next);

/* The chosen run's values with axis i at v, as a tag (_pN_NAME_V..., N = o->n_points):
 * -1 when it does not fit in cap. */
int ob_tuning_extended_tag(const ob_suite_optimizer *o, const ob_tune_row *chosen, int axis,
                           double v, char *buf, size_t cap);

/* The hyperparameters of a tag: o->h with each NAME=V of it; -1 when a name is not an
 * option of o's rule. */
int ob_tuning_tag_hparams(const ob_suite_optimizer *o, const char *tag, ob_hparams *h);

/* Whether any tuning run under out/runs has a tag: tuning.csv and chosen.csv then get an
 * hparams column (a suite without lists keeps its tables as they were). */
int ob_tuning_has_tags(const char *out);
/* Whether any tuning run under out/runs is a random trial (tune-LR_tK...): tuning.csv
 * then gets a trial column, and tuning_curve.csv is written. */
int ob_tuning_has_trials(const char *out);

/* ---- random tuning --------------------------------------------------------------------
 * [suite] tuning = random N (Bergstra and Bengio 2012; Sivaprasad et al. 2020): instead of
 * the grid, N trials per (workload, optimizer), the same N for every optimizer.  Trial k
 * draws lr log-uniformly over the suite's lr range, [lr-from, lr-to] (networks: net-lr-from
 * .. net-lr-to), then each of the optimizer's ranges (bench.h's ob_hp_range: uniform, or
 * log-uniform) in their order, from a GSL mt19937 generator seeded by the suite's
 * tuning-seed and the names of the workload and the optimizer: the same trials for any
 * --jobs, shard, resume, and order of the suite.  Each drawn value is rounded to the 6
 * significant digits (%g) the run's name keeps, so that the name gives back the values the
 * run used (lr is kept whole: the run's summary records it).  Trial k's tag is
 * "_tK_NAME_V..." ("_tK" without ranges): tune-LR_tK....csv.  The trials are ordinary
 * tuning runs: the choice is the usual one over them, and the grid is not extended. */
typedef struct {
    double lr;
    ob_hparams h;                 /* o->h with the drawn values */
    char tag[OB_TUNE_TAG_MAX];
} ob_tune_trial;

/* the trials 1..n of o on w into t[0 .. n); OB_EINVAL when a tag does not fit (the suite
 * parser refuses such ranges first) */
ob_status ob_tuning_trials(const ob_suite *S, const ob_workload *w, const ob_suite_optimizer *o,
                           ob_tune_trial *t, size_t n, ob_error *err);
/* the longest tag a trial of o can have in a suite of n trials (each value as %g is at
 * most 12 characters, -1.23457e-05): the parser refuses ranges whose tag could pass
 * OB_TRIAL_TAG_MAX, so that tune-LR<tag>.csv (LR as %.3g: at most 9 characters) fits a
 * run's file name (bench_internal.h's 64 bytes) */
size_t ob_tuning_trial_tag_max(const ob_suite_optimizer *o, int n);
#define OB_TRIAL_TAG_MAX 45

#endif
