/* report.c - DIR/report.md and DIR/index.html from the result tables and the figures
 * (see report.h).
 *
 * The report is built once, block by block (heading, paragraph, list, table, figure),
 * and every block is written twice as it is built: as Markdown and as HTML.  Paragraph
 * text uses two bits of Markdown, **bold** and `code`, which the HTML side translates,
 * so the two files say the same thing by construction. */
#include "report/report.h"

#include <dirent.h>

#include "plots/gnuplot.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "plots/draw.h"
#include "plots/sbuf.h"
#include "plots/style.h"
#include "common/table.h"

/* ---- the two-format document ---- */

typedef struct {
    ob_sbuf md, html;
    int figno;
} doc;

/* HTML-escapes s (len bytes) into b. */
static void esc_n(ob_sbuf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c[2] = {s[i], 0};
        ob_sbuf_puts(b, s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : s[i] == '&' ? "&amp;"
                        : s[i] == '"' ? "&quot;" : c);
    }
}

/* Text with **bold** and `code` as HTML. */
static void inline_html(ob_sbuf *b, const char *s)
{
    while (*s) {
        const char *end;
        if (s[0] == '`' && (end = strchr(s + 1, '`'))) {
            ob_sbuf_puts(b, "<code>");
            esc_n(b, s + 1, (size_t)(end - s - 1));
            ob_sbuf_puts(b, "</code>");
            s = end + 1;
        } else if (s[0] == '*' && s[1] == '*' && (end = strstr(s + 2, "**"))) {
            ob_sbuf_puts(b, "<strong>");
            esc_n(b, s + 2, (size_t)(end - s - 2));
            ob_sbuf_puts(b, "</strong>");
            s = end + 2;
        } else {
            esc_n(b, s, 1);
            s++;
        }
    }
}

static void doc_h(doc *d, int level, const char *text)
{
    for (int i = 0; i < level; i++) ob_sbuf_puts(&d->md, "#");
    ob_sbuf_printf(&d->md, " %s\n\n", text);
    ob_sbuf_printf(&d->html, "<h%d>", level);
    inline_html(&d->html, text);
    ob_sbuf_printf(&d->html, "</h%d>\n", level);
}

static void doc_p(doc *d, const char *text)
{
    ob_sbuf_printf(&d->md, "%s\n\n", text);
    ob_sbuf_puts(&d->html, "<p>");
    inline_html(&d->html, text);
    ob_sbuf_puts(&d->html, "</p>\n");
}

static void doc_ul(doc *d, int open)
{
    if (!open) ob_sbuf_puts(&d->md, "\n");
    ob_sbuf_puts(&d->html, open ? "<ul>\n" : "</ul>\n");
}

static void doc_li(doc *d, const char *text)
{
    ob_sbuf_printf(&d->md, "- %s\n", text);
    ob_sbuf_puts(&d->html, "<li>");
    inline_html(&d->html, text);
    ob_sbuf_puts(&d->html, "</li>\n");
}

/* A Markdown table cell: '|' would end it. */
static void md_cell(ob_sbuf *b, const char *s)
{
    for (; *s; s++) ob_sbuf_puts(b, *s == '|' ? "\\|" : (char[2]){*s, 0});
}

/* align: one char per column, 'l' or 'r'. */
static void doc_table_head(doc *d, const char *const *head, size_t n, const char *align)
{
    ob_sbuf_puts(&d->md, "|");
    ob_sbuf_puts(&d->html, "<table>\n<thead><tr>");
    for (size_t j = 0; j < n; j++) {
        ob_sbuf_puts(&d->md, " ");
        md_cell(&d->md, head[j]);
        ob_sbuf_puts(&d->md, " |");
        ob_sbuf_printf(&d->html, "<th class=\"%c\">", align[j]);
        inline_html(&d->html, head[j]);
        ob_sbuf_puts(&d->html, "</th>");
    }
    ob_sbuf_puts(&d->md, "\n|");
    for (size_t j = 0; j < n; j++) ob_sbuf_puts(&d->md, align[j] == 'r' ? "---:|" : "---|");
    ob_sbuf_puts(&d->md, "\n");
    ob_sbuf_puts(&d->html, "</tr></thead>\n<tbody>\n");
}

static void doc_table_row(doc *d, const char *const *cells, size_t n, const char *align)
{
    ob_sbuf_puts(&d->md, "|");
    ob_sbuf_puts(&d->html, "<tr>");
    for (size_t j = 0; j < n; j++) {
        ob_sbuf_puts(&d->md, " ");
        md_cell(&d->md, cells[j]);
        ob_sbuf_puts(&d->md, " |");
        ob_sbuf_printf(&d->html, "<td class=\"%c\">", align[j]);
        inline_html(&d->html, cells[j]);
        ob_sbuf_puts(&d->html, "</td>");
    }
    ob_sbuf_puts(&d->md, "\n");
    ob_sbuf_puts(&d->html, "</tr>\n");
}

