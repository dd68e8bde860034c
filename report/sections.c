/* sections.c - the report's sections other than the machine (machine.c), the
 * workloads (workloads.c) and the rate experiment (rate_section.c): the introduction,
 * the tuning protocol, the whole suite, the reference figures and the figures that could
 * not be drawn.  Figures are found by walking the plot registry's sections (recipes.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench/bench.h"
#include "bench/tuning.h"
#include "common/stats.h"
#include "common/path.h"
#include "plots/style.h"
#include "report/sections.h"

/* a drawn figure with its caption */
static void show(ob_doc *d, const ob_figure *f)
{
        char cap[2048];
        const char *fmt = f->recipe->caption, *p = strstr(fmt, "%s");
        if (p) /* the one %s is the workload, in bold */
            snprintf(cap, sizeof cap, "%.*s**%s**%s", (int)(p - fmt), fmt, f->workload, p + 2);
        else
            snprintf(cap, sizeof cap, "%s", fmt);
        ob_doc_fig(d, f->png, cap);
}

void ob_section_figures(ob_doc *d, const ob_figure_list *figs, ob_report_section sec,
                        const char *w)
{
    for (size_t i = 0; i < figs->n; i++) {
        const ob_figure *f = &figs->v[i];
        if (f->recipe->section == sec && f->status == OB_OK && (!w || !strcmp(f->workload, w)))
            show(d, f);
    }
}

void ob_section_figures_of(ob_doc *d, const ob_figure_list *figs,
                           const ob_plot_recipe *const *recipes)
{
    for (size_t i = 0; i < figs->n; i++)
        for (const ob_plot_recipe *const *r = recipes; *r; r++)
            if (figs->v[i].recipe == *r && figs->v[i].status == OB_OK) show(d, &figs->v[i]);
}

void ob_section_intro(ob_doc *d, const ob_report_tables *t, const ob_result_list *w)
{
    char on[128] = "", su[128] = "";
    const char *date = ob_machine_get(t, "date"), *suite = ob_machine_get(t, "suite");
    if (date) snprintf(on, sizeof on, ", run on %.80s", date);
    if (suite) snprintf(su, sizeof su, ", suite **%.80s**", suite);
    size_t na = 0, nn = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (w->v[i].kind == OB_KIND_NETWORK) nn++;
        else na++;
    }
    ob_doc_h(d, 1, "Optimizer benchmark report");
    ob_doc_p(d, "%zu analytic workload%s and %zu network workload%s%s%s. Everything here was "
                "drawn from the CSV tables in this directory by `optbench plot`; rerun it to "
                "redraw the figures and this report without rerunning the benchmark.",
             na, na == 1 ? "" : "s", nn, nn == 1 ? "" : "s", su, on);
    ob_section_failed_runs(d, t, NULL);
    ob_doc_toc_here(d);

    ob_doc_h(d, 2, "How to read this report");
    ob_doc_li(d, "**Fair tuning.** Each optimizer's learning rate was tuned separately on every "
                 "workload %s, and the best setting by the criterion below "
                 "was then rerun with several seeds (different start points or data order). "
                 "Numbers are medians over those seeds, with the inter-quartile range (IQR: from "
                 "the 25th to the 75th percentile) where a spread is shown, never a single lucky "
                 "run.",
              ob_tuning_is_random(t) ? "by random search (the same number of trials for "
                                       "every optimizer)"
                                     : "on a logarithmic grid");
    /* the targets as a list, "1e-1, 1e-3 and 1e-6"; the example is the second one */
    const ob_target_set *tg = &t->tg;
    char list[128] = "";
    for (int k = 0, n = 0; k < tg->n; k++)
        n += snprintf(list + n, sizeof list - (size_t)n, "%s%s",
                      k == 0 ? "" : k == tg->n - 1 ? " and " : ", ", tg->name[k]);
    const char *ex = tg->name[tg->n > 1 ? 1 : 0];
    ob_doc_li(d, "**Loss gap** f - f*: how far the loss is above the optimal value f*. Targets "
                 "(%s) are relative: a run reaches target %s when its gap falls below "
                 "%s times its gap at the start. **Steps to** a target is the median number of "
                 "updates needed; — means the median run never got there within the budget. "
                 "A final gap is clamped at 0: f below f* by round-off (-5.55e-17) shows as 0.",
              list, ex, ex);
    ob_doc_li(d, "**Rank** orders the optimizers on each workload, 1 being the best, by the "
                 "median of the column the table shows with its 95 %% bootstrap interval; "
                 "optimizers whose seeds a two-sided Mann-Whitney test at 0.05 cannot tell "
                 "apart share a rank group, printed 2= (ranks 1, 2=, 2=, 4): the rank column "
                 "of ranking_analytic.csv and ranking_net.csv (results/README.md).");
    ob_doc_li(d, "**Colours.** Every optimizer has one colour and one marker in every figure; "
                 "GSL's quasi-Newton and conjugate-gradient minimizers (gsl-bfgs, gsl-cg, dashed) "
                 "are reference lines, not competitors: they use line searches and several "
                 "gradient evaluations per step, so the tables show them as \"ref\", unranked.");
    ob_doc_li(d, "**Performance profiles** and the **ECDF** summarize the whole suite: the "
                 "higher and further left a curve, the faster an optimizer reached the targets "
                 "across all workloads.");
    ob_doc_li(d, "**Finding your way.** The suite summary comes first, then one section per "
                 "workload: its table, what each optimizer received (full gradient, "
                 "mini-batches, or gradient noise), then its figures. In `index.html` the "
                 "workload sections are folded (click a name, or its entry in the contents, "
                 "to open it) and the figures are thumbnails: click one for the full-size "
                 "file in `figures/`.");
    ob_doc_list_end(d);
}

