/* cmd_bench.c - `optbench bench`: the whole benchmark (bench/bench.h): runs, tables,
 * figures and the report. */
#include <getopt.h>
#include <gsl/gsl_version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/csvout.h"
#include "bench/bench.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "report/report.h"

static const char bench_usage[] =
    "usage: optbench bench [--suite quick|full] [--jobs N] [--out DIR] [options]\n"
    "\n"
    "  --suite quick       every optimizer on every analytic problem, 5 seeds (default)\n"
    "          full        more dimensions and condition numbers, stochastic variants,\n"
    "                      10 seeds, a finer learning-rate grid\n"
    "          smoke       a seconds-long check of the whole pipeline\n"
    "  --jobs N            parallel processes (default: the number of cores); the results\n"
    "                      are the same for any N\n"
    "  --out DIR           the results directory (default results)\n"
    "  --shard i/n         run only the (workload, optimizer) pairs with index %% n == i\n"
    "  --only W/O          run only workload W with optimizer O\n"
    "  --list              print one `optbench bench ... --only W/O` line per pair (for GNU\n"
    "                      parallel or a Slurm array) and exit\n"
    "  --quiet             no progress bar\n"
    "\n"
    "Each optimizer's learning rate is tuned per workload on a log grid (seed 0), then the\n"
    "chosen rate is rerun with seeds 1..S from moved start points; results are medians with\n"
    "inter-quartile bands.  Runs already complete in DIR are skipped (resume after an\n"
    "interrupt); the tables, figures and report are rebuilt from all the runs in DIR.\n";

enum { O_SUITE = 256, O_JOBS, O_OUT, O_SHARD, O_ONLY, O_LIST, O_QUIET, O_HELP };

static const struct option bench_options[] = {
    {"suite", required_argument, 0, O_SUITE}, {"jobs", required_argument, 0, O_JOBS},
    {"out", required_argument, 0, O_OUT},     {"shard", required_argument, 0, O_SHARD},
    {"only", required_argument, 0, O_ONLY},   {"list", no_argument, 0, O_LIST},
    {"quiet", no_argument, 0, O_QUIET},       {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0},
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

extern char *openblas_get_config(void);

static void cpu_model(char *buf, size_t cap)
{
    snprintf(buf, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            char *v = strchr(line, ':');
            if (v) {
                v += 2;
                v[strcspn(v, "\n")] = '\0';
                snprintf(buf, cap, "%s", v);
            }
            break;
        }
    fclose(f);
}

static ob_status write_machine(const char *out, const ob_suite *S, int jobs, double t_runs,
                               double t_tables, ob_error *err)
{
    char path[4096], cpu[256], date[64], num[64];
    snprintf(path, sizeof path, "%s/machine.csv", out);
    cpu_model(cpu, sizeof cpu);
    time_t t = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&t));
    ob_csv w;
    ob_status s = ob_csv_open(&w, path, err);
    if (s != OB_OK) return s;
    ob_csv_text(&w, "key");
    ob_csv_text(&w, "value");
    ob_csv_end_row(&w);
    char seeds[64], criterion[512];
    snprintf(seeds, sizeof seeds, "%d (analytic), %d (networks)", S->seeds, S->net_seeds);
    snprintf(criterion, sizeof criterion,
             "lowest median gap f - f* over the last 10%% of the logged steps of the tuning run "
             "(networks: highest best validation accuracy); a diverged run ranks last; ties go "
             "to the run that reached 1e-6 of the start gap first, then to the smaller rate");
    const char *suite = S->name;
    const char *kv[][2] = {
        {"cpu", cpu},
        {"cores", NULL},
        {"compiler", "gcc " __VERSION__},
        {"gsl", GSL_VERSION},
        {"openblas", openblas_get_config()},
        {"date", date},
        {"suite", suite},
        {"seeds", seeds},
        {"tuning_criterion", criterion},
        {"jobs", NULL},
        {"seconds_runs", NULL},
        {"seconds_tables", NULL},
    };
    for (size_t i = 0; i < sizeof kv / sizeof *kv; i++) {
        const char *v = kv[i][1];
        if (!v) {
            if (i == 1) snprintf(num, sizeof num, "%ld", sysconf(_SC_NPROCESSORS_ONLN));
            else if (i == 9) snprintf(num, sizeof num, "%d", jobs);
            else snprintf(num, sizeof num, "%.2f", i == 10 ? t_runs : t_tables);
            v = num;
        }
        ob_csv_text(&w, kv[i][0]);
        ob_csv_text(&w, v);
        ob_csv_end_row(&w);
    }
    return ob_csv_commit(&w, err);
}

