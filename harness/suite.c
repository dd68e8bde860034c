/* suite.c - the benchmark suites.
 *
 * quick: every optimizer on every analytic problem (deterministic gradients, so that
 *        gd, the GSL reference minimizers and the adaptive rules compete on the same
 *        oracle), 5 seeds, learning rates 1e-5 .. 10 at 3 points a decade.
 * full:  more dimensions and condition numbers, stochastic variants (mini-batches, noisy
 *        gradients), 10 seeds, 4 points a decade.
 * Each workload's problem instance is fixed (its data seed is 1); the seeds of the runs
 * move the start point and drive the stochastic oracle. */
#include <string.h>

#include "harness/bench.h"

const double ob_targets[OB_N_TARGETS] = {1e-1, 1e-3, 1e-6};
const char *const ob_target_names[OB_N_TARGETS] = {"1e-1", "1e-3", "1e-6"};

static const char *const all_optimizers[] = {
    "gd", "sgd", "momentum", "nag", "rprop", "adagrad", "rmsprop", "adam", "gsl-bfgs", "gsl-cg",
};

#define P(...) ((ob_problem_opts){.seed = 1, __VA_ARGS__})

static const ob_workload quick_workloads[] = {
    {"saddle", "saddle", P(0), 300, 0, 0},
    {"rosenbrock", "rosenbrock", P(0), 3000, 0, 0},
    {"beale", "beale", P(0), 1000, 0, 0},
    {"rastrigin", "rastrigin", P(0), 500, 0, 0},
    {"quadratic-k100", "quadratic", P(.dim = 10, .kappa = 100), 500, 0, 0},
    {"quadratic-k100-rot", "quadratic", P(.dim = 10, .kappa = 100, .rotate = 1), 500, 0, 0},
    {"quadratic_deep", "quadratic_deep", P(0), 1000, 0, 0},
    {"logreg", "logreg", P(.dim = 10, .samples = 1000), 500, 0, 0},
    {"lsq", "lsq", P(.dim = 10, .samples = 1000, .kappa = 100), 500, 0, 0},
};

static const ob_workload full_workloads[] = {
    {"saddle", "saddle", P(0), 300, 0, 0},
    {"rosenbrock", "rosenbrock", P(0), 5000, 0, 0},
    {"rosenbrock-10", "rosenbrock", P(.dim = 10), 5000, 0, 0},
    {"beale", "beale", P(0), 2000, 0, 0},
    {"rastrigin", "rastrigin", P(0), 1000, 0, 0},
    {"rastrigin-10", "rastrigin", P(.dim = 10), 1000, 0, 0},
    {"quadratic-k100", "quadratic", P(.dim = 10, .kappa = 100), 1000, 0, 0},
    {"quadratic-k100-rot", "quadratic", P(.dim = 10, .kappa = 100, .rotate = 1), 1000, 0, 0},
    {"quadratic-k1e4-rot", "quadratic", P(.dim = 100, .kappa = 1e4, .rotate = 1), 3000, 0, 0},
    {"quadratic-1000-k1000", "quadratic", P(.dim = 1000, .kappa = 1000), 2000, 0, 0},
    {"quadratic_deep", "quadratic_deep", P(0), 2000, 0, 0},
    {"logreg", "logreg", P(.dim = 10, .samples = 1000), 1000, 0, 0},
    {"logreg-separable", "logreg", P(.dim = 10, .samples = 1000, .separable = 1), 1000, 0, 0},
    {"lsq", "lsq", P(.dim = 10, .samples = 1000, .kappa = 100), 1000, 0, 0},
    {"lsq-k1e4", "lsq", P(.dim = 50, .samples = 2000, .kappa = 1e4), 2000, 0, 0},
    /* stochastic: gd and the GSL minimizers, which need the full gradient, sit out */
    {"quadratic-noise", "quadratic", P(.dim = 10, .kappa = 100), 2000, 1.0, 0},
    {"quadratic_deep-noise", "quadratic_deep", P(0), 2000, 0.6, 0},
    {"logreg-b32", "logreg", P(.dim = 10, .samples = 1000), 2000, 0, 32},
    {"lsq-b32", "lsq", P(.dim = 10, .samples = 1000, .kappa = 100), 2000, 0, 32},
};

/* smoke: a seconds-long end-to-end check of the whole pipeline (used by the tests) */
static const ob_workload smoke_workloads[] = {
    {"saddle", "saddle", P(0), 60, 0, 0},
    {"quadratic-3", "quadratic", P(.dim = 3, .kappa = 10, .rotate = 1), 60, 0, 0},
    {"lsq-b8", "lsq", P(.dim = 3, .samples = 64, .kappa = 10), 60, 0, 8},
};
static const char *const smoke_optimizers[] = {"gd", "adam", "gsl-bfgs", "momentum"};

#define N(a) (sizeof a / sizeof *a)

static const ob_suite suites[] = {
    {"quick", quick_workloads, N(quick_workloads), all_optimizers, N(all_optimizers), 5,
     {-5, 1, 3}},
    {"full", full_workloads, N(full_workloads), all_optimizers, N(all_optimizers), 10,
     {-6, 1, 4}},
    {"smoke", smoke_workloads, N(smoke_workloads), smoke_optimizers, N(smoke_optimizers), 3,
     {-3, 0, 1}},
};

const char *const ob_suite_names[] = {"quick", "full", "smoke", NULL};

const ob_suite *ob_suite_find(const char *name)
{
    for (size_t i = 0; i < N(suites); i++)
        if (strcmp(suites[i].name, name) == 0) return &suites[i];
    return NULL;
}