static void doc_table_end(doc *d)
{
    ob_sbuf_puts(&d->md, "\n");
    ob_sbuf_puts(&d->html, "</tbody>\n</table>\n");
}

/* A figure: src relative to the report, caption a paragraph. */
static void doc_fig(doc *d, const char *src, const char *caption)
{
    d->figno++;
    ob_sbuf_printf(&d->md, "![Figure %d](%s)\n\n**Figure %d.** %s\n\n", d->figno, src, d->figno,
                   caption);
    ob_sbuf_puts(&d->html, "<figure><a href=\"");
    esc_n(&d->html, src, strlen(src));
    ob_sbuf_puts(&d->html, "\"><img src=\"");
    esc_n(&d->html, src, strlen(src));
    ob_sbuf_printf(&d->html, "\" alt=\"Figure %d\" loading=\"eager\"></a>\n<figcaption><strong>Figure "
                             "%d.</strong> ", d->figno, d->figno);
    inline_html(&d->html, caption);
    ob_sbuf_puts(&d->html, "</figcaption></figure>\n");
}

/* ---- formatting numbers ---- */

typedef char cell[96];

static const char *fmt_g(cell c, double x)
{
    if (isnan(x)) return strcpy(c, "—");
    if (isinf(x)) return strcpy(c, x > 0 ? "∞" : "−∞");
    snprintf(c, sizeof(cell), "%.3g", x);
    return c;
}

static const char *fmt_steps(cell c, double x)
{
    if (!isfinite(x)) return strcpy(c, "—");
    snprintf(c, sizeof(cell), "%.0f", x);
    return c;
}

static const char *fmt_pct(cell c, double x)
{
    if (!isfinite(x)) return strcpy(c, "—");
    snprintf(c, sizeof(cell), "%.1f %%", 100 * x);
    return c;
}

/* A duration: "850 µs", "12.3 ms", "4.2 s", "3 min 05 s", "1 h 02 min". */
static const char *fmt_time(cell c, double s)
{
    if (!isfinite(s)) return strcpy(c, "—");
    if (s < 1e-3)
        snprintf(c, sizeof(cell), "%.3g µs", s * 1e6);
    else if (s < 1)
        snprintf(c, sizeof(cell), "%.3g ms", s * 1e3);
    else if (s < 60)
        snprintf(c, sizeof(cell), "%.3g s", s);
    else if (s < 3600)
        snprintf(c, sizeof(cell), "%d min %02d s", (int)(s / 60), (int)fmod(s, 60));
    else
        snprintf(c, sizeof(cell), "%d h %02d min", (int)(s / 3600), (int)fmod(s / 60, 60));
    return c;
}

/* ---- the tables of DIR ---- */

typedef struct {
    ob_table machine, ranking, chosen;
    int have_machine, have_ranking, have_chosen;
} tables;

static const char *machine_get(const tables *t, const char *key)
{
    if (!t->have_machine) return NULL;
    int k = ob_table_col(&t->machine, "key"), v = ob_table_col(&t->machine, "value");
    for (size_t i = 0; i < t->machine.rows; i++)
        if (strcmp(ob_table_str(&t->machine, i, k), key) == 0) return ob_table_str(&t->machine, i, v);
    return NULL;
}

static double rnum(const tables *t, size_t i, const char *col)
{
    return ob_table_num(&t->ranking, i, ob_table_col(&t->ranking, col));
}

static const char *rstr(const tables *t, size_t i, const char *col)
{
    return ob_table_str(&t->ranking, i, ob_table_col(&t->ranking, col));
}

/* ---- sections ---- */

static void figure_of(doc *d, const ob_figure_list *figs, const char *recipe, const char *w)
{
    char name[256], src[300], cap[2048];
    if (w)
        snprintf(name, sizeof name, "%s-%s", recipe, w);
    else
        snprintf(name, sizeof name, "%s", recipe);
    const ob_figure *f = ob_figure_find(figs, name);
    if (!f || f->status != OB_OK) return;
    snprintf(src, sizeof src, "figures/%s.png", name);
    const char *fmt = f->recipe->caption;
    if (strstr(fmt, "%s")) { /* the one %s is the workload, in bold */
        const char *p = strstr(fmt, "%s");
        snprintf(cap, sizeof cap, "%.*s**%s**%s", (int)(p - fmt), fmt, w ? w : "", p + 2);
    } else {
        snprintf(cap, sizeof cap, "%s", fmt);
    }
    doc_fig(d, src, cap);
}

