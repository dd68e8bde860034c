/* provenance.c - see provenance.h.  cJSON (Debian libcjson-dev) builds and parses the
 * file; numbers are written as cJSON prints doubles (17 significant digits when needed,
 * so they read back equal). */
#include "report/provenance.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <gsl/gsl_version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/tuning.h"
#include "common/csvout.h"
#include "common/version.h"
#include "report/doc.h"

extern char *openblas_get_config(void);

/* What each entry of a results directory holds (results/README.md); an entry not listed
 * here is described as "see results/README.md". */
static const char *const holds[][2] = {
    {"runs", "every run: runs/W/O/summaries.csv (one summary row per run, tune-LR for "
             "tuning, seed-S for the final runs), seed-S.csv.gz or seed-S.csv (the final "
             "runs' trajectories; networks also tune-LR.csv); a network's seed-1.interp.csv "
             "(loss from theta_0 to theta_T)"},
    {"tuning.csv", "every tuning run: lr, status, score, grid (original, extended or random)"},
    {"tuning_curve.csv", "random tuning: the expected best score of k of the N trials, k = 1..N"},
    {"chosen.csv", "the point tuning chose per (workload, optimizer)"},
    {"metrics_analytic.csv", "one row per final analytic run: final gap, gradient norm, time"},
    {"metrics_net.csv", "one row per final network run: best validation and test accuracy"},
    {"reached.csv", "one row per (final analytic run, target): steps, evals, seconds to it"},
    {"ranking_analytic.csv", "per analytic (workload, optimizer) across seeds: medians, quartiles, the ranking metric with its 95 % interval, rank group"},
    {"ranking_net.csv", "per network (workload, optimizer) across seeds: medians, the ranking metric with its 95 % interval, rank group"},
    {"ranking_targets.csv", "per analytic (workload, optimizer, target): median steps, seeds reaching it"},
    {"profiles.csv", "Dolan-More performance profiles (evals to each target)"},
    {"ecdf.csv", "fraction of (workload, target) pairs reached within a budget"},
    {"curves", "curves/W.csv.gz: median and quartile curves across seeds (analytic)"},
    {"netcurves", "netcurves/W.csv: per-epoch medians across seeds (networks)"},
    {"targets.csv", "the suite's relative targets"},
    {"skipped.csv", "what the bench did not run: rules sitting a workload out, decay with lr*wd >= 1"},
    {"oracle.csv", "what each (workload, optimizer) pair's runs received: noise, batch"},
    {"machine.csv", "key,value: machine, versions, timings"},
    {"surfaces", "surfaces/W.csv.gz: f on a grid over a 2-D problem's box"},
    {"schedules.csv", "learning-rate schedules for the reference figure"},
    {"activations.csv", "activation functions for the reference figure"},
    {"rate.csv", "the SGD-rate experiment: which workloads it applies to"},
    {"rate", "rate/W.csv: SGD against its theoretical rate"},
    {"figures", "every figure (PNG)"},
    {"landscape", "landscape/W/: loss-landscape slices of network workloads"},
    {"report.md", "the report (Markdown)"},
    {"index.html", "the report (HTML)"},
    {"suite.txt", "the suite's name: one suite per directory"},
    {"optbench.json", "this file: provenance"},
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* files: the directory's entries, sorted, each {"name", "holds"} */
static cJSON *file_list(const char *dir)
{
    cJSON *a = cJSON_CreateArray();
    DIR *d = opendir(dir);
    char *names[256];
    size_t n = 0;
    for (struct dirent *e; d && n < 256 && (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.' && !strstr(e->d_name, ".tmp.")) names[n++] = strdup(e->d_name);
    if (d) closedir(d);
    int self = 0;
    for (size_t i = 0; i < n; i++) self |= names[i] && !strcmp(names[i], "optbench.json");
    if (!self && n < 256) names[n++] = strdup("optbench.json");
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        const char *h = "see results/README.md";
        for (size_t k = 0; k < sizeof holds / sizeof *holds; k++)
            if (!strcmp(holds[k][0], names[i])) h = holds[k][1];
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "name", names[i]);
        cJSON_AddStringToObject(f, "holds", h);
        cJSON_AddItemToArray(a, f);
        free(names[i]);
    }
    return a;
}

static cJSON *grid_json(const ob_lr_grid *g)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "lr_from", pow(10.0, g->lo));
    cJSON_AddNumberToObject(o, "lr_to", pow(10.0, g->hi));
    cJSON_AddNumberToObject(o, "lr_from_log10", g->lo);
    cJSON_AddNumberToObject(o, "lr_to_log10", g->hi);
    cJSON_AddNumberToObject(o, "per_decade", g->per_decade);
    return o;
}

