/* oracle.c - the sentence of the report's workload sections that states what each
 * optimizer received (the gradient oracle), from oracle.csv (tables/tables.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plots/style.h"
#include "report/sections.h"

/* "the full gradient", "mini-batches of 32 samples", "gradient noise of norm 0.1";
 * batched: another rule on the workload takes mini-batches (a full gradient is then a
 * full pass, and costs N sample gradients) */
static void oracle_words(char *buf, size_t cap, int net, double noise, double batch,
                         int batched)
{
    if (net && batch == 0)
        snprintf(buf, cap, "the whole training set at every step");
    else if (batch > 0)
        snprintf(buf, cap, net ? "mini-batches of %.0f samples" : "mini-batches of %.0f samples "
                 "(a step costs %.0f sample gradients)", batch, batch);
    else if (noise > 0)
        snprintf(buf, cap, "the full gradient plus Gaussian noise of norm σ = %g", noise);
    else if (batched)
        snprintf(buf, cap, "the full gradient, a full pass of the finite sum at every step "
                 "(a step costs N sample gradients)");
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
    int done[OB_MAX_SERIES * 4] = {0}, groups = 0, batched = 0;
    for (size_t i = 0; i < n; i++) batched |= ob_table_num(O, rows[i], bc) > 0;
    for (size_t i = 0; i < n; i++) {
        if (done[i]) continue;
        double noise = ob_table_num(O, rows[i], nc), batch = ob_table_num(O, rows[i], bc);
        int net = !strcmp(ob_table_str(O, rows[i], kc), "network");
        char what[160];
        oracle_words(what, sizeof what, net, noise, batch, batched);
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
    /* a noise workload gives gd and sgd the same gradient: the same rule there */
    size_t gd = n, sgd = n;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(names[i], "gd")) gd = i;
        if (!strcmp(names[i], "sgd")) sgd = i;
    }
    const char *same = gd < n && sgd < n && ob_table_num(O, rows[gd], nc) > 0 &&
                               ob_table_num(O, rows[gd], nc) == ob_table_num(O, rows[sgd], nc) &&
                               ob_table_num(O, rows[gd], bc) == ob_table_num(O, rows[sgd], bc)
                           ? " (gd and sgd are the same rule on it: x -= lr*g with the same "
                             "noisy g)"
                           : "";
    ob_doc_p(d, "**What each optimizer received:** %s%s.", text, same);
}

/* name once in names[0..*n) (at most cap) */
static void add_once(const char **names, size_t *n, size_t cap, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(names[i], name)) return;
    if (*n < cap) names[(*n)++] = name;
}

/* names[0..n) as "a, b, c" after buf[*len] */
static void join(char *buf, size_t cap, size_t *len, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        *len += (size_t)snprintf(buf + *len, *len < cap ? cap - *len : 0, "%s%s", i ? ", " : "",
                                 names[i]);
}

void ob_section_skipped(ob_doc *d, const ob_report_tables *t)
{
    if (!t->have_skipped || t->skipped.rows == 0) return;
    const ob_table *S = &t->skipped;
    int wc = ob_table_col(S, "workload"), oc = ob_table_col(S, "optimizer"),
        lc = ob_table_col(S, "lr"), rc = ob_table_col(S, "reason");
    if (wc < 0 || oc < 0 || lc < 0 || rc < 0) return;
    enum { CAP = OB_MAX_SERIES * 4 };
    const char *decay_opt[CAP], *decay_w[CAP], *out_opt[CAP], *out_w[CAP];
    size_t nd = 0, ndw = 0, no = 0, now = 0, points = 0;
    double lr_lo = INFINITY;
    for (size_t i = 0; i < S->rows; i++) {
        const char *reason = ob_table_str(S, i, rc);
        double lr = ob_table_num(S, i, lc);
        if (isfinite(lr)) { /* a grid point skipped for its decay */
            points++;
            add_once(decay_opt, &nd, CAP, ob_table_str(S, i, oc));
            add_once(decay_w, &ndw, CAP, ob_table_str(S, i, wc));
            if (lr < lr_lo) lr_lo = lr;
        } else if (strstr(reason, "line search")) { /* a GSL minimizer on a stochastic workload */
            add_once(out_opt, &no, CAP, ob_table_str(S, i, oc));
            add_once(out_w, &now, CAP, ob_table_str(S, i, wc));
        }
    }
    if (!points && !no) return;
    char text[4096] = "";
    size_t len = 0;
    if (points) {
        ob_style_sort(decay_opt, nd);
        len += (size_t)snprintf(text, sizeof text, "%zu tuning-grid point%s of ", points,
                                points == 1 ? "" : "s");
        join(text, sizeof text, &len, decay_opt, nd);
        len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0,
                                " (lr from %.3g, on %zu workload%s) where the decay alone "
                                "multiplies x by 1 - lr·wd ≤ 0 a step, outside the rule's "
                                "meaningful range: it would reach a minimizer at the origin "
                                "for free",
                                lr_lo, ndw, ndw == 1 ? "" : "s");
    }
    if (no) {
        ob_style_sort(out_opt, no);
        len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0, "%s",
                                points ? "; " : "");
        join(text, sizeof text, &len, out_opt, no);
        len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0,
                                " on the stochastic workload%s ", now == 1 ? "" : "s");
        join(text, sizeof text, &len, out_w, now);
        len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0,
                                ", whose line searches need exact function values");
    }
    ob_doc_p(d, "**Not run** (skipped.csv): %s.", text);
}
