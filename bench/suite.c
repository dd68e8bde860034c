/* suite.c - the benchmark suites.
 *
 * quick: every optimizer on every analytic problem (deterministic gradients, so that
 *        gd, the GSL reference minimizers and the adaptive rules compete on the same
 *        oracle), 5 seeds, learning rates 1e-5 .. 10 at 3 points a decade; the softmax
 *        and netA networks on Fashion-MNIST for 3 epochs (tuned over 2), 3 seeds, rates
 *        1e-4 .. 1 at 1 a decade (the GSL minimizers sit the networks out).
 * full:  more dimensions and condition numbers, stochastic variants (mini-batches, noisy
 *        gradients), 10 seeds, 4 points a decade; softmax, netA, netB and deep4 (the
 *        course assignment's dropout) for 10 epochs, 5 seeds, rates at 2 a decade, and netA with L1, L2
 *        and dropout for the regularization comparison.
 * Each workload's problem instance is fixed (its data seed is 1); the seeds of the runs
 * move the start point and drive the stochastic oracle. */
#include <string.h>

#include "bench/bench.h"
#include "optimizers/optimizer.h"

const double ob_targets[OB_N_TARGETS] = {1e-1, 1e-3, 1e-6};
const char *const ob_target_names[OB_N_TARGETS] = {"1e-1", "1e-3", "1e-6"};

/* quick and full run every optimizer in the registry, in its order (filled on the first
 * ob_suite_find, so that a rule added by one registry line is benchmarked with no edit
 * here) */
static const char *all_optimizers[OB_OPTIMIZERS_MAX];

#define P(...) ((ob_problem_opts){.seed = 1, __VA_ARGS__})
/* an analytic workload: name, problem, options, steps, noise sigma, mini-batch size */
#define A(name_, problem_, popts_, steps_, noise_, batch_)                                     \
    {.name = name_, .problem = problem_, .popts = popts_, .steps = steps_, .noise = noise_,   \
     .batch = batch_}

static const ob_workload quick_workloads[] = {
    A("saddle", "saddle", P(0), 300, 0, 0),
    A("rosenbrock", "rosenbrock", P(0), 3000, 0, 0),
    A("beale", "beale", P(0), 1000, 0, 0),
    A("rastrigin", "rastrigin", P(0), 500, 0, 0),
    A("quadratic-k100", "quadratic", P(.dim = 10, .kappa = 100), 500, 0, 0),
    A("quadratic-k100-rot", "quadratic", P(.dim = 10, .kappa = 100, .rotate = 1), 500, 0, 0),
    A("quadratic_deep", "quadratic_deep", P(0), 1000, 0, 0),
    A("logreg", "logreg", P(.dim = 10, .samples = 1000), 500, 0, 0),
    A("lsq", "lsq", P(.dim = 10, .samples = 1000, .kappa = 100), 500, 0, 0),
    /* Fashion-MNIST (54k/6k/10k), batch 128, float32 */
    {.name = "softmax", .net = "softmax", .batch = 128, .epochs = 3, .tune_epochs = 2},
    {.name = "netA", .net = "netA", .batch = 128, .epochs = 3, .tune_epochs = 2},
};

