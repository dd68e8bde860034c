/* compare_doc.c - compare.md and index.html of `optbench compare` (compare.h), in the
 * style of the bench's report (report/doc.h, rendered by report/html.h): the
 * directories, the scores, per workload the ranking side by side, the changes against
 * A and the overlaid curves, then what was not compared. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/path.h"
#include "plots/style.h"
#include "compare/compare.h"
#include "report/doc.h"
#include "report/html.h"

/* the optimizers whose options differ between the directories: each is labelled with
 * them, and what was compared with what is said */
static void options(ob_doc *d, const ob_cmp_view *v)
{
    int any = 0;
    for (size_t o = 0; o < v->no; o++) {
        int differs = 0;
        for (size_t k = 0; k < v->nd; k++) {
            const ob_cmp_optdef *D = ob_cmp_def(&v->d[k], v->opt[o]);
            differs |= D && D->diff[0];
        }
        if (!differs) continue;
        if (!any++) {
            ob_doc_p(d, "**Options that differ.** These optimizers have the same name but not "
                        "the same options in every directory, so they are not the same "
                        "optimizer: each carries the options that differ in its label, and "
                        "each row below says what was compared with what.");
            const char *head[OB_CMP_MAX_DIRS + 1] = {"optimizer"};
            char al[OB_CMP_MAX_DIRS + 2] = "l";
            for (size_t k = 0; k < v->nd; k++) head[k + 1] = v->d[k].label, al[k + 1] = 'l';
            ob_doc_table_head(d, head, v->nd + 1, al);
        }
        const char *cells[OB_CMP_MAX_DIRS + 1] = {v->opt[o]};
        char cell[OB_CMP_MAX_DIRS][300];
        for (size_t k = 0; k < v->nd; k++) {
            const ob_cmp_optdef *D = ob_cmp_def(&v->d[k], v->opt[o]);
            snprintf(cell[k], sizeof cell[k], "%s", !D ? "— (unknown)" : D->diff[0] ? D->diff : "—");
            cells[k + 1] = cell[k];
        }
        ob_doc_table_row(d, cells, v->nd + 1);
    }
    if (!any) return;
    ob_doc_table_end(d);
    int items = 0;
    for (size_t o = 0; o < v->no; o++)
        for (size_t k = 1; k < v->nd; k++) {
            const char *a = ob_cmp_label(&v->d[0], v->opt[o]), *b = ob_cmp_label(&v->d[k], v->opt[o]);
            if (strcmp(a, b) && ++items)
                ob_doc_li(d, "%s's `%s` is compared with A's `%s` (its rankings, changes and "
                             "score).", v->d[k].label, b, a);
        }
    if (items) ob_doc_list_end(d);
}

static void directories(ob_doc *d, const ob_cmp_view *v)
{
    static const char *const head[] = {"", "directory", "suite", "optbench", "targets"};
    ob_doc_table_head(d, head, 5, "lllll");
    int same = 1;
    for (size_t k = 0; k < v->nd; k++) {
        const ob_cmp_dir *D = &v->d[k];
        char tg[96] = "";
        for (int t = 0; t < D->tg.n; t++)
            snprintf(tg + strlen(tg), sizeof tg - strlen(tg), "%s%s", t ? " " : "", D->tg.name[t]);
        char path[300];
        snprintf(path, sizeof path, "`%s`", D->path);
        const char *cells[5] = {D->label, path, D->suite[0] ? D->suite : "—",
                                D->have_json ? D->version : "— (no optbench.json)", tg};
        ob_doc_table_row(d, cells, 5);
        same &= !strcmp(D->suite, v->d[0].suite);
    }
    ob_doc_table_end(d);
    for (size_t k = 0; k < v->nd; k++)
        if (!v->d[k].have_json)
            ob_doc_p(d, "Directory %s has no `optbench.json` (older results): its version, "
                        "machine and suite definition are unknown.", v->d[k].label);
    int unmatched = 0;
    for (size_t k = 0; k < v->nd; k++)
        for (size_t i = 0; i < v->d[k].n; i++)
            unmatched += !ob_cmp_common(v->d, v->nd, v->d[k].p[i].w, v->d[k].p[i].o);
    if (!same)
        ob_doc_p(d, "**Different suites.** The directories ran different suites (see the "
                    "table).");
    options(d, v);
    if (unmatched)
        ob_doc_p(d, "**Not every pair is in every directory:** only the (workload, optimizer) "
                    "pairs all of them have are compared; the %d others are listed under "
                    "\"Not compared\".", unmatched);
}