int ob_cmd_bench(int argc, char **argv)
{
    ob_bench_config c = {.suite = ob_suite_find("quick"), .out = "results",
                         .jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), .shard_n = 1,
                         .progress = 1};
    int list = 0, ch;
    long v;
    ob_error e = {{0}};
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", bench_options, NULL)) != -1) {
        switch (ch) {
        case O_HELP: fputs(bench_usage, stdout); return 0;
        case O_SUITE:
            if (!(c.suite = ob_suite_find(optarg))) {
                ob_fail(&e, OB_EINVAL, "unknown suite '%s' (accepted: quick, full, smoke)", optarg);
                goto usage;
            }
            break;
        case O_JOBS:
            if (ob_parse_long("--jobs", optarg, 1, 1024, &v, &e)) goto usage;
            c.jobs = (int)v;
            break;
        case O_OUT: c.out = optarg; break;
        case O_SHARD: {
            int i, n, used = 0;
            if (sscanf(optarg, "%d/%d%n", &i, &n, &used) != 2 || optarg[used] || n < 1 || i < 0 ||
                i >= n) {
                ob_fail(&e, OB_EINVAL, "--shard takes i/n with 0 <= i < n, got '%s'", optarg);
                goto usage;
            }
            c.shard_i = i, c.shard_n = n;
            break;
        }
        case O_ONLY:
            if (!strchr(optarg, '/')) {
                ob_fail(&e, OB_EINVAL, "--only takes WORKLOAD/OPTIMIZER, got '%s'", optarg);
                goto usage;
            }
            c.only = optarg;
            break;
        case O_LIST: list = 1; break;
        case O_QUIET: c.progress = 0; break;
        default:
            if (optopt >= 256) ob_fail(&e, OB_EINVAL, "option --%s needs a value or takes none (see optbench bench --help)",
                                ob_option_name(bench_options, optopt));
            else if (optopt) ob_fail(&e, OB_EINVAL, "unknown option '-%c' (see optbench bench --help)", optopt);
            else ob_fail(&e, OB_EINVAL, "unknown option '%s' (see optbench bench --help)", argv[optind - 1]);
            goto usage;
        }
    }
    if (optind < argc) {
        ob_fail(&e, OB_EINVAL, "unexpected argument '%s' (see optbench bench --help)", argv[optind]);
        goto usage;
    }
    if (list) {
        ob_bench_list(&c, "optbench");
        return 0;
    }
    if (mkdir(c.out, 0777) != 0 && access(c.out, W_OK) != 0) {
        fprintf(stderr, "optbench bench: cannot write the results directory %s\n", c.out);
        return 2;
    }
    /* one suite per directory: the tables aggregate every run in it */
    char mark[4200], prev[64] = "";
    snprintf(mark, sizeof mark, "%s/suite.txt", c.out);
    FILE *mf = fopen(mark, "r");
    if (mf) {
        if (!fgets(prev, sizeof prev, mf)) prev[0] = '\0';
        fclose(mf);
        prev[strcspn(prev, "\n")] = '\0';
        if (prev[0] && strcmp(prev, c.suite->name) != 0) {
            fprintf(stderr, "optbench bench: %s holds the %s suite's runs; use another --out for "
                    "the %s suite (or remove %s)\n", c.out, prev, c.suite->name, c.out);
            return 2;
        }
    } else if ((mf = fopen(mark, "w")) != NULL) {
        fprintf(mf, "%s\n", c.suite->name);
        fclose(mf);
    }
    ob_blas_threads(1);
    double t0 = now();
    ob_status s = ob_bench_write_inputs(&c, &e);
    if (s == OB_OK) s = ob_bench_run(&c, &e);
    if (s == OB_OK && !c.only && c.shard_n == 1) s = ob_bench_rate(&c, &e);
    double t1 = now();
    if (s == OB_OK) s = ob_bench_aggregate(c.out, &e);
    double t2 = now();
    if (s == OB_OK) s = write_machine(c.out, c.suite, c.jobs, t1 - t0, t2 - t1, &e);
    ob_render_opts ro = {.jobs = c.jobs, .quiet = !c.progress};
    if (s == OB_OK) s = ob_render_results(c.out, &ro, &e); /* figures and the report */
    if (s != OB_OK) {
        fprintf(stderr, "%soptbench bench: %s\n", s == OB_INTERRUPTED ? "\n" : "", e.msg);
        return s == OB_INTERRUPTED ? 130 : ob_exit_code(s);
    }
    printf("optbench bench: suite %s done in %.1f s (runs %.1f s, tables %.1f s, %zu figures "
           "%.1f s); report: %s/report.md, %s/index.html\n",
           c.suite->name, now() - t0, t1 - t0, t2 - t1, ro.figures - ro.not_drawn, ro.seconds,
           c.out, c.out);
    return 0;
usage:
    fprintf(stderr, "optbench bench: %s\n", e.msg);
    return 2;
}
