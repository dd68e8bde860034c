/* fuzz_suite.c - the suite-file reader: ob_suite_load (bench/suite_file.c: the file read,
 * libinih's grammar through our reader, the keys of bench/suite_keys.c and
 * suite_workload.c, includes) on a file holding the input bytes, and ob_suite_parse on
 * the same bytes as a string.  Each must give a complete suite or fail with OB_EINVAL
 * and one line "FILE:LINE: ..." (or "FILE: ...": not text), its suite pointer NULL;
 * nothing may leak, crash or hang.
 *
 * A suite file may name plugins, which the parser loads with dlopen: this target is linked
 * with -Wl,--wrap=dlopen (Makefile), so the library's dlopen calls reach the stub below,
 * which fails: no input loads a shared object of the machine (an input naming one gets the
 * loader's "not a loadable shared object"). */
#include <stdint.h>

#include "bench/suite_file.h"
#include "fuzz/fuzz_util.h"

/* every dlopen of the library linked in here (optimizers/plugin.c) */
void *__wrap_dlopen(const char *file, int mode);
void *__wrap_dlopen(const char *file, int mode)
{
    (void)file;
    (void)mode;
    return NULL;
}

/* a parsed suite: what the benchmark relies on */
static void check_suite(const ob_suite *S, const char *text)
{
    FUZZ_CHECK(S->name && S->name[0] && S->source && S->text, "suite strings missing");
    FUZZ_CHECK(!text || !strcmp(S->text, text), "suite text differs from the input");
    FUZZ_CHECK(S->n_optimizers >= 1 && S->n_workloads >= 1, "%zu optimizers, %zu workloads",
               S->n_optimizers, S->n_workloads);
    FUZZ_CHECK(S->seeds >= 1 && S->grid.lo <= S->grid.hi && S->net_grid.lo <= S->net_grid.hi,
               "seeds or grids");
    for (size_t i = 0; i < S->n_optimizers; i++) {
        const ob_suite_optimizer *o = &S->optimizers[i];
        FUZZ_CHECK(o->T && o->name && o->n_points >= 1 && o->points && o->tags,
                   "optimizer %zu incomplete", i);
        for (int l = 0; l < o->n_lists; l++)
            FUZZ_CHECK(o->lists[l].n >= 1 && o->lists[l].v, "optimizer %s: empty list", o->name);
    }
    for (size_t i = 0; i < S->n_workloads; i++) {
        const ob_workload *w = &S->workloads[i];
        FUZZ_CHECK(w->name && (!w->problem != !w->net), "workload %zu: kind", i);
        FUZZ_CHECK(w->net ? w->epochs >= 1 && w->tune_epochs >= 1 : w->steps >= 1,
                   "workload %s: no budget", w->name);
        if (w->optimizers) /* names of the suite's optimizers, each once */
            for (const char *s = w->optimizers; *s;) {
                size_t n = strcspn(s, " "), hits = 0;
                for (size_t k = 0; k < S->n_optimizers; k++)
                    hits += strlen(S->optimizers[k].T->name) == n &&
                            !strncmp(S->optimizers[k].T->name, s, n);
                FUZZ_CHECK(hits == 1, "workload %s: optimizers '%s'", w->name, w->optimizers);
                s += n + (s[n] == ' ');
            }
    }
}

/* a failure: OB_EINVAL (or out of memory), no suite, one line naming the file (or, for
 * an error in a text it includes, that text and its line: "quick:12: ...") */
static void check_failure(ob_status st, const ob_error *e, const ob_suite *S, const char *file)
{
    FUZZ_CHECK(S == NULL, "a failed parse left a suite");
    fuzz_check_error(st, e, NULL, "ob_suite_parse");
    FUZZ_CHECK(st == OB_EINVAL || st == OB_ENOMEM, "status %s", ob_status_name(st));
    FUZZ_CHECK(!strchr(e->msg, '\n'), "a message of more than one line: %s", e->msg);
    const char *colon = strchr(e->msg, ':');
    long line = 0;
    int at = 0;
    FUZZ_CHECK(st == OB_ENOMEM || strstr(e->msg, file) ||
                   (colon && colon > e->msg && sscanf(colon, ":%ld: %n", &line, &at) == 1 &&
                    at > 0 && line >= 1),
               "the message names no file and line: %s", e->msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the file: relative paths in it (plugins, includes) start from its directory */
    const char *path = fuzz_write_file(data, size, "-suite.ini");
    ob_suite *S = (ob_suite *)1;
    ob_error e = {{0}};
    ob_status st = ob_suite_load(path, &S, &e);
    if (st == OB_OK) {
        check_suite(S, NULL);
        ob_suite_free(S);
    } else
        check_failure(st, &e, S, path);

    /* the text, up to a NUL byte (the file reader refuses one) */
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    S = (ob_suite *)1;
    e.msg[0] = '\0';
    st = ob_suite_parse(text, "fuzz.ini", NULL, NULL, &S, &e);
    if (st == OB_OK) {
        check_suite(S, text);
        ob_suite_free(S);
    } else
        check_failure(st, &e, S, "fuzz.ini");
    free(text);
    return 0;
}
