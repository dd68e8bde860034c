/* test_interrupt.c - an interrupt leaves nothing half-written behind (common/interrupt.h):
 * `optbench run` killed by SIGINT or SIGTERM while it writes dies of the signal and leaves
 * neither its CSV nor its temporary file; `optbench plot DIR` interrupted while it draws
 * ends with status 130, leaves no temporary file and no contour cache, keeps the report it
 * had, and the same command then draws every figure. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>

#include "tests/e2e.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("interrupt");
}

/* starts `optbench ARGV...` in a process group of its own (a terminal's job), with the
 * interrupt signals at their default whatever the test's were, output to /dev/null and
 * TMPDIR set to tmpdir (NULL: unchanged) */
static pid_t start(const char *tmpdir, char *const argv[])
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        if (tmpdir) setenv("TMPDIR", tmpdir, 1);
        execv(bin, argv);
        _exit(127);
    }
    setpgid(pid, pid);
    return pid;
}

/* the number of entries of path whose name contains part ("": every entry but . and ..) */
static int entries(const char *path, const char *part)
{
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strstr(e->d_name, part)) n++;
    if (d) closedir(d);
    return n;
}

/* waits (at most 60 s, however loaded the machine) until path holds an entry named with part */
static void wait_for(const char *path, const char *part)
{
    struct timespec poll = {0, 2000000L};
    for (int t = 0; t < 30000 && entries(path, part) == 0; t++) nanosleep(&poll, NULL);
    if (entries(path, part) == 0) fail_msg("no %s in %s after 60 s", part, path);
}

static void test_run_killed_while_writing(void **st)
{
    (void)st;
    const int sigs[] = {SIGINT, SIGTERM};
    for (size_t k = 0; k < 2; k++) {
        char out[160], csv[192];
        snprintf(out, sizeof out, "%s/run%zu", dir, k);
        assert_int_equal(mkdir(out, 0777), 0);
        snprintf(csv, sizeof csv, "%s/r.csv", out);
        /* a run of tens of seconds that writes its CSV from the start */
        char *argv[] = {(char *)bin, "run", "--problem", "quadratic", "--dim", "1000",
                        "--optimizer", "adam", "--steps", "100000000", "--log-every", "1000",
                        "--out", csv, "--quiet", NULL};
        pid_t pid = start(NULL, argv);
        wait_for(out, "r.csv.tmp.");
        kill(-pid, sigs[k]);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != sigs[k])
            fail_msg("run: not ended by signal %d (status %d)", sigs[k], status);
        if (entries(out, "") != 0) fail_msg("the killed run left files in %s", out);
    }
}

static void test_plot_interrupted(void **st)
{
    (void)st;
    char res[160], tmp[160], cmd[512];
    snprintf(res, sizeof res, "%s/smoke", dir);
    snprintf(tmp, sizeof tmp, "%s/tmp", dir);
    assert_int_equal(mkdir(tmp, 0777), 0);
    assert_int_equal(run("bench --suite smoke --out %s --quiet", res), 0);
    snprintf(cmd, sizeof cmd, "cp %s/report.md %s/report.before", res, dir);
    assert_int_equal(system(cmd), 0);
    /* so that the report would change if it were written again */
    snprintf(cmd, sizeof cmd, "rm %s/figures/*.png", res);
    assert_int_equal(system(cmd), 0);
    char *argv[] = {(char *)bin, "plot", res, "--jobs", "2", NULL};
    pid_t pid = start(tmp, argv);
    wait_for(tmp, "optbench-contours-"); /* drawing has begun */
    kill(-pid, SIGINT);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 130)
        fail_msg("plot: status %d, not exit 130", status);
    if (entries(tmp, "") != 0) fail_msg("the interrupted plot left its contour cache in %s", tmp);
    snprintf(cmd, sizeof cmd, "find %s \\( -name '*.tmp.*' -o -name '*.gp.*' -o -name '*.log.*' "
             "-o -name '*.contours.*' \\) | grep -q .", res);
    if (system(cmd) == 0) fail_msg("the interrupted plot left temporary files in %s", res);
    snprintf(cmd, sizeof cmd, "cmp -s %s/report.md %s/report.before", res, dir);
    assert_int_equal(system(cmd), 0);
    /* the same command again draws everything */
    assert_int_equal(run("plot %s --quiet", res), 0);
    snprintf(cmd, sizeof cmd, "%s/figures", res);
    assert_true(entries(cmd, ".png") > 10);
    assert_null(strstr(slurp("stderr"), "not drawn"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_killed_while_writing),
        cmocka_unit_test(test_plot_interrupted),
    };
    return ob_run_tests("interrupt", tests, setup, teardown);
}