static cJSON *workload_json(const ob_workload *w)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", w->name);
    if (w->net) {
        cJSON_AddStringToObject(o, "network", w->net);
        cJSON_AddNumberToObject(o, "epochs", (double)w->epochs);
        cJSON_AddNumberToObject(o, "tune_epochs", (double)w->tune_epochs);
        cJSON_AddNumberToObject(o, "l1", w->l1);
        cJSON_AddNumberToObject(o, "l2", w->l2);
        cJSON_AddNumberToObject(o, "dropout", w->dropout);
        cJSON_AddBoolToObject(o, "preset_dropout", w->preset_dropout);
    } else {
        cJSON_AddStringToObject(o, "problem", w->problem);
        cJSON_AddNumberToObject(o, "steps", (double)w->steps);
        cJSON_AddNumberToObject(o, "noise", w->noise);
        cJSON_AddNumberToObject(o, "dim", (double)w->popts.dim);
        cJSON_AddNumberToObject(o, "kappa", w->popts.kappa);
        cJSON_AddBoolToObject(o, "rotate", w->popts.rotate);
        /* moved off the origin (problems/problem.h's shift_radius; false: textbook) */
        const ob_problem_type *P = ob_problem_find(w->problem);
        cJSON_AddBoolToObject(o, "shift", P && P->shift_radius > 0 && !w->popts.textbook);
        cJSON_AddNumberToObject(o, "instance_seed", (double)w->popts.seed);
        cJSON_AddNumberToObject(o, "samples", (double)w->popts.samples);
        if (w->popts.data) cJSON_AddStringToObject(o, "data", w->popts.data);
    }
    cJSON_AddNumberToObject(o, "batch", (double)w->batch);
    if (w->optimizers) cJSON_AddStringToObject(o, "optimizers", w->optimizers);
    return o;
}

/* an optimizer: its name and every option of its table at the suite's value (lr: the
 * rule's default; the grid sets it per run), and the lists tuned with lr */
static cJSON *optimizer_json(const ob_suite_optimizer *so)
{
    cJSON *o = cJSON_CreateObject(), *hp = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", so->name);
    cJSON_AddStringToObject(o, "rule", so->T->name);
    ob_hparams h = so->h;
    for (const ob_hp_option *op = so->T->options; op && op->name; op++) {
        if (!strcmp(op->name, "lr")) {
            cJSON_AddStringToObject(hp, op->name, "tuned"); /* the suite's grid */
        } else if (op->kind == OB_HPK_FLAG) {
            cJSON_AddBoolToObject(hp, op->name, *ob_hp_flag(&h, op->field));
        } else if (op->kind == OB_HPK_PAIR) {
            double v[2] = {*ob_hp_number(&h, op->field), *ob_hp_number(&h, op->field2)};
            cJSON_AddItemToObject(hp, op->name, cJSON_CreateDoubleArray(v, 2));
        } else {
            cJSON_AddNumberToObject(hp, op->name, *ob_hp_number(&h, op->field));
        }
    }
    cJSON_AddItemToObject(o, "hyperparameters", hp);
    cJSON *lists = cJSON_CreateObject();
    for (int i = 0; i < so->n_lists; i++)
        cJSON_AddItemToObject(lists, so->lists[i].op->name,
                              cJSON_CreateDoubleArray(so->lists[i].v, (int)so->lists[i].n));
    cJSON_AddItemToObject(o, "tuned_lists", lists);
    return o;
}

