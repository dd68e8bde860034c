/* test_provenance.c - optbench.json (report/provenance.h): written from a suite and read
 * back with every field equal to the suite's; a newer format and a malformed file are
 * refused by `optbench plot` (exit 2, one line naming the file and both versions); a
 * directory without the file is accepted. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "tests/runner.h"

#include "bench/bench.h"
#include "common/version.h"
#include "report/provenance.h"
#include "tests/shell.h"

static char dir[64];
static const char *bin;

static int setup(void **st)
{
    (void)st;
    bin = getenv("OPTBENCH");
    if (!bin) bin = "build/optbench";
    snprintf(dir, sizeof dir, "/tmp/optbench-provenance-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    return sh("rm -rf %s", dir);
}

/* optbench ARGS with stderr into dir/stderr; its exit status */
#define run(fmt, ...) sh("%s " fmt " >/dev/null 2>%s/stderr", bin, __VA_ARGS__, dir)

/* dir/name's first 64 KiB */
static char *slurp(const char *name)
{
    static char buf[1 << 16];
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    buf[fread(buf, 1, sizeof buf - 1, f)] = '\0';
    fclose(f);
    return buf;
}

static const cJSON *get(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!v) fail_msg("optbench.json has no \"%s\"", k);
    return v;
}

static void test_round_trip(void **st)
{
    (void)st;
    const ob_suite *S = ob_suite_find("smoke");
    ob_bench_config c = {.suite = S, .out = dir, .jobs = 2, .shard_n = 1};
    char *argv[] = {"optbench", "bench", "--suite", "smoke", "--out", "x y"};
    ob_provenance_run run = {.argc = 6, .argv = argv, .config = &c, .started = 86400,
                             .finished = 86400 + 3723};
    ob_error e = {{0}};
    if (ob_provenance_write(dir, &run, &e) != OB_OK) fail_msg("%s", e.msg);
    cJSON *j;
    if (ob_provenance_read(dir, &j, &e) != OB_OK) fail_msg("%s", e.msg);
    assert_non_null(j);
    assert_int_equal(get(j, "format")->valueint, OB_PROVENANCE_FORMAT);
    assert_string_equal(get(get(j, "optbench"), "version")->valuestring, ob_version());
    assert_string_equal(get(get(j, "optbench"), "commit")->valuestring, ob_commit());
    const cJSON *cl = get(j, "command_line");
    assert_int_equal(cJSON_GetArraySize(cl), 6);
    for (int i = 0; i < 6; i++) assert_string_equal(cJSON_GetArrayItem(cl, i)->valuestring, argv[i]);
    /* 1970-01-02 00:00:00 and 01:02:03 UTC */
    assert_string_equal(get(j, "started")->valuestring, "1970-01-02T00:00:00Z");
    assert_string_equal(get(j, "finished")->valuestring, "1970-01-02T01:02:03Z");
    const cJSON *s = get(j, "suite");
    assert_string_equal(get(s, "name")->valuestring, S->name);
    assert_string_equal(get(s, "text")->valuestring, S->text);
    assert_int_equal(get(s, "seeds")->valueint, S->seeds);
    assert_int_equal(get(s, "net_seeds")->valueint, S->net_seeds);
    assert_int_equal(get(get(s, "grid"), "lr_from_log10")->valueint, S->grid.lo);
    assert_int_equal(get(get(s, "grid"), "lr_to_log10")->valueint, S->grid.hi);
    assert_int_equal(get(get(s, "grid"), "per_decade")->valueint, S->grid.per_decade);
    assert_true(get(get(s, "net_grid"), "lr_to")->valuedouble == pow(10.0, S->net_grid.hi));
    const cJSON *tg = get(s, "targets");
    assert_int_equal(cJSON_GetArraySize(tg), S->targets.n);
    for (int k = 0; k < S->targets.n; k++)
        assert_string_equal(cJSON_GetArrayItem(tg, k)->valuestring, S->targets.name[k]);
    const cJSON *w = get(s, "workloads");
    assert_int_equal(cJSON_GetArraySize(w), (int)S->n_workloads);
    for (size_t i = 0; i < S->n_workloads; i++) {
        const cJSON *wi = cJSON_GetArrayItem(w, (int)i);
        const ob_workload *W = &S->workloads[i];
        assert_string_equal(get(wi, "name")->valuestring, W->name);
        assert_int_equal((size_t)get(wi, "batch")->valuedouble, W->batch);
        if (W->net) {
            assert_string_equal(get(wi, "network")->valuestring, W->net);
            assert_int_equal((long)get(wi, "epochs")->valuedouble, W->epochs);
            assert_int_equal((long)get(wi, "tune_epochs")->valuedouble, W->tune_epochs);
        } else {
            assert_string_equal(get(wi, "problem")->valuestring, W->problem);
            assert_int_equal((long)get(wi, "steps")->valuedouble, W->steps);
            assert_true(get(wi, "kappa")->valuedouble == W->popts.kappa);
            assert_int_equal((size_t)get(wi, "dim")->valuedouble, W->popts.dim);
        }
    }
    /* every option of every optimizer, at the suite's value */
    const cJSON *o = get(s, "optimizers");
    assert_int_equal(cJSON_GetArraySize(o), (int)S->n_optimizers);
    for (size_t i = 0; i < S->n_optimizers; i++) {
        const ob_suite_optimizer *so = &S->optimizers[i];
        const cJSON *oi = cJSON_GetArrayItem(o, (int)i), *hp = get(oi, "hyperparameters");
        assert_string_equal(get(oi, "name")->valuestring, so->name);
        ob_hparams h = so->h;
        int n = 0;
        for (const ob_hp_option *op = so->T->options; op->name; op++, n++) {
            const cJSON *v = get(hp, op->name);
            if (!strcmp(op->name, "lr")) assert_string_equal(v->valuestring, "tuned");
            else if (op->kind == OB_HPK_FLAG) assert_int_equal(cJSON_IsTrue(v), *ob_hp_flag(&h, op->field));
            else if (op->kind == OB_HPK_PAIR) {
                assert_true(cJSON_GetArrayItem(v, 0)->valuedouble == *ob_hp_number(&h, op->field));
                assert_true(cJSON_GetArrayItem(v, 1)->valuedouble == *ob_hp_number(&h, op->field2));
            } else assert_true(v->valuedouble == *ob_hp_number(&h, op->field));
        }
        assert_int_equal(cJSON_GetArraySize(hp), n);
    }
    const cJSON *m = get(j, "machine");
    assert_int_equal(get(m, "cores")->valueint, (int)sysconf(_SC_NPROCESSORS_ONLN));
    assert_int_equal(get(m, "jobs")->valueint, 2);
    assert_non_null(get(m, "gsl")->valuestring);
    assert_non_null(get(m, "openblas")->valuestring);
    assert_non_null(get(m, "cpu")->valuestring);
    /* the file list names itself */
    const cJSON *f, *files = get(j, "files");
    int self = 0;
    cJSON_ArrayForEach(f, files) self |= !strcmp(get(f, "name")->valuestring, "optbench.json");
    assert_true(self);
    cJSON_Delete(j);
}

