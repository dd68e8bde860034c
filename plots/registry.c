/* registry.c - the table of figure recipes, the workloads of a results directory, and
 * drawing every figure the directory's files allow (see recipes.h). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/interrupt.h"
#include "plots/contours.h"
#include "plots/draw.h"
#include "plots/gnuplot.h"
#include "plots/recipes.h"

static int has_file(const char *dir, const char *fmt, const char *w)
{
    char rel[1024], path[4096];
    snprintf(rel, sizeof rel, fmt, w ? w : "");
    return ob_file_exists(ob_pathf(path, sizeof path, "%s/%s", dir, rel));
}

static int has_surface(const char *dir, const char *w)
{
    return has_file(dir, "surfaces/%s.csv", w) && has_file(dir, "surfaces/%s.meta.csv", w);
}
static int has_curves(const char *dir, const char *w) { return has_file(dir, "curves/%s.csv", w); }
/* time means little on a 2-D surface (a step costs microseconds: timer noise), so the gap
 * against seconds is drawn for the other analytic workloads only; the tables keep the
 * time per step of every workload */
static int has_curves_timed(const char *dir, const char *w)
{
    return has_curves(dir, w) && !has_surface(dir, w);
}
/* a finite sum with mini-batches (oracle.csv: a rule with batch > 0 on an analytic
 * workload): steps cost different numbers of sample gradients (gd's is a full pass) */
static int has_curves_batched(const char *dir, const char *w)
{
    if (!has_curves(dir, w)) return 0;
    ob_table t;
    char path[4096];
    if (ob_table_read(ob_pathf(path, sizeof path, "%s/oracle.csv", dir), &t, NULL) != OB_OK)
        return 0;
    int wc = ob_table_col(&t, "workload"), bc = ob_table_col(&t, "batch"),
        kc = ob_table_col(&t, "kind"), batched = 0;
    for (size_t i = 0; i < t.rows && wc >= 0 && bc >= 0 && kc >= 0; i++)
        batched |= !strcmp(ob_table_str(&t, i, wc), w) &&
                   !strcmp(ob_table_str(&t, i, kc), "analytic") && ob_table_num(&t, i, bc) > 0;
    ob_table_free(&t);
    return batched;
}
static int has_netcurves(const char *dir, const char *w)
{
    return has_file(dir, "netcurves/%s.csv", w);
}
static int has_any_curves(const char *dir, const char *w)
{
    return has_curves(dir, w) || has_netcurves(dir, w);
}
static int has_sharpness(const char *dir, const char *w)
{
    return has_file(dir, "sharpness/%s.csv", w);
}
static int has_tuning(const char *dir, const char *w)
{
    ob_table t;
    char path[4096];
    if (ob_table_read(ob_pathf(path, sizeof path, "%s/tuning.csv", dir), &t, NULL) != OB_OK) return 0;
    size_t i;
    int found = ob_rows_where(&t, ob_table_col(&t, "workload"), w, &i, 1) == 1;
    ob_table_free(&t);
    return found;
}
static int has_tuning_curve(const char *dir, const char *w)
{
    ob_table t;
    char path[4096];
    if (ob_table_read(ob_pathf(path, sizeof path, "%s/tuning_curve.csv", dir), &t, NULL) != OB_OK)
        return 0;
    size_t i;
    int found = ob_rows_where(&t, ob_table_col(&t, "workload"), w, &i, 1) == 1;
    ob_table_free(&t);
    return found;
}
static int has_variants(const char *dir, const char *w)
{
    char v[8][128];
    return ob_regularization_variants(dir, w, v, 8) > 0;
}
static int has_profiles(const char *dir, const char *w) { return has_file(dir, "profiles.csv", w); }
static int has_ecdf(const char *dir, const char *w) { return has_file(dir, "ecdf.csv", w); }
static int has_schedules(const char *dir, const char *w) { return has_file(dir, "schedules.csv", w); }
static int has_activations(const char *dir, const char *w)
{
    return has_file(dir, "activations.csv", w);
}


#define RECIPE(var, nm, scope_, section_, cap, app, fn, ...)                                    \
    static const ob_plot_recipe var = {.name = nm, .scope = scope_, .section = section_,       \
                                       .caption = cap, .applies = app, .draw = fn, __VA_ARGS__}

