/* suite.c - the built-in benchmark suites: the registry over their texts, the files
 * bench/suites/NAME.ini embedded at build time (the Makefile writes them as C strings
 * into $(BUILD)/bench/suites.c), parsed by the same parser as `optbench bench --suite
 * FILE`.  `optbench bench --suite NAME --print-suite` prints the text, which, run as a
 * file, gives the same tables (an include of a built-in names it, which resolves
 * anywhere).  Each file's comment says what the suite is for. */
#include <stddef.h>
#include <string.h>

#include "bench/bench.h"
#include "bench/suite_file.h"
#include "nets/train.h"


/* the built-ins, in the order `optbench list` shows them; each has its bench/suites file */
const char *const ob_suite_names[] = {"quick", "full", "smoke", NULL};
#define N_SUITES (sizeof ob_suite_names / sizeof *ob_suite_names - 1)

const char *ob_suite_builtin_text(const char *name)
{
    for (size_t i = 0; i < N_SUITES; i++)
        if (strcmp(ob_suite_names[i], name) == 0)
            for (const ob_suite_embedded *e = ob_suite_embedded_texts; e->name; e++)
                if (strcmp(e->name, name) == 0) return e->text;
    return NULL;
}

/* Each built-in is parsed on its first use and kept for the life of the process: the
 * registry must be complete by then (`optimizers = all` reads it). */
const ob_suite *ob_suite_find(const char *name)
{
    static ob_suite *parsed[N_SUITES];
    const char *text = ob_suite_builtin_text(name);
    for (size_t i = 0; text && i < N_SUITES; i++) {
        if (strcmp(ob_suite_names[i], name) != 0) continue;
        if (!parsed[i] && ob_suite_parse(text, name, NULL, name, &parsed[i], NULL) != OB_OK)
            return NULL;
        return parsed[i];
    }
    return NULL;
}

void ob_suite_oracle(const ob_workload *w, const ob_optimizer_type *T, double *noise,
                     size_t *batch)
{
    *noise = 0;
    *batch = 0;
    if (w->net) { /* nets/train.c: a full-gradient rule takes the whole training set */
        if (!T->full_gradient) *batch = w->batch ? w->batch : OB_TRAIN_BATCH;
        return;
    }
    *noise = w->noise;                        /* gd and sgd are the same rule here */
    *batch = T->full_gradient ? 0 : w->batch; /* gd: a full pass of the finite sum */
}

const char *ob_suite_sits_out(const ob_workload *w, const ob_optimizer_type *T)
{
    if (!T->needs_objective) return NULL;
    if (w->net) return "trains no network (it needs the exact objective)";
    if (w->noise > 0 || w->batch > 0)
        return "needs exact function values for its line searches (a stochastic workload)";
    return NULL;
}