static void section_intro(doc *d, const tables *t, const ob_result_list *w)
{
    char s[1024], on[128] = "", su[128] = "";
    const char *date = machine_get(t, "date"), *suite = machine_get(t, "suite");
    if (date) snprintf(on, sizeof on, ", run on %.80s", date);
    if (suite) snprintf(su, sizeof su, ", suite **%.80s**", suite);
    size_t na = 0, nn = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (w->v[i].kind == OB_KIND_NETWORK)
            nn++;
        else
            na++;
    }
    doc_h(d, 1, "Optimizer benchmark report");
    snprintf(s, sizeof s,
             "%zu analytic workload%s and %zu network workload%s%s%s. Everything here was "
             "drawn from the CSV tables in this directory by `optbench plot`; rerun it to redraw "
             "the figures and this report without rerunning the benchmark.",
             na, na == 1 ? "" : "s", nn, nn == 1 ? "" : "s", su, on);
    doc_p(d, s);

    doc_h(d, 2, "How to read this report");
    doc_ul(d, 1);
    doc_li(d, "**Fair tuning.** Each optimizer's learning rate was tuned separately on every "
              "workload on a logarithmic grid, and the best setting by the criterion below was "
              "then rerun with several seeds (different start points or data order). Numbers are "
              "medians over those seeds, with the inter-quartile range (IQR: from the 25th to the "
              "75th percentile) where a spread is shown, never a single lucky run.");
    doc_li(d, "**Loss gap** f - f*: how far the loss is above the optimal value f*. Targets are "
              "relative: a run reaches target 1e-3 when its gap falls below 1e-3 times its gap "
              "at the start. **Steps to** a target is the median number of updates needed; — means "
              "the median run never got there within the budget.");
    doc_li(d, "**Rank** orders the optimizers on each workload, 1 being the best, as the "
              "benchmark ranked them (the rank column of ranking.csv; see its README).");
    doc_li(d, "**Colours.** Every optimizer has one colour and one marker in every figure; GSL's "
              "quasi-Newton and conjugate-gradient minimizers (gsl-bfgs, gsl-cg, dashed) are "
              "reference lines, not competitors: they use line searches and several gradient "
              "evaluations per step.");
    doc_li(d, "**Performance profiles** and the **ECDF** summarize the whole suite: the higher "
              "and further left a curve, the faster an optimizer reached the targets across all "
              "workloads.");
    doc_ul(d, 0);
}

static void section_machine(doc *d, const tables *t, double seconds_plots)
{
    static const char al[] = "ll", al2[] = "lr";
    doc_h(d, 2, "Machine, versions and timing");
    if (!t->have_machine) {
        doc_p(d, "No machine.csv was found: the machine and versions are unknown.");
    } else {
        static const char *const head[] = {"", "value"};
        doc_table_head(d, head, 2, al);
        int k = ob_table_col(&t->machine, "key"), v = ob_table_col(&t->machine, "value");
        for (size_t i = 0; i < t->machine.rows; i++) {
            const char *key = ob_table_str(&t->machine, i, k);
            if (strncmp(key, "seconds_", 8) == 0 || strcmp(key, "tuning_criterion") == 0) continue;
            const char *cells[2] = {key, ob_table_str(&t->machine, i, v)};
            doc_table_row(d, cells, 2, al);
        }
        doc_table_end(d);
    }
    static const char *const head[] = {"part", "wall-clock time"};
    doc_table_head(d, head, 2, al2);
    int plots_seen = 0;
    for (size_t i = 0; t->have_machine && i < t->machine.rows; i++) {
        const char *key = ob_table_str(&t->machine, i, ob_table_col(&t->machine, "key"));
        if (strncmp(key, "seconds_", 8) != 0) continue;
        plots_seen |= strcmp(key, "seconds_plots") == 0;
        cell c;
        const char *cells[2] = {key + 8, fmt_time(c, ob_table_num(&t->machine, i,
                                                                   ob_table_col(&t->machine, "value")))};
        doc_table_row(d, cells, 2, al2);
    }
    cell c;
    const char *cells[2] = {plots_seen ? "this rendering (optbench plot)" : "plots", fmt_time(c, seconds_plots)};
    doc_table_row(d, cells, 2, al2);
    doc_table_end(d);
}

