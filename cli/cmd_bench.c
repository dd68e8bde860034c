/* cmd_bench.c - `optbench bench`: the whole benchmark (bench/bench.h): runs, tables,
 * figures and the report. */
#include <errno.h>
#include <getopt.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tables/tables.h"
#include "common/clock.h"
#include "common/outfile.h"
#include "common/interrupt.h"
#include "experiments/experiment.h"
#include "bench/bench.h"
#include "bench/suite_file.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "report/provenance.h"
#include "report/report.h"

enum { O_SUITE = 1, O_PRINT_SUITE, O_JOBS, O_OUT, O_SHARD, O_ONLY, O_LIST, O_QUIET, O_RUN_TIMEOUT,
       O_FORMAT, O_SEEDS, O_FIRST_SEED };

static const ob_cli_option bench_options[] = {
    {"suite", O_SUITE, "NAME|FILE", "quick", "quick: every optimizer on every analytic problem "
     "and two networks; full: more of everything; smoke: a seconds-long check; or a suite "
     "file (INI, docs/suites.md)", 0},
    {"print-suite", O_PRINT_SUITE, NULL, "off", "print the suite's INI text (a file to edit and "
     "run with --suite FILE) and exit", 0},
    {"jobs", O_JOBS, "N", "the number of cores", "parallel processes (the results are the same "
     "for any N)", 0},
    {"out", O_OUT, "DIR", "results", "the results directory", 0},
    {"shard", O_SHARD, "i/n", "0/1", "run only the (workload, optimizer) pairs with index "
     "mod n = i", 0},
    {"only", O_ONLY, "W/O", "all pairs", "run only workload W with optimizer O", 0},
    {"list", O_LIST, NULL, "off", "print one `optbench bench ... --only W/O` line per pair (for "
     "GNU parallel or a Slurm array) and exit", 0},
    {"seeds", O_SEEDS, "N", "the suite's", "final runs per (workload, optimizer), analytic and "
     "network workloads alike (replaces the suite's seeds and net-seeds)", 0},
    {"first-seed", O_FIRST_SEED, "K", "1", "the final runs' seeds are K, K+1, ...; tuning keeps "
     "its seed 0, so two benches that differ only here choose the same rates and their final "
     "runs are independent draws", 0},
    {"quiet", O_QUIET, NULL, "off", "no progress on stderr", 0},
    {"format", O_FORMAT, "png|svg|pdf|tex", "png (or the suite's [figures] format)",
     "the figures' format (pngcairo, svg, pdfcairo; tex: cairolatex, FILE.tex over FILE.pdf); "
     "animations are GIFs", 0},
    {"run-timeout", O_RUN_TIMEOUT, "SECONDS", "600", "a plugin's run past this is killed and "
     "recorded as `timeout` (one that crashes: `crashed`)", 0},
    {NULL, 0, NULL, NULL, NULL, 0},
};

const ob_cli_command ob_bench_command = {
    .name = "bench",
    .synopsis = "[--suite quick|full|smoke|FILE] [--jobs N] [--out DIR] [options]",
    .summary = "the whole benchmark: tuning, runs over random seeds, tables, figures, report",
    .options = bench_options,
    .main = ob_cmd_bench,
    .about = "Each optimizer's learning rate is tuned per workload on a log grid (random seed\n"
             "0), then the chosen rate is rerun with seeds 1..S (--first-seed K --seeds N:\n"
             "K..K+N-1) from moved start points; results are medians with inter-quartile\n"
             "bands.  Runs already complete in DIR are skipped (resume after an interrupt);\n"
             "the tables, figures and report are rebuilt from all the runs in DIR.\n",
};

typedef struct {
    int help, list, print;
    const char *format; /* --format: the figures' (NULL: png) */
    ob_bench_config c;
    ob_suite *file_suite; /* a suite read from a file (owned), or NULL */
    int seeds;            /* --seeds (0: the suite's) */
    ob_suite with_seeds;  /* the suite with --seeds in place of its seeds and net-seeds */
} bench_args;