RECIPE(r_profiles, "profiles", OB_SCOPE_SUITE, OB_SECTION_SUITE,
       "Performance profiles (Dolan and Moré, 2002). For each (analytic workload, target) pair "
       "the cost of an optimizer is its median number of sample-gradient evaluations to reach the target (a full gradient of a finite sum of N terms counts N, a mini-batch B, any other gradient 1; the GSL line searches count every gradient they take); τ is that "
       "cost divided by the best competitor's on the same pair (GSL's reference minimizers, dashed, "
       "are drawn against it but never set it). A curve shows the fraction of pairs "
       "an optimizer solves within a factor τ of the best: its height at τ = 1 is how often it was "
       "the fastest, its height on the right how often it got there at all. Higher is better.",
       has_profiles, ob_plot_profiles);
RECIPE(r_ecdf, "ecdf", OB_SCOPE_SUITE, OB_SECTION_SUITE,
       "The fraction of (analytic workload, target) pairs that an optimizer's median run has "
       "reached within a given number of sample-gradient evaluations (a full gradient of a finite sum of N terms counts N), as COCO draws its runtime distributions. "
       "Curves further up and to the left are better.",
       has_ecdf, ob_plot_ecdf);
RECIPE(r_contour, "contour", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: filled contours of the loss gap f - f* (log-spaced bands, darker towards the "
       "minimum, the scale starting at the grid's 2% quantile) and the path of the lowest "
       "final seed (as the title names it) of a few optimizers at their tuned learning rates, "
       "with markers at every tenth of the path: the classics gd, momentum and adam and the "
       "workload's best ranked, six at most (the small multiples show every optimizer). Open "
       "circles are the start points, filled dots the ends, the star a minimizer; the box is "
       "fitted to the paths, and a cross marks where a path leaves it.",
       has_surface, ob_plot_contour);
RECIPE(r_multiples, "multiples", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: small multiples, one panel per optimizer, each over its own box fitted to its "
       "paths with one colour scale for all: every seed's path (the lowest seed thick), the "
       "cloud of start points (open circles) and the ends (dots); what the start and the "
       "noise do to each optimizer.",
       has_surface, ob_plot_multiples);
RECIPE(r_animation, "animation", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: an animation of the contour figure's optimizers' paths (lowest seed) moving "
       "together, a frame per chunk of logged steps up to the step from which no path moves, "
       "with a step counter.",
       has_surface, ob_plot_animation, .file = "figures/animation-%s.gif");
RECIPE(r_surface3d, "surface3d", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: the objective as a surface over the box of the paths (colour and height both show "
       "f - f*), with the contour figure's optimizers' paths (lowest seed) lying on it.",
       has_surface, ob_plot_surface3d);
RECIPE(r_gap_steps, "gap-steps", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: the loss gap f - f* against the number of updates, at each optimizer's tuned "
       "learning rate. Lines are medians over seeds, shaded bands the inter-quartile range; "
       "values below the axis floor are drawn on it. GSL's reference minimizers (dashed) spend "
       "several gradient evaluations per step in their line searches; on a finite sum with "
       "mini-batches, a step of gd is a full pass (N sample gradients) and a step of the others "
       "one mini-batch, so compare them against evaluations (the run files' evals column).",
       has_curves, ob_plot_gap_steps);
RECIPE(r_gap_evals, "gap-evals", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: the same loss gap against the sample-gradient evaluations spent (the cost: a step "
       "of gd is a full pass of the N samples, N evaluations; a step of the others one "
       "mini-batch of B), the comparison across rules on a finite sum with mini-batches. "
       "Medians over seeds, inter-quartile bands.",
       has_curves_batched, ob_plot_gap_evals);
RECIPE(r_gap_seconds, "gap-seconds", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: the same loss gap against optimization time in seconds (gradient and update; "
       "logging excluded), which charges each optimizer for the cost of its steps.",
       has_curves_timed, ob_plot_gap_seconds);
RECIPE(r_gnorm_steps, "gnorm-steps", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: the norm of the full gradient against the number of updates (median over seeds, "
       "inter-quartile band).",
       has_curves, ob_plot_gnorm_steps);
RECIPE(r_lr, "lr", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: learning-rate sensitivity. Each point is one tuning run (seed 0) on the learning-rate "
       "grid: on an analytic workload its tuning score (lower is better), on a network its best "
       "validation accuracy (higher is better). The large circle marks the learning rate tuning "
       "chose, crosses on the worst edge (top for scores, bottom for accuracies) runs that "
       "diverged. A wide, flat valley (a plateau for accuracies) means an optimizer is easy to "
       "tune.",
       has_tuning, ob_plot_lr);
RECIPE(r_tuning_curve, "tuning-curve", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: the expected best result of k random tuning trials against k (Sivaprasad et al. "
       "2020, \"Optimizer benchmarking needs to account for hyperparameter tuning\"): the "
       "smallest tuning score (networks: the largest validation accuracy) of k trials drawn "
       "without replacement from the N each optimizer ran, in expectation, computed exactly "
       "from the N scores. At k = N it is the best trial, the one the final runs use; a "
       "curve that is good already at small k belongs to an optimizer that is easy to tune. "
       "A k at which some k trials could all have diverged has no point.",
       has_tuning_curve, ob_plot_tuning_curve);
RECIPE(r_net_loss, "net-loss", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: training loss (dashed) and validation loss (solid, inter-quartile band shaded) per "
       "epoch, medians over seeds; where the runs logged their steps, the training loss is the "
       "mean mini-batch loss over every few updates. Validation loss rising while training "
       "loss falls is overfitting.",
       has_netcurves, ob_plot_net_loss);
RECIPE(r_net_acc, "net-acc", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: training accuracy (dashed) and validation accuracy (solid, inter-quartile band "
       "shaded) per epoch, medians over seeds.",
       has_netcurves, ob_plot_net_acc);
static int has_generalization(const char *dir, const char *w)
{
    ob_table t;
    char path[4096];
    if (ob_table_read(ob_pathf(path, sizeof path, "%s/generalization.csv", dir), &t, NULL) != OB_OK)
        return 0;
    size_t i;
    int found = ob_rows_where(&t, ob_table_col(&t, "workload"), w, &i, 1) == 1;
    ob_table_free(&t);
    return found;
}
RECIPE(r_generalize, "generalize", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: training against test. For each optimizer, the training accuracy at the last epoch "
       "(open circle) and the test accuracy at the epoch of the best validation accuracy "
       "(filled), medians over seeds with inter-quartile bars; below, the gap between the two "
       "(training minus test, in percentage points). The course's claim that adaptive methods "
       "\"may converge fast and generalize worse\" predicts high open circles and large gaps "
       "for them.",
       has_generalization, ob_plot_generalization);
RECIPE(r_regularization, "regularization", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: no regularization against L1, L2 and dropout (as in the course assignment), one optimizer (named in "
       "the title) at its tuned learning rate on each variant. The gap between the dashed "
       "(training) and solid (validation) lines is the generalization gap that regularization "
       "is meant to shrink.",
       has_variants, ob_plot_regularization);
RECIPE(r_sharpness, "sharpness", OB_SCOPE_WORKLOAD, OB_SECTION_WORKLOAD,
       "%s: the sharpness, the top eigenvalue of the training loss's Hessian (for adam-family "
       "rules of P⁻¹H, P from their second moment), against steps on a log axis, medians over "
       "the seeds' estimates (the title says when only some seeds estimate it, and on how many "
       "training samples), with each optimizer's stability threshold dashed: 2/lr for "
       "gradient descent, (2 + 2μ)/lr for heavy ball, (2 + 2β₁)/((1 − β₁) lr) for Adam "
       "(Cohen et al., 2021 and 2022). A run whose sharpness rises to its threshold and hovers "
       "there is at the edge of stability. The dotted line is the problem's L where it has "
       "one; the loss is beneath.",
       has_sharpness, ob_plot_sharpness);
RECIPE(r_interactive, "interactive", OB_SCOPE_WORKLOAD, OB_SECTION_PAGE,
       "%s: the curve figures (loss gap and gradient norm, or network loss and accuracy) "
       "drawn for the page to explore: buttons switch the quantity and the x axis, a click on "
       "a key entry hides or shows an optimizer, a click in the plot reads the coordinates "
       "under the pointer and lets the wheel zoom.",
       has_any_curves, ob_plot_interactive, .file = "figures/curves-%s.html.gz");
RECIPE(r_schedules, "schedules", OB_SCOPE_SUITE, OB_SECTION_REFERENCE,
       "The learning-rate schedules optbench offers (`--schedule`), as the learning rate used at "
       "each update.",
       has_schedules, ob_plot_schedules);
RECIPE(r_activations, "activations", OB_SCOPE_SUITE, OB_SECTION_REFERENCE,
       "The activation functions of the network workloads and their derivatives, which "
       "backpropagation multiplies into every gradient: where the derivative is near zero, "
       "gradients vanish.",
       has_activations, ob_plot_activations);


/* In report order: within a workload's section its figures appear in this order (an
 * analytic workload has no net-* figures, a network no contour or gap-* figures). */
const ob_plot_recipe *const ob_plot_recipes[] = {
    &r_profiles, &r_ecdf, &r_contour, &r_multiples, &r_animation, &r_surface3d, &r_gap_steps, &r_gap_evals,
    &r_gap_seconds, &r_gnorm_steps, &r_net_loss, &r_net_acc, &r_generalize, &r_lr, &r_tuning_curve,
    &r_sharpness,
    &r_interactive,
    &r_regularization, &r_schedules, &r_activations, NULL,
};

static const ob_plot_recipe *const *const core[] = {ob_plot_recipes, NULL};

const ob_plot_recipe *ob_plot_recipe_find(const ob_plot_recipe *const *const *lists,
                                          const char *name)
{
    for (; lists && *lists; lists++)
        for (const ob_plot_recipe *const *r = *lists; *r; r++)
            if (strcmp((*r)->name, name) == 0) return *r;
    return NULL;
}

/* ---- workloads ---- */

static int add_workload(ob_result_list *l, const char *name, ob_workload_kind kind)
{
    if (!*name || strlen(name) >= sizeof l->v->name) return 0;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0) return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        ob_result_workload *v = realloc(l->v, cap * sizeof *v);
        if (!v) return -1;
        l->v = v, l->cap = cap;
    }
    snprintf(l->v[l->n].name, sizeof l->v->name, "%s", name);
    l->v[l->n++].kind = kind;
    return 0;
}

static int from_table(const char *dir, const char *file, ob_result_list *l)
{
    char path[4096];
    ob_table t;
    if (ob_table_read(ob_pathf(path, sizeof path, "%s/%s", dir, file), &t, NULL) != OB_OK) return 0;
    int wc = ob_table_col(&t, "workload"), kc = ob_table_col(&t, "kind"), rc = 0;
    for (size_t i = 0; wc >= 0 && i < t.rows && rc == 0; i++)
        rc = add_workload(l, ob_table_str(&t, i, wc),
                          strcmp(ob_table_str(&t, i, kc), "network") == 0 ? OB_KIND_NETWORK
                                                                          : OB_KIND_ANALYTIC);
    ob_table_free(&t);
    return rc;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names NAME of the files sub/NAME.csv or NAME.csv.gz (not NAME.meta.csv), sorted. */
static int from_dir(const char *dir, const char *sub, ob_workload_kind kind, ob_result_list *l)
{
    char path[4096], *names[1024];
    size_t n = 0;
    DIR *d = opendir(ob_pathf(path, sizeof path, "%s/%s", dir, sub));
    if (!d) return 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 1024) {
        size_t len = strlen(e->d_name);
        if (len > 7 && strcmp(e->d_name + len - 3, ".gz") == 0) len -= 3; /* gzipped */
        if (len <= 4 || strncmp(e->d_name + len - 4, ".csv", 4) != 0) continue;
        if (len > 9 && strncmp(e->d_name + len - 9, ".meta.csv", 9) == 0) continue;
        if ((names[n] = strdup(e->d_name))) names[n++][len - 4] = '\0';
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_name);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) rc = add_workload(l, names[i], kind);
        free(names[i]);
    }
    return rc;
}

ob_status ob_workloads_find(const char *dir, ob_result_list *out, ob_error *err)
{
    *out = (ob_result_list){0};
    int rc = from_table(dir, "chosen.csv", out);
    if (rc == 0) rc = from_table(dir, "tuning.csv", out);
    if (rc == 0) rc = from_dir(dir, "curves", OB_KIND_ANALYTIC, out);
    if (rc == 0) rc = from_dir(dir, "netcurves", OB_KIND_NETWORK, out);
    if (rc == 0) rc = from_dir(dir, "surfaces", OB_KIND_ANALYTIC, out);
    if (rc != 0) {
        ob_workloads_free(out);
        return ob_fail(err, OB_ENOMEM, "out of memory");
    }
    return OB_OK;
}

void ob_workloads_free(ob_result_list *l)
{
    free(l->v);
    *l = (ob_result_list){0};
}

/* ---- figures ---- */

static int add_figure(ob_figure_list *l, const ob_plot_recipe *r, const char *w)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        ob_figure *v = realloc(l->v, cap * sizeof *v);
        if (!v) return -1;
        l->v = v, l->cap = cap;
    }
    ob_figure *f = &l->v[l->n++];
    *f = (ob_figure){.recipe = r, .status = OB_EIO};
    snprintf(f->workload, sizeof f->workload, "%s", w ? w : "");
    if (w)
        snprintf(f->name, sizeof f->name, "%s-%s", r->name, w);
    else
        snprintf(f->name, sizeof f->name, "%s", r->name);
    if (w && r->file)
        snprintf(f->png, sizeof f->png, r->file, w);
    else
        snprintf(f->png, sizeof f->png, "figures/%s.png", f->name);
    snprintf(f->error, sizeof f->error, "not drawn");
    return 0;
}

ob_status ob_figures_plan(const char *dir, const ob_result_list *w,
                          const ob_plot_recipe *const *const *lists, ob_figure_list *out,
                          ob_error *err)
{
    *out = (ob_figure_list){0};
    int rc = 0;
    if (!lists) lists = core;
    for (; *lists && rc == 0; lists++)
    for (const ob_plot_recipe *const *r = *lists; *r && rc == 0; r++) {
        if ((*r)->scope == OB_SCOPE_SUITE) {
            if ((*r)->applies(dir, NULL)) rc = add_figure(out, *r, NULL);
            continue;
        }
        if ((*r)->instances) {
            char names[256][160];
            size_t n = (*r)->instances(dir, names, 256);
            for (size_t i = 0; i < n && rc == 0; i++)
                if ((*r)->applies(dir, names[i])) rc = add_figure(out, *r, names[i]);
            continue;
        }
        for (size_t i = 0; i < w->n && rc == 0; i++)
            if ((*r)->applies(dir, w->v[i].name)) rc = add_figure(out, *r, w->v[i].name);
    }
    if (rc != 0) {
        ob_figures_free(out);
        return ob_fail(err, OB_ENOMEM, "out of memory");
    }
    return OB_OK;
}

/* 1 when figure f draws the contour lines of its workload's surface */
static int draws_contours(const ob_figure *f)
{
    const char *r = f->recipe->name;
    return f->workload[0] && !strcmp(r, "contour");
}

/* The contour lines of workload w traced once: the first thread to come traces them, any
 * other waits until they are there (*state: 0 not begun, 1 being traced, 2 done).  A
 * thread waits only on one that is tracing, never on a figure: no deadlock. */
static void trace_once(const char *dir, const char *w, int *state)
{
    int mine = 0, st;
#pragma omp critical(ob_contour_state)
    {
        st = *state;
        if (st == 0) *state = mine = 1;
    }
    if (mine) {
        /* a failure: the figures trace and report it */
        if (!ob_interrupted()) ob_plot_contours(dir, w, NULL);
#pragma omp critical(ob_contour_state)
        *state = 2;
        return;
    }
    while (st != 2) {
        nanosleep(&(struct timespec){.tv_nsec = 2000000}, NULL); /* 2 ms */
#pragma omp critical(ob_contour_state)
        st = *state;
    }
}

size_t ob_figures_draw(const char *dir, ob_figure_list *figs, int jobs)
{
    char fdir[4096];
    ob_pathf(fdir, sizeof fdir, "%s/figures", dir);
    size_t failed = 0;
    if (mkdir(fdir, 0777) != 0 && errno != EEXIST) {
        for (size_t i = 0; i < figs->n; i++)
            snprintf(figs->v[i].error, sizeof figs->v[i].error, "cannot create %.300s: %s", fdir,
                     strerror(errno));
        return figs->n;
    }
    if (!ob_gnuplot_available()) {
        for (size_t i = 0; i < figs->n; i++)
            snprintf(figs->v[i].error, sizeof figs->v[i].error,
                     "gnuplot is not installed (no gnuplot on PATH)");
        return figs->n;
    }
    /* a gnuplot that stops reading early must not kill us with SIGPIPE: the write fails,
     * pclose reports the failure, the figure is named as not drawn */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
#ifdef _OPENMP
    if (jobs <= 0) jobs = omp_get_num_procs();
#endif
    if (jobs <= 0) jobs = 1;
    long n = (long)figs->n;
    /* the slowest figures first (an animation draws 40 frames, small multiples a dozen
     * panels), so that no core is left with one of them while the other idles */
    long *order = malloc((figs->n + 1) * sizeof *order), m = 0;
    for (int pass = 0; order && pass < 3; pass++)
        for (long i = 0; i < n; i++) {
            const char *r = figs->v[i].recipe->name;
            int cost = !strcmp(r, "animation") ? 0 : !strcmp(r, "multiples") ? 1 : 2;
            if (cost == pass) order[m++] = i;
        }
    /* the contour lines of each 2-D surface (plots/contours.h), traced once into a cache
     * that lives while the figures are drawn: surf[k] is the first figure of surface k,
     * of[i] the surface of figure i (-1: it draws none) */
    char cache[4096];
    const char *tmpdir = getenv("TMPDIR");
    ob_pathf(cache, sizeof cache, "%s/optbench-contours-XXXXXX",
             tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(cache)) cache[0] = '\0';
    ob_contours_cache(cache[0] ? cache : NULL);
    long *surf = malloc(3 * (figs->n + 1) * sizeof *surf), ns = 0;
    long *of = surf ? surf + n + 1 : NULL;
    int *state = surf ? (int *)(of + n + 1) : NULL;
    for (long i = 0; surf && i < n; i++) {
        const char *w = figs->v[i].workload;
        long k = 0;
        while (k < ns && strcmp(figs->v[surf[k]].workload, w) != 0) k++;
        of[i] = cache[0] && draws_contours(&figs->v[i]) ? k : -1;
        if (of[i] == ns) state[ns] = 0, surf[ns++] = i;
    }
    /* each figure is one gnuplot process; building the script is cheap, so a few
     * processes at a time keep every core busy; the tracings come first (in parallel across surfaces); a figure that needs one
     * waits for it or, when no one has begun it, traces it itself */
#pragma omp parallel for schedule(dynamic) num_threads(jobs) reduction(+ : failed)
    for (long j = 0; j < ns + n; j++) {
        if (j < ns) {
            trace_once(dir, figs->v[surf[j]].workload, &state[j]);
            continue;
        }
        long i = order ? order[j - ns] : j - ns;
        ob_figure *f = &figs->v[i];
        if (surf && of[i] >= 0) trace_once(dir, f->workload, &state[of[i]]);
        char png[4096];
        ob_error e = {{0}};
        ob_pathf(png, sizeof png, "%s/%s", dir, f->png);
        if (ob_interrupted()) /* caught (common/interrupt.h): nothing new begins */
            f->status = ob_fail(&e, OB_INTERRUPTED, "interrupted");
        else
            f->status = f->recipe->draw(dir, f->workload[0] ? f->workload : NULL, png, &e);
        if (f->status == OB_OK)
            f->error[0] = '\0';
        else {
            snprintf(f->error, sizeof f->error, "%s", e.msg[0] ? e.msg : ob_status_name(f->status));
            failed++;
        }
    }
    ob_contours_cache(NULL);
    if (cache[0]) ob_contours_cache_clear(cache);
    free(surf);
    sigaction(SIGPIPE, &old, NULL);
    free(order);
    return failed;
}

void ob_figures_free(ob_figure_list *l)
{
    free(l->v);
    *l = (ob_figure_list){0};
}

void ob_figures_set_format(ob_figure_list *l, const char *format)
{
    if (!format || strcmp(format, "png") == 0) return;
    for (size_t i = 0; i < l->n; i++) {
        char *dot = strrchr(l->v[i].png, '.');
        if (dot && strcmp(dot, ".png") == 0 && strlen(format) <= 4) strcpy(dot + 1, format);
    }
}

const ob_figure *ob_figure_find(const ob_figure_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0) return &l->v[i];
    return NULL;
}
