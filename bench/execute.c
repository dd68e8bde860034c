/* execute.c - running the plan (plan.c): in this process or a pool of --jobs processes,
 * with progress on stderr (common/progress.h, each run weighed by its expected cost) and
 * a clean stop on SIGINT / SIGTERM.  Each run depends only on its own settings and seed,
 * so the files are the same for any number of jobs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench_internal.h"
#include "common/clock.h"
#include "common/progress.h"
#include "common/interrupt.h"
#include "optimizers/plugin.h"

/* SIGINT / SIGTERM while the runs execute (common/interrupt.h): every process finishes
 * the run it is writing and starts no other, so an interrupted benchmark leaves only
 * complete run files (and the next one resumes). */

/* what a worker reports for each finished run: one write, atomic on a pipe */
typedef struct {
    uint32_t i;
    char ok;
} done_msg;

typedef struct {
    const char *out, *phase;
    const ob_run_spec *runs;
    size_t n;
    double timeout;     /* seconds a plugin's run may take */
    ob_progress progress;
} phase;

static ob_status interrupted_after(const phase *ph, size_t done, ob_error *err)
{
    return ob_fail(err, OB_INTERRUPTED, "interrupted after %zu of %zu %s runs; run the same "
                   "command again to resume", done, ph->n, ph->phase);
}

/* The temporary files the run r left in its directory (a child killed at the time limit
 * cannot remove its own): the entries named after its file's stem with ".tmp." in them
 * (seed-1.csv.gz.tmp.*, seed-1.summary.csv.tmp.*), not those of other runs under way. */
static void remove_run_temporaries(const phase *ph, const ob_run_spec *r)
{
    char dir[4096], stem[80];
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", ph->out, r->w->name, r->T->name);
    size_t len = strlen(r->file);
    snprintf(stem, sizeof stem, "%.*s.", (int)(len > 4 ? len - 4 : len), r->file); /* .csv */
    DIR *d = opendir(dir);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (!strncmp(e->d_name, stem, strlen(stem)) && strstr(e->d_name, ".tmp."))
            unlinkat(dirfd(d), e->d_name, 0);
    closedir(d);
}

/* A plugin's run in a child process of its own, so that a crash (a signal), an exit of
 * the process from the plugin's code, a hang (past ph->timeout seconds; then SIGKILL) or
 * an allocation that fails costs that run only: it is recorded as `crashed`, `timeout` or
 * `failed` and the benchmark goes on.  The child says how its run ended in one byte on a
 * pipe (its ob_status) just before it exits; a child that ends without it (whatever its
 * exit status: a plugin may call exit(0)) did not finish its run, and crashed.  The
 * parent polls waitpid with a growing pause (0.1 ms to 20 ms), so a short run costs
 * little more than the fork. */
static ob_status isolated_run(const phase *ph, const ob_run_spec *r, ob_bench_cache *pc,
                              ob_error *err)
{
    int word[2];
    if (pipe(word) != 0) return ob_fail(err, OB_EIO, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(word[0]), close(word[1]);
        return ob_fail(err, OB_EIO, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        close(word[0]);
        /* a crash ends this process by its signal, whatever handler the parent had
         * (common/interrupt.c puts its own before, which removes the run's temporary
         * files first) */
        const int crash[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
        for (size_t k = 0; k < sizeof crash / sizeof *crash; k++) signal(crash[k], SIG_DFL);
        dup2(2, 1); /* what the plugin prints goes to stderr, not into the bench's output */
        ob_interrupt_run_begin("\noptbench bench: the optimizer plugin %s (run %s/%s/%s)",
                               ob_plugin_path(r->T), r->w->name, r->T->name, r->file);
        ob_error e = {{0}};
        ob_status s = ob_bench_do_run(ph->out, r, pc, &e);
        ob_interrupt_run_end();
        fflush(stdout);
        if (s != OB_OK)
            fprintf(stderr, "\noptbench bench: %s%s\n", e.msg,
                    s == OB_ENOMEM ? " (the run is recorded as failed)" : "");
        unsigned char b = (unsigned char)s;
        _exit(write(word[1], &b, 1) == 1 ? 0 : 1);
    }
    close(word[1]);
    double t0 = ob_clock_now();
    long pause_ns = 100000;
    int st = 0, late = 0;
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (ob_clock_now() - t0 > ph->timeout) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            late = 1;
            break;
        }
        struct timespec ts = {0, pause_ns};
        nanosleep(&ts, NULL);
        if (pause_ns < 20000000) pause_ns *= 2;
    }
    unsigned char b = 0;
    fcntl(word[0], F_SETFL, O_NONBLOCK); /* a grandchild of the plugin's may hold it open */
    ssize_t got;
    while ((got = read(word[0], &b, 1)) < 0 && errno == EINTR) continue;
    int said = got == 1;
    close(word[0]);
    if (said && b == OB_OK) return OB_OK;
    remove_run_temporaries(ph, r);
    if (said && b == OB_ENOMEM) /* the plugin's state, or the run's, could not be allocated */
        return ob_bench_record_failed(ph->out, r, "failed", pc, err);
    if (said) /* an error of the harness (a file it cannot write): stop, as a built-in's */
        return ob_fail(err, b <= OB_INTERRUPTED ? (ob_status)b : OB_EIO,
                       "the run %s/%s/%s failed (see above)", r->w->name, r->T->name, r->file);
    /* killed by a signal or at the time limit, or ended by the plugin (exit, _exit) */
    return ob_bench_record_failed(ph->out, r, late ? "timeout" : "crashed", pc, err);
}