/* one of bench's options into a */
static ob_status take(bench_args *a, const ob_cli_arg *o, ob_error *e)
{
    ob_bench_config *c = &a->c;
    long v;
    int i, n, k, used = 0;
    switch (o->id) {
    case O_SUITE: /* a built-in's name, else a file */
        ob_suite_free(a->file_suite);
        a->file_suite = NULL;
        if ((c->suite = ob_suite_find(o->arg)) != NULL) return OB_OK;
        if (ob_suite_load(o->arg, &a->file_suite, e) != OB_OK) return OB_EINVAL;
        c->suite = a->file_suite;
        return OB_OK;
    case O_PRINT_SUITE: a->print = 1; return OB_OK;
    case O_JOBS:
        if (ob_parse_long("--jobs", o->arg, 1, 1024, &v, e)) return OB_EINVAL;
        c->jobs = (int)v;
        return OB_OK;
    case O_OUT: c->out = o->arg; return OB_OK;
    case O_SHARD:
        if (sscanf(o->arg, "%d/%d%n", &i, &n, &used) != 2 || o->arg[used] || n < 1 || i < 0 ||
            i >= n)
            return ob_fail(e, OB_EINVAL, "--shard takes i/n with 0 <= i < n, got '%s'", o->arg);
        c->shard_i = i, c->shard_n = n;
        return OB_OK;
    case O_ONLY:
        if (!strchr(o->arg, '/'))
            return ob_fail(e, OB_EINVAL, "--only takes WORKLOAD/OPTIMIZER, got '%s'", o->arg);
        c->only = o->arg;
        return OB_OK;
    case O_LIST: a->list = 1; return OB_OK;
    case O_FORMAT:
        if (ob_parse_word("--format", o->arg, ob_figure_formats, &k, e)) return OB_EINVAL;
        a->format = ob_figure_formats[k];
        return OB_OK;
    case O_SEEDS:
        if (ob_parse_long("--seeds", o->arg, 1, 10000, &v, e)) return OB_EINVAL;
        a->seeds = (int)v;
        return OB_OK;
    case O_FIRST_SEED: /* a seed's runs are named seed-K: K + N - 1 stays an int */
        if (ob_parse_long("--first-seed", o->arg, 1, 1000000000, &v, e)) return OB_EINVAL;
        c->first_seed = (int)v;
        return OB_OK;
    case O_QUIET: c->progress = 0; return OB_OK;
    case O_RUN_TIMEOUT:
        return ob_parse_min("--run-timeout", o->arg, 0, 1, &c->run_timeout, e);
    }
    return ob_fail(e, OB_EINVAL, "internal: bench option --%s is not handled", o->name);
}

static ob_status bench_parse(int argc, char **argv, bench_args *a, ob_error *e)
{
    memset(a, 0, sizeof *a);
    a->c = (ob_bench_config){.suite = ob_suite_find("quick"), .out = "results",
                             .jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), .shard_n = 1,
                             .progress = 1}; /* a bar on a terminal, plain lines elsewhere */
    ob_cli_parser p;
    ob_cli_arg o;
    int r;
    ob_cli_begin(&p, &ob_bench_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, e)) == 1) {
        if (o.id == OB_CLI_HELP) return a->help = 1, OB_OK;
        if (take(a, &o, e) != OB_OK) return OB_EINVAL;
    }
    if (r < 0) return OB_EINVAL;
    if (a->seeds) { /* the suite as given, with its seeds replaced (the text stays as read) */
        a->with_seeds = *a->c.suite;
        a->with_seeds.seeds = a->with_seeds.net_seeds = a->seeds;
        a->c.suite = &a->with_seeds;
    }
    if (ob_bench_check_only(&a->c, e) != OB_OK) return OB_EINVAL;
    return ob_cli_operands(&p, 0, 0, NULL, NULL, e);
}

/* one suite per directory: the tables aggregate every run in it */
static int claim_directory(const ob_bench_config *c)
{
    ob_error e = {{0}};
    if (ob_mkdirs(c->out, &e) != OB_OK) {
        fprintf(stderr, "optbench bench: --out %s: %s\n", c->out, e.msg);
        return 2;
    }
    if (access(c->out, W_OK) != 0) {
        fprintf(stderr, "optbench bench: cannot write the results directory %s\n", c->out);
        return 2;
    }
    char mark[4200], prev[64] = "";
    snprintf(mark, sizeof mark, "%s/suite.txt", c->out);
    FILE *mf = fopen(mark, "r");
    if (mf) {
        if (!fgets(prev, sizeof prev, mf)) prev[0] = '\0';
        fclose(mf);
        prev[strcspn(prev, "\n")] = '\0';
        if (prev[0] && strcmp(prev, c->suite->name) != 0) {
            fprintf(stderr, "optbench bench: %s holds the %s suite's runs; use another --out for "
                    "the %s suite (or remove %s)\n", c->out, prev, c->suite->name, c->out);
            return 2;
        }
    } else { /* written whole or not at all: parts started side by side read it */
        ob_outfile o;
        if (ob_outfile_open(&o, mark, &e) != OB_OK) {
            fprintf(stderr, "optbench bench: %s\n", e.msg);
            return 2;
        }
        fprintf(o.fp, "%s\n", c->suite->name);
        if (ob_outfile_commit(&o, &e) != OB_OK) {
            fprintf(stderr, "optbench bench: %s\n", e.msg);
            return 2;
        }
    }
    return 0;
}