static cJSON *suite_json(const ob_suite *S)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", S->name);
    cJSON_AddStringToObject(o, "source", S->source ? S->source : S->name);
    cJSON_AddNumberToObject(o, "seeds", S->seeds);
    cJSON_AddNumberToObject(o, "net_seeds", S->net_seeds);
    cJSON_AddItemToObject(o, "grid", grid_json(&S->grid));
    cJSON_AddItemToObject(o, "net_grid", grid_json(&S->net_grid));
    cJSON_AddNumberToObject(o, "rate_max_n", (double)S->rate_max_n);
    cJSON_AddNumberToObject(o, "rate_seeds", S->rate_seeds);
    cJSON *t = cJSON_CreateArray();
    for (int k = 0; k < S->targets.n; k++) cJSON_AddItemToArray(t, cJSON_CreateString(S->targets.name[k]));
    cJSON_AddItemToObject(o, "targets", t);
    cJSON *w = cJSON_CreateArray(), *op = cJSON_CreateArray();
    for (size_t i = 0; i < S->n_workloads; i++) cJSON_AddItemToArray(w, workload_json(&S->workloads[i]));
    for (size_t i = 0; i < S->n_optimizers; i++)
        cJSON_AddItemToArray(op, optimizer_json(&S->optimizers[i]));
    cJSON_AddItemToObject(o, "workloads", w);
    cJSON_AddItemToObject(o, "optimizers", op);
    cJSON_AddStringToObject(o, "text", S->text ? S->text : "");
    return o;
}

static void cpu_model(char *buf, size_t cap)
{
    snprintf(buf, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
            char *v = strchr(line, ':') + 1;
            v += *v == ' ';
            v[strcspn(v, "\n")] = '\0';
            snprintf(buf, cap, "%s", v);
            break;
        }
    if (f) fclose(f);
}

static cJSON *machine_json(const ob_bench_config *c)
{
    cJSON *o = cJSON_CreateObject();
    char cpu[256];
    cpu_model(cpu, sizeof cpu);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = c->jobs > 0 ? c->jobs : 1;
    cJSON_AddStringToObject(o, "cpu", cpu);
    cJSON_AddNumberToObject(o, "cores", (double)cores);
    cJSON_AddStringToObject(o, "compiler", "gcc " __VERSION__);
    cJSON_AddStringToObject(o, "gsl", GSL_VERSION);
    cJSON_AddStringToObject(o, "openblas", openblas_get_config());
    cJSON_AddNumberToObject(o, "jobs", jobs);
    /* as bench/execute.c's pool: cores / jobs OpenMP threads a process, BLAS single */
    cJSON_AddNumberToObject(o, "threads_per_job", cores > jobs ? (double)(cores / jobs) : 1);
    cJSON_AddNumberToObject(o, "blas_threads", 1);
    return o;
}

/* machine.csv: key,value rows, the machine of machine_json and the timings (seconds) */
ob_status ob_machine_csv_write(const char *out, const ob_bench_config *c, double t_runs,
                               double t_tables, ob_error *err)
{
    const ob_suite *S = c->suite;
    char path[4096], cpu[256], date[64], cores[32], jobs[32], runs[64], tables[64], seeds[64];
    snprintf(path, sizeof path, "%s/machine.csv", out);
    cpu_model(cpu, sizeof cpu);
    time_t t = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&t));
    snprintf(cores, sizeof cores, "%ld", sysconf(_SC_NPROCESSORS_ONLN));
    snprintf(jobs, sizeof jobs, "%d", c->jobs);
    snprintf(runs, sizeof runs, "%.2f", t_runs);
    snprintf(tables, sizeof tables, "%.2f", t_tables);
    snprintf(seeds, sizeof seeds, "%d (analytic), %d (networks)", S->seeds, S->net_seeds);
    const char *kv[][2] = {
        {"cpu", cpu},         {"cores", cores},
        {"compiler", "gcc " __VERSION__},
        {"gsl", GSL_VERSION}, {"openblas", openblas_get_config()},
        {"date", date},       {"suite", S->name},
        {"seeds", seeds},     {"tuning_criterion", OB_TUNING_RULE},
        {"jobs", jobs},       {"seconds_runs", runs},
        {"seconds_tables", tables},
    };
    ob_csv w;
    ob_status s = ob_csv_open(&w, path, err);
    if (s != OB_OK) return s;
    ob_csv_text(&w, "key");
    ob_csv_text(&w, "value");
    ob_csv_end_row(&w);
    for (size_t i = 0; i < sizeof kv / sizeof *kv; i++) {
        ob_csv_text(&w, kv[i][0]);
        ob_csv_text(&w, kv[i][1]);
        ob_csv_end_row(&w);
    }
    return ob_csv_commit(&w, err);
}