static void scores(ob_doc *d, const ob_cmp_view *v)
{
    ob_doc_h(d, 2, "Scores");
    ob_doc_p(d, "One score per optimizer and directory, computed as AlgoPerf's scoring code "
                "computes it (Dahl et al. 2023; Kasimbeg et al. 2024; "
                "`scoring/performance_profile.py` of mlcommons/submissions_algorithms, commit "
                "12c8e4ea): the trapezoid area under its performance profile at %d points of "
                "τ evenly spaced over [1, %g], divided by %g so that it lies in [0, 1]. The "
                "profile at τ is the fraction of the workloads (those where the optimizer is "
                "a common pair) on which its time is within τ times the best time of any "
                "(directory, optimizer) there; a time that misses its target, is NaN, or is "
                "more than %g times the best counts as infinite. Seeds play the role of "
                "AlgoPerf's studies: a time is the median over seeds of each seed's time.",
             OB_CMP_TAU_POINTS, OB_CMP_TAU_MAX, OB_CMP_TAU_MAX - 1, OB_CMP_TAU_MAX);
    if (v->have_target)
        ob_doc_li(d, "An analytic workload's time: the **gradient evaluations** to reach the "
                     "target **%s** (the gap f − f* at %s times its start value; the tightest "
                     "target all directories share). A run that diverges misses it.",
                  v->target_name, v->target_name);
    else
        ob_doc_li(d, "The directories share no target (targets.csv): the analytic workloads "
                     "get no time and do not count.");
    ob_doc_li(d, "A network workload's time: the **epochs** until the run's validation "
                 "accuracy first reaches the workload's target: the highest median best "
                 "validation accuracy a* of any compared (directory, optimizer), less %g of its "
                 "error, a* − %g (1 − a*), as AlgoPerf sets its targets from its best "
                 "target-setting runs. Every rule sees each training sample once an epoch, "
                 "whatever its batch.",
              OB_CMP_NET_SLACK, OB_CMP_NET_SLACK);
    ob_doc_list_end(d);
    const char *head[OB_CMP_MAX_DIRS + 3] = {"optimizer"};
    char al[OB_CMP_MAX_DIRS + 4] = "l";
    for (size_t k = 0; k < v->nd; k++) head[k + 1] = v->d[k].label, al[k + 1] = 'r';
    head[v->nd + 1] = "analytic workloads", al[v->nd + 1] = 'r';
    head[v->nd + 2] = "network workloads", al[v->nd + 2] = 'r';
    int rows = 0;
    for (size_t o = 0; o < v->no; o++) rows += v->score_wa[o] + v->score_wn[o] > 0;
    if (!rows) {
        ob_doc_p(d, "No workload with a time has a common pair: no score.");
        return;
    }
    ob_doc_table_head(d, head, v->nd + 3, al);
    for (size_t o = 0; o < v->no; o++) {
        if (!v->score_wa[o] && !v->score_wn[o]) continue;
        ob_cell c[OB_CMP_MAX_DIRS];
        char na[16], nn[16], name[1024] = "";
        for (size_t k = 0, used = 0; k < v->nd && used < sizeof name; k++) {
            const char *lab = ob_cmp_label(&v->d[k], v->opt[o]);
            size_t j = 0; /* the distinct labels, A's first */
            while (j < k && strcmp(ob_cmp_label(&v->d[j], v->opt[o]), lab)) j++;
            if (j == k)
                used += (size_t)snprintf(name + used, sizeof name - used, "%s%s", used ? " / " : "", lab);
        }
        const char *cells[OB_CMP_MAX_DIRS + 3] = {name};
        for (size_t k = 0; k < v->nd; k++) {
            snprintf(c[k], sizeof c[k], "%.3f", v->score[o * v->nd + k]);
            cells[k + 1] = c[k];
        }
        snprintf(na, sizeof na, "%d", v->score_wa[o]);
        snprintf(nn, sizeof nn, "%d", v->score_wn[o]);
        cells[v->nd + 1] = na;
        cells[v->nd + 2] = nn;
        ob_doc_table_row(d, cells, v->nd + 3);
    }
    ob_doc_table_end(d);
}

