/* test_timing.c - a results directory's layout and its times: the summaries of a pair's
 * runs packed into one file (read back cell for cell, repacked with new runs, a cut pack
 * refused and dropped), and the timing pass (timing.csv from a smoke bench, kept on
 * resume; the report's "Time per update" table against a fixture worked by hand). */
#include "tests/e2e.h"

#include "bench/bench_internal.h"
#include "report/sections.h"
#include "runs/runfile.h"
#include "tests/shell.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("timing");
}

/* the cell of column col of the summary of run stem in dir/sub ("(absent)": no column) */
static const char *cell_of(const char *sub, const char *stem, const char *col, char *buf)
{
    char d[256];
    snprintf(d, sizeof d, "%s/%s", dir, sub);
    ob_table t;
    ob_error e = {{0}};
    if (ob_run_summary_read(d, stem, &t, &e) != OB_OK) fail_msg("%s: %s", stem, e.msg);
    int c = ob_table_col(&t, col);
    snprintf(buf, 64, "%s", c < 0 ? "(absent)" : ob_table_str(&t, 0, c));
    ob_table_free(&t);
    return buf;
}

static void test_pack(void **st)
{
    (void)st;
    char b[64], d[256];
    assert_int_equal(sh("mkdir -p %s/p", dir), 0);
    put("p/seed-1.summary.csv", "lr,status,f0,diverged_step\n0.1,ok,1.5,\n");
    put("p/seed-2.summary.csv", "lr,status,f0,diverged_step\n0.1,diverged,\"2,5\",7\n");
    put("p/tune-0.1.summary.csv", "lr,status,tune_score\n0.1,ok,1e-300\n");
    put("p/tune-1.summary.csv", "lr,status\n"); /* cut: its header alone */
    snprintf(d, sizeof d, "%s/p", dir);
    ob_error e = {{0}};
    assert_int_equal(ob_runs_pack(d, &e), OB_OK);
    assert_true(exists("p/summaries.csv"));
    assert_false(exists("p/seed-1.summary.csv") || exists("p/seed-2.summary.csv") ||
                 exists("p/tune-0.1.summary.csv"));
    assert_true(exists("p/tune-1.summary.csv")); /* left for the bench to run again */
    /* the cells as their own files had them; the empty ones and the others' columns absent */
    assert_string_equal(cell_of("p", "seed-2", "f0", b), "2,5");
    assert_string_equal(cell_of("p", "seed-2", "diverged_step", b), "7");
    assert_string_equal(cell_of("p", "seed-1", "diverged_step", b), "(absent)");
    assert_string_equal(cell_of("p", "seed-1", "tune_score", b), "(absent)");
    assert_string_equal(cell_of("p", "tune-0.1", "tune_score", b), "1e-300");
    assert_string_equal(cell_of("p", "tune-0.1", "f0", b), "(absent)");
    size_t n;
    char **s = ob_run_stems(d, "seed-", &n);
    assert_int_equal(n, 2);
    assert_string_equal(s[0], "seed-1");
    assert_string_equal(s[1], "seed-2");
    ob_run_stems_free(s, n);
    ob_table t;
    assert_int_equal(ob_run_summary_read(d, "seed-3", &t, &e), OB_EIO);
    /* a new run is packed beside the others, whose rows and columns stay as they were */
    char *before = slurp("p/summaries.csv"); /* slurp's buffer: checked before the next */
    assert_non_null(before);
    assert_memory_equal(before, "run,lr,status,f0,diverged_step,tune_score\n", 42);
    put("p/seed-3.summary.csv", "lr,status,f0,extra\n0.1,ok,3,x\n");
    assert_int_equal(ob_runs_pack(d, &e), OB_OK);
    assert_false(exists("p/seed-3.summary.csv"));
    assert_string_equal(cell_of("p", "seed-3", "extra", b), "x");
    assert_string_equal(cell_of("p", "seed-2", "f0", b), "2,5");
    assert_string_equal(cell_of("p", "seed-2", "extra", b), "(absent)");
    char *after = slurp("p/summaries.csv");
    assert_non_null(after);
    assert_memory_equal(after, "run,lr,status,f0,diverged_step,tune_score,extra\n", 48);
    /* cut short: the pack hides its runs; the stem standing for them fails to read with
     * the pack's error, and the bench's check drops the pack */
    assert_int_equal(sh("cd %s/p && head -c 60 summaries.csv > cut && mv cut summaries.csv", dir), 0);
    s = ob_run_stems(d, "seed-", &n);
    assert_int_equal(n, 1);
    assert_string_equal(s[0], "seed-?");
    assert_int_equal(ob_run_summary_read(d, s[0], &t, &e), OB_EDATA);
    assert_non_null(strstr(e.msg, "summaries.csv"));
    assert_non_null(strstr(e.msg, "cut short"));
    ob_run_stems_free(s, n);
    assert_int_equal(ob_runs_pack_drop_cut(d), 1);
    assert_false(exists("p/summaries.csv"));
    assert_int_equal(ob_runs_pack_drop_cut(d), 0);
}