static void section_tuning(doc *d, const tables *t, const ob_result_list *w)
{
    doc_h(d, 2, "Tuning protocol and the chosen learning rates");
    char s[2048];
    if (!t->have_chosen) {
        doc_p(d, "No chosen.csv was found: the tuned settings are unknown.");
        return;
    }
    const ob_table *c = &t->chosen;
    int lo = ob_table_col(c, "grid_lo"), hi = ob_table_col(c, "grid_hi"),
        np = ob_table_col(c, "grid_points"), wc = ob_table_col(c, "workload"),
        oc = ob_table_col(c, "optimizer"), lc = ob_table_col(c, "lr"), sc = ob_table_col(c, "score");
    /* the distinct grids, usually one */
    doc_ul(d, 1);
    double seen[8][3];
    size_t ns = 0;
    for (size_t i = 0; i < c->rows && ns < 8; i++) {
        double g[3] = {ob_table_num(c, i, lo), ob_table_num(c, i, hi), ob_table_num(c, i, np)};
        int dup = 0;
        for (size_t k = 0; k < ns; k++) dup |= seen[k][0] == g[0] && seen[k][1] == g[1] && seen[k][2] == g[2];
        if (dup || !(g[0] > 0 && g[1] > g[0] && g[2] >= 2)) continue;
        memcpy(seen[ns++], g, sizeof g);
        snprintf(s, sizeof s,
                 "**Grid%s:** %.0f learning rates spaced evenly in log scale from %.3g to %.3g "
                 "(%.3g per decade), one seed-0 run each.",
                 ns == 1 ? "" : " (some workloads)", g[2], g[0], g[1],
                 (g[2] - 1) / log10(g[1] / g[0]));
        doc_li(d, s);
    }
    const char *crit = machine_get(t, "tuning_criterion");
    snprintf(s, sizeof s, "**Criterion:** %s; the grid point with the lowest score is chosen.",
             crit ? crit : "the score column of tuning.csv (lower is better; a diverged run scores inf)");
    doc_li(d, s);
    const char *seeds = machine_get(t, "seeds");
    if (seeds) {
        snprintf(s, sizeof s, "**Final runs:** the chosen learning rate, %s seeds.", seeds);
        doc_li(d, s);
    }
    doc_ul(d, 0);

    /* the chosen lr: workloads down, optimizers across */
    const char *opt[OB_MAX_SERIES];
    size_t no = ob_optimizers_of(c, oc, opt, OB_MAX_SERIES);
    const char *head[OB_MAX_SERIES + 1] = {"workload"};
    char al[OB_MAX_SERIES + 2] = "l";
    for (size_t k = 0; k < no; k++) head[k + 1] = opt[k], al[k + 1] = 'r';
    doc_p(d, "The learning rate tuning chose for each workload and optimizer (∞ score: every "
             "grid point diverged):");
    doc_table_head(d, head, no + 1, al);
    for (size_t i = 0; i < w->n; i++) {
        cell cs[OB_MAX_SERIES];
        const char *cells[OB_MAX_SERIES + 1] = {w->v[i].name};
        int any = 0;
        for (size_t k = 0; k < no; k++) {
            cells[k + 1] = "—";
            for (size_t r = 0; r < c->rows; r++)
                if (strcmp(ob_table_str(c, r, wc), w->v[i].name) == 0 &&
                    strcmp(ob_table_str(c, r, oc), opt[k]) == 0) {
                    fmt_g(cs[k], ob_table_num(c, r, lc));
                    if (isinf(ob_table_num(c, r, sc))) strcat(cs[k], " (∞)");
                    cells[k + 1] = cs[k];
                    any = 1;
                }
        }
        if (any) doc_table_row(d, cells, no + 1, al);
    }
    doc_table_end(d);
}

/* Rows of ranking.csv for workload w, by rank (then canonical optimizer order). */
static size_t ranking_rows(const tables *t, const char *w, size_t *idx, size_t cap)
{
    if (!t->have_ranking) return 0;
    size_t n = ob_rows_where(&t->ranking, ob_table_col(&t->ranking, "workload"), w, idx, cap);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            double a = rnum(t, idx[j - 1], "rank"), b = rnum(t, idx[j], "rank");
            if (isnan(a)) a = INFINITY;
            if (isnan(b)) b = INFINITY;
            int swap = a > b || (a == b && ob_style_cmp(rstr(t, idx[j - 1], "optimizer"),
                                                        rstr(t, idx[j], "optimizer")) > 0);
            if (!swap) break;
            size_t tmp = idx[j];
            idx[j] = idx[j - 1], idx[j - 1] = tmp;
        }
    return n;
}