/* The experiments that run beside the runs (the SGD-rate experiment: serial, a seventh of
 * the quick suite's time, netA's most of it): with --jobs 2 or more in a process of their
 * own beside the runs' pool, on one thread, instead of after it.  Their results do not
 * depend on when or where they run.  Returns its pid, 0 when they are to run here after
 * the runs, -1 when they are not to run. */
static pid_t rate_start(const ob_bench_config *c)
{
    if (c->only || c->shard_n != 1) return -1;
    if (c->jobs <= 1) return 0;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* an interrupt stops the runs; this process finishes its files (they are written
         * atomically, and a killed writer would leave its temporary file behind) */
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        omp_set_num_threads(1); /* the pool's workers have the cores */
        ob_error e = {{0}};
        ob_status s = ob_experiments_bench(c, OB_EXP_BESIDE_RUNS, &e);
        if (s != OB_OK) fprintf(stderr, "\noptbench bench: %s\n", e.msg);
        _exit(s == OB_OK ? 0 : ob_exit_code(s));
    }
    return pid < 0 ? 0 : pid; /* no fork: here, after the runs */
}

/* waits for the rate process started beside the runs (s: the runs' status) */
static ob_status rate_finish(const ob_bench_config *c, pid_t pid, ob_status s, ob_error *e)
{
    if (pid < 0) return s;
    if (pid == 0) return s == OB_OK ? ob_experiments_bench(c, OB_EXP_BESIDE_RUNS, e) : s;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return s == OB_OK ? ob_fail(e, OB_EIO, "waitpid: %s", strerror(errno)) : s;
    if (s != OB_OK) return s;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return ob_fail(e, OB_EIO, "an experiment beside the runs failed (see above)");
    return OB_OK;
}

/* 1 (and *s an OB_INTERRUPTED error) when an interrupt came: the next stage does not start */
static int stopped(ob_status *s, ob_error *e)
{
    if (!ob_interrupted()) return 0;
    *s = ob_fail(e, OB_INTERRUPTED, "interrupted; run the same command again to resume");
    return 1;
}

/* the end of a part of the work (--only, --shard i/n with n > 1): its runs only.  Parts
 * run side by side in one directory (docs/cluster.md: GNU parallel and Slurm), so a
 * part writes nothing that another part writes too: the tables, optbench.json, the figures
 * and the report come from one `optbench bench` without them, once every part is done. */
static int part_done(const ob_bench_config *c, ob_status s, ob_error *e, double seconds)
{
    if (s == OB_OK) stopped(&s, e);
    ob_interrupt_release();
    if (s != OB_OK) {
        fprintf(stderr, "%soptbench bench: %s\n", s == OB_INTERRUPTED ? "\n" : "", e->msg);
        return s == OB_INTERRUPTED ? 130 : ob_exit_code(s);
    }
    char part[64];
    if (c->only) snprintf(part, sizeof part, "%s", c->only);
    else snprintf(part, sizeof part, "shard %d/%d", c->shard_i, c->shard_n);
    printf("optbench bench: %s of suite %s done in %.1f s; when every part is done, "
           "`optbench bench --suite %s --out %s` writes the tables, figures and report\n",
           part, c->suite->name, seconds, c->suite->source, c->out);
    return 0;
}

/* the runs, the tables, optbench.json (written before the report, which reads it, and
 * again after, with the figures in its file list and the end time), the figures (in
 * format: png, svg or pdf; NULL: png) and the report */