/* the markdown of the timing section for the results directory dir/sub */
static char *timing_md(const char *sub)
{
    char d[256];
    snprintf(d, sizeof d, "%s/%s", dir, sub);
    ob_report_tables t = {.dir = d};
    ob_doc doc;
    ob_error e = {{0}};
    assert_int_equal(ob_doc_open(&doc, &e), OB_OK);
    ob_section_timing(&doc, &t);
    char *md = NULL;
    assert_int_equal(ob_doc_finish(&doc, &md, &e), OB_OK);
    return md;
}

/* by hand: on w, a (1 µs, range 0.9-1.2) is the fastest; b's range (1.1-1.3) overlaps a's,
 * so b is not told apart from it though its median is 1.2 times a's; c (3 µs, 2.9-3.1) is
 * 3 times slower; d's time is missing and it is left out.  On v, e alone. */
static void test_section(void **st)
{
    (void)st;
    assert_int_equal(sh("mkdir -p %s/T %s/U", dir, dir), 0);
    const char *head = "workload,kind,optimizer,repeats,steps,median_seconds_per_step,"
                       "min_seconds_per_step,max_seconds_per_step,others_running\n";
    char text[1024];
    snprintf(text, sizeof text, "%s%s", head,
             "w,analytic,c,3,100,3e-6,2.9e-6,3.1e-6,0\n"
             "w,analytic,b,3,100,1.2e-6,1.1e-6,1.3e-6,0\n"
             "w,analytic,a,3,100,1e-6,0.9e-6,1.2e-6,0\n"
             "w,analytic,d,3,0,,,,0\n"
             "v,network,e,3,40,0.002,0.0019,0.0021,0\n");
    put("T/timing.csv", text);
    char *md = timing_md("T");
    assert_non_null(strstr(md, "| w | a 1 µs [0.9 µs – 1.2 µs] | b | c 3× |"));
    assert_non_null(strstr(md, "| v | e 2 ms [1.9 ms – 2.1 ms] | — | — |"));
    assert_null(strstr(md, "beside other processes"));
    free(md);
    /* two other processes running while one pair was timed: said */
    snprintf(text, sizeof text, "%s%s", head, "w,analytic,a,3,100,1e-6,0.9e-6,1.2e-6,2\n");
    put("U/timing.csv", text);
    md = timing_md("U");
    assert_non_null(strstr(md, "up to 2 other processes ran"));
    free(md);
    /* no timing.csv: no section */
    md = timing_md("none");
    assert_null(strstr(md, "Time per update"));
    free(md);
}

/* a smoke bench's timing pass: a row per pair with a chosen point, the repeats ordered,
 * the updates each timed run made; kept as it is when the bench resumes */
static void test_timing_pass(void **st)
{
    (void)st;
    assert_int_equal(run("bench --suite smoke --out %s/S --quiet", dir), 0);
    ob_table t = tab("S/timing.csv"), ch = tab("S/chosen.csv");
    assert_int_equal(t.rows, ch.rows);
    int co = ob_table_col(&t, "optimizer"), cw = ob_table_col(&t, "workload");
    for (size_t i = 0; i < t.rows; i++) {
        double m = ob_table_num(&t, i, ob_table_col(&t, "median_seconds_per_step")),
               lo = ob_table_num(&t, i, ob_table_col(&t, "min_seconds_per_step")),
               hi = ob_table_num(&t, i, ob_table_col(&t, "max_seconds_per_step")),
               steps = ob_table_num(&t, i, ob_table_col(&t, "steps"));
        assert_true(ob_table_num(&t, i, ob_table_col(&t, "repeats")) == 3);
        assert_true(lo > 0 && lo <= m && m <= hi && hi < 1);
        const char *w = ob_table_str(&t, i, cw), *o = ob_table_str(&t, i, co);
        if (!strcmp(w, "softmax-tiny")) assert_true(steps == OB_TIME_STEPS);
        else if (strncmp(o, "gsl-", 4)) assert_true(steps == 60); /* the workloads' steps */
        else assert_true(steps >= 1 && steps <= 60);             /* may stop converged */
    }
    ob_table_free(&t), ob_table_free(&ch);
    char *md = slurp("S/report.md");
    assert_non_null(md);
    assert_non_null(strstr(md, "## Time per update"));
    char *before = strdup(slurp("S/timing.csv"));
    assert_int_equal(run("bench --suite smoke --out %s/S --quiet", dir), 0);
    char *after = slurp("S/timing.csv");
    assert_non_null(before);
    assert_non_null(after);
    assert_string_equal(before, after);
    free(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack),
        cmocka_unit_test(test_section),
        cmocka_unit_test(test_timing_pass),
    };
    return ob_run_tests("timing", tests, setup, teardown);
}