static void overall_table(doc *d, const tables *t, const ob_result_list *w)
{
    if (!t->have_ranking) return;
    const char *opt[OB_MAX_SERIES];
    size_t no = ob_optimizers_of(&t->ranking, ob_table_col(&t->ranking, "optimizer"), opt, OB_MAX_SERIES);
    static const char *const head[] = {"optimizer", "workloads", "ranked first", "median rank",
                                       "runs diverged"};
    static const char al[] = "lrrrr";
    doc_p(d, "Across workloads (from ranking.csv):");
    doc_table_head(d, head, 5, al);
    for (size_t k = 0; k < no; k++) {
        double ranks[1024];
        size_t nr = 0, first = 0;
        double div = 0, runs = 0;
        for (size_t i = 0; i < t->ranking.rows && nr < 1024; i++) {
            if (strcmp(rstr(t, i, "optimizer"), opt[k]) != 0) continue;
            double r = rnum(t, i, "rank");
            if (isfinite(r)) ranks[nr++] = r;
            if (r == 1) first++;
            double dv = rnum(t, i, "diverged"), sd = rnum(t, i, "seeds");
            if (isfinite(dv)) div += dv;
            if (isfinite(sd)) runs += sd;
        }
        for (size_t i = 1; i < nr; i++) /* insertion sort for the median */
            for (size_t j = i; j > 0 && ranks[j - 1] > ranks[j]; j--) {
                double tmp = ranks[j];
                ranks[j] = ranks[j - 1], ranks[j - 1] = tmp;
            }
        double med = nr == 0 ? NAN : nr % 2 ? ranks[nr / 2] : 0.5 * (ranks[nr / 2 - 1] + ranks[nr / 2]);
        cell a, b, c, e;
        snprintf(a, sizeof a, "%zu", nr);
        snprintf(b, sizeof b, "%zu", first);
        snprintf(e, sizeof e, "%.0f of %.0f", div, runs);
        const char *cells[5] = {opt[k], a, b, fmt_g(c, med), e};
        doc_table_row(d, cells, 5, al);
    }
    doc_table_end(d);
    (void)w;
}

static void analytic_table(doc *d, const tables *t, const char *w)
{
    size_t idx[OB_MAX_SERIES * 4];
    size_t n = ranking_rows(t, w, idx, sizeof idx / sizeof *idx);
    if (n == 0) {
        doc_p(d, "No ranking for this workload (ranking.csv has no rows for it).");
        return;
    }
    static const char *const head[] = {"rank", "optimizer", "lr", "diverged", "steps to 1e-1",
                                       "steps to 1e-3", "steps to 1e-6 (reached)",
                                       "final gap: median [IQR]", "time per step"};
    static const char al[] = "rlrrrrrrr";
    doc_table_head(d, head, 9, al);
    for (size_t k = 0; k < n; k++) {
        size_t i = idx[k];
        cell rk, lr, dv, s1, s3, s6, gap, tps, a, b, c;
        snprintf(rk, sizeof rk, "%s", fmt_steps(a, rnum(t, i, "rank")));
        fmt_g(lr, rnum(t, i, "lr"));
        snprintf(dv, sizeof dv, "%s of %s", fmt_steps(a, rnum(t, i, "diverged")),
                 fmt_steps(b, rnum(t, i, "seeds")));
        fmt_steps(s1, rnum(t, i, "median_steps_to_1e-1"));
        fmt_steps(s3, rnum(t, i, "median_steps_to_1e-3"));
        snprintf(s6, sizeof s6, "%s (%s of %s)", fmt_steps(a, rnum(t, i, "median_steps_to_1e-6")),
                 fmt_steps(b, rnum(t, i, "reached_1e-6")), fmt_steps(c, rnum(t, i, "seeds")));
        cell g1, g3;
        snprintf(gap, sizeof gap, "%s [%s, %s]", fmt_g(a, rnum(t, i, "median_final_gap")),
                 fmt_g(g1, rnum(t, i, "q1_final_gap")), fmt_g(g3, rnum(t, i, "q3_final_gap")));
        fmt_time(tps, rnum(t, i, "median_seconds_per_step"));
        const char *cells[9] = {rk, rstr(t, i, "optimizer"), lr, dv, s1, s3, s6, gap, tps};
        doc_table_row(d, cells, 9, al);
    }
    doc_table_end(d);
}

static void network_table(doc *d, const tables *t, const char *w)
{
    size_t idx[OB_MAX_SERIES * 4];
    size_t n = ranking_rows(t, w, idx, sizeof idx / sizeof *idx);
    if (n == 0) {
        doc_p(d, "No ranking for this workload (ranking.csv has no rows for it).");
        return;
    }
    static const char *const head[] = {"rank", "optimizer", "lr", "diverged",
                                       "best validation accuracy", "test accuracy", "time per epoch"};
    static const char al[] = "rlrrrrr";
    doc_table_head(d, head, 7, al);
    for (size_t k = 0; k < n; k++) {
        size_t i = idx[k];
        cell rk, lr, dv, va, ta, ep, a, b;
        fmt_steps(rk, rnum(t, i, "rank"));
        fmt_g(lr, rnum(t, i, "lr"));
        snprintf(dv, sizeof dv, "%s of %s", fmt_steps(a, rnum(t, i, "diverged")),
                 fmt_steps(b, rnum(t, i, "seeds")));
        fmt_pct(va, rnum(t, i, "median_best_val_acc"));
        fmt_pct(ta, rnum(t, i, "median_test_acc"));
        fmt_time(ep, rnum(t, i, "median_epoch_seconds"));
        const char *cells[7] = {rk, rstr(t, i, "optimizer"), lr, dv, va, ta, ep};
        doc_table_row(d, cells, 7, al);
    }
    doc_table_end(d);
}