/* The distinct learning-rate grids of chosen.csv (usually one), a list item each. */
static void tuning_grids(ob_doc *d, const ob_table *c)
{
    int lo = ob_table_col(c, "grid_lo"), hi = ob_table_col(c, "grid_hi"),
        np = ob_table_col(c, "grid_points");
    double seen[8][3];
    size_t ns = 0;
    for (size_t i = 0; i < c->rows && ns < 8; i++) {
        double g[3] = {ob_table_num(c, i, lo), ob_table_num(c, i, hi), ob_table_num(c, i, np)};
        int dup = 0;
        for (size_t k = 0; k < ns; k++) dup |= seen[k][0] == g[0] && seen[k][1] == g[1] && seen[k][2] == g[2];
        if (dup || !(g[0] > 0 && g[1] > g[0] && g[2] >= 2)) continue;
        memcpy(seen[ns++], g, sizeof g);
        ob_doc_li(d, "**Grid%s:** %.0f learning rates spaced evenly in log scale from %.3g to "
                     "%.3g (%.3g per decade), one seed-0 run each.",
                  ns == 1 ? "" : " (some workloads)", g[2], g[0], g[1],
                  (g[2] - 1) / log10(g[1] / g[0]));
    }
}

/* The chosen learning rate: workloads down, optimizers across; with a product grid, the
 * other hyperparameters chosen with it (chosen.csv's hparams) beside it. */
