/* oracle.c - the sentence of the report's workload sections that states what each
 * optimizer received (the gradient oracle), from oracle.csv (tables/tables.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plots/style.h"
#include "report/sections.h"

/* "the full gradient", "mini-batches of 32 samples", "gradient noise of norm 0.1" */
static void oracle_words(char *buf, size_t cap, int net, double noise, double batch)
{
    if (net && batch == 0)
        snprintf(buf, cap, "the whole training set at every step");
    else if (batch > 0)
        snprintf(buf, cap, "mini-batches of %.0f samples", batch);
    else if (noise > 0)
        snprintf(buf, cap, "the full gradient plus Gaussian noise of norm σ = %g", noise);
    else
        snprintf(buf, cap, "the full gradient");
}

void ob_section_oracle(ob_doc *d, const ob_report_tables *t, const char *w)
{
    if (!t->have_oracle) return;
    const ob_table *O = &t->oracle;
    int oc = ob_table_col(O, "optimizer"), nc = ob_table_col(O, "noise"),
        bc = ob_table_col(O, "batch"), kc = ob_table_col(O, "kind");
    size_t idx[OB_MAX_SERIES * 4];
    size_t n = ob_rows_where(O, ob_table_col(O, "workload"), w, idx, sizeof idx / sizeof *idx);
    if (n == 0) return;
    /* the optimizers grouped by what they received, groups in order of first appearance
     * in the canonical optimizer order */
    const char *names[OB_MAX_SERIES * 4];
    size_t rows[OB_MAX_SERIES * 4];
    for (size_t i = 0; i < n; i++) names[i] = ob_table_str(O, idx[i], oc);
    ob_style_sort(names, n);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++)
            if (!strcmp(ob_table_str(O, idx[k], oc), names[i])) rows[i] = idx[k];
    char text[4096] = "";
    size_t len = 0;
    int done[OB_MAX_SERIES * 4] = {0}, groups = 0;
    for (size_t i = 0; i < n; i++) {
        if (done[i]) continue;
        double noise = ob_table_num(O, rows[i], nc), batch = ob_table_num(O, rows[i], bc);
        int net = !strcmp(ob_table_str(O, rows[i], kc), "network");
        char what[128];
        oracle_words(what, sizeof what, net, noise, batch);
        len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0, "%s%s: ",
                                groups++ ? "; " : "", what);
        for (size_t k = i, first = 1; k < n; k++)
            if (!done[k] && ob_table_num(O, rows[k], nc) == noise &&
                ob_table_num(O, rows[k], bc) == batch) {
                done[k] = 1;
                len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0,
                                        "%s%s", first ? "" : ", ", names[k]);
                first = 0;
            }
    }
    ob_doc_p(d, "**What each optimizer received:** %s.", text);
}