/* a median with its quartiles: "1.2e-5 [8e-6, 3e-5]" (networks: percentages) */
static const char *with_iqr(ob_cell c, const ob_cmp_pair *P)
{
    ob_cell a, b, m;
    if (P->net) {
        snprintf(c, sizeof(ob_cell), "%s [%s, %s]", ob_fmt_pct(m, P->med), ob_fmt_pct(a, P->q1),
                 ob_fmt_pct(b, P->q3));
    } else {
        snprintf(c, sizeof(ob_cell), "%s [%s, %s]", ob_fmt_g(m, P->med), ob_fmt_g(a, P->q1),
                 ob_fmt_g(b, P->q3));
    }
    return c;
}

static void ranking(ob_doc *d, const ob_cmp_view *v, const char *w, ob_cmp_entry *e, size_t n)
{
    int net = e[0].P->net;
    char tcol[64];
    ob_cell at;
    if (net) snprintf(tcol, sizeof tcol, "epochs to %s", ob_fmt_pct(at, e[0].P->acc_target));
    else snprintf(tcol, sizeof tcol, "evals to %s", v->target_name);
    const char *head[] = {"rank", "optimizer", "dir", "lr", "seeds", "diverged",
                          net ? "best val. acc. [IQR]" : "final gap [IQR]", tcol, "test acc."};
    size_t nc = net ? 9 : 8;
    ob_doc_p(d, "The common pairs of `%s`, ranked together (%s):", w,
             net ? "median best validation accuracy; the median over seeds of the epochs "
                   "until the validation accuracy reaches the workload's target, as the score "
                   "counts them" : "median evaluations to the target, those that reach it "
                   "first, then median final gap");
    ob_doc_table_head(d, head, nc, "rllrrrrrr");
    for (size_t r = 0; r < n; r++) {
        const ob_cmp_pair *P = e[r].P;
        ob_cell rk, lr, sd, dv, m, t, te;
        if (e[r].rank) snprintf(rk, sizeof rk, "%d", e[r].rank);
        else snprintf(rk, sizeof rk, "ref");
        snprintf(sd, sizeof sd, "%d", P->seeds);
        snprintf(dv, sizeof dv, "%d", P->diverged);
        if (net && isfinite(P->time)) snprintf(t, sizeof t, "%g", P->time);
        else if (net) snprintf(t, sizeof t, "—");
        else ob_fmt_steps(t, P->time);
        const char *cells[9] = {rk, ob_cmp_label(&v->d[e[r].dir], P->o), v->d[e[r].dir].label,
                                ob_fmt_g(lr, P->lr), sd, dv,
                                with_iqr(m, P), t, net ? ob_fmt_pct(te, P->test) : ""};
        ob_doc_table_row(d, cells, nc);
    }
    ob_doc_table_end(d);
}

/* a ratio, or an interval's bound: "0.62" (3 significant digits; inf) */
static const char *ratio_text(ob_cell c, double r)
{
    return isnan(r) ? snprintf(c, sizeof(ob_cell), "—"), c : ob_fmt_g(c, r);
}

/* "p = 0.004, Holm-adjusted 0.03" */
static const char *p_text(char *buf, size_t cap, const ob_cmp_change *C)
{
    snprintf(buf, cap, "p = %.2g, Holm-adjusted %.2g", C->p, C->p_holm);
    return buf;
}

/* The change C in words: "B reaches 1e-6 in 0.62× the evaluations of A (95 % CI
 * 0.55–0.70, p = 0.004, Holm-adjusted 0.03)" */
static void change_words(char *buf, size_t cap, const ob_cmp_view *v, const ob_cmp_change *C)
{
    const char *b = v->d[C->dir].label;
    ob_cell r, lo, hi;
    char p[128], ci[512];
    ratio_text(r, C->ratio.est);
    snprintf(ci, sizeof ci, "95 %% CI %s–%s, %s", ratio_text(lo, C->ratio.lo),
             ratio_text(hi, C->ratio.hi), p_text(p, sizeof p, C));
    if (C->metric == OB_CMP_EVALS && isinf(C->ratio.est))
        snprintf(buf, cap, "%s's median run does not reach %s, A's does (%s)", b, v->target_name, p);
    else if (C->metric == OB_CMP_EVALS && C->ratio.est == 0)
        snprintf(buf, cap, "%s's median run reaches %s, A's does not (%s)", b, v->target_name, p);
    else if (C->metric == OB_CMP_EVALS)
        snprintf(buf, cap, "%s reaches %s in %s× the evaluations of A (%s)", b, v->target_name, r, ci);
    else if (C->metric == OB_CMP_GAP)
        snprintf(buf, cap, "%s ends at %s× the final gap of A; neither median run reaches %s (%s)",
                 b, r, v->target_name, ci);
    else
        snprintf(buf, cap, "%s's best validation accuracy is %s× A's (%s)", b, r, ci);
}