static int bench_main(const ob_bench_config *cp, const char *format, int argc, char **argv)
{
    char *cl[256] = {"optbench"}; /* the command line as typed, from "optbench" on */
    for (int i = 0; i < argc && i < 255; i++) cl[i + 1] = argv[i];
    ob_provenance_run pr = {.argc = argc < 255 ? argc + 1 : 256, .argv = cl, .config = cp,
                            .started = time(NULL)};
    ob_bench_config c = *cp;
    ob_error e = {{0}};
    ob_interrupt_catch(); /* an interrupt at any stage: status 130, no half file */
    int rc = claim_directory(&c);
    if (rc) {
        ob_interrupt_release();
        return rc;
    }
    ob_blas_threads(1);
    double t0 = ob_clock_now();
    ob_status s = ob_bench_write_inputs(&c, &e);
    pid_t rate = s == OB_OK ? rate_start(&c) : -1;
    if (s == OB_OK) s = ob_bench_run(&c, &e);
    s = rate_finish(&c, rate, s, &e);
    double t1 = ob_clock_now();
    if (c.only || c.shard_n != 1) return part_done(&c, s, &e, t1 - t0);
    if (s == OB_OK && !stopped(&s, &e)) s = ob_bench_timing(&c, &e); /* the machine to itself */
    if (s == OB_OK && !stopped(&s, &e)) s = ob_tables_aggregate(c.out, &e);
    double t2 = ob_clock_now();
    if (s == OB_OK) s = ob_experiments_bench(&c, OB_EXP_AFTER_TABLES, &e);
    if (s == OB_OK) s = ob_machine_csv_write(c.out, &c, t1 - t0, t2 - t1, &e);
    if (s == OB_OK && (pr.finished = time(NULL))) s = ob_provenance_write(c.out, &pr, &e);
    ob_fig_options fig = c.suite->figures; /* the suite's [figures]; --format wins */
    if (format) ob_fig_parse_format("--format", format, &fig, &e);
    else if (*fig.format) format = fig.format;
    ob_fig_options_set(&fig);
    ob_render_opts ro = {.jobs = c.jobs, .quiet = !c.progress, .format = format};
    if (s == OB_OK && !stopped(&s, &e)) s = ob_experiments_render(c.out, &ro, &e); /* figures, report */
    if (s == OB_OK && (pr.finished = time(NULL))) s = ob_provenance_write(c.out, &pr, &e);
    /* a figure's gnuplot, in the terminal's process group, dies of the interrupt too */
    if (ob_interrupted() && s != OB_INTERRUPTED)
        s = ob_fail(&e, OB_INTERRUPTED, "interrupted; run the same command again to resume");
    ob_interrupt_release();
    if (s != OB_OK) {
        fprintf(stderr, "%soptbench bench: %s\n", s == OB_INTERRUPTED ? "\n" : "", e.msg);
        return s == OB_INTERRUPTED ? 130 : ob_exit_code(s);
    }
    printf("optbench bench: suite %s done in %.1f s (runs %.1f s, tables %.1f s, %zu figures "
           "%.1f s); report: %s/report.md, %s/index.html\n",
           c.suite->name, ob_clock_now() - t0, t1 - t0, t2 - t1, ro.figures - ro.not_drawn, ro.seconds,
           c.out, c.out);
    return 0;
}

int ob_cmd_bench(int argc, char **argv)
{
    static bench_args a;
    ob_error e = {{0}};
    if (bench_parse(argc, argv, &a, &e) != OB_OK) {
        ob_suite_free(a.file_suite);
        return ob_cli_bad("bench", &e);
    }
    if (a.help || a.print || a.list) {
        if (a.help) ob_cli_help(stdout, &ob_bench_command);
        else if (a.print) fputs(a.c.suite->text, stdout);
        else ob_bench_list(&a.c, "optbench");
        ob_suite_free(a.file_suite);
        return 0;
    }
    /* the figures' size must fit their format (--format over the suite's [figures]):
     * refused now, not after the runs */
    ob_fig_options fig = a.c.suite->figures;
    if (a.format) ob_fig_parse_format("--format", a.format, &fig, &e);
    if (ob_fig_check("[figures] size", &fig, &e) != OB_OK) {
        ob_suite_free(a.file_suite);
        return ob_cli_bad("bench", &e);
    }
    int rc = bench_main(&a.c, a.format, argc, argv);
    ob_suite_free(a.file_suite);
    return rc;
}