static void write_text(const char *sub, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/%s/optbench.json", dir, sub);
    FILE *fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
}

static void test_refusals(void **st)
{
    (void)st;
    char text[64], want[256];
    snprintf(text, sizeof text, "{\"format\": %d}\n", OB_PROVENANCE_FORMAT + 1);
    write_text("newer", text);
    assert_int_equal(run("plot --quiet %s/newer", dir), 2);
    char *err = slurp("stderr");
    snprintf(want, sizeof want, "optbench plot: %s/newer/optbench.json: format %d is newer than "
             "this optbench reads (format %d,", dir, OB_PROVENANCE_FORMAT + 1, OB_PROVENANCE_FORMAT);
    assert_non_null(strstr(err, want));
    assert_null(strchr(strchr(err, '\n') + 1, '\n')); /* one line */
    write_text("bad", "{\"format\": 1, \"suite\": ");
    assert_int_equal(run("plot --quiet %s/bad", dir), 2);
    snprintf(want, sizeof want, "optbench plot: %s/bad/optbench.json: not valid JSON", dir);
    assert_non_null(strstr(slurp("stderr"), want));
    write_text("noformat", "{\"suite\": {}}");
    assert_int_equal(run("plot --quiet %s/noformat", dir), 2);
    assert_non_null(strstr(slurp("stderr"), "no integer \"format\""));
    /* no optbench.json: accepted, with a note */
    char empty[256];
    snprintf(empty, sizeof empty, "%s/old", dir);
    mkdir(empty, 0777);
    cJSON *j = (cJSON *)1;
    ob_error e = {{0}};
    assert_int_equal(ob_provenance_read(empty, &j, &e), OB_OK);
    assert_null(j);
    char note[512];
    int bad;
    assert_non_null(ob_provenance_check(empty, note, sizeof note, &bad, &e));
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_refusals),
    };
    return ob_run_tests("provenance", tests, setup, teardown);
}