/* each later directory against A, per optimizer: the table, then the flagged changes in
 * words */
static void changes(ob_doc *d, const ob_cmp_view *v, const char *w)
{
    static const char *const head[] = {"optimizer", "dir", "metric", "median (A)", "median",
                                       "ratio [95 % CI]", "p", "p (Holm)", "flagged"};
    size_t first, n = ob_cmp_changes_of(v, w, &first);
    if (!n) return;
    const ob_cmp_change *c = &v->ch[first];
    ob_doc_p(d, "Against A (the ratio of the medians, this directory's over A's, with its 95 %% "
                "bootstrap interval; p and p after Holm's correction over all %zu tests):",
             v->nch);
    ob_doc_table_head(d, head, 9, "lllrrrrrl");
    for (size_t i = 0; i < n; i++) {
        const ob_cmp_change *C = &c[i];
        ob_cell ma, mb, r, lo, hi, p, ph;
        char ratio[4 * sizeof(ob_cell)], metric[64];
        if (C->metric == OB_CMP_ACC) ob_fmt_pct(ma, C->med_a), ob_fmt_pct(mb, C->med_b);
        else ob_fmt_g(ma, C->med_a), ob_fmt_g(mb, C->med_b);
        if (C->metric == OB_CMP_EVALS) snprintf(metric, sizeof metric, "evals to %s", v->target_name);
        else snprintf(metric, sizeof metric, "%s", C->metric == OB_CMP_GAP ? "final gap" : "best val. acc.");
        snprintf(ratio, sizeof ratio, "%s [%s, %s]", ratio_text(r, C->ratio.est),
                 ratio_text(lo, C->ratio.lo), ratio_text(hi, C->ratio.hi));
        snprintf(p, sizeof p, "%.2g", C->p);
        snprintf(ph, sizeof ph, "%.2g", C->p_holm);
        const char *cells[9] = {ob_cmp_label(&v->d[C->dir], C->o), v->d[C->dir].label, metric,
                                ma, mb, ratio, p, ph, C->flagged ? "**yes**" : "no"};
        ob_doc_table_row(d, cells, 9);
    }
    ob_doc_table_end(d);
    int flagged = 0;
    for (size_t i = 0; i < n; i++) {
        if (!c[i].flagged) continue;
        if (!flagged++) ob_doc_p(d, "Flagged:");
        char words[1024];
        change_words(words, sizeof words, v, &c[i]);
        const char *a = ob_cmp_label(&v->d[0], c[i].o), *b = ob_cmp_label(&v->d[c[i].dir], c[i].o);
        if (strcmp(a, b)) ob_doc_li(d, "`%s` against A's `%s`: %s.", b, a, words);
        else ob_doc_li(d, "`%s`: %s.", b, words);
    }
    if (flagged) ob_doc_list_end(d);
    else ob_doc_p(d, "No change on `%s` is flagged.", w);
}

static void workloads(ob_doc *d, const ob_cmp_view *v)
{
    ob_doc_h(d, 2, "Workloads");
    ob_cmp_entry *e = malloc((v->nd * v->no + 1) * sizeof *e);
    if (!e) return;
    int any = 0;
    for (size_t i = 0; i < v->nw; i++) {
        size_t n = ob_cmp_rank(v, v->w[i], e);
        if (n == 0) continue;
        any = 1;
        ob_doc_h(d, 3, v->w[i]);
        ranking(d, v, v->w[i], e, n);
        changes(d, v, v->w[i]);
        if (v->drawn[i]) {
            char src[300], cap[512];
            snprintf(src, sizeof src, "figures/compare-%s.png", v->w[i]);
            snprintf(cap, sizeof cap, "`%s`: the median curve of each common pair; one colour "
                     "per optimizer, A solid, B dashed%s.", v->w[i],
                     v->nd > 2 ? ", C dotted, D dash-dotted" : "");
            ob_doc_fig(d, src, cap);
        }
    }
    if (!any) ob_doc_p(d, "No workload has a common pair.");
    free(e);
}

