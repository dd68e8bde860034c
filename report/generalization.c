/* generalization.c - the report's "Training against test" table of a network workload,
 * from generalization.csv (tables/generalization.h). */
#include <stdio.h>
#include <string.h>

#include "plots/style.h"
#include "report/sections.h"
#include "tables/generalization.h"

/* "0.912 [0.905, 0.918]" with each number through fmt */
static void cell_iqr(ob_cell c, const ob_gen_summary *s, int k, int pct)
{
    ob_cell a, b, m;
    const char *(*f)(ob_cell, double) = pct ? ob_fmt_pct : ob_fmt_g;
    snprintf(c, sizeof(ob_cell), "%s [%s, %s]", f(m, s->med[k]), f(a, s->q1[k]), f(b, s->q3[k]));
}

void ob_section_generalization(ob_doc *d, const ob_report_tables *t, const char *w)
{
    if (!t->have_gen) return;
    const ob_table *G = &t->gen;
    const char *opt[OB_MAX_SERIES];
    size_t no = 0, idx[1];
    if (ob_rows_where(G, ob_table_col(G, "workload"), w, idx, 1) == 0) return;
    /* the optimizers of w, in canonical order */
    const char *all[OB_MAX_SERIES];
    size_t na = ob_optimizers_of(G, ob_table_col(G, "optimizer"), all, OB_MAX_SERIES);
    ob_gen_summary S[OB_MAX_SERIES];
    for (size_t k = 0; k < na; k++)
        if (ob_generalization_summary(G, w, all[k], &S[no])) opt[no++] = all[k];
    int comparable[OB_MAX_SERIES];
    size_t best = ob_generalization_comparable(S, no, comparable);
    static const char *const head[] = {"optimizer", "seeds", "final training accuracy",
                                       "final training loss", "test accuracy at the best validation epoch",
                                       "gap (training − test)"};
    ob_cell margin, top;
    snprintf(margin, sizeof margin, "%g", 100 * OB_GEN_COMPARABLE);
    ob_doc_p(d, "**Training against test** (generalization.csv): the training accuracy and "
                "loss at the last epoch, the test accuracy at the epoch of the best validation "
                "accuracy (the model one would keep), and the gap between the two accuracies; "
                "median [IQR] over seeds. A method that fits the training set fast but "
                "generalizes worse shows a high training accuracy with a wide gap. A gap is "
                "compared only among optimizers **trained to comparable accuracy**: a median "
                "final training accuracy at most %s percentage points below the best (%s, "
                "%s); a rule that barely trained has a small gap because it learned little. "
                "A negative gap means the last epoch's training accuracy fell below the test "
                "accuracy of an earlier, better epoch.",
             margin, best < no ? opt[best] : "none", best < no ? ob_fmt_pct(top, S[best].med[OB_GEN_TRAIN_ACC]) : "—");
    ob_doc_table_head(d, head, 6, "lrrrrr");
    size_t best_test = no, small_gap = no, shown = 0;
    for (size_t k = 0; k < no; k++) {
        if (!comparable[k]) continue;
        ob_cell n, a, l, te, g;
        snprintf(n, sizeof n, "%zu", S[k].seeds);
        cell_iqr(a, &S[k], OB_GEN_TRAIN_ACC, 1);
        cell_iqr(l, &S[k], OB_GEN_TRAIN_LOSS, 0);
        cell_iqr(te, &S[k], OB_GEN_TEST_ACC, 1);
        cell_iqr(g, &S[k], OB_GEN_GAP, 1);
        const char *cells[6] = {opt[k], n, a, l, te, g};
        ob_doc_table_row(d, cells, 6);
        shown++;
        if (best_test == no || S[k].med[OB_GEN_TEST_ACC] > S[best_test].med[OB_GEN_TEST_ACC])
            best_test = k;
        if (small_gap == no || S[k].med[OB_GEN_GAP] < S[small_gap].med[OB_GEN_GAP]) small_gap = k;
    }
    ob_doc_table_end(d);
    if (shown < no) { /* the others, by name with their training accuracy */
        char list[2048] = "";
        size_t used = 0;
        for (size_t k = 0; k < no && used < sizeof list; k++) {
            if (comparable[k]) continue;
            ob_cell a;
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s (%s)",
                                     used ? ", " : "", opt[k],
                                     ob_fmt_pct(a, S[k].med[OB_GEN_TRAIN_ACC]));
        }
        ob_doc_p(d, "**Not trained to comparable accuracy** (median final training accuracy "
                    "more than %s points below the best; their gaps are not compared, "
                    "generalization.csv has them): %s.",
                 margin, list);
    }
    if (shown > 1) {
        ob_cell a, b;
        ob_doc_p(d, "Among the optimizers trained to comparable accuracy: highest median test "
                    "accuracy **%s** (%s); smallest median gap **%s** (%s).",
                 opt[best_test], ob_fmt_pct(a, S[best_test].med[OB_GEN_TEST_ACC]),
                 opt[small_gap], ob_fmt_pct(b, S[small_gap].med[OB_GEN_GAP]));
    }
}