/* one run: a plugin's in a child process, a built-in's here; one of a pair that had no
 * tuning run to choose from is recorded as it stands (plan.c) */
static ob_status one_run(const phase *ph, const ob_run_spec *r, ob_bench_cache *pc,
                         ob_error *err)
{
    if (r->fail) return ob_bench_record_failed(ph->out, r, r->fail, pc, err);
    if (ob_plugin_loaded(r->T)) return isolated_run(ph, r, pc, err);
    return ob_bench_do_run(ph->out, r, pc, err);
}

static ob_status serial(phase *ph, ob_error *err)
{
    ob_bench_cache pc = {0};
    ob_status s = OB_OK;
    size_t i;
    for (i = 0; i < ph->n && s == OB_OK && !ob_interrupted(); i++) {
        s = one_run(ph, &ph->runs[i], &pc, err);
        ob_progress_add(&ph->progress, 1, ob_bench_run_cost(&ph->runs[i]));
    }
    ob_bench_cache_free(&pc);
    if (s == OB_OK && ob_interrupted()) s = interrupted_after(ph, i, err);
    return s;
}

/* a worker: runs the indices it reads from work until the queue ends */
static void worker(const phase *ph, int work, int done_fd, int threads)
{
    omp_set_num_threads(threads); /* jobs x threads = cores; results do not depend on it */
    ob_bench_cache pc = {0};
    ob_error e = {{0}};
    int bad = 0;
    uint32_t i;
    while (!ob_interrupted() && read(work, &i, sizeof i) == (ssize_t)sizeof i) {
        done_msg m = {.i = i, .ok = one_run(ph, &ph->runs[i], &pc, &e) == OB_OK};
        if (!m.ok && !bad) {
            fprintf(stderr, "\noptbench bench: %s\n", e.msg);
            bad = 1;
        }
        if (write(done_fd, &m, sizeof m) != (ssize_t)sizeof m) break;
    }
    ob_bench_cache_free(&pc);
    _exit(bad);
}

/* The parent's side of the queue: feeds run indices without blocking while it counts
 * the finished runs; returns how many finished, *failed when one did not. */
static size_t feed_and_count(phase *ph, int work, int done_fd, int *failed)
{
    size_t done = 0, sent = 0, n = ph->n;
    fcntl(work, F_SETFL, O_NONBLOCK);
    while (done < n) {
        if (ob_interrupted() && work >= 0) { /* no new runs: the workers finish theirs */
            close(work);
            work = -1;
            sent = n;
        }
        while (sent < n) {
            uint32_t i = (uint32_t)sent;
            if (write(work, &i, sizeof i) != (ssize_t)sizeof i) break;
            sent++;
        }
        if (sent == n && work >= 0) {
            close(work); /* end of the queue */
            work = -1;
        }
        done_msg m;
        ssize_t got = read(done_fd, &m, sizeof m);
        if (got < 0 && errno == EINTR) continue;
        if (got != (ssize_t)sizeof m || m.i >= n) break;
        done++;
        *failed |= !m.ok;
        ob_progress_add(&ph->progress, 1, ob_bench_run_cost(&ph->runs[m.i]));
    }
    if (work >= 0) close(work);
    return done;
}

/* A work queue: the parent writes run indices into one pipe, the workers read them
 * (reads of a few bytes from a pipe are atomic), and each writes a done_msg per finished
 * run into another. */