static void not_compared(ob_doc *d, const ob_cmp_view *v)
{
    ob_doc_h(d, 2, "Not compared");
    int any = 0;
    for (size_t k = 0; k < v->nd; k++)
        for (size_t i = 0; i < v->d[k].n; i++) {
            const ob_cmp_pair *P = &v->d[k].p[i];
            if (ob_cmp_common(v->d, v->nd, P->w, P->o)) continue;
            char miss[64];
            ob_cmp_missing_in(v->d, v->nd, P->w, P->o, ", ", miss, sizeof miss);
            ob_doc_li(d, "%s: `%s` / `%s` (missing in %s)", v->d[k].label, P->w, P->o, miss);
            any = 1;
        }
    if (any) ob_doc_list_end(d);
    else ob_doc_p(d, "Every (workload, optimizer) pair is in every directory.");
}

/* how many changes are flagged, and whether the seeds could flag any */
static void summary(ob_doc *d, const ob_cmp_view *v)
{
    if (!v->nch) return;
    size_t flagged = 0, na = 0, nb = 0;
    double best = 1; /* the smallest p-value any change's seed counts allow */
    for (size_t i = 0; i < v->nch; i++) {
        const ob_cmp_change *C = &v->ch[i];
        flagged += (size_t)C->flagged;
        const ob_cmp_pair *a = ob_cmp_find(&v->d[0], C->w, C->o),
                          *b = ob_cmp_find(&v->d[C->dir], C->w, C->o);
        double m = ob_cmp_min_p((size_t)a->seeds, (size_t)b->seeds);
        if (m < best || i == 0) best = m, na = (size_t)a->seeds, nb = (size_t)b->seeds;
    }
    ob_doc_p(d, "**Changes against A: %zu of %zu flagged.** Each common pair of each later "
                "directory is compared with A's on the metric the ranking uses: each seed's "
                "gradient evaluations to the target (a seed that misses it: ∞), or the final "
                "gap when neither median run reaches it; networks: each seed's best "
                "validation accuracy. The ratio of the medians over seeds comes with its 95 %% "
                "bootstrap interval (%d resamples, a fixed seed), the seeds are tested against "
                "A's (two-sided Mann–Whitney), and the %zu p-values are corrected together by "
                "Holm's method: a change is flagged when its adjusted p is below %g, so that "
                "the chance of flagging any change where there is none is at most %g.",
             flagged, v->nch, OB_BOOT_RESAMPLES, v->nch, OB_ALPHA, OB_ALPHA);
    if (best * (double)v->nch >= OB_ALPHA)
        ob_doc_p(d, "**These seeds cannot flag anything.** With %zu seeds against %zu the "
                    "smallest possible p-value is %.2g, and Holm's correction over %zu tests "
                    "needs one below %.2g: run more seeds (`optbench bench --seeds N "
                    "--first-seed K`) or compare fewer pairs.",
                 na, nb, best, v->nch, OB_ALPHA / (double)v->nch);
}

ob_status ob_cmp_write_doc(const ob_cmp_view *v, const char *out, ob_error *err)
{
    ob_doc d;
    ob_status s = ob_doc_open(&d, err);
    if (s != OB_OK) return s;
    ob_doc_h(&d, 1, "optbench compare");
    size_t common = 0;
    for (size_t i = 0; i < v->nw; i++)
        for (size_t o = 0; o < v->no; o++) common += ob_cmp_common(v->d, v->nd, v->w[i], v->opt[o]);
    ob_doc_p(&d, "%zu results directories side by side: %zu (workload, optimizer) pairs in "
                 "common. Every number is computed from the run files (`runs/`) of each "
                 "directory. Tables: `ranking.csv`, `changes.csv`, `scores.csv`, "
                 "`unmatched.csv`.", v->nd, common);
    if (common == 0)
        ob_doc_p(&d, "**No common pair.** The directories have no (workload, optimizer) pair "
                     "in common: nothing is compared; their pairs are listed below.");
    summary(&d, v);
    ob_doc_toc_here(&d);
    ob_doc_h(&d, 2, "Directories");
    directories(&d, v);
    scores(&d, v);
    workloads(&d, v);
    not_compared(&d, v);
    char *md = NULL, path[4096];
    if ((s = ob_doc_finish(&d, &md, err)) != OB_OK) return s;
    s = ob_write_file_atomic(ob_pathf(path, sizeof path, "%s/compare.md", out), md, "", "", err);
    if (s == OB_OK)
        s = ob_report_html(md, out, ob_pathf(path, sizeof path, "%s/index.html", out), err);
    free(md);
    return s;
}
