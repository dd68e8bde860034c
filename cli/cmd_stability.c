/* cmd_stability.c - `optbench stability`: the edge-of-stability experiment of Cohen et al.
 * (ICLR 2021) on a Fashion-MNIST subset and on the ill-conditioned quadratic
 * (bench/stability.h).  Parse, run, print. */
#include <stdio.h>
#include <string.h>

#include "experiments/stability/stability.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "common/outfile.h"

enum { S_OUT = 1, S_STEPS, S_SUBSET, S_SEED, S_SMOKE, S_HIDDEN, S_EVERY, S_QUIET };

static const ob_cli_option stability_options[] = {
    {"out", S_OUT, "DIR", "stability", "the results directory", 0},
    {"steps", S_STEPS, "N", "400 (smoke: 30)", "full-batch updates of each network run", 0},
    {"subset", S_SUBSET, "N", "1000 (smoke: 100)",
     "the first N Fashion-MNIST training samples", 0},
    {"hidden", S_HIDDEN, "H", "64 (smoke: 8)", "tanh units of each hidden layer: 784-H-H-10", 0},
    {"sharpness-every", S_EVERY, "K", "20 (smoke: 5)", "a sharpness estimate every K updates", 0},
    {"seed", S_SEED, "S", "1", "random seed: the network's initialization", 0},
    {"smoke", S_SMOKE, NULL, "off", "a seconds-long version (the tests run it)", 0},
    {"quiet", S_QUIET, NULL, "off", "no progress lines, no summary", 0},
    {NULL, 0, NULL, NULL, NULL, 0},
};

const ob_cli_command ob_stability_command = {
    .name = "stability",
    .synopsis = "[--out DIR] [--steps N] [--subset N] [--smoke] [options]",
    .summary = "the edge-of-stability experiment (Cohen et al. 2021)",
    .options = stability_options,
    .main = ob_cmd_stability,
    .about = "Full-batch gd at lr 0.3, 0.25, 0.2, heavy ball (mu 0.9) at 0.3 and Adam at\n"
             "0.005 on a 784-H-H-10 tanh network (cross-entropy, centred inputs), the sharpness\n"
             "every K updates against 2/lr, (2+2mu)/lr and Adam's 38/lr on P^-1 H; and gd on a\n"
             "20-dimensional quadratic with kappa 100 at 0.95 and 1.05 times 2/kappa.  Writes\n"
             "DIR/runs/,\n"
             "DIR/quadratic/, DIR/stability.csv and .md (per run the median ratio\n"
             "sharpness/threshold over its second half) and DIR/stability.png.\n",
};

typedef struct {
    int help, quiet, smoke;
    long steps, subset, hidden, every, seed; /* -1: the default */
    const char *out;
} stab_args;

static ob_status take(stab_args *a, const ob_cli_arg *o, ob_error *e)
{
    switch (o->id) {
    case S_OUT: a->out = o->arg; return OB_OK;
    case S_STEPS: return ob_parse_long("--steps", o->arg, 1, 100000000L, &a->steps, e);
    case S_SUBSET: return ob_parse_long("--subset", o->arg, 10, 54000, &a->subset, e);
    case S_HIDDEN: return ob_parse_long("--hidden", o->arg, 1, 100000, &a->hidden, e);
    case S_EVERY: return ob_parse_long("--sharpness-every", o->arg, 1, 100000000L, &a->every, e);
    case S_SEED: return ob_parse_long("--seed", o->arg, 0, 2147483647L, &a->seed, e);
    case S_SMOKE: a->smoke = 1; return OB_OK;
    case S_QUIET: a->quiet = 1; return OB_OK;
    }
    return ob_fail(e, OB_EINVAL, "internal: stability option --%s is not handled", o->name);
}

static ob_status stab_parse(int argc, char **argv, stab_args *a, ob_error *e)
{
    *a = (stab_args){.steps = -1, .subset = -1, .hidden = -1, .every = -1, .seed = -1};
    ob_cli_parser p;
    ob_cli_arg o;
    int r;
    ob_cli_begin(&p, &ob_stability_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, e)) == 1) {
        if (o.id == OB_CLI_HELP) return a->help = 1, OB_OK;
        if (o.id <= 0) return ob_fail(e, OB_EINVAL, "--%s does not apply to stability", o.name);
        if (take(a, &o, e) != OB_OK) return OB_EINVAL;
    }
    if (r < 0 || ob_cli_operands(&p, 0, 0, NULL, NULL, e)) return OB_EINVAL;
    return OB_OK;
}

int ob_cmd_stability(int argc, char **argv)
{
    stab_args a;
    ob_error e = {{0}};
    if (stab_parse(argc, argv, &a, &e) != OB_OK) return ob_cli_bad("stability", &e);
    if (a.help) return ob_cli_help(stdout, &ob_stability_command), 0;
    ob_stability_config c;
    ob_stability_defaults(&c, a.smoke);
    if (a.out) c.out = a.out;
    if (a.steps > 0) c.steps = a.steps;
    if (a.subset > 0) c.subset = (size_t)a.subset;
    if (a.hidden > 0) c.hidden = (size_t)a.hidden;
    if (a.every > 0) c.sharpness_every = a.every;
    if (a.seed >= 0) c.seed = (unsigned long)a.seed;
    c.progress = !a.quiet;
    ob_status st = ob_mkdirs(c.out, &e); /* before minutes of runs, not after */
    if (st != OB_OK) {
        fprintf(stderr, "optbench stability: --out %s: %s\n", c.out, e.msg);
        return 2;
    }
    st = ob_stability_run(&c, &e);
    if (st != OB_OK) {
        fprintf(stderr, "optbench stability: %s\n", e.msg);
        return ob_exit_code(st);
    }
    if (!a.quiet) printf("stability: %s/stability.csv, %s/stability.md, %s/stability.png\n",
                         c.out, c.out, c.out);
    return 0;
}