static void iso_time(char *buf, size_t cap, time_t t)
{
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
}

ob_status ob_provenance_write(const char *dir, const ob_provenance_run *run, ob_error *err)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "format", OB_PROVENANCE_FORMAT);
    cJSON *ob = cJSON_CreateObject();
    cJSON_AddStringToObject(ob, "version", ob_version());
    cJSON_AddStringToObject(ob, "commit", ob_commit());
    cJSON_AddItemToObject(root, "optbench", ob);
    cJSON *argv = cJSON_CreateArray();
    for (int i = 0; i < run->argc; i++) cJSON_AddItemToArray(argv, cJSON_CreateString(run->argv[i]));
    cJSON_AddItemToObject(root, "command_line", argv);
    cJSON *su = suite_json(run->config->suite); /* seeds: bench --seeds when given */
    cJSON_AddNumberToObject(su, "first_seed", ob_bench_first_seed(run->config));
    cJSON_AddItemToObject(root, "suite", su);
    cJSON_AddItemToObject(root, "machine", machine_json(run->config));
    char t0[32], t1[32];
    iso_time(t0, sizeof t0, run->started);
    iso_time(t1, sizeof t1, run->finished);
    cJSON_AddStringToObject(root, "started", t0);
    cJSON_AddStringToObject(root, "finished", t1);
    cJSON_AddItemToObject(root, "files", file_list(dir));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) return ob_fail(err, OB_ENOMEM, "out of memory");
    char path[4096];
    snprintf(path, sizeof path, "%s/optbench.json", dir);
    ob_status s = ob_write_file_atomic(path, text, "\n", "", err);
    free(text);
    return s;
}

/* a text cut short: a string or an object or array it opens is still open at its end
 * (what a JSON that parses has not) */
static int unclosed(const char *s, size_t n)
{
    long depth = 0;
    int in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return in_str || depth > 0 || n == 0;
}

ob_status ob_provenance_read(const char *dir, cJSON **json, ob_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/optbench.json", dir);
    *json = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return access(path, F_OK) == 0 ? ob_fail(err, OB_EIO, "%s: cannot be read", path)
                                           : OB_OK;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    size_t got = text ? fread(text, 1, (size_t)n, f) : 0;
    fclose(f);
    if (!text) return ob_fail(err, OB_ENOMEM, "out of memory reading %s", path);
    text[got] = '\0';
    cJSON *root = cJSON_Parse(text);
    long at = root ? -1 : (long)(cJSON_GetErrorPtr() - text);
    int open = root ? 0 : unclosed(text, got);
    free(text);
    if (open)
        return ob_fail(err, OB_EDATA, "%s: not valid JSON: cut short, it ends at byte %zu "
                       "before its end (optbench bench writes it whole)", path, got);
    if (!root)
        return ob_fail(err, OB_EDATA, "%s: not valid JSON (near byte %ld); optbench bench "
                       "writes it, do not edit it", path, at);
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    /* compared as a double: (int) of one beyond int's range is undefined (1e300) */
    double v = cJSON_IsNumber(fmt) ? fmt->valuedouble : 0;
    if (!(v >= 1) || v != floor(v)) {
        cJSON_Delete(root);
        return ob_fail(err, OB_EDATA, "%s: no integer \"format\" (a positive integer is "
                       "required)", path);
    }
    if (v > OB_PROVENANCE_FORMAT) {
        cJSON_Delete(root);
        return ob_fail(err, OB_EINVAL, "%s: format %.15g is newer than this optbench reads "
                       "(format %d, optbench %s); use a newer optbench", path, v,
                       OB_PROVENANCE_FORMAT, ob_version());
    }
    *json = root;
    return OB_OK;
}

const char *ob_provenance_check(const char *dir, char *note, size_t cap, int *bad,
                                ob_error *err)
{
    cJSON *j;
    *bad = ob_provenance_read(dir, &j, err) != OB_OK;
    if (*bad) return NULL;
    if (j) {
        cJSON_Delete(j);
        return NULL;
    }
    snprintf(note, cap, "%s has no optbench.json (older results): its provenance is "
             "unknown", dir);
    return note;
}