static const ob_workload full_workloads[] = {
    A("saddle", "saddle", P(0), 300, 0, 0),
    A("rosenbrock", "rosenbrock", P(0), 5000, 0, 0),
    A("rosenbrock-10", "rosenbrock", P(.dim = 10), 5000, 0, 0),
    A("beale", "beale", P(0), 2000, 0, 0),
    A("rastrigin", "rastrigin", P(0), 1000, 0, 0),
    A("rastrigin-10", "rastrigin", P(.dim = 10), 1000, 0, 0),
    A("quadratic-k100", "quadratic", P(.dim = 10, .kappa = 100), 1000, 0, 0),
    A("quadratic-k100-rot", "quadratic", P(.dim = 10, .kappa = 100, .rotate = 1), 1000, 0, 0),
    A("quadratic-k1e4-rot", "quadratic", P(.dim = 100, .kappa = 1e4, .rotate = 1), 3000, 0, 0),
    A("quadratic-1000-k1000", "quadratic", P(.dim = 1000, .kappa = 1000), 2000, 0, 0),
    A("quadratic_deep", "quadratic_deep", P(0), 2000, 0, 0),
    A("logreg", "logreg", P(.dim = 10, .samples = 1000), 1000, 0, 0),
    A("logreg-separable", "logreg", P(.dim = 10, .samples = 1000, .separable = 1), 1000, 0, 0),
    A("lsq", "lsq", P(.dim = 10, .samples = 1000, .kappa = 100), 1000, 0, 0),
    A("lsq-k1e4", "lsq", P(.dim = 50, .samples = 2000, .kappa = 1e4), 2000, 0, 0),
    /* networks; the course assignment's regularization comparison with adam and momentum */
    {.name = "softmax", .net = "softmax", .batch = 128, .epochs = 10, .tune_epochs = 3},
    {.name = "netA", .net = "netA", .batch = 128, .epochs = 10, .tune_epochs = 3},
    {.name = "netB", .net = "netB", .batch = 128, .epochs = 10, .tune_epochs = 3},
    {.name = "deep4", .net = "deep4", .batch = 128, .epochs = 10, .tune_epochs = 3, .seed_dropout = 1},
    {.name = "netA-l1", .net = "netA", .batch = 128, .epochs = 10, .tune_epochs = 3, .l1 = 1e-5,
     .optimizers = "adam momentum"},
    {.name = "netA-l2", .net = "netA", .batch = 128, .epochs = 10, .tune_epochs = 3, .l2 = 1e-4,
     .optimizers = "adam momentum"},
    {.name = "netA-dropout", .net = "netA", .batch = 128, .epochs = 10, .tune_epochs = 3, .dropout = 0.3,
     .optimizers = "adam momentum"},
    /* stochastic: gd and the GSL minimizers, which need the full gradient, sit out */
    A("quadratic-noise", "quadratic", P(.dim = 10, .kappa = 100), 2000, 1.0, 0),
    A("quadratic_deep-noise", "quadratic_deep", P(0), 2000, 0.6, 0),
    A("logreg-b32", "logreg", P(.dim = 10, .samples = 1000), 2000, 0, 32),
    A("lsq-b32", "lsq", P(.dim = 10, .samples = 1000, .kappa = 100), 2000, 0, 32),
};

/* smoke: a seconds-long end-to-end check of the whole pipeline (used by the tests) */
static const ob_workload smoke_workloads[] = {
    A("saddle", "saddle", P(0), 60, 0, 0),
    A("quadratic-3", "quadratic", P(.dim = 3, .kappa = 10, .rotate = 1), 60, 0, 0),
    A("lsq-b8", "lsq", P(.dim = 3, .samples = 64, .kappa = 10), 60, 0, 8),
    {.name = "softmax-tiny", .net = "softmax", .batch = 128, .epochs = 2, .tune_epochs = 1,
     .popts = {.samples = 2000}, .optimizers = "adam momentum"},
};
static const char *const smoke_optimizers[] = {"gd", "adam", "gsl-bfgs", "momentum"};

#define N(a) (sizeof a / sizeof *a)

static ob_suite suites[] = { /* n_optimizers 0: every registered one (all_optimizers) */
    {"quick", quick_workloads, N(quick_workloads), all_optimizers, 0, 5,
     {-5, 1, 3}, 3, {-4, 0, 1}, 10000, 10},
    {"full", full_workloads, N(full_workloads), all_optimizers, 0, 10,
     {-6, 1, 4}, 5, {-4, 0, 2}, 10000, 10},
    {"smoke", smoke_workloads, N(smoke_workloads), smoke_optimizers, N(smoke_optimizers), 3,
     {-3, 0, 1}, 2, {-3, -2, 1}, 100, 3},
};

const char *const ob_suite_names[] = {"quick", "full", "smoke", NULL};

const ob_suite *ob_suite_find(const char *name)
{
    size_t n = 0;
    for (; ob_optimizer_types[n] && n < OB_OPTIMIZERS_MAX; n++)
        all_optimizers[n] = ob_optimizer_types[n]->name;
    for (size_t i = 0; i < N(suites); i++)
        if (suites[i].optimizers == all_optimizers) suites[i].n_optimizers = n;
    for (size_t i = 0; i < N(suites); i++)
        if (strcmp(suites[i].name, name) == 0) return &suites[i];
    return NULL;
}