static void chosen_table(ob_doc *d, const ob_table *c, const ob_result_list *w)
{
    int wc = ob_table_col(c, "workload"), oc = ob_table_col(c, "optimizer"),
        lc = ob_table_col(c, "lr"), sc = ob_table_col(c, "score"),
        hc = ob_table_col(c, "hparams");
    const char *opt[OB_MAX_SERIES];
    size_t no = ob_optimizers_of(c, oc, opt, OB_MAX_SERIES);
    const char *head[OB_MAX_SERIES + 1] = {"workload"};
    char al[OB_MAX_SERIES + 2] = "l";
    for (size_t k = 0; k < no; k++) head[k + 1] = opt[k], al[k + 1] = 'r';
    ob_doc_p(d, "The learning rate tuning chose for each workload and optimizer (∞ score: "
                "every grid point diverged; after a comma, the other hyperparameters tuned "
                "with it):");
    ob_doc_table_head(d, head, no + 1, al);
    for (size_t i = 0; i < w->n; i++) {
        ob_cell cs[OB_MAX_SERIES];
        const char *cells[OB_MAX_SERIES + 1] = {w->v[i].name};
        int any = 0;
        for (size_t k = 0; k < no; k++) {
            cells[k + 1] = "—";
            for (size_t r = 0; r < c->rows; r++)
                if (strcmp(ob_table_str(c, r, wc), w->v[i].name) == 0 &&
                    strcmp(ob_table_str(c, r, oc), opt[k]) == 0) {
                    ob_fmt_g(cs[k], ob_table_num(c, r, lc));
                    if (isinf(ob_table_num(c, r, sc))) strcat(cs[k], " (∞)");
                    const char *hp = ob_table_str(c, r, hc); /* "" without the column */
                    if (*hp) {
                        size_t len = strlen(cs[k]);
                        snprintf(cs[k] + len, sizeof cs[k] - len, ", %s", hp);
                    }
                    cells[k + 1] = cs[k];
                    any = 1;
                }
        }
        if (any) ob_doc_table_row(d, cells, no + 1);
    }
    ob_doc_table_end(d);
}

void ob_section_tuning(ob_doc *d, const ob_report_tables *t, const ob_result_list *w)
{
    ob_doc_h(d, 2, "Tuning protocol and the chosen learning rates");
    if (!t->have_chosen) {
        ob_doc_p(d, "No chosen.csv was found: the tuned settings are unknown.");
        return;
    }
    if (!ob_section_tuning_random(d, t)) tuning_grids(d, &t->chosen);
    /* the criterion as bench/tuning.h states it: tuning.csv's scores were computed by
     * this program (ob_tuning_score), whatever machine.csv says */
    ob_doc_li(d, "**Criterion:** %s; lower is better and a diverged run scores ∞. The tuning "
                 "run with the lowest score is chosen; ties go to the run that reached %s of "
                 "the start gap first, then to the smaller rate.",
              OB_TUNING_CRITERION, t->tg.name[t->tg.n - 1]);
    const char *seeds = ob_machine_get(t, "seeds");
    if (seeds) ob_doc_li(d, "**Final runs:** the chosen learning rate, %s seeds.", seeds);
    ob_doc_list_end(d);
    chosen_table(d, &t->chosen, w);
    ob_section_tuning_budget(d, t, w);
    ob_section_tuning_curve(d, t, w);
    ob_section_tuning_limits(d, t);
    ob_section_skipped(d, t);
}

/* The optimizers of the ranking tables R[0 .. nr), each once, in canonical order. */
static size_t ranked_optimizers(const ob_table *const *R, size_t nr, const char **opt)
{
    size_t no = 0;
    for (size_t j = 0; j < nr; j++) {
        const char *o[OB_MAX_SERIES];
        size_t n = ob_table_distinct(R[j], ob_table_col(R[j], "optimizer"), o, OB_MAX_SERIES);
        for (size_t k = 0; k < n; k++) {
            size_t m = 0;
            while (m < no && strcmp(opt[m], o[k]) != 0) m++;
            if (m == no && no < OB_MAX_SERIES) opt[no++] = o[k];
        }
    }
    ob_style_sort(opt, no);
    return no;
}

/* Per competitor across workloads: on how many it was ranked, how often in the top group
 * (rank 1, ties included), its median group rank, its divergences; from
 * ranking_analytic.csv and ranking_net.csv (or an older directory's ranking.csv).  The
 * reference methods are named below it, not counted. */