static void section_workloads(doc *d, const tables *t, const ob_result_list *w,
                              const ob_figure_list *figs, ob_workload_kind kind)
{
    static const char *const analytic_figs[] = {"contour", "surface3d", "gap-steps", "gap-seconds",
                                                "gnorm-steps", "lr", NULL};
    static const char *const network_figs[] = {"net-loss", "net-acc", "lr", "regularization",
                                               "gap-steps", "gap-seconds", "gnorm-steps", NULL};
    size_t n = 0;
    for (size_t i = 0; i < w->n; i++) n += w->v[i].kind == kind;
    if (n == 0) return;
    doc_h(d, 2, kind == OB_KIND_ANALYTIC ? "Analytic workloads" : "Network workloads");
    doc_p(d, kind == OB_KIND_ANALYTIC
                 ? "One table per workload: the median over seeds of the number of updates to "
                   "each relative target (with how many seeds reached 1e-6), the final loss gap "
                   "with its inter-quartile range, how many seeds diverged, and the time per "
                   "update. Then the figures."
                 : "One table per network: the median over seeds of the best validation accuracy "
                   "during training, the test accuracy, and the training time per epoch; then "
                   "the learning curves.");
    for (size_t i = 0; i < w->n; i++) {
        if (w->v[i].kind != kind) continue;
        const char *name = w->v[i].name;
        char h[256];
        snprintf(h, sizeof h, "%s", name);
        doc_h(d, 3, h);
        if (kind == OB_KIND_ANALYTIC)
            analytic_table(d, t, name);
        else
            network_table(d, t, name);
        for (const char *const *r = kind == OB_KIND_ANALYTIC ? analytic_figs : network_figs; *r; r++)
            figure_of(d, figs, *r, name);
    }
}

/* rate.md's lines: its title dropped (this section has one), other headings two levels
 * down, "- " lines as a list, other lines as paragraphs (consecutive lines joined). */
static void section_rate(doc *d, const char *dir)
{
    char path[4096];
    FILE *fp = fopen(ob_pathf(path, sizeof path, "%s/rate.md", dir), "r");
    if (!fp) return;
    doc_h(d, 2, "SGD against its theoretical rate");
    char line[8192];
    ob_sbuf para = {0};
    int in_list = 0;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        int is_item = strncmp(line, "- ", 2) == 0 || strncmp(line, "* ", 2) == 0;
        if ((!line[0] || is_item || line[0] == '#') && para.len) {
            doc_p(d, ob_sbuf_str(&para));
            ob_sbuf_free(&para);
        }
        if (in_list && !is_item) doc_ul(d, 0), in_list = 0;
        if (!line[0]) continue;
        if (line[0] == '#') {
            int lv = (int)strspn(line, "#");
            if (lv > 1) doc_h(d, lv + 1 > 6 ? 6 : lv + 1, line + lv + strspn(line + lv, " "));
        } else if (is_item) {
            if (!in_list) doc_ul(d, 1), in_list = 1;
            doc_li(d, line + 2);
        } else {
            ob_sbuf_printf(&para, "%s%s", para.len ? " " : "", line);
        }
    }
    if (para.len) doc_p(d, ob_sbuf_str(&para));
    if (in_list) doc_ul(d, 0);
    ob_sbuf_free(&para);
    fclose(fp);

    /* its figures, rate/NAME.png, sorted */
    char *names[256];
    size_t n = 0;
    DIR *dp = opendir(ob_pathf(path, sizeof path, "%s/rate", dir));
    struct dirent *e;
    while (dp && (e = readdir(dp)) && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".png") == 0 && (names[n] = strdup(e->d_name))) n++;
    }
    if (dp) closedir(dp);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *tmp = names[j];
            names[j] = names[j - 1], names[j - 1] = tmp;
        }
    for (size_t i = 0; i < n; i++) {
        char src[600], cap[1024];
        snprintf(src, sizeof src, "rate/%s", names[i]);
        snprintf(cap, sizeof cap,
                 "SGD with the constant step 1/(L √N) on **%.*s** (`optbench rate`): the measured "
                 "mean of (1/N) Σ ‖∇f(θ_t)‖² over runs against N, its spread, the theorem's bound "
                 "and a reference slope of −1/2, on log-log axes.",
                 (int)(strlen(names[i]) - 4), names[i]);
        doc_fig(d, src, cap);
        free(names[i]);
    }
}