static ob_status pool(phase *ph, int jobs, ob_error *err)
{
    int work[2], done_fd[2];
    if (pipe(work) != 0 || pipe(done_fd) != 0) return ob_fail(err, OB_EIO, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t *pids = calloc((size_t)jobs, sizeof *pids);
    if (!pids) return ob_fail(err, OB_ENOMEM, "out of memory");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = cores > jobs ? (int)(cores / jobs) : 1;
    for (int k = 0; k < jobs; k++) {
        pids[k] = fork();
        if (pids[k] == 0) {
            close(work[1]);
            close(done_fd[0]);
            worker(ph, work[0], done_fd[1], threads);
        }
        if (pids[k] < 0) {
            pids[k] = 0;
            jobs = k;
            break;
        }
    }
    close(work[0]);
    close(done_fd[1]);
    int failed = jobs == 0;
    size_t done = feed_and_count(ph, work[1], done_fd[0], &failed);
    close(done_fd[0]);
    for (int k = 0; k < jobs; k++) {
        int st;
        if (pids[k] > 0 && (waitpid(pids[k], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)))
            failed = 1;
    }
    free(pids);
    if (ob_interrupted()) return interrupted_after(ph, done, err);
    if (failed || done < ph->n)
        return ob_fail(err, OB_EIO, "%zu of %zu %s runs did not complete (see above)",
                       ph->n - done + (size_t)(failed && done == ph->n), ph->n, ph->phase);
    return OB_OK;
}

static ob_status execute(const ob_bench_config *c, const char *name, const ob_run_spec *runs,
                         size_t n, ob_error *err)
{
    if (n == 0) return OB_OK;
    const char *out = c->out;
    int jobs = c->jobs, show = c->progress;
    phase ph = {.out = out, .phase = name, .runs = runs, .n = n,
                .timeout = c->run_timeout > 0 ? c->run_timeout : OB_RUN_TIMEOUT};
    double cost = 0;
    for (size_t i = 0; i < n; i++) cost += ob_bench_run_cost(&runs[i]);
    char label[64];
    snprintf(label, sizeof label, "bench: %s", name);
    ob_progress_begin(&ph.progress, label, "runs", n, cost, !show);
    if (jobs > (int)n) jobs = (int)n;
    ob_status s = jobs <= 1 ? serial(&ph, err) : pool(&ph, jobs, err);
    if (s == OB_OK) ob_progress_end(&ph.progress);
    return s;
}

ob_status ob_bench_run(const ob_bench_config *c, ob_error *err)
{
    /* one BLAS thread, whoever calls: OpenBLAS splits a product (the lsq Gram matrix's
     * dsyrk) differently on two threads, and f* would change in its last bits */
    ob_blas_threads(1);
    ob_run_spec *runs = malloc(ob_bench_plan_capacity(c->suite) * sizeof *runs);
    if (!runs) return ob_fail(err, OB_ENOMEM, "out of memory");
    int own = !ob_interrupt_caught(); /* the caller may catch them already (ob_cmd_bench) */
    if (own) ob_interrupt_catch();
    ob_status s = OB_OK;
    size_t n = 0;
    if (ob_interrupted())
        s = ob_fail(err, OB_INTERRUPTED, "interrupted before the runs; run the same command "
                    "again to resume");
    if (s == OB_OK) n = ob_bench_plan(c, 1, runs, &s, err);
    if (s == OB_OK) s = execute(c, "tuning", runs, n, err);
    /* edge extension rounds, each decided from the finished tuning runs; they end: each
     * adds a rate, and at most OB_TUNE_EXTRA_MAX past each edge (bench/tuning.h) */
    while (s == OB_OK && (n = ob_bench_plan(c, 2, runs, &s, err)) > 0)
        s = execute(c, "tuning (extended grid)", runs, n, err);
    /* skipped.csv again, with the rates the extension did not run (a shard or --only sees
     * part of the tuning runs: the unsharded bench that ends the work writes it whole) */
    if (s == OB_OK && !c->only && c->shard_n <= 1) s = ob_bench_write_skipped(c, err);
    if (s == OB_OK) n = ob_bench_plan(c, 0, runs, &s, err);
    if (s == OB_OK) s = execute(c, "seeds", runs, n, err);
    if (s == OB_OK) s = ob_bench_pack(c, err); /* a block a pair, not one a run */
    if (own) ob_interrupt_release();
    free(runs);
    return s;
}