static void overall_table(ob_doc *d, const ob_report_tables *t)
{
    const ob_table *R[2] = {&t->ranking, &t->ranking_net};
    size_t nrt = t->have_ranking_net ? 2 : 1;
    const char *opt[OB_MAX_SERIES], *refs[OB_MAX_SERIES];
    size_t no = ranked_optimizers(R, nrt, opt), nref = 0;
    static const char *const head[] = {"optimizer", "workloads ranked", "in the top group",
                                       "median group rank", "runs diverged"};
    ob_doc_p(d, "Across workloads, the competitors only (from %s): on how many workloads each "
                "was ranked, on how many it was in the top group (rank 1, ties included), "
                "its median group rank, and its diverged runs:",
             t->have_ranking_net ? "ranking_analytic.csv and ranking_net.csv" : "ranking.csv");
    ob_doc_table_head(d, head, 5, "lrrrr");
    for (size_t k = 0; k < no; k++) {
        double ranks[1024];
        size_t nr = 0, top = 0, ref = 0;
        double div = 0, runs = 0;
        for (size_t j = 0; j < nrt; j++) {
            int oc = ob_table_col(R[j], "optimizer"), rc = ob_table_col(R[j], "rank"),
                dc = ob_table_col(R[j], "diverged"), sc = ob_table_col(R[j], "seeds");
            for (size_t i = 0; i < R[j]->rows && nr < 1024; i++) {
                if (strcmp(ob_table_str(R[j], i, oc), opt[k]) != 0) continue;
                if (ob_ranking_is_reference(R[j], i)) {
                    ref = 1;
                    continue;
                }
                double r = ob_table_num(R[j], i, rc), dv = ob_table_num(R[j], i, dc),
                       sd = ob_table_num(R[j], i, sc);
                if (isfinite(r)) ranks[nr++] = r;
                if (r == 1) top++;
                if (isfinite(dv)) div += dv;
                if (isfinite(sd)) runs += sd;
            }
        }
        if (ref && nr == 0) {
            refs[nref++] = opt[k];
            continue;
        }
        ob_cell a, b, c, e;
        snprintf(a, sizeof a, "%zu", nr);
        snprintf(b, sizeof b, "%zu", top);
        snprintf(e, sizeof e, "%.0f of %.0f", div, runs);
        const char *cells[5] = {opt[k], a, b, ob_fmt_g(c, ob_median(ranks, nr)), e};
        ob_doc_table_row(d, cells, 5);
    }
    ob_doc_table_end(d);
    if (nref) {
        char list[512];
        size_t len = 0;
        for (size_t k = 0; k < nref && len < sizeof list; k++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "", refs[k]);
        ob_doc_p(d, "Not ranked (reference methods, tabled on their workloads): %s.", list);
    }
}

static size_t count_figures(const ob_figure_list *figs, ob_report_section sec, int drawn)
{
    size_t n = 0;
    for (size_t i = 0; i < figs->n; i++)
        n += figs->v[i].recipe->section == sec && (!drawn || figs->v[i].status == OB_OK);
    return n;
}

void ob_section_suite(ob_doc *d, const ob_report_tables *t, const ob_figure_list *figs)
{
    if (!t->have_ranking && count_figures(figs, OB_SECTION_SUITE, 0) == 0) return;
    ob_doc_h(d, 2, "The whole suite");
    if (t->have_ranking) overall_table(d, t);
    ob_section_figures(d, figs, OB_SECTION_SUITE, NULL);
}

void ob_section_reference(ob_doc *d, const ob_figure_list *figs)
{
    if (count_figures(figs, OB_SECTION_REFERENCE, 1) == 0) return;
    ob_doc_h(d, 2, "Learning-rate schedules and activation functions");
    ob_section_figures(d, figs, OB_SECTION_REFERENCE, NULL);
}

void ob_section_not_drawn(ob_doc *d, const ob_figure_list *figs)
{
    size_t n = 0;
    for (size_t i = 0; i < figs->n; i++) n += figs->v[i].status != OB_OK;
    if (n == 0) return;
    ob_doc_h(d, 2, "Figures not drawn");
    ob_doc_p(d, "The tables allowed these figures, but they could not be drawn; `optbench plot` "
                "named them in its warnings too. Fix the cause and run `optbench plot` on this "
                "directory again.");
    for (size_t i = 0; i < figs->n; i++)
        if (figs->v[i].status != OB_OK)
            ob_doc_li(d, "`%s`: %s", figs->v[i].png, figs->v[i].error);
    ob_doc_list_end(d);
}