static void section_not_drawn(doc *d, const ob_figure_list *figs)
{
    size_t n = 0;
    for (size_t i = 0; i < figs->n; i++) n += figs->v[i].status != OB_OK;
    if (n == 0) return;
    doc_h(d, 2, "Figures not drawn");
    doc_p(d, "The tables allowed these figures, but they could not be drawn; `optbench plot` "
             "named them in its warnings too. Fix the cause and run `optbench plot` on this "
             "directory again.");
    doc_ul(d, 1);
    for (size_t i = 0; i < figs->n; i++) {
        if (figs->v[i].status == OB_OK) continue;
        char s[1024];
        snprintf(s, sizeof s, "`figures/%s.png`: %s", figs->v[i].name, figs->v[i].error);
        doc_li(d, s);
    }
    doc_ul(d, 0);
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>Optimizer benchmark report</title>\n<style>\n"
    "body{font-family:'DejaVu Sans',system-ui,sans-serif;max-width:1040px;margin:2em auto;"
    "padding:0 1em;color:#222;line-height:1.5}\n"
    "h1{border-bottom:2px solid #333;padding-bottom:.2em}h2{border-bottom:1px solid #bbb;"
    "margin-top:2em}h3{margin-top:1.6em}\n"
    "table{border-collapse:collapse;margin:1em 0;font-size:.92em}\n"
    "th,td{border:1px solid #ccc;padding:.3em .6em}th{background:#f0f0f0}\n"
    "tbody tr:nth-child(even){background:#fafafa}td.r,th.r{text-align:right}"
    "td.l,th.l{text-align:left}\n"
    "figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}\n"
    "figcaption{font-size:.92em;color:#444;margin-top:.4em}\n"
    "code{background:#f3f3f3;padding:0 .2em;border-radius:3px}\n"
    "</style>\n</head>\n"
    "<body data-images-loaded=\"pending\" data-images-total=\"pending\">\n";

/* Counts the images that loaded, so a headless browser's --dump-dom shows it
 * (tests/browser_check.sh). */
static const char html_tail[] =
    "<script>\n"
    "window.addEventListener('load', function () {\n"
    "  var im = document.images, ok = 0, bad = [];\n"
    "  for (var i = 0; i < im.length; i++)\n"
    "    if (im[i].complete && im[i].naturalWidth > 0) ok++; else bad.push(im[i].getAttribute('src'));\n"
    "  document.body.setAttribute('data-images-loaded', String(ok));\n"
    "  document.body.setAttribute('data-images-total', String(im.length));\n"
    "  document.body.setAttribute('data-images-broken', bad.join(' '));\n"
    "});\n"
    "</script>\n</body>\n</html>\n";

static ob_status write_atomic(const char *path, const char *a, const char *b, const char *c,
                              ob_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *fp = fopen(tmp, "w");
    if (!fp) return ob_fail(err, OB_EIO, "cannot write %s: %s", tmp, strerror(errno));
    int ok = fputs(a, fp) >= 0 && fputs(b, fp) >= 0 && fputs(c, fp) >= 0;
    ok = fflush(fp) == 0 && ok;
    ok = fsync(fileno(fp)) == 0 && ok;
    ok = fclose(fp) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return ob_fail(err, OB_EIO, "cannot write %s: %s", path, strerror(e));
    }
    return OB_OK;
}

ob_status ob_report_write(const char *dir, const ob_result_list *w, const ob_figure_list *figs,
                          double seconds_plots, ob_error *err)
{
    tables t = {0};
    t.have_machine = ob_read_table(dir, "machine.csv", &t.machine, NULL) == OB_OK;
    t.have_ranking = ob_read_table(dir, "ranking.csv", &t.ranking, NULL) == OB_OK;
    t.have_chosen = ob_read_table(dir, "chosen.csv", &t.chosen, NULL) == OB_OK;
    doc d = {0};
    section_intro(&d, &t, w);
    section_machine(&d, &t, seconds_plots);
    section_tuning(&d, &t, w);
    if (ob_figure_find(figs, "profiles") || ob_figure_find(figs, "ecdf") || t.have_ranking) {
        doc_h(&d, 2, "The whole suite");
        overall_table(&d, &t, w);
        figure_of(&d, figs, "profiles", NULL);
        figure_of(&d, figs, "ecdf", NULL);
    }
    section_workloads(&d, &t, w, figs, OB_KIND_ANALYTIC);
    section_workloads(&d, &t, w, figs, OB_KIND_NETWORK);
    const ob_figure *fs = ob_figure_find(figs, "schedules"), *fa = ob_figure_find(figs, "activations");
    if ((fs && fs->status == OB_OK) || (fa && fa->status == OB_OK)) {
        doc_h(&d, 2, "Learning-rate schedules and activation functions");
        figure_of(&d, figs, "schedules", NULL);
        figure_of(&d, figs, "activations", NULL);
    }
    section_rate(&d, dir);
    section_not_drawn(&d, figs);
    ob_table_free(&t.machine);
    ob_table_free(&t.ranking);
    ob_table_free(&t.chosen);

    ob_status s = OB_OK;
    if (d.md.failed || d.html.failed) s = ob_fail(err, OB_ENOMEM, "out of memory writing the report");
    char path[4096];
    if (s == OB_OK)
        s = write_atomic(ob_pathf(path, sizeof path, "%s/report.md", dir), ob_sbuf_str(&d.md), "", "", err);
    if (s == OB_OK)
        s = write_atomic(ob_pathf(path, sizeof path, "%s/index.html", dir), html_head,
                         ob_sbuf_str(&d.html), html_tail, err);
    ob_sbuf_free(&d.md);
    ob_sbuf_free(&d.html);
    return s;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* rate/W.png for every rate/W.csv (the SGD-rate experiment): drawn here so that
 * `optbench plot` redraws them too */
static void draw_rate_figures(const char *dir, ob_render_opts *o)
{
    char path[4096];
    DIR *dp = opendir(ob_pathf(path, sizeof path, "%s/rate", dir));
    if (!dp) return;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".csv") != 0 || strstr(e->d_name, ".summary.csv"))
            continue;
        char csv[4600], png[4600], sum[4600], title[512];
        snprintf(csv, sizeof csv, "%s/rate/%s", dir, e->d_name);
        snprintf(png, sizeof png, "%s/rate/%.*s.png", dir, (int)(l - 4), e->d_name);
        snprintf(sum, sizeof sum, "%s/rate/%.*s.summary.csv", dir, (int)(l - 4), e->d_name);
        ob_table t, su;
        ob_error pe = {{0}};
        o->figures++;
        if (ob_table_read(csv, &t, &pe) != OB_OK || t.rows == 0) {
            if (t.rows == 0) ob_table_free(&t);
            fprintf(stderr, "optbench plot: warning: figure %s not drawn: %s\n", png,
                    pe.msg[0] ? pe.msg : "no rows");
            o->not_drawn++;
            continue;
        }
        long n0 = (long)ob_table_num(&t, 0, ob_table_col(&t, "N"));
        double m0 = ob_table_num(&t, 0, ob_table_col(&t, "mean_avg_sq_grad"));
        ob_table_free(&t);
        snprintf(title, sizeof title, "SGD with step 1/(L sqrt(N)) on %.*s: measured vs the bound",
                 (int)(l - 4), e->d_name);
        if (ob_table_read(sum, &su, NULL) == OB_OK) {
            snprintf(title, sizeof title, "SGD on %.*s (n = %s, L = %.4g, %s): measured vs the bound",
                     (int)(l - 4), e->d_name, ob_table_str(&su, 0, ob_table_col(&su, "dim")),
                     ob_table_num(&su, 0, ob_table_col(&su, "L")),
                     ob_table_str(&su, 0, ob_table_col(&su, "oracle")));
            ob_table_free(&su);
        }
        if (ob_plot_rate(csv, png, title, n0, m0, &pe) != OB_OK) {
            fprintf(stderr, "optbench plot: warning: figure %s not drawn: %s\n", png, pe.msg);
            o->not_drawn++;
        }
    }
    closedir(dp);
}

ob_status ob_render_results(const char *dir, ob_render_opts *o, ob_error *err)
{
    double t0 = now();
    ob_result_list w;
    ob_figure_list figs;
    ob_status s = ob_workloads_find(dir, &w, err);
    if (s != OB_OK) return s;
    if ((s = ob_figures_plan(dir, &w, &figs, err)) != OB_OK) {
        ob_workloads_free(&w);
        return s;
    }
    if (!o->quiet) {
        printf("drawing %zu figures from %s ...\n", figs.n, dir);
        fflush(stdout);
    }
    o->figures = figs.n;
    o->not_drawn = ob_figures_draw(dir, &figs, o->jobs);
    draw_rate_figures(dir, o);
    for (size_t i = 0; i < figs.n; i++)
        if (figs.v[i].status != OB_OK)
            fprintf(stderr, "optbench plot: warning: figure %s/figures/%s.png not drawn: %s\n", dir,
                    figs.v[i].name, figs.v[i].error);
    o->seconds = now() - t0;
    s = ob_report_write(dir, &w, &figs, o->seconds, err);
    if (s == OB_OK && !o->quiet)
        printf("%zu of %zu figures drawn in %.1f s; report: %s/report.md and %s/index.html\n",
               o->figures - o->not_drawn, o->figures, o->seconds, dir, dir);
    ob_figures_free(&figs);
    ob_workloads_free(&w);
    return s;
}
